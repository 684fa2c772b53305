"""Persisted reminders: claim exactly once, cancel when moot, snooze and dismiss, and the update cadence."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.cat.membership import open_gaps, require_writer
from bot.cat.models import Cat, CatStatus, Reminder, ReminderState, Statement, StatementState
from bot.errors import InvalidState, NotFound
from bot.organisation.model import Organisation, Person

SCHEDULED, FIRED, CANCELLED = (s.value for s in ReminderState)
CADENCE_PREFIX = "update_"  # one reminder kind per audience: update_press, update_internal, …
# Audiences of the update cadence, with how a reminder names them.
AUDIENCES = {"press": "de pers", "internal": "de eigen organisatie (intern)", "units": "de betrokken eenheden",
             "leadership": "de korpsleiding en politiechef(s)"}
SNOOZE_CHOICES = (30, 60, 120)


def cadence_kind(audience: str) -> str:
    return f"{CADENCE_PREFIX}{audience}"


def is_cadence(kind: str) -> bool:
    return kind.startswith(CADENCE_PREFIX) and kind.removeprefix(CADENCE_PREFIX) in AUDIENCES
# A fired reminder whose message was not recorded this long after the claim lost its poster (a crash).
ORPHAN_AFTER = timedelta(seconds=30)


def due_ids(session: Session, now: datetime, *, limit: int = 100) -> list[int]:
    """Scheduled reminders that are due, oldest first."""
    query = (select(Reminder.id).where(Reminder.state == SCHEDULED, Reminder.due_at <= now)
             .order_by(Reminder.due_at, Reminder.id).limit(limit))
    return list(session.scalars(query))


def claim(session: Session, reminder_id: int, now: datetime) -> Reminder | None:
    """Mark one reminder fired if it is still scheduled; of two racing claimers exactly one gets it.

    The caller commits before posting, so a crash after the commit leaves a fired reminder without a
    message (`orphans` finds it), never a second message.
    """
    won = session.execute(update(Reminder).where(Reminder.id == reminder_id, Reminder.state == SCHEDULED)
                          .values(state=FIRED, fired_at=now).execution_options(synchronize_session=False))
    if won.rowcount != 1:  # type: ignore[attr-defined]
        return None
    reminder = session.get(Reminder, reminder_id, populate_existing=True)
    assert reminder is not None
    reminder.payload = {**reminder.payload, "round": int(reminder.payload.get("round", 0)) + 1, "posted": None}
    return reminder


def moot_reason(session: Session, reminder: Reminder, cat: Cat) -> str | None:
    """Why a due reminder should not fire any more, or None."""
    if cat.status == CatStatus.CLOSED.value and reminder.kind != "follow_up_outcome":
        return "CAT gesloten"
    if reminder.kind == "no_statement" and (cat.first_statement_published_at is not None or session.scalar(
            select(Statement.id).where(Statement.cat_id == cat.id,
                                       Statement.state == StatementState.PUBLISHED.value).limit(1))):
        return "normstelling gepubliceerd"
    if reminder.kind == "gap_escalation" and reminder.payload.get("gap") not in {g.key for g in open_gaps(cat)}:
        return "gat gedicht"
    return None


def cancel(reminder: Reminder, now: datetime) -> None:
    reminder.state, reminder.cancelled_at = CANCELLED, now


def mark_posted(session: Session, reminder_id: int, channel: str, ts: str) -> None:
    """Record where the reminder's message went (its buttons refer back to the reminder)."""
    reminder = session.get(Reminder, reminder_id)
    if reminder is not None:
        reminder.payload = {**reminder.payload, "posted": {"channel": channel, "ts": ts}}


def orphans(session: Session, now: datetime) -> list[Reminder]:
    """Fired reminders whose message was never recorded (the poster died between claim and post)."""
    recent = session.scalars(select(Reminder).where(Reminder.state == FIRED,
                                                    Reminder.fired_at >= now - timedelta(days=1),
                                                    Reminder.fired_at <= now - ORPHAN_AFTER))
    return [r for r in recent if "posted" in r.payload and not r.payload["posted"]]


