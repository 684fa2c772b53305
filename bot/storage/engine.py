"""Engine and session factory; SQLite gets WAL mode and foreign keys."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
_open = threading.local()  # per thread: how many database transactions are open right now
# Network calls made while a transaction was open (a defect; tests fail on it); bounded for long-running services.
IO_IN_TRANSACTION: deque[str] = deque(maxlen=100)


def _track_transactions(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _began(_connection):  # type: ignore[no-untyped-def]
        _open.depth = getattr(_open, "depth", 0) + 1

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _ended(_connection):  # type: ignore[no-untyped-def]
        _open.depth = max(getattr(_open, "depth", 0) - 1, 0)


def outside_transaction(what: str) -> None:
    """Call before network I/O (every Slack Web API call does): an open transaction would hold its locks
    (on SQLite: the database's one write lock) for as long as the other side takes to answer.

    The call is logged as an error and remembered; the test suite fails on any.
    """
    if getattr(_open, "depth", 0) > 0:
        IO_IN_TRANSACTION.append(what)
        log.error("network call %s made while a database transaction is open", what)


def make_engine(url: str) -> Engine:
    """Create an engine; for SQLite, make the parent directory and switch on WAL and foreign keys.

    Statement parameters are hidden from error messages, so a logged database error never carries
    timeline texts or names.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            # SQLAlchemy, not the driver, starts transactions (see _begin_immediate); savepoints keep working.
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin_immediate(connection):  # type: ignore[no-untyped-def]
            # SQLite has no row locks: take the write lock up front so read-then-write (the timeline's
            # tail, a request's state) serialises between threads instead of failing on commit.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    else:
        engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    _track_transactions(engine)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Session factory; sessions do not expire objects on commit so the edge can render them."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any exception (the edge owns this)."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
