"""A person's working copy of a `/norm` draft before it goes to a CAT.

Slack does not send an ephemeral message's content back with a button click, and a button value holds at
most 2,000 characters, so the edited text lives here and the buttons carry its id. Only its owner uses it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.errors import NotFound
from bot.storage.base import Base


class NormDraft(Base):
    """One `/norm` draft of one Slack user: category, phase, channel and the (edited) text."""

    __tablename__ = "slack_norm_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    category: Mapped[str] = mapped_column(String(32))
    phase: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


def create(session: Session, *, user_id: str, category: str, phase: str, channel: str, text: str,
           now: datetime) -> NormDraft:
    draft = NormDraft(user_id=user_id, category=category, phase=phase, channel=channel, text=text, created_at=now,
                      updated_at=now)
    session.add(draft)
    session.flush()
    return draft


def get(session: Session, draft_id: int | str, user_id: str) -> NormDraft:
    """The user's own draft; someone else's (or a removed one) is not found."""
    draft = session.get(NormDraft, int(draft_id))
    if draft is None or draft.user_id != user_id:
        raise NotFound("dit concept is niet (meer) beschikbaar; maak een nieuw met /norm")
    return draft


def purge_older_than(session: Session, cutoff: datetime) -> int:
    """Delete working copies last touched before `cutoff` (for the retention job); returns how many."""
    result = session.execute(delete(NormDraft).where(NormDraft.updated_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
