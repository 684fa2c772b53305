"""The activation saga's steps: compose → channel → invite → announce → drafts → reminders → notify.

Each step reads in a short transaction, calls the chat platform with none open, and records in another
(see bot.cat.saga); every part is safe to run again after a crash at any point.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from bot.cat import membership, timeline
from bot.cat.composition import compose_team
from bot.cat.kickoff import build_kickoff
from bot.cat.models import Cat, RedButtonRequest, Reminder, ReminderState, Statement, StatementState
from bot.cat.saga import Outcome, SagaRun
from bot.cat.timeline import EventKind
from bot.localtime import local
from bot.organisation.directory import known_slack_id, remember_slack_id
from bot.organisation.model import Organisation
from bot.organisation.schema import Role
from playbooks.loader import load_playbook
from playbooks.render import to_markdown
from playbooks.vocabulary import Category

SAGA_STEPS = ("compose", "channel", "invite", "announce", "drafts", "reminders", "notify")
INVITE_BATCH = 100  # Slack takes at most 100 users per invite in our use


def channel_name(activated_at: datetime, title: str) -> str:
    """`cat-<yyyymmdd>-<slug>` within Slack's rules: lowercase, [a-z0-9-_], at most 80 characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-") or "cat"
    prefix = f"cat-{local(activated_at):%Y%m%d}-"
    return (prefix + slug)[:80].rstrip("-")


def _candidate(name: str, attempt: int) -> str:
    return name if attempt == 1 else f"{name[: 80 - len(str(attempt)) - 1]}-{attempt}"


def _step_compose(run: SagaRun) -> Outcome:
    ctx = run.ctx

    def compose(session: Session, cat: Cat) -> Outcome:
        now = ctx.clock()
        plan = compose_team(ctx.org, cat.units, [Category(c) for c in cat.categories], now)
        seats = {p.person.id: [p.role.value, p.reason] for p in plan.members}
        for person_id, role, reason in _initiators(ctx.org, session, cat):
            if person_id in seats:
                seats[person_id][1] += f"; {reason}"
            else:
                seats[person_id] = [role, reason]
        for person_id, (role, reason) in seats.items():
            membership.add(session, cat, ctx.org.require(person_id), role=role, reason=reason, actor_id=None,
                           now=now)
        for key, message in plan.gaps:
            membership.report_gap(session, cat, key, message, now=now)
        return {"members": len(cat.members), "gaps": len(plan.gaps)}

    return run.local("compose", compose)


def _initiators(org: Organisation, session: Session, cat: Cat) -> list[tuple[str, str, str]]:
    request = session.get(RedButtonRequest, cat.request_id)
    assert request is not None
    result = [(cat.activated_by, Role.DIRECTOR.value, "heeft de rode knop ingedrukt")]
    if request.requester_id != cat.activated_by and org.find(request.requester_id):
        result.append((request.requester_id, "requester", "heeft de rode knop aangevraagd"))
    return result


def _step_channel(run: SagaRun) -> Outcome:
    """Create the private channel; its id is recorded the moment Slack answers, and a create whose answer
    was lost is found again by the name it was asked for (a taken name moves on to the next suffix)."""
    effects = run.ctx.effects
    with run.tx() as (_session, cat):
        name, number, topic = channel_name(cat.activated_at, cat.title), cat.number, f"{cat.number}: {cat.title}"
    made: Outcome = {}
    for attempt in range(1, 50):
        candidate = _candidate(name, attempt)

        def create(candidate: str = candidate) -> Outcome:
            ref = effects.create_channel(name=candidate)
            return {"id": ref.id, "name": ref.name} if ref else {"taken": True}

        def recover(candidate: str = candidate) -> Outcome | None:
            ref = effects.find_channel(name=candidate)
            return {"id": ref.id, "name": ref.name} if ref else None

        made = run.once(f"channel:{candidate}", create, recover=recover)
        if made.get("id"):
            break
    else:
        raise RuntimeError(f"no free channel name for {number}")
    with run.tx() as (session, cat):
        cat.channel_id, cat.channel_name = made["id"], made["name"]
        timeline.append(session, cat, EventKind.CHANNEL_CREATED, recorded_at=run.ctx.clock(),
                        text=f"kanaal #{made['name']}", data={"channel_id": made["id"]}, natural_key="channel")
    effects.describe_channel(channel_id=made["id"], purpose=f"{number}: Communicatie-advies-team (vertrouwelijk)",
                             topic=topic[:250])
    return {"channel_id": made["id"], "name": made["name"]}


