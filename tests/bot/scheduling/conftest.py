"""Real processes on PostgreSQL: a private schema, the Slack emulator, and `catbot` processes started and stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, update

from bot.cat import activation
from bot.cat.models import Cat, Reminder, ReminderState
from bot.cat.ports import RecordingEffects
from bot.container import playbook_checklist, playbook_drafter
from bot.organisation.loader import load_organisation
from bot.settings import EXAMPLE_ORG_FILE
from bot.slack.emulator import Emulator
from bot.storage.engine import make_session_factory, transaction
from tests.bot.conftest import file_request
from tests.slack.app.conftest import SIGNING_SECRET, emulator_users, wait_for

QUICK = {"CATBOT_REMINDER_CHECK_SECONDS": "1", "CATBOT_LEADER_RETRY_SECONDS": "0.5", "CATBOT_LOG_LEVEL": "INFO",
         **{f"CATBOT_CADENCE_{a}_MINUTES": "0" for a in ("PRESS", "INTERNAL", "UNITS", "LEADERSHIP")}}


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    emu = Emulator(emulator_users(load_organisation(EXAMPLE_ORG_FILE)), signing_secret=SIGNING_SECRET)
    emu.start()
    yield emu
    emu.stop()


@dataclass
class Processes:
    """`catbot …` processes against one database and the emulator; all are killed at the end of the test."""

    engine: Engine
    emulator: Emulator
    tmp: Path
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        url = self.engine.url.render_as_string(hide_password=False)
        return {**os.environ, "CATBOT_DATABASE_URL": url, "SLACK_BOT_TOKEN": self.emulator.bot_token,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": self.emulator.api_url,
                "CATBOT_DATA_DIR": str(self.tmp), **QUICK, **extra}

    def start(self, *args: str, **extra: str) -> subprocess.Popen[bytes]:
        log = (self.tmp / f"proc-{len(self.started)}.log").open("wb")
        process = subprocess.Popen([sys.executable, "-m", "bot", *args], env=self.env(**extra), stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # own process group: killpg ends workers too
        self.started.append(process)
        return process

    def output(self, process: subprocess.Popen[bytes]) -> str:
        return (self.tmp / f"proc-{self.started.index(process)}.log").read_text(errors="replace")

    def stop(self, process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 40) -> int:
        process.send_signal(sig)
        return process.wait(timeout=timeout)

    def close(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)  # the process and whatever it started
                process.wait(timeout=10)


@pytest.fixture
def processes(pg: Engine, emulator: Emulator, tmp_path: Path) -> Iterator[Processes]:
    procs = Processes(pg, emulator, tmp_path)
    try:
        yield procs
    finally:
        procs.close()


def get_json(url: str) -> dict[str, Any] | None:
    """GET a JSON document, or None while the process is not answering yet."""
    import json

    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return dict(json.loads(response.read()))
    except (OSError, ValueError):
        return None


def active_cat(engine: Engine, emulator: Emulator, clock: Callable[[], datetime]) -> tuple[int, str]:
    """A CAT activated through the domain (recorded effects), moved into a real emulator channel."""
    org = load_organisation(EXAMPLE_ORG_FILE)
    effects = RecordingEffects()
    factory = make_session_factory(engine)
    ctx = activation.SagaContext(org=org, effects=effects, directory=effects, drafter=playbook_drafter,
                                 clock=clock, checklist=playbook_checklist)
    with transaction(factory) as session:
        request = file_request(session, org, clock)  # type: ignore[arg-type]
        cat = activation.approve_and_create(session, org, request, director=org.require("dir-directeur"),
                                            advice_to=["korpsleiding"], now=clock())
        cat_id = cat.id
    activation.run_saga(lambda: transaction(factory), cat_id, ctx)
    channel = emulator.add_channel(f"cat-test-{cat_id}", [emulator.bot_user_id], is_private=True)
    with transaction(factory) as session:
        session.execute(update(Cat).where(Cat.id == cat_id).values(channel_id=channel))
    return cat_id, channel


def add_reminders(engine: Engine, cat_id: int, due: list[datetime], *, kind: str = "no_statement") -> list[int]:
    """Reminders of one CAT due at the given moments; returns their ids."""
    ids = []
    with transaction(make_session_factory(engine)) as session:
        for i, moment in enumerate(due):
            reminder = Reminder(cat_id=cat_id, kind=kind, key=f"test:{cat_id}:{i}", due_at=moment,
                                state=ReminderState.SCHEDULED.value, created_at=moment - timedelta(minutes=1),
                                payload={})
            session.add(reminder)
            session.flush()
            ids.append(reminder.id)
    return ids


def reminder_states(engine: Engine, ids: list[int]) -> dict[int, str]:
    with transaction(make_session_factory(engine)) as session:
        return dict(session.execute(select(Reminder.id, Reminder.state).where(Reminder.id.in_(ids))).all())  # type: ignore[arg-type]


def posts_per_reminder(emulator: Emulator, channel: str) -> dict[int, int]:
    counts: dict[int, int] = {}
    for message in emulator.ws.messages.get(channel, []):
        meta = message.metadata or {}
        if meta.get("event_type") == "cat_reminder":
            rid = int(meta["event_payload"]["reminder_id"])
            counts[rid] = counts.get(rid, 0) + 1
    return counts


__all__ = ["Processes", "active_cat", "add_reminders", "get_json", "posts_per_reminder", "reminder_states",
           "wait_for"]
