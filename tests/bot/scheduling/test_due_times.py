"""Reminders fall due at exactly the configured minute: not a second early, not a minute late."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cat.activation import SagaContext
from bot.cat.models import Cat, Reminder
from bot.organisation.model import Organisation
from bot.scheduling import reminders
from tests.bot.conftest import Clock, activate


def test_no_statement_reminder_is_due_at_sixty_minutes_exactly(tx, org: Organisation, clock: Clock,  # type: ignore[no-untyped-def]
                                                               saga_ctx: SagaContext) -> None:
    cat_id = activate(tx, org, clock, saga_ctx)
    with tx() as session:
        session: Session
        cat = session.get(Cat, cat_id)
        assert cat is not None
        reminder = session.scalars(select(Reminder).where(Reminder.cat_id == cat_id,
                                                          Reminder.kind == "no_statement")).one()
        assert reminder.due_at - cat.activated_at == timedelta(minutes=60)
        just_before = cat.activated_at + timedelta(minutes=59, seconds=59)
        assert reminder.id not in reminders.due_ids(session, just_before)
        assert reminder.id in reminders.due_ids(session, cat.activated_at + timedelta(minutes=60))


def test_the_default_first_statement_deadline_is_the_memos_sixty_minutes() -> None:
    from bot.settings import Settings

    assert Settings().first_statement_minutes == 60