def _owned(session: Session, org: Organisation, reminder_id: int, actor: Person) -> Reminder:
    reminder = session.get(Reminder, reminder_id)
    if reminder is None:
        raise NotFound("deze herinnering bestaat niet (meer)")
    cat = session.get(Cat, reminder.cat_id)
    assert cat is not None
    require_writer(org, cat, actor)
    return reminder


def snooze(session: Session, org: Organisation, reminder_id: int, *, actor: Person, minutes: int,
           now: datetime) -> Reminder:
    """Fire the reminder again after `minutes`; only a fired reminder can be snoozed, and only once per round."""
    reminder = _owned(session, org, reminder_id, actor)
    moved = session.execute(update(Reminder).where(Reminder.id == reminder_id, Reminder.state == FIRED)
                            .values(state=SCHEDULED, due_at=now + timedelta(minutes=minutes))
                            .execution_options(synchronize_session=False))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidState("deze herinnering is al uitgesteld, genegeerd of vervallen")
    session.refresh(reminder)
    reminder.payload = {**reminder.payload, "snoozed_by": actor.id}
    return reminder


def dismiss(session: Session, org: Organisation, reminder_id: int, *, actor: Person, now: datetime) -> Reminder:
    """Stop the reminder (a cadence stops for that audience); it keeps `fired_at` so it shows it did fire."""
    reminder = _owned(session, org, reminder_id, actor)
    stopped = session.execute(update(Reminder).where(Reminder.id == reminder_id,
                                                     Reminder.state.in_((FIRED, SCHEDULED)))
                              .values(state=CANCELLED, cancelled_at=now).execution_options(synchronize_session=False))
    if stopped.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidState("deze herinnering is al genegeerd of vervallen")
    session.refresh(reminder)
    reminder.payload = {**reminder.payload, "dismissed_by": actor.id}
    if is_cadence(reminder.kind):  # the next round of this audience, if already planned, goes too
        prefix = reminder.key.rsplit(":", 1)[0] + ":"
        session.execute(update(Reminder).where(Reminder.cat_id == reminder.cat_id, Reminder.state == SCHEDULED,
                                               Reminder.key.startswith(prefix))
                        .values(state=CANCELLED, cancelled_at=now).execution_options(synchronize_session=False))
    return reminder


def ensure_cadence(session: Session, cat: Cat, intervals: Mapping[str, int], now: datetime) -> list[Reminder]:
    """Keep one upcoming update reminder per audience: the next round follows the last one that fired.

    Keys carry the round number, so a second scheduler (or a retry) cannot add the same round twice.
    A dismissed (cancelled) round ends that audience's cadence; audiences with interval 0 are off.
    """
    created = []
    for audience, minutes in intervals.items():
        if minutes <= 0:
            continue
        prefix = f"{cat.number}:update:{audience}:"
        latest = session.scalar(select(Reminder).where(Reminder.cat_id == cat.id,
                                                       Reminder.kind == cadence_kind(audience))
                                .order_by(Reminder.id.desc()).limit(1))
        if latest is not None and latest.state != FIRED:
            continue  # scheduled (waiting) or cancelled (dismissed): nothing to add
        number = int(latest.key.rsplit(":", 1)[1]) + 1 if latest else 1
        start = (latest.fired_at or now) if latest else cat.activated_at
        reminder = Reminder(cat_id=cat.id, kind=cadence_kind(audience), key=f"{prefix}{number}",
                            due_at=start + timedelta(minutes=minutes), state=SCHEDULED, created_at=now,
                            payload={"audience": audience})
        try:
            with session.begin_nested():
                session.add(reminder)
        except IntegrityError:
            continue
        created.append(reminder)
    return created
