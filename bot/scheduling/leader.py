"""Leadership: exactly one active scheduler per database (PostgreSQL advisory lock; a file lock for SQLite)."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)
LOCK_NAME = "catbot-scheduler"
# A killed process closes its socket and the server ends its session at once; a vanished host or a cut network
# would hold the lock until TCP notices. These per-session server settings make that ~11 s instead of hours.
KEEPALIVES = (("tcp_keepalives_idle", 5), ("tcp_keepalives_interval", 2), ("tcp_keepalives_count", 3))


class Leadership(Protocol):
    """Try to become the leader, check it is still held, and let go."""

    def try_acquire(self) -> bool: ...

    def still_held(self) -> bool: ...

    def release(self) -> None: ...


def lock_key(schema: str, name: str = LOCK_NAME) -> int:
    """A signed 64-bit advisory-lock key per database schema (tests run several schemas on one database)."""
    digest = hashlib.sha256(f"{name}:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def current_schema(connection: Connection) -> str:
    return str(connection.execute(text("SELECT current_schema()")).scalar())


def leader_present(engine: Engine) -> bool:
    """Whether any session holds the scheduler lock of this schema (cheap: one look at pg_locks)."""
    with engine.connect() as connection:
        key = lock_key(current_schema(connection))
        found = connection.execute(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
            "AND classid = :high AND objid = :low AND database = (SELECT oid FROM pg_database "
            "WHERE datname = current_database())"), {"high": (key >> 32) & 0xFFFFFFFF, "low": key & 0xFFFFFFFF})
        return bool(found.scalar())


@contextmanager
def exclusive(engine: Engine, name: str) -> Iterator[None]:
    """Across instances, one holder at a time (PostgreSQL advisory lock; SQLite is single-instance)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        key = lock_key(current_schema(connection), name)
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})


_LOCAL_CLAIMS: dict[str, threading.Lock] = {}
_LOCAL_GUARD = threading.Lock()


@contextmanager
def try_exclusive(engine: Engine, name: str) -> Iterator[bool]:
    """Try, without waiting, to be the one holder of `name` across threads, processes and instances.

    Yields False when someone else holds it. Unlike a row lock this holds no transaction open: on PostgreSQL
    it is a session-level advisory lock on a dedicated connection, on SQLite an flock on a file beside the
    database. Either dies with the process, so a killed holder never leaves it taken.
    """
    if engine.dialect.name == "postgresql":
        connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            key = lock_key(current_schema(connection), name)
            won = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
            try:
                yield won
            finally:
                if won:
                    try:
                        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                    except Exception:  # the session is gone, and the lock with it; never pool it again
                        connection.invalidate()
        finally:
            connection.close()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        with _LOCAL_GUARD:
            lock = _LOCAL_CLAIMS.setdefault(name, threading.Lock())
        won = lock.acquire(blocking=False)
        try:
            yield won
        finally:
            if won:
                lock.release()
        return
    path = Path(database).with_name(Path(database).name + ".locks") / f"{name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:  # flock is per open file: threads of one process exclude each other too
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class AdvisoryLeadership:
    """Session-level `pg_try_advisory_lock` on a dedicated connection held for the leader's lifetime.

    The lock dies with the connection: a killed leader's session ends and a standby's next try wins.
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        self._connection: Connection | None = None
        self._key: int | None = None

    def try_acquire(self) -> bool:
        if self._connection is not None:
            return True
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            for name, value in KEEPALIVES:
                connection.execute(text(f"SET {name} = {value}"))
            key = lock_key(current_schema(connection))
            won = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
        except Exception:
            connection.close()
            raise
        if not won:
            connection.close()
            return False
        self._connection, self._key = connection, key
        return True

    def still_held(self) -> bool:
        """A round trip on the lock's own connection; a broken connection means the lock is gone."""
        if self._connection is None:
            return False
        try:
            self._connection.execute(text("SELECT 1"))
            return True
        except Exception:
            log.warning("scheduler lock connection lost; leadership given up")
            self._drop()
            return False

    def release(self) -> None:
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
        except Exception:  # the session is gone, and the lock with it
            log.info("scheduler lock connection already closed")
        self._drop()

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.invalidate()  # never hand a lock-holding session back to the pool
                connection.close()
            except Exception:
                log.debug("closing the lock connection failed", exc_info=True)


class FileLeadership:
    """SQLite is single-host: an exclusive lock on a file next to the database keeps one scheduler."""

    def __init__(self, path: Path):
        self.path = path
        self._handle: IO[str] | None = None

    def try_acquire(self) -> bool:
        if self._handle is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._handle = handle
        return True

    def still_held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def leadership_for(engine: Engine) -> Leadership:
    """Advisory-lock leadership on PostgreSQL; a file lock beside the SQLite database (in-memory: always)."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLeadership(engine)
    database = engine.url.database
    if not database or database == ":memory:":
        return FileLeadership(Path.cwd() / ".catbot-scheduler.lock")
    return FileLeadership(Path(database).with_suffix(".scheduler.lock"))
