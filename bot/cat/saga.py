"""The activation saga's plumbing: short transactions, and external effects recorded as intent, then outcome.

No transaction stays open across a call to the chat platform: a step reads what it needs in one short
transaction, makes its calls with none open, and records the outcome in another. Each call that makes
something (a channel, an uploaded document, a message) goes through `SagaRun.once`, which commits the intent
under a key first; a run resumed after a crash finds an interrupted call's result again (by the channel's
name, the document's file name, the message's metadata) instead of making it a second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.cat import timeline
from bot.cat.models import Cat, SagaEffect
from bot.cat.ports import CatEffects, Drafter
from bot.organisation.directory import UserDirectory
from bot.organisation.model import Organisation

Transaction = Callable[[], AbstractContextManager[Session]]
Outcome = dict[str, Any]


@dataclass
class SagaContext:
    """What the saga steps need besides the database: organisation, ports, clock and timing.

    `notify` is the activation's tail (the request's cards show the decision, the requester is told), run as
    the last step; `claim` makes one runner per CAT across threads, processes and instances.
    """

    org: Organisation
    effects: CatEffects
    directory: UserDirectory | None
    drafter: Drafter
    clock: Callable[[], datetime]
    checklist: Callable[[Sequence[str]], list[str]]
    first_statement_due: timedelta = timedelta(minutes=60)
    gap_escalation_after: timedelta = timedelta(minutes=30)
    notify: Callable[[SagaRun], Outcome] | None = None
    claim: Callable[[int], AbstractContextManager[bool]] | None = None


class SagaRun:
    """One run of one CAT's saga: short transactions with the CAT row locked, and recorded effects."""

    def __init__(self, transaction: Transaction, cat_id: int, ctx: SagaContext):
        self.transaction, self.cat_id, self.ctx = transaction, cat_id, ctx

    @contextmanager
    def tx(self) -> Iterator[tuple[Session, Cat]]:
        """A short transaction with the CAT's row locked; never make a platform call inside it."""
        with self.transaction() as session:
            timeline.lock_cat(session, self.cat_id)
            cat = session.get(Cat, self.cat_id)
            assert cat is not None, f"CAT {self.cat_id} not found"
            yield session, cat

    def recorded(self, session: Session, key: str) -> Outcome | None:
        """The outcome recorded under `key`, or None when it is not done."""
        row = session.get(SagaEffect, (self.cat_id, key))
        return dict(row.data) if row is not None and row.state == "done" else None

    def record(self, session: Session, key: str, outcome: Outcome) -> None:
        row = session.get(SagaEffect, (self.cat_id, key))
        if row is None:
            session.add(SagaEffect(cat_id=self.cat_id, key=key, state="done", data=outcome,
                                   updated_at=self.ctx.clock()))
        else:
            row.state, row.data, row.updated_at = "done", outcome, self.ctx.clock()
        session.flush()

    def local(self, key: str, work: Callable[[Session, Cat], Outcome]) -> Outcome:
        """Database-only work done once: the work and its record share one transaction."""
        with self.tx() as (session, cat):
            done = self.recorded(session, key)
            if done is not None:
                return done
            outcome = work(session, cat)
            self.record(session, key, outcome)
            return outcome

    def once(self, key: str, call: Callable[[], Outcome], *,
             recover: Callable[[], Outcome | None] | None = None) -> Outcome:
        """Make an external effect once: commit the intent, call with no transaction open, commit the outcome.

        When an earlier run committed the intent but not the outcome (it died during the call), `recover`
        looks for what that call made before `call` is tried again.
        """
        with self.tx() as (session, _cat):
            row = session.get(SagaEffect, (self.cat_id, key))
            if row is not None and row.state == "done":
                return dict(row.data)
            interrupted = row is not None
            if row is None:
                session.add(SagaEffect(cat_id=self.cat_id, key=key, state="started", data={},
                                       updated_at=self.ctx.clock()))
        outcome = recover() if interrupted and recover is not None else None
        if outcome is None:
            outcome = call()
        with self.tx() as (session, _cat):
            self.record(session, key, outcome)
        return outcome
