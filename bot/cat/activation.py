"""Activation: from an approved request to a CAT, then the persisted, resumable activation saga."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cat import membership, timeline
from bot.cat.composition import compose_team
from bot.cat.kickoff import build_kickoff
from bot.cat.models import (
    Cat,
    CatStatus,
    RedButtonRequest,
    Reminder,
    ReminderState,
    SagaStep,
    Statement,
    StatementState,
)
from bot.cat.ports import CatEffects, Drafter
from bot.cat.requests import mark_approved
from bot.cat.timeline import EventKind
from bot.errors import InvalidInput
from bot.localtime import local
from bot.organisation.directory import UserDirectory, slack_id_for
from bot.organisation.model import Organisation, Person
from bot.organisation.schema import Role
from playbooks.loader import load_playbook
from playbooks.render import to_markdown
from playbooks.vocabulary import Category, units

SAGA_STEPS = ("compose", "channel", "invite", "announce", "drafts", "reminders")
ADVICE_KINDS = ("politiechef", "korpsleiding")


def channel_name(activated_at: datetime, title: str) -> str:
    """`cat-<yyyymmdd>-<slug>` within Slack's rules: lowercase, [a-z0-9-_], at most 80 characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-") or "cat"
    prefix = f"cat-{local(activated_at):%Y%m%d}-"
    return (prefix + slug)[:80].rstrip("-")


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
    seq = (session.scalar(select(func.max(Cat.seq)).where(Cat.year == year)) or 0) + 1
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


@dataclass
class SagaContext:
    """What the saga steps need besides the session: organisation, ports, clock and timing."""

    org: Organisation
    effects: CatEffects
    directory: UserDirectory | None
    drafter: Drafter
    clock: Callable[[], datetime]
    checklist: Callable[[Sequence[str]], list[str]]
    first_statement_due: timedelta = timedelta(minutes=60)
    gap_escalation_after: timedelta = timedelta(minutes=30)


def _step_compose(ctx: SagaContext, session: Session, cat: Cat) -> dict[str, object]:
    now = ctx.clock()
    plan = compose_team(ctx.org, cat.units, [Category(c) for c in cat.categories], now)
    seats = {p.person.id: [p.role.value, p.reason] for p in plan.members}
    for person_id, role, reason in _initiators(ctx.org, session, cat):
        if person_id in seats:
            seats[person_id][1] += f"; {reason}"
        else:
            seats[person_id] = [role, reason]
    for person_id, (role, reason) in seats.items():
        membership.add(session, cat, ctx.org.require(person_id), role=role, reason=reason, actor_id=None, now=now)
    for key, message in plan.gaps:
        membership.report_gap(session, cat, key, message, now=now)
    return {"members": len(cat.members), "gaps": len(plan.gaps)}


def _initiators(org: Organisation, session: Session, cat: Cat) -> list[tuple[str, str, str]]:
    request = session.get(RedButtonRequest, cat.request_id)
    assert request is not None
    result = [(cat.activated_by, Role.DIRECTOR.value, "heeft de rode knop ingedrukt")]
    if request.requester_id != cat.activated_by and org.find(request.requester_id):
        result.append((request.requester_id, "requester", "heeft de rode knop aangevraagd"))
    return result


def _step_channel(ctx: SagaContext, session: Session, cat: Cat) -> dict[str, object]:
    name = channel_name(cat.activated_at, cat.title)
    ref = ctx.effects.ensure_channel(cat_number=cat.number, name=name, topic=f"{cat.number}: {cat.title}")
    cat.channel_id, cat.channel_name = ref.id, ref.name
    timeline.append(session, cat, EventKind.CHANNEL_CREATED, recorded_at=ctx.clock(), text=f"kanaal #{ref.name}",
                    data={"channel_id": ref.id}, natural_key="channel")
    return {"channel_id": ref.id, "name": ref.name}


def _step_invite(ctx: SagaContext, session: Session, cat: Cat) -> dict[str, object]:
    now = ctx.clock()
    user_ids: list[str] = []
    for member in membership.active_members(cat):
        person = ctx.org.require(member.person_id)
        slack_id = slack_id_for(session, ctx.directory, person, now)
        if slack_id:
            user_ids.append(slack_id)
        else:
            membership.report_gap(session, cat, f"slack:{person.id}",
                                  f"{person.name} ({member.role}) is niet in Slack gevonden en kon niet worden "
                                  f"uitgenodigd", now=now)
    assert cat.channel_id
    for start in range(0, len(user_ids), 100):  # Slack takes at most 100 users per invite in our use
        ctx.effects.invite(channel_id=cat.channel_id, user_ids=user_ids[start:start + 100])
    membership.mark_team_complete_if_covered(session, cat, now)
    return {"invited": len(user_ids)}


