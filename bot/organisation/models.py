"""Tables owned by the organisation package: the e-mail → Slack user id cache."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base


class SlackIdCacheEntry(Base):
    """A resolved (or known-unresolvable) Slack user id for an e-mail address."""

    __tablename__ = "org_slack_id_cache"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    slack_user_id: Mapped[str | None] = mapped_column(String(32), index=True)
    resolved_at: Mapped[datetime]
