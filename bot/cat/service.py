"""Looking up CATs and writing notes, decisions and media links to their timeline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cat import requests, timeline
from bot.cat.membership import require_open, require_writer
from bot.cat.models import Cat, CatStatus, TimelineEvent
from bot.cat.text import require_storable
from bot.cat.timeline import EventKind
from bot.errors import InvalidInput, NotFound
from bot.localtime import fmt
from bot.organisation.model import Organisation, Person


def get_cat(session: Session, ref: str | int) -> Cat:
    """A CAT by number (CAT-2026-007, case-insensitive), by database id, or by its channel id."""
    text = str(ref).strip()
    cat = None
    if text.isdigit():
        cat = session.get(Cat, int(text))
    elif text.upper().startswith("CAT-"):
        cat = session.scalar(select(Cat).where(Cat.number == text.upper()))
    else:
        cat = session.scalar(select(Cat).where(Cat.channel_id == text))
    if cat is None:
        raise NotFound(f"CAT '{text}' bestaat niet")
    return cat


def cat_for_channel(session: Session, channel_id: str) -> Cat | None:
    return session.scalar(select(Cat).where(Cat.channel_id == channel_id))


def list_cats(session: Session, *, include_closed: bool = True) -> list[Cat]:
    query = select(Cat).order_by(Cat.id.desc())
    if not include_closed:
        query = query.where(Cat.status != CatStatus.CLOSED.value)
    return list(session.scalars(query))


def record(session: Session, org: Organisation, cat: Cat, kind: EventKind, *, actor: Person, text: str,
           now: datetime, occurred_at: datetime | None = None, source_url: str | None = None,
           natural_key: str | None = None) -> tuple[TimelineEvent, bool]:
    """A member writes a note, decision or media link; the original time is kept apart from now."""
    if kind not in (EventKind.NOTE, EventKind.DECISION, EventKind.MEDIA_LINKED):
        raise ValueError(f"record() does not write {kind}")
    require_open(cat)
    require_writer(org, cat, actor)
    require_storable(tekst=text, link=source_url)
    if not text.strip():
        raise InvalidInput("lege tekst: schrijf op wat er gebeurde of besloten is")
    if source_url is not None:
        source_url = requests.require_web_link(source_url.strip())
    if occurred_at is not None and occurred_at > now:
        raise InvalidInput(f"het tijdstip {fmt(occurred_at)} (Nederlandse tijd) ligt in de toekomst")
    return timeline.append(session, cat, kind, text=text.strip(), recorded_at=now, occurred_at=occurred_at,
                           actor_id=actor.id, source_url=source_url, natural_key=natural_key)
