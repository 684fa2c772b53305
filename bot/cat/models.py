"""Tables of the CAT domain. Cross-package references (people, units) are plain ids."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.base import Base


class RequestState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


REQUEST_STATE_LABELS = {
    RequestState.PENDING: "wacht op besluit",
    RequestState.APPROVED: "goedgekeurd",
    RequestState.DECLINED: "afgewezen",
    RequestState.WITHDRAWN: "ingetrokken",
    RequestState.EXPIRED: "verlopen",
}


class Urgency(StrEnum):
    NORMAAL = "normaal"
    HOOG = "hoog"
    ACUUT = "acuut"


class CatStatus(StrEnum):
    ACTIVATING = "activating"
    ACTIVE = "active"
    CLOSED = "closed"


CAT_STATUS_LABELS = {CatStatus.ACTIVATING: "wordt opgestart", CatStatus.ACTIVE: "actief", CatStatus.CLOSED: "gesloten"}


class AdviceStatus(StrEnum):
    GIVEN = "given"
    ADOPTED = "adopted"
    PARTIALLY_ADOPTED = "partially_adopted"
    NOT_ADOPTED = "not_adopted"


ADVICE_STATUS_LABELS = {
    AdviceStatus.GIVEN: "uitgebracht",
    AdviceStatus.ADOPTED: "overgenomen",
    AdviceStatus.PARTIALLY_ADOPTED: "deels overgenomen",
    AdviceStatus.NOT_ADOPTED: "niet overgenomen",
}


class ReminderState(StrEnum):
    SCHEDULED = "scheduled"
    FIRED = "fired"
    CANCELLED = "cancelled"


class RedButtonRequest(Base):
    """A request to the director to press the red button."""

    __tablename__ = "cat_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    units: Mapped[list[str]] = mapped_column(JSON)
    categories: Mapped[list[str]] = mapped_column(JSON)
    links: Mapped[list[str]] = mapped_column(JSON)
    urgency: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), index=True)
    # Same units + categories; set only while pending, so the unique index allows one pending duplicate.
    pending_key: Mapped[str | None] = mapped_column(String(400), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(Text)


class Cat(Base):
    """A Communicatie-advies-team, from activation to closing."""

    __tablename__ = "cats"
    __table_args__ = (UniqueConstraint("year", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    units: Mapped[list[str]] = mapped_column(JSON)
    categories: Mapped[list[str]] = mapped_column(JSON)
    links: Mapped[list[str]] = mapped_column(JSON)
    advice_recipients: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("cat_requests.id"), unique=True)
    activated_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime]
    activated_at: Mapped[datetime]
    team_complete_at: Mapped[datetime | None]
    first_statement_published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(64))
    evaluation_went_well: Mapped[str | None] = mapped_column(Text)
    evaluation_to_learn: Mapped[str | None] = mapped_column(Text)
    channel_id: Mapped[str | None] = mapped_column(String(32), index=True)
    channel_name: Mapped[str | None] = mapped_column(String(80))
    kickoff_ts: Mapped[str | None] = mapped_column(String(32))

    members: Mapped[list[CatMember]] = relationship(order_by="CatMember.id", lazy="selectin")
    gaps: Mapped[list[CoverageGap]] = relationship(order_by="CoverageGap.id", lazy="selectin")


class CatMember(Base):
    """A person on the team, with the reason they were added."""

    __tablename__ = "cat_members"
    __table_args__ = (UniqueConstraint("cat_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cat_id: Mapped[int] = mapped_column(ForeignKey("cats.id"), index=True)
    person_id: Mapped[str] = mapped_column(String(64))
    party_code: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime]
    added_by: Mapped[str | None] = mapped_column(String(64))
    left_at: Mapped[datetime | None]


class CoverageGap(Base):
    """A seat on the team that could not be filled, reported in words."""

    __tablename__ = "cat_gaps"
    __table_args__ = (UniqueConstraint("cat_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cat_id: Mapped[int] = mapped_column(ForeignKey("cats.id"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    message: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(64))


class SagaStep(Base):
    """A completed step of a CAT's activation saga; its presence makes the step a no-op on re-run."""

    __tablename__ = "cat_saga_steps"

    cat_id: Mapped[int] = mapped_column(ForeignKey("cats.id"), primary_key=True)
    step: Mapped[str] = mapped_column(String(32), primary_key=True)
    completed_at: Mapped[datetime]
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


class SagaEffect(Base):
    """One external effect of an activation: its intent is committed before the call, its outcome after.

    A resumed saga finds what an interrupted call already made through this record (the channel id, the
    uploaded document's link) instead of making it again.
    """

    __tablename__ = "cat_saga_effects"

    cat_id: Mapped[int] = mapped_column(ForeignKey("cats.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))  # "started" (intent) or "done" (outcome in data)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class CatNumberCounter(Base):
    """The last CAT sequence number handed out per year; incremented under its row lock, so numbers never collide."""

    __tablename__ = "cat_number_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer)


class TimelineEvent(Base):
    """One entry of a CAT's append-only, hash-chained timeline. Never updated, never deleted."""

    __tablename__ = "cat_timeline_events"
    __table_args__ = (UniqueConstraint("cat_id", "seq"), UniqueConstraint("cat_id", "natural_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cat_id: Mapped[int] = mapped_column(ForeignKey("cats.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    natural_key: Mapped[str | None] = mapped_column(String(200))
    content_digest: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    content: Mapped[TimelineContent | None] = relationship(lazy="joined", back_populates="event", passive_deletes="all")


class TimelineContent(Base):
    """The personal part of a timeline event (actor, text, link, data); the retention purge removes it.

    The event keeps `content_digest`, so the hash chain stays verifiable after the purge.
    """

    __tablename__ = "cat_timeline_content"

    event_id: Mapped[int] = mapped_column(ForeignKey("cat_timeline_events.id"), primary_key=True)
    actor_id: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(1000))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)

    event: Mapped[TimelineEvent] = relationship(back_populates="content")


class Advice(Base):
    """The CAT's advice to a politiechef or the korpsleiding, with the response."""

    __tablename__ = "cat_advice"

    id: Mapped[int] = mapped_column(primary_key=True)
    cat_id: Mapped[int] = mapped_column(ForeignKey("cats.id"), index=True)
    recipient_kind: Mapped[str] = mapped_column(String(16))
    recipient_unit: Mapped[str | None] = mapped_column(String(8))
    recipient_person_id: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    given_by: Mapped[str] = mapped_column(String(64))
    given_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(24))
    response: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None]
    responded_by: Mapped[str | None] = mapped_column(String(64))


class StatementState(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    PUBLISHED = "published"


class Statement(Base):
    """One version of a norm statement inside a CAT: draft → approved (four eyes) → published."""

    __tablename__ = "cat_statements"
    __table_args__ = (UniqueConstraint("cat_id", "category", "phase", "channel", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cat_id: Mapped[int] = mapped_column(ForeignKey("cats.id"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    phase: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    published_via: Mapped[str | None] = mapped_column(String(64))


class Reminder(Base):
    """A persisted reminder; the scheduler fires each exactly once, or it is cancelled when moot."""

    __tablename__ = "cat_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    cat_id: Mapped[int] = mapped_column(ForeignKey("cats.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200), unique=True)
    due_at: Mapped[datetime] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    fired_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


@event.listens_for(TimelineEvent, "before_update")
@event.listens_for(TimelineEvent, "before_delete")
def _timeline_is_append_only(_mapper: Any, _connection: Any, target: TimelineEvent) -> None:
    raise RuntimeError(f"timeline event {target.id} is append-only: it cannot be changed or deleted")