def _step_announce(ctx: SagaContext, session: Session, cat: Cat) -> dict[str, object]:
    assert cat.channel_id
    cat.kickoff_ts = ctx.effects.publish_kickoff(channel_id=cat.channel_id, ts=cat.kickoff_ts,
                                                 kickoff=build_kickoff(session, ctx.org, cat, ctx.checklist))
    for name in ["algemeen", *cat.categories]:
        playbook = load_playbook(name)
        ctx.effects.bookmark_document(channel_id=cat.channel_id, title=f"Playbook {playbook.titel}"[:70],
                                      filename=f"playbook-{name}.md", content=to_markdown(playbook))
    return {"ts": cat.kickoff_ts}


def _step_drafts(ctx: SagaContext, session: Session, cat: Cat) -> dict[str, object]:
    now = ctx.clock()
    drafts = ctx.drafter(categories=cat.categories, unit_codes=cat.units, day=cat.activated_at.date())
    for draft in drafts:
        statement = Statement(cat_id=cat.id, category=draft.category, phase=draft.phase, channel=draft.channel,
                              version=1, text=draft.text, state=StatementState.DRAFT.value, author_id="catbot",
                              created_at=now)
        session.add(statement)
        session.flush()
        timeline.append(session, cat, EventKind.STATEMENT_DRAFTED, recorded_at=now, text=draft.text,
                        data={"statement_id": statement.id, "category": draft.category, "phase": draft.phase,
                              "channel": draft.channel, "version": 1})
    assert cat.channel_id
    cat.kickoff_ts = ctx.effects.publish_kickoff(channel_id=cat.channel_id, ts=cat.kickoff_ts,
                                                 kickoff=build_kickoff(session, ctx.org, cat, ctx.checklist))
    return {"drafts": len(drafts)}


def _step_reminders(ctx: SagaContext, session: Session, cat: Cat) -> dict[str, object]:
    now = ctx.clock()
    wanted: list[tuple[str, str, datetime, dict[str, str]]] = [
        ("no_statement", f"{cat.number}:no_statement", cat.activated_at + ctx.first_statement_due, {})
    ]
    for gap in membership.open_gaps(cat):
        wanted.append(("gap_escalation", f"{cat.number}:gap:{gap.key}", now + ctx.gap_escalation_after,
                       {"gap": gap.key}))
    for kind, key, due, payload in wanted:
        session.add(Reminder(cat_id=cat.id, kind=kind, key=key, due_at=due, state=ReminderState.SCHEDULED.value,
                             created_at=now, payload=payload))
    return {"reminders": len(wanted)}


STEP_FUNCTIONS: dict[str, Callable[[SagaContext, Session, Cat], dict[str, object]]] = {
    "compose": _step_compose,
    "channel": _step_channel,
    "invite": _step_invite,
    "announce": _step_announce,
    "drafts": _step_drafts,
    "reminders": _step_reminders,
}


def run_saga(transaction: Callable[[], AbstractContextManager[Session]], cat_id: int, ctx: SagaContext) -> list[str]:
    """Run the remaining saga steps, one transaction each; returns the steps run now.

    This is the one place in the CAT domain that commits, step by step, because each step's external
    effect must be recorded before the next begins. A crash or retry resumes at the first unrecorded
    step; ports are idempotent, so an effect whose record was lost is not duplicated.
    """
    ran: list[str] = []
    for step in SAGA_STEPS:
        with transaction() as session:
            # One runner per CAT at a time (a live activation and a resume on another instance): lock the row.
            timeline.lock_cat(session, cat_id)
            if session.get(SagaStep, (cat_id, step)) is not None:
                continue
            cat = session.get(Cat, cat_id)
            assert cat is not None, f"CAT {cat_id} not found"
            result = STEP_FUNCTIONS[step](ctx, session, cat)
            session.add(SagaStep(cat_id=cat_id, step=step, completed_at=ctx.clock(), result=result))
            if step == SAGA_STEPS[-1] and cat.status == CatStatus.ACTIVATING.value:
                cat.status = CatStatus.ACTIVE.value
            ran.append(step)
    return ran


def pending_steps(session: Session, cat: Cat) -> list[str]:
    done = set(session.scalars(select(SagaStep.step).where(SagaStep.cat_id == cat.id)))
    return [step for step in SAGA_STEPS if step not in done]
