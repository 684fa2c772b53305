"""The metadata Alembic compares against: every package's tables, in one history."""

from __future__ import annotations

from sqlalchemy import MetaData

import bot.cat.models  # noqa: F401  (registers tables)
import bot.organisation.models  # noqa: F401
import bot.slack.models  # noqa: F401
import bot.slack.norm_drafts  # noqa: F401
from bot.storage.base import Base
from monitors.models import MonitorBase

target_metadata: list[MetaData] = [Base.metadata, MonitorBase.metadata]
