"""The CAT timeline: append-only, hash-chained events with original timestamps, and their verification."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.cat.models import Cat, TimelineContent, TimelineEvent
from bot.cat.text import require_storable
from bot.errors import InvalidInput

GENESIS = "0" * 64


class EventKind(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"
    ACTIVATED = "activated"
    CHANNEL_CREATED = "channel_created"
    MEMBER_ADDED = "member_added"
    MEMBER_LEFT = "member_left"
    GAP_REPORTED = "gap_reported"
    GAP_RESOLVED = "gap_resolved"
    NOTE = "note"
    DECISION = "decision"
    ADVICE_GIVEN = "advice_given"
    ADVICE_RESPONSE = "advice_response"
    MEDIA_LINKED = "media_linked"
    STATEMENT_DRAFTED = "statement_drafted"
    STATEMENT_APPROVED = "statement_approved"
    STATEMENT_PUBLISHED = "statement_published"
    REMINDER = "reminder"
    CLOSED = "closed"
    FOLLOW_UP = "follow_up"


EVENT_LABELS = {
    EventKind.REQUESTED: "rode knop aangevraagd",
    EventKind.APPROVED: "rode knop ingedrukt",
    EventKind.DECLINED: "aanvraag afgewezen",
    EventKind.ACTIVATED: "CAT geactiveerd",
    EventKind.CHANNEL_CREATED: "kanaal aangemaakt",
    EventKind.MEMBER_ADDED: "lid toegevoegd",
    EventKind.MEMBER_LEFT: "lid vertrokken",
    EventKind.GAP_REPORTED: "gat in de bezetting",
    EventKind.GAP_RESOLVED: "gat gedicht",
    EventKind.NOTE: "notitie",
    EventKind.DECISION: "besluit",
    EventKind.ADVICE_GIVEN: "advies uitgebracht",
    EventKind.ADVICE_RESPONSE: "reactie op advies",
    EventKind.MEDIA_LINKED: "media gekoppeld",
    EventKind.STATEMENT_DRAFTED: "concept normstelling",
    EventKind.STATEMENT_APPROVED: "normstelling goedgekeurd",
    EventKind.STATEMENT_PUBLISHED: "normstelling gepubliceerd",
    EventKind.REMINDER: "herinnering",
    EventKind.CLOSED: "CAT gesloten",
    EventKind.FOLLOW_UP: "opvolging",
}

MAX_TEXT = 40_000


def _canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def content_digest(actor_id: str | None, text: str, source_url: str | None, data: dict[str, Any]) -> str:
    """Digest of an event's personal content; kept on the event when the content itself is purged."""
    payload = {"actor": actor_id, "text": text, "source_url": source_url, "data": data}
    return hashlib.sha256(_canonical(payload)).hexdigest()


def chain_hash(event: TimelineEvent) -> str:
    """The event's hash over its own fields, its content digest and the previous event's hash."""
    payload = {
        "cat": event.cat_id,
        "seq": event.seq,
        "kind": event.kind,
        "occurred_at": _iso(event.occurred_at),
        "recorded_at": _iso(event.recorded_at),
        "natural_key": event.natural_key,
        "content_digest": event.content_digest,
        "prev": event.prev_hash,
    }
    return hashlib.sha256(_canonical(payload)).hexdigest()


def append(
    session: Session,
    cat: Cat,
    kind: EventKind,
    *,
    text: str,
    recorded_at: datetime,
    occurred_at: datetime | None = None,
    actor_id: str | None = None,
    source_url: str | None = None,
    data: dict[str, Any] | None = None,
    natural_key: str | None = None,
) -> tuple[TimelineEvent, bool]:
    """Append an event; with a natural key already on the timeline, return that event and False."""
    require_storable(tekst=text, link=source_url)  # the last line of defence for every writer
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"tekst te lang voor de tijdlijn ({len(text)} tekens, maximaal {MAX_TEXT})")
    lock_cat(session, cat.id)  # concurrent appends serialise on the chain's tail
    if natural_key is not None:
        existing = _by_natural_key(session, cat, natural_key)
        if existing is not None:
            return existing, False
    last = session.scalar(
        select(TimelineEvent).where(TimelineEvent.cat_id == cat.id).order_by(TimelineEvent.seq.desc()).limit(1)
    )
    data = data or {}
    event = TimelineEvent(
        cat_id=cat.id,
        seq=(last.seq + 1) if last else 1,
        kind=kind.value,
        occurred_at=occurred_at or recorded_at,
        recorded_at=recorded_at,
        natural_key=natural_key,
        content_digest=content_digest(actor_id, text, source_url, data),
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = chain_hash(event)
    event.content = TimelineContent(actor_id=actor_id, text=text, source_url=source_url, data=data)
    try:
        with session.begin_nested():  # SQLite has no row lock: a concurrent twin may win the race
            session.add(event)
    except IntegrityError:
        twin = _by_natural_key(session, cat, natural_key) if natural_key is not None else None
        if twin is None:
            raise
        return twin, False
    return event, True


def lock_cat(session: Session, cat_id: int) -> None:
    """Hold the CAT's row lock until the transaction ends (PostgreSQL; SQLite serialises writers already)."""
    session.execute(select(Cat.id).where(Cat.id == cat_id).with_for_update())


def _by_natural_key(session: Session, cat: Cat, natural_key: str) -> TimelineEvent | None:
    return session.scalar(
        select(TimelineEvent).where(TimelineEvent.cat_id == cat.id, TimelineEvent.natural_key == natural_key)
    )


def events(session: Session, cat: Cat) -> list[TimelineEvent]:
    """All events of a CAT in append order."""
    query = select(TimelineEvent).where(TimelineEvent.cat_id == cat.id).order_by(TimelineEvent.seq)
    return list(session.scalars(query))


def last_activity(session: Session, cat: Cat) -> datetime | None:
    return session.scalar(select(func.max(TimelineEvent.recorded_at)).where(TimelineEvent.cat_id == cat.id))


@dataclass(frozen=True)
class Verification:
    """Outcome of checking a timeline's hash chain."""

    ok: bool
    events: int
    purged: int
    problems: list[str]


def verify(session: Session, cat: Cat) -> Verification:
    """Recompute every digest and hash; report each break in the chain in words."""
    problems: list[str] = []
    purged = 0
    prev = GENESIS
    timeline = events(session, cat)
    for expected_seq, event in enumerate(timeline, start=1):
        where = f"gebeurtenis {event.seq} ({event.kind})"
        if event.seq != expected_seq:
            problems.append(f"{where}: volgnummer {expected_seq} ontbreekt")
        if event.prev_hash != prev:
            problems.append(f"{where}: verwijst niet naar de vorige gebeurtenis (ingevoegd of verwijderd)")
        if event.content is None:
            purged += 1
        elif content_digest(event.content.actor_id, event.content.text, event.content.source_url,
                            event.content.data) != event.content_digest:
            problems.append(f"{where}: inhoud is gewijzigd na vastlegging")
        if chain_hash(event) != event.hash:
            problems.append(f"{where}: kenmerken (tijd, soort of volgorde) zijn gewijzigd na vastlegging")
        prev = event.hash
    return Verification(not problems, len(timeline), purged, problems)
