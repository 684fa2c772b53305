"""Real `catbot` processes on PostgreSQL: restarts, a killed leader, twin bots, SIGTERM mid-activation."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from bot.cat import timeline
from bot.cat.activation import SAGA_STEPS
from bot.cat.models import Cat
from bot.container import Container
from bot.organisation.loader import load_organisation
from bot.scheduling.leader import leader_present
from bot.settings import EXAMPLE_ORG_FILE
from tests.bot.scheduling.conftest import (
    Processes,
    active_cat,
    add_reminders,
    get_json,
    posts_per_reminder,
    reminder_states,
    wait_for,
)
from tests.slack.app.conftest import World
from tests.slack.app.test_red_button_flow import approve, request_red_button
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


def bot(processes: Processes) -> tuple[subprocess.Popen[bytes], str]:
    """`catbot serve` (gunicorn) on a free port, answering /healthz; returns the process and its base URL."""
    port = free_port()
    process = processes.start("serve", "--port", str(port), "--threads", "4")
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: get_json(f"{base}/healthz") or process.poll() is not None, what="catbot serve", timeout=60)
    assert process.poll() is None, processes.output(process)
    return process, base


def world_for(processes: Processes, base: str) -> World:
    from bot.settings import Settings

    container = Container(Settings(database_url=processes.engine.url.render_as_string(hide_password=False)))
    return World(processes.emulator, container, load_organisation(EXAMPLE_ORG_FILE),
                 processes.emulator.deliverer(f"{base}/slack/events"), f"{base}/slack/events")


def saga_steps(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM cat_saga_steps")).scalar() or 0)


def cat_rows(engine: Engine) -> list[tuple[str, str | None]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text("SELECT status, channel_id FROM cats"))]  # type: ignore[misc]


def test_two_bot_processes_fed_the_same_event_produce_one_effect(processes: Processes) -> None:
    first, base_1 = bot(processes)
    second, base_2 = bot(processes)
    world = world_for(processes, base_1)
    request_red_button(world)
    approve(world)
    wait_for(lambda: [s for s, _ in cat_rows(processes.engine)] == ["active"], what="the CAT active", timeout=60)
    channel = cat_rows(processes.engine)[0][1]
    assert channel is not None
    member = world.uid("re07-woordvoerder")
    other = processes.emulator.deliverer(f"{base_2}/slack/events")

    # One after the other (a retry reaching the other instance), then both at the same moment.
    ts = processes.emulator.post_user_message(channel, member, "NOS opent met de beelden")
    delivered = world.slack.reaction_added(channel, ts, member, "pushpin")
    assert other.send(delivered.request_body, delivered.content_type).status == 200
    ts_2 = processes.emulator.post_user_message(channel, member, "Ook RTL legt het verband")
    processes.emulator.add_user_reaction(channel, ts_2, member, "pushpin")
    body = json.loads(delivered.request_body)
    body["event_id"], body["event"]["item"]["ts"] = "EvTwinAtOnce", ts_2
    raw = json.dumps(body).encode()
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda d: d.send(raw, delivered.content_type), (world.slack, other)))
    assert [a.status for a in answers] == [200, 200]

    told = lambda: [e for e in processes.emulator.ws.ephemerals if "tijdlijn" in e.text]  # noqa: E731
    wait_for(lambda: len(told()) >= 2, what="the member told once per message", timeout=20)
    time.sleep(1.5)  # anything doubled would arrive now
    assert len(told()) == 2 and not [e for e in told() if "stond al" in e.text]
    with processes.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM cat_timeline_events WHERE kind = 'note'")).scalar() == 2
    world.container.close()


@pytest.mark.parametrize("supervisor_kills", [False, True], ids=["graceful", "killed-after-grace"])
def test_sigterm_in_the_middle_of_an_activation_resumes_cleanly_on_restart(processes: Processes,
                                                                          supervisor_kills: bool) -> None:
    emulator, engine = processes.emulator, processes.engine
    process, base = bot(processes)
    world = world_for(processes, base)
    emulator.inject_fault("conversations.invite", count=1, retry_after=3)  # the saga waits inside "invite"
    request_red_button(world)
    approve(world)
    wait_for(lambda: emulator.calls("conversations.create"), what="the saga creating the channel", timeout=30)
    process.send_signal(signal.SIGTERM)  # while the saga waits for Slack
    if supervisor_kills:  # a supervisor that does not wait out the grace period
        time.sleep(0.3)
        process.kill()
    process.wait(timeout=40)
    with engine.connect() as connection:
        steps = list(connection.execute(text("SELECT step FROM cat_saga_steps")).scalars())
        channel = connection.execute(text("SELECT channel_id FROM cats")).scalar()
    assert steps == list(SAGA_STEPS[: len(steps)]), steps  # a prefix: no step recorded out of order or half
    assert (channel is not None) == ("channel" in steps)
    if not supervisor_kills:
        assert process.returncode == 0 and steps == list(SAGA_STEPS)  # in-flight work finished before exit
    else:
        assert len(steps) < len(SAGA_STEPS)  # really interrupted

    restarted, _ = bot(processes)  # start-up resumes whatever was left
    wait_for(lambda: [s for s, _ in cat_rows(engine)] == ["active"] and saga_steps(engine) == len(SAGA_STEPS),
             what="the activation finished, tail included", timeout=60)
    channel = cat_rows(engine)[0][1]
    kickoffs = [m for m in emulator.ws.messages.get(channel, []) if (m.metadata or {}).get("event_type") == "cat_kickoff"]
    assert len(emulator.calls("conversations.create")) == 1 and len(kickoffs) == 1
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM cat_saga_steps")).scalar() == len(SAGA_STEPS)
        reminders = connection.execute(text("SELECT key FROM cat_reminders")).scalars().all()
        assert len(reminders) == len(set(reminders)) and any(k.endswith(":no_statement") for k in reminders)
        cat = connection.execute(text("SELECT id FROM cats")).scalar()
    with Session(engine) as session:
        assert timeline.verify(session, session.get(Cat, cat)).ok  # type: ignore[arg-type]
    assert processes.stop(restarted) == 0
    world.container.close()
