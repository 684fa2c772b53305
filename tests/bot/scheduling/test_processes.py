"""Real `catbot` processes on PostgreSQL: restarts, a killed leader, twin bots, SIGTERM mid-activation."""

from __future__ import annotations

import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from bot.scheduling.leader import leader_present
from tests.bot.scheduling.conftest import (
    Processes,
    active_cat,
    add_reminders,
    get_json,
    posts_per_reminder,
    reminder_states,
    wait_for,
)
from tests.slack.app.test_serve import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(120)]


def now() -> datetime:
    return datetime.now(UTC)


def scheduler(processes: Processes) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = processes.start("scheduler", "--http-port", str(port))
    return process, f"http://127.0.0.1:{port}/healthz"


def role(url: str) -> str | None:
    health = get_json(url)
    return health["scheduler"]["role"] if health else None


def test_a_reminder_scheduled_before_a_restart_fires_once_after_it(processes: Processes) -> None:
    engine, emulator = processes.engine, processes.emulator
    cat_id, channel = active_cat(engine, emulator, now)
    first, url = scheduler(processes)
    wait_for(lambda: role(url) == "leader", what="the first scheduler to lead", timeout=30)
    [reminder] = add_reminders(engine, cat_id, [now() + timedelta(seconds=4)])
    assert processes.stop(first) == 0  # SIGTERM: a clean exit, leadership released
    assert not leader_present(engine)
    assert reminder_states(engine, [reminder]) == {reminder: "scheduled"}

    time.sleep(max(0.0, 4.5 - 1.0))  # the reminder falls due while no scheduler runs
    second, url = scheduler(processes)
    wait_for(lambda: reminder_states(engine, [reminder])[reminder] == "fired", what="the reminder fired", timeout=30)
    wait_for(lambda: posts_per_reminder(emulator, channel).get(reminder), what="its message", timeout=10)
    time.sleep(2.5)  # a few more reminder runs: nothing is posted twice
    assert posts_per_reminder(emulator, channel) == {reminder: 1}
    assert processes.stop(second) == 0


def test_killing_the_leader_hands_over_without_losing_or_doubling(processes: Processes) -> None:
    engine, emulator = processes.engine, processes.emulator
    cat_id, channel = active_cat(engine, emulator, now)
    a, url_a = scheduler(processes)
    wait_for(lambda: role(url_a) == "leader", what="a leader", timeout=30)
    b, url_b = scheduler(processes)
    wait_for(lambda: role(url_b) == "standby", what="a standby", timeout=30)
    start = now()
    reminders = add_reminders(engine, cat_id, [start + timedelta(seconds=s) for s in (1, 2, 5, 6, 7, 8)])
    wait_for(lambda: list(reminder_states(engine, reminders).values()).count("fired") >= 2,
             what="the leader firing the first reminders", timeout=30)
    a.send_signal(signal.SIGKILL)
    a.wait(timeout=10)
    wait_for(lambda: role(url_b) == "leader", what="the standby taking over", timeout=30)
    wait_for(lambda: set(reminder_states(engine, reminders).values()) == {"fired"}, what="every reminder fired",
             timeout=40)
    wait_for(lambda: len(posts_per_reminder(emulator, channel)) == len(reminders), what="every message", timeout=40)
    time.sleep(2)
    assert posts_per_reminder(emulator, channel) == {r: 1 for r in reminders}
    with engine.connect() as connection:
        jobs = set(connection.execute(text("SELECT id FROM apscheduler_jobs")).scalars())
    assert jobs == {"reminders", "feeds", "digest", "retention", "resume"}
    assert processes.stop(b) == 0
