"""The CAT's advice to the politiechef(s) and/or the korpsleiding, and their response."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cat import timeline
from bot.cat.membership import require_open, require_writer
from bot.cat.models import ADVICE_STATUS_LABELS, Advice, AdviceStatus, Cat
from bot.cat.text import require_storable
from bot.cat.timeline import EventKind
from bot.errors import InvalidInput, NotFound
from bot.organisation.model import Organisation, Person
from playbooks.vocabulary import find_unit


def resolve_recipient(cat: Cat, ref: str) -> dict[str, str | None]:
    """Match 'korpsleiding', 'politiechef' (single unit) or 'politiechef:RE07' / 'politiechef:Rotterdam'."""
    kind, _, unit_ref = ref.strip().lower().partition(":")
    options = [r for r in cat.advice_recipients if r["kind"] == kind]
    if unit_ref:
        unit = find_unit(unit_ref)
        options = [r for r in options if unit is not None and r["unit"] == unit.code]
    if len(options) != 1:
        choices = ", ".join(
            r["kind"] + (f":{r['unit']}" if r["unit"] else "") for r in cat.advice_recipients
        )
        raise InvalidInput(f"kies één adviesontvanger van {cat.number}: {choices}")
    return options[0]


def give_advice(session: Session, org: Organisation, cat: Cat, *, actor: Person, recipient: str, text: str,
                now: datetime) -> Advice:
    """Record advice to one of the recipients chosen at activation."""
    require_open(cat)
    require_writer(org, cat, actor)
    require_storable(advies=text)
    if not text.strip():
        raise InvalidInput("het advies is leeg")
    target = resolve_recipient(cat, recipient)
    advice = Advice(cat_id=cat.id, recipient_kind=target["kind"], recipient_unit=target["unit"],
                    recipient_person_id=target["person_id"], text=text.strip(), given_by=actor.id, given_at=now,
                    status=AdviceStatus.GIVEN.value)
    session.add(advice)
    session.flush()
    timeline.append(session, cat, EventKind.ADVICE_GIVEN, recorded_at=now, actor_id=actor.id,
                    text=f"advies aan {target['label']}: {advice.text}",
                    data={"advice_id": advice.id, "recipient": target["label"]})
    return advice


def record_response(session: Session, org: Organisation, cat: Cat, advice_id: int, *, actor: Person,
                    status: str, response: str, now: datetime) -> Advice:
    """Record how the recipient responded to an advice (overgenomen, deels, niet)."""
    require_writer(org, cat, actor)
    require_storable(reactie=response)
    advice = session.get(Advice, advice_id)
    if advice is None or advice.cat_id != cat.id:
        raise NotFound(f"advies {advice_id} hoort niet bij {cat.number}")
    by_label = {label.replace(" ", "_"): s for s, label in ADVICE_STATUS_LABELS.items()}
    chosen = by_label.get(status.strip().lower().replace(" ", "_")) or AdviceStatus.__members__.get(status.upper())
    if chosen is None or chosen is AdviceStatus.GIVEN:
        raise InvalidInput("status moet 'overgenomen', 'deels overgenomen' of 'niet overgenomen' zijn")
    advice.status, advice.response, advice.responded_at, advice.responded_by = (
        chosen.value, response.strip() or None, now, actor.id)
    timeline.append(session, cat, EventKind.ADVICE_RESPONSE, recorded_at=now, actor_id=actor.id,
                    text=f"advies {advice.id} {ADVICE_STATUS_LABELS[chosen]}" + (f": {response.strip()}"
                                                                                  if response.strip() else ""),
                    data={"advice_id": advice.id, "status": chosen.value})
    return advice


def advice_for(session: Session, cat: Cat) -> list[Advice]:
    return list(session.scalars(select(Advice).where(Advice.cat_id == cat.id).order_by(Advice.id)))
