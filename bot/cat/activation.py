"""Activation: from an approved request to a CAT, then the one entry point that runs (or resumes) its saga.

Approval, start-up, the scheduler and `catbot cat resume` all call `activate` / `resume_stuck`: one runner
per CAT at a time (`SagaContext.claim`), the remaining steps, and the tail (cards, requester) exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.cat import timeline
from bot.cat.models import Cat, CatNumberCounter, CatStatus, RedButtonRequest, SagaStep
from bot.cat.requests import mark_approved
from bot.cat.saga import SagaContext, SagaRun, Transaction
from bot.cat.saga_steps import SAGA_STEPS, STEP_FUNCTIONS, channel_name
from bot.cat.timeline import EventKind
from bot.errors import InvalidInput
from bot.organisation.model import Organisation, Person
from bot.organisation.schema import Role
from playbooks.vocabulary import units

__all__ = ["SAGA_STEPS", "STEP_FUNCTIONS", "SagaContext", "activate", "approve_and_create", "channel_name",
           "pending_steps", "resume_stuck", "run_saga", "stuck_activations"]
log = logging.getLogger(__name__)
ADVICE_KINDS = ("politiechef", "korpsleiding")


def advice_recipients(
    org: Organisation, unit_codes: Sequence[str], advice_to: Sequence[str]
) -> list[dict[str, str | None]]:
    """The politiechef of each involved unit and/or the korpsleiding, as chosen at activation."""
    unknown = [kind for kind in advice_to if kind not in ADVICE_KINDS]
    if unknown or not advice_to:
        raise InvalidInput("advies gaat naar 'politiechef' (van elke betrokken eenheid) en/of 'korpsleiding'")
    recipients: list[dict[str, str | None]] = []
    if "politiechef" in advice_to:
        for code in unit_codes:
            chiefs = org.members(role=Role.POLITIECHEF, party=code)
            recipients.append({"kind": "politiechef", "unit": code, "person_id": chiefs[0].id if chiefs else None,
                               "label": f"politiechef {units()[code].name}"})
    if "korpsleiding" in advice_to:
        recipients.append({"kind": "korpsleiding", "unit": None, "person_id": None, "label": "korpsleiding"})
    return recipients


def _next_number(session: Session, year: int) -> tuple[int, str]:
    """The year's next CAT number from its counter row: the UPDATE holds the row lock until commit, so two
    approvals at the same moment (on any instance) get consecutive numbers instead of colliding."""
    counters = cast(Table, CatNumberCounter.__table__)
    dialect_insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(dialect_insert(counters).values(year=year, last_seq=0).on_conflict_do_nothing(
        index_elements=["year"]))
    seq = session.execute(update(counters).where(counters.c.year == year)
                          .values(last_seq=counters.c.last_seq + 1).returning(counters.c.last_seq)).scalar_one()
    return seq, f"CAT-{year}-{seq:03d}"


def approve_and_create(session: Session, org: Organisation, request: RedButtonRequest, *, director: Person,
                       advice_to: Sequence[str], now: datetime) -> Cat:
    """The director presses the red button: the request is approved and its CAT created (one transaction)."""
    recipients = advice_recipients(org, request.units, advice_to)
    mark_approved(session, org, request, director=director, now=now)
    seq, number = _next_number(session, now.year)
    cat = Cat(number=number, year=now.year, seq=seq, title=request.title, summary=request.reason,
              units=request.units, categories=request.categories, links=request.links,
              advice_recipients=recipients, status=CatStatus.ACTIVATING.value, request_id=request.id,
              activated_by=director.id, requested_at=request.created_at, activated_at=now)
    session.add(cat)
    session.flush()
    requester = org.find(request.requester_id)
    timeline.append(session, cat, EventKind.REQUESTED, occurred_at=request.created_at, recorded_at=now,
                    actor_id=request.requester_id, text=f"{requester.name if requester else request.requester_id} "
                    f"vraagt de rode knop aan: {request.reason}", data={"request_id": request.id,
                                                                         "urgency": request.urgency})
    timeline.append(session, cat, EventKind.APPROVED, recorded_at=now, actor_id=director.id,
                    text=f"{director.name} drukt de rode knop in", data={"request_id": request.id})
    timeline.append(session, cat, EventKind.ACTIVATED, recorded_at=now, actor_id=director.id,
                    text=f"{number} geactiveerd: {cat.title}",
                    data={"units": cat.units, "categories": cat.categories, "advice_to": list(advice_to)})
    return cat


def run_saga(transaction: Transaction, cat_id: int, ctx: SagaContext) -> list[str]:
    """Run the remaining saga steps; returns the steps run now.

    This is the one place in the CAT domain that commits, in short transactions per step (bot.cat.saga): a
    crash or retry resumes at the first unrecorded step, and what an interrupted step already made is found
    again instead of made twice.
    """
    run = SagaRun(transaction, cat_id, ctx)
    ran: list[str] = []
    for step in SAGA_STEPS:
        with run.tx() as (session, _cat):
            if session.get(SagaStep, (cat_id, step)) is not None:
                continue
        result = STEP_FUNCTIONS[step](run)
        with run.tx() as (session, cat):
            if session.get(SagaStep, (cat_id, step)) is None:
                session.add(SagaStep(cat_id=cat_id, step=step, completed_at=ctx.clock(), result=result))
            if step == "reminders" and cat.status == CatStatus.ACTIVATING.value:
                cat.status = CatStatus.ACTIVE.value  # the CAT works from here; the tail only tells people
        ran.append(step)
    return ran


@dataclass
class ActivationRun:
    """What one call of `activate` did: the steps it ran, or that another runner holds this CAT."""

    cat_id: int
    steps: list[str] = field(default_factory=list)
    busy: bool = False


def activate(transaction: Transaction, cat_id: int, ctx: SagaContext) -> ActivationRun:
    """The one entry point: claim the CAT (one runner at a time), run what is left, including the tail."""
    if ctx.claim is None:
        return ActivationRun(cat_id, run_saga(transaction, cat_id, ctx))
    with ctx.claim(cat_id) as claimed:
        if not claimed:
            return ActivationRun(cat_id, busy=True)
        return ActivationRun(cat_id, run_saga(transaction, cat_id, ctx))


def stuck_activations(session: Session) -> list[tuple[int, str]]:
    """(id, number) of every CAT whose saga has not finished; whether someone is running it, the claim says."""
    finished = select(SagaStep.cat_id).where(SagaStep.step == SAGA_STEPS[-1])
    query = select(Cat.id, Cat.number).where(Cat.status != CatStatus.CLOSED.value, Cat.id.not_in(finished))
    return [(cat_id, number) for cat_id, number in session.execute(query.order_by(Cat.id))]


def resume_stuck(transaction: Transaction, ctx: SagaContext, *, stopping: Callable[[], bool] = lambda: False,
                 ) -> list[str]:
    """Finish every interrupted activation nobody is running now; returns the CAT numbers resumed."""
    with transaction() as session:
        stuck = stuck_activations(session)
    resumed = []
    for cat_id, number in stuck:
        if stopping():
            break
        if not activate(transaction, cat_id, ctx).busy:
            resumed.append(number)
            log.info("resumed the activation of %s", number)
    return resumed


def pending_steps(session: Session, cat: Cat) -> list[str]:
    done = set(session.scalars(select(SagaStep.step).where(SagaStep.cat_id == cat.id)))
    return [step for step in SAGA_STEPS if step not in done]
