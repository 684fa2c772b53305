"""Alembic driven from code: upgrade, current revisions, and the models' metadata for autogenerate.

Several branches may be open at once (parallel work adds revisions off the same parent); `heads`
upgrades them all, and a merge revision joins them when convenient.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic Config pointing at our migrations; an engine, when given, is handed to env.py."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Run migrations up to the given revision (all heads by default)."""
    command.upgrade(alembic_config(engine), revision)


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def ensure_schema(engine: Engine) -> None:
    """Upgrade when the database is behind (cheap when it is current)."""
    if current_revisions(engine) != head_revisions():
        upgrade(engine)


def schema_problem(engine: Engine) -> str | None:
    """Why this database cannot be used as it is (Dutch), or None when it is at the current revision.

    A SQLite file that does not exist is named before connecting, which would create it empty.
    """
    if engine.url.get_backend_name() == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        path = Path(str(engine.url.database))
        if not path.exists():
            return f"het databasebestand {path} bestaat niet (controleer CATBOT_DATABASE_URL)"
    current, heads = current_revisions(engine), head_revisions()
    if current == heads:
        return None
    if not current:
        return "de database is nog leeg"
    have, want = ", ".join(sorted(current)), ", ".join(sorted(heads))
    return f"de database heeft schemarevisie {have}; deze versie verwacht {want}"
