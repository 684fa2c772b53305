"""Alembic environment: one history for every package's tables."""

from __future__ import annotations

from alembic import context

from bot.scheduling import include_object
from bot.storage.metadata import target_metadata

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # pragma: no cover - only when alembic is run by hand
    from bot.settings import Settings
    from bot.storage.engine import make_engine

    engine = make_engine(Settings().effective_database_url)

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    context.run_migrations()
