"""Fixtures for the monitors: a private SQLite database with the monitor tables, a frozen clock, fixture feeds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from monitors.models import metadata

FEEDS = Path(__file__).resolve().parents[1] / "data" / "feeds"
SHARED = Path(__file__).resolve().parents[3] / "shared"
NOW = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)


@pytest.fixture
def monitor_session(tmp_path: Path) -> Iterator[Session]:
    """A session on a fresh SQLite file with only the monitor tables (the test commits or not)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'monitors.sqlite3'}")
    metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()
