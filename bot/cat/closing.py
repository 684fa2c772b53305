"""Closing a CAT with an evaluation, and scheduling the follow-up on the outcome."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cat import timeline
from bot.cat.membership import require_open, require_writer
from bot.cat.models import Cat, CatStatus, Reminder, ReminderState
from bot.cat.text import require_storable
from bot.cat.timeline import EventKind
from bot.errors import InvalidInput
from bot.organisation.model import Organisation, Person


def close_cat(session: Session, org: Organisation, cat: Cat, *, actor: Person, went_well: str, to_learn: str,
              now: datetime, follow_up_after: timedelta = timedelta(days=14)) -> Reminder:
    """Close with an evaluation; moot reminders are cancelled and the outcome follow-up is scheduled."""
    require_open(cat)
    require_writer(org, cat, actor)
    require_storable(wat_ging_goed=went_well, wat_leren_we=to_learn)
    if not went_well.strip() or not to_learn.strip():
        raise InvalidInput("een evaluatie vraagt om beide: wat ging goed, en wat leren we?")
    cat.status, cat.closed_at, cat.closed_by = CatStatus.CLOSED.value, now, actor.id
    cat.evaluation_went_well, cat.evaluation_to_learn = went_well.strip(), to_learn.strip()
    for reminder in session.scalars(select(Reminder).where(Reminder.cat_id == cat.id,
                                                           Reminder.state == ReminderState.SCHEDULED.value)):
        reminder.state, reminder.cancelled_at = ReminderState.CANCELLED.value, now
    follow_up = Reminder(cat_id=cat.id, kind="follow_up_outcome", key=f"{cat.number}:follow_up_outcome",
                         due_at=now + follow_up_after, state=ReminderState.SCHEDULED.value, created_at=now,
                         payload={"message": "Communiceer de afloop van het onderzoek, ook als er geen "
                                             "verwijtbaar handelen is vastgesteld."})
    session.add(follow_up)
    timeline.append(session, cat, EventKind.CLOSED, recorded_at=now, actor_id=actor.id,
                    text=f"{cat.number} gesloten. Wat ging goed: {cat.evaluation_went_well} "
                         f"Wat leren we: {cat.evaluation_to_learn}",
                    data={"follow_up_due": follow_up.due_at.isoformat()})
    session.flush()
    return follow_up