def _step_invite(run: SagaRun) -> Outcome:
    ctx = run.ctx
    with run.tx() as (session, cat):
        now = ctx.clock()
        people = [ctx.org.require(m.person_id) for m in membership.active_members(cat)]
        known = {p.id: known_slack_id(session, p, now, may_ask=ctx.directory is not None) for p in people}
        channel_id = cat.channel_id
    assert channel_id
    asked = {p.id: ctx.directory.lookup_by_email(p.email) for p in people  # Slack, with no transaction open
             if ctx.directory is not None and p.email and not known[p.id][0]}
    user_ids: list[str] = []
    with run.tx() as (session, cat):
        now = ctx.clock()
        for person in people:
            if person.id in asked:
                remember_slack_id(session, person, asked[person.id], now)
            slack_id = asked[person.id] if person.id in asked else known[person.id][1]
            if slack_id:
                user_ids.append(slack_id)
            else:
                member = next(m for m in membership.active_members(cat) if m.person_id == person.id)
                membership.report_gap(session, cat, f"slack:{person.id}",
                                      f"{person.name} ({member.role}) is niet in Slack gevonden en kon niet worden "
                                      f"uitgenodigd", now=now)
    for start in range(0, len(user_ids), INVITE_BATCH):
        ctx.effects.invite(channel_id=channel_id, user_ids=user_ids[start:start + INVITE_BATCH])
    with run.tx() as (session, cat):
        membership.mark_team_complete_if_covered(session, cat, ctx.clock())
    return {"invited": len(user_ids)}


def _publish_kickoff(run: SagaRun) -> str:
    """Post or update the kickoff from what is stored now; a lost ts is found again by the port."""
    with run.tx() as (session, cat):
        kickoff = build_kickoff(session, run.ctx.org, cat, run.ctx.checklist)
        channel_id, ts = cat.channel_id, cat.kickoff_ts
    assert channel_id
    ts = run.ctx.effects.publish_kickoff(channel_id=channel_id, ts=ts, kickoff=kickoff)
    with run.tx() as (_session, cat):
        cat.kickoff_ts = ts
    return ts


def _step_announce(run: SagaRun) -> Outcome:
    effects = run.ctx.effects
    ts = _publish_kickoff(run)
    with run.tx() as (_session, cat):
        channel_id, categories = cat.channel_id, list(cat.categories)
    assert channel_id
    for name in ["algemeen", *categories]:
        playbook = load_playbook(name)
        title, filename = f"Playbook {playbook.titel}"[:70], f"playbook-{name}.md"

        def upload(title: str = title, filename: str = filename, content: str = to_markdown(playbook)) -> Outcome:
            return {"link": effects.upload_document(channel_id=channel_id, title=title, filename=filename,
                                                    content=content)}

        def recover(filename: str = filename) -> Outcome | None:
            link = effects.find_document(channel_id=channel_id, filename=filename)
            return {"link": link} if link else None

        shared = run.once(f"document:{filename}", upload, recover=recover)
        if shared.get("link"):
            effects.bookmark(channel_id, title, str(shared["link"]))
    return {"ts": ts}


def _step_drafts(run: SagaRun) -> Outcome:
    ctx = run.ctx

    def draft(session: Session, cat: Cat) -> Outcome:
        now = ctx.clock()
        drafts = ctx.drafter(categories=cat.categories, unit_codes=cat.units, day=cat.activated_at.date())
        for text in drafts:
            statement = Statement(cat_id=cat.id, category=text.category, phase=text.phase, channel=text.channel,
                                  version=1, text=text.text, state=StatementState.DRAFT.value, author_id="catbot",
                                  created_at=now)
            session.add(statement)
            session.flush()
            timeline.append(session, cat, EventKind.STATEMENT_DRAFTED, recorded_at=now, text=text.text,
                            data={"statement_id": statement.id, "category": text.category, "phase": text.phase,
                                  "channel": text.channel, "version": 1})
        return {"drafts": len(drafts)}

    outcome = run.local("drafts", draft)
    _publish_kickoff(run)
    return outcome


def _step_reminders(run: SagaRun) -> Outcome:
    ctx = run.ctx

    def schedule(session: Session, cat: Cat) -> Outcome:
        now = ctx.clock()
        wanted: list[tuple[str, str, datetime, dict[str, str]]] = [
            ("no_statement", f"{cat.number}:no_statement", cat.activated_at + ctx.first_statement_due, {})]
        for gap in membership.open_gaps(cat):
            wanted.append(("gap_escalation", f"{cat.number}:gap:{gap.key}", now + ctx.gap_escalation_after,
                           {"gap": gap.key}))
        for kind, key, due, payload in wanted:
            session.add(Reminder(cat_id=cat.id, kind=kind, key=key, due_at=due,
                                 state=ReminderState.SCHEDULED.value, created_at=now, payload=payload))
        return {"reminders": len(wanted)}

    return run.local("reminders", schedule)


def _step_notify(run: SagaRun) -> Outcome:
    """The tail: every copy of the request card shows the decision and the requester is told, once."""
    if run.ctx.notify is None:
        return {"notified": False}
    return run.ctx.notify(run)


STEP_FUNCTIONS: dict[str, Callable[[SagaRun], Outcome]] = {
    "compose": _step_compose,
    "channel": _step_channel,
    "invite": _step_invite,
    "announce": _step_announce,
    "drafts": _step_drafts,
    "reminders": _step_reminders,
    "notify": _step_notify,
}
