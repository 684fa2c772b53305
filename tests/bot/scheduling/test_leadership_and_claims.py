"""On both backends: racing claimers fire a reminder once; on PostgreSQL one advisory-lock leader at a time."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text

from bot.container import Container
from bot.scheduling.leader import AdvisoryLeadership, current_schema, leader_present, lock_key
from bot.scheduling.reminders import claim
from bot.settings import Settings
from bot.slack.http import create_ops_wsgi
from bot.storage.engine import make_session_factory, transaction
from tests.bot.scheduling.conftest import active_cat, add_reminders
from tests.conftest import POSTGRES_URL, SKIP_POSTGRES_REASON, postgres_engine


def now() -> datetime:
    return datetime.now(UTC)


class NoChannels:
    """Stands in for the emulator when only the database matters."""

    bot_user_id = "U0BOT"

    def add_channel(self, name: str, members: list[str], is_private: bool = False) -> str:
        return f"C-{name}"


def test_racing_claimers_fire_a_reminder_once(migrated_any_engine: Engine) -> None:
    cat_id, _ = active_cat(migrated_any_engine, NoChannels(), now)  # type: ignore[arg-type]
    [reminder] = add_reminders(migrated_any_engine, cat_id, [now() - timedelta(seconds=1)])
    factory = make_session_factory(migrated_any_engine)
    winners: list[bool] = []
    barrier = threading.Barrier(6)

    def claimer() -> None:
        barrier.wait()
        with transaction(factory) as session:
            winners.append(claim(session, reminder, now()) is not None)

    threads = [threading.Thread(target=claimer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(winners) == [False] * 5 + [True]


@pytest.fixture
def pg_engines() -> Iterator[tuple[Engine, Engine]]:
    """Two engines (two 'instances') on the same private schema."""
    if not POSTGRES_URL:
        pytest.skip(SKIP_POSTGRES_REASON)
    from bot.storage.engine import make_engine

    for engine in postgres_engine():
        other = make_engine(engine.url.render_as_string(hide_password=False))
        yield engine, other
        other.dispose()


@pytest.mark.postgres
def test_one_advisory_leader_and_takeover_when_its_session_dies(pg_engines: tuple[Engine, Engine]) -> None:
    first, second = AdvisoryLeadership(pg_engines[0]), AdvisoryLeadership(pg_engines[1])
    assert not leader_present(pg_engines[0])
    assert first.try_acquire() and not second.try_acquire()
    assert leader_present(pg_engines[1]) and first.still_held()
    with pg_engines[1].connect() as connection:  # the leader's session dies (a killed process, a lost network)
        key = lock_key(current_schema(connection))
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                                "AND classid = :high AND objid = :low AND objsubid = 1"),
                           {"high": (key >> 32) & 0xFFFFFFFF, "low": key & 0xFFFFFFFF})
    assert not first.still_held()
    assert second.try_acquire()
    second.release()
    assert not leader_present(pg_engines[0])


def call(wsgi: Any, path: str) -> tuple[str, bytes]:
    answer: dict[str, str] = {}
    body = b"".join(wsgi({"PATH_INFO": path, "REQUEST_METHOD": "GET"},
                         lambda status, headers: answer.setdefault("status", status)))
    return answer["status"], body


def test_health_and_metrics_without_slack(engine: Engine, tmp_path: Any) -> None:
    container = Container(Settings(database_url=str(engine.url)))
    cat_id, _ = active_cat(container.engine, NoChannels(), now)  # type: ignore[arg-type]
    wsgi = create_ops_wsgi(container)
    status, body = call(wsgi, "/healthz")
    health = json.loads(body)
    assert status.startswith("200") and health["database"] == "ok" and health["slack"] == "niet geconfigureerd"
    assert health["scheduler"] == {"role": "niet in dit proces"} and health["last_feed_poll"] is None
    status, body = call(wsgi, "/metrics")
    assert status.startswith("200")
    assert b'catbot_cat_clock_seconds_count{clock="request_to_activation"} 1.0' in body
    assert call(wsgi, "/elders")[0].startswith("404")
    container.close()
