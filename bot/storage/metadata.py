"""The metadata Alembic compares against: importing this module imports every package's models."""

from __future__ import annotations

import bot.cat.models  # noqa: F401  (registers tables)
import bot.organisation.models  # noqa: F401
import bot.slack.models  # noqa: F401
from bot.storage.base import Base

target_metadata = Base.metadata
