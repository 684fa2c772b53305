"""kill -9 of `catbot serve` at every step of an activation, then a restart: nothing is made twice, nobody is
told twice, and every copy of the request card shows the decision (SQLite, and PostgreSQL when configured).

The process is killed while it waits out a 429 on the step's Slack call, i.e. with the step's intent recorded
and its outcome not; the restart resumes the activation at start-up.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.cat import activation, service
from bot.slack.emulator import Emulator
from bot.storage.engine import make_session_factory
from tests.bot.scheduling.conftest import Processes, wait_for
from tests.bot.scheduling.test_processes import bot, world_for
from tests.slack.app.test_red_button_flow import approve, request_red_button

pytestmark = [pytest.mark.slow, pytest.mark.timeout(150)]

# The Slack call each step waits on when it is killed (in the order the saga makes them).
KILL_POINTS = [
    ("channel: before create", "conversations.create"),
    ("channel: created, purpose not yet set", "conversations.setPurpose"),
    ("invite", "conversations.invite"),
    ("announce: kickoff", "chat.postMessage"),
    ("announce: pin", "pins.add"),
    ("announce: upload", "files.completeUploadExternal"),
    ("announce: bookmark", "bookmarks.add"),
    ("drafts: kickoff update", "chat.update"),
    ("notify: requester", "conversations.open"),
]


@pytest.fixture
def database(migrated_any_engine: Engine) -> Engine:
    """The bot's database on each backend, migrated (the processes share it)."""
    return migrated_any_engine


@pytest.fixture
def procs(database: Engine, emulator: Emulator, tmp_path: Path) -> Iterator[Processes]:
    found = Processes(database, emulator, tmp_path)
    try:
        yield found
    finally:
        found.close()


def finished(engine: Engine) -> bool:
    with make_session_factory(engine)() as session:
        cats = service.list_cats(session)
        return len(cats) == 1 and not activation.pending_steps(session, cats[0])


@pytest.mark.parametrize(("where", "method"), KILL_POINTS, ids=[w for w, _ in KILL_POINTS])
def test_kill_9_at_every_step_then_restart_makes_everything_exactly_once(procs: Processes, where: str,
                                                                        method: str) -> None:
    emulator, org_channel = procs.emulator, None
    world = world_for(procs, "http://unused")
    directors = [world.uid(p) for p in ("dir-directeur", "dir-plv-directeur")]
    org_channel = emulator.add_channel("communicatie-leads", [*directors, emulator.bot_user_id], is_private=True)
    extra = {"CATBOT_REQUESTS_CHANNEL": org_channel}
    first, base = bot_with(procs, extra)
    world = world_for(procs, base)
    request_red_button(world)
    cards = lambda: [m for c in emulator.ws.channels.values() for m in emulator.ws.messages.get(c.id, [])  # noqa: E731
                     if m.text.startswith("Verzoek rode knop")]
    wait_for(lambda: len(cards()) == 3, what="the card in both directors' DMs and the leads channel", timeout=30)

    emulator.inject_fault(method, count=1, retry_after=30)
    approve(world)
    wait_for(lambda: [c for c in emulator.calls(method) if c.get("error") == "ratelimited"],
             what=f"the saga waiting on {method} ({where})", timeout=45)
    os.killpg(first.pid, signal.SIGKILL)  # gunicorn's master and its worker: the whole process group
    first.wait(timeout=10)
    assert not finished(procs.engine)

    restarted, _ = bot_with(procs, extra)  # start-up resumes the interrupted activation
    wait_for(lambda: finished(procs.engine), what="the activation finished after the restart", timeout=60)
    channels = [c for c in emulator.ws.channels.values() if (c.name or "").startswith("cat-")]
    assert len(channels) == 1 and channels[0].name.endswith("kopstoot-bij-aanhouding-in-rotterdam")
    channel = channels[0].id
    kickoffs = [m for m in emulator.ws.messages.get(channel, []) if (m.metadata or {}).get("event_type") ==
                "cat_kickoff"]
    assert len(kickoffs) == 1 and "Eerste concepten" in str(kickoffs[0].blocks)
    shared = [f.name for f in emulator.ws.files.values() if f.completed and channel in f.channels]
    assert sorted(shared) == ["playbook-algemeen.md", "playbook-geweld.md", "playbook-onpartijdigheid.md"]
    titles = [b.title for b in emulator.ws.bookmarks.get(channel, [])]
    assert len(titles) == len(set(titles)) == 3
    told = [m for m in world.dm_messages("re07-woordvoerder") if "goedgekeurd" in m.text]
    assert len(told) == 1 and "CAT-2026-001" in told[0].text
    assert len(cards()) == 3 and all("Goedgekeurd door" in str(m.blocks) and "request_approve" not in str(m.blocks)
                                     for m in cards())
    assert procs.stop(restarted) == 0
    world.container.close()


def bot_with(procs: Processes, extra: dict[str, str]):  # type: ignore[no-untyped-def]
    """`catbot serve` with extra settings (the requests channel)."""
    original = procs.start

    def start(*args: str, **more: str):  # type: ignore[no-untyped-def]
        return original(*args, **extra, **more)

    procs.start = start  # type: ignore[method-assign]
    try:
        return bot(procs)
    finally:
        procs.start = original  # type: ignore[method-assign]
