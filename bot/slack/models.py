"""Tables of the Slack adapter: seen event ids and requests (retries, replays) and messages it updates in place."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base


class SeenEvent(Base):
    """An Events API event_id already handled; Slack retries carry the same id."""

    __tablename__ = "slack_seen_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime]


class SeenRequest(Base):
    """A signed request already let through, keyed by a hash of its timestamp and signature: a replay is dropped."""

    __tablename__ = "slack_seen_requests"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime]


class SlackPost(Base):
    """A message the bot updates in place later (request cards, status posts), by a key of ours."""

    __tablename__ = "slack_posts"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
