"""Fixtures for the monitors: a private SQLite database with the monitor tables, a frozen clock, fixture feeds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from monitors.models import metadata
from tests.conftest import POSTGRES_URL, SKIP_POSTGRES_REASON, postgres_engine

FEEDS = Path(__file__).resolve().parents[1] / "data" / "feeds"
NOW = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)


def _session_on(engine: Engine) -> Iterator[Session]:
    metadata.create_all(engine)
    with Session(engine) as session:
        yield session


@pytest.fixture
def sqlite_monitor_session(tmp_path: Path) -> Iterator[Session]:
    """A session on a fresh SQLite file with only the monitor tables (the test commits or not)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'monitors.sqlite3'}")
    yield from _session_on(engine)
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def monitor_session(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Session]:
    """A session with the monitor tables on each backend (PostgreSQL skipped with a reason when not configured)."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'monitors.sqlite3'}")
        yield from _session_on(engine)
        engine.dispose()
        return
    if not POSTGRES_URL:
        pytest.skip(SKIP_POSTGRES_REASON)
    for engine in postgres_engine():
        yield from _session_on(engine)
