"""Slack-side orchestration used by listeners: one transaction per step, then the messages people see."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cat import activation, export, requests, service, timeline
from bot.cat.kickoff import build_kickoff
from bot.cat.membership import open_gaps
from bot.cat.models import Cat, CatStatus, RedButtonRequest, RequestState, Statement, StatementState
from bot.cat.timeline import EventKind
from bot.container import playbook_checklist
from bot.errors import DomainError, InvalidInput, NotFound
from bot.organisation.model import Person
from bot.slack import blocks
from bot.slack.deps import Deps
from bot.slack.models import SlackPost
from bot.slack.signal_blocks import signal_title
from monitors.models import Signal

log = logging.getLogger(__name__)


def remember_post(session: Session, key: str, channel: str, ts: str) -> None:
    if session.get(SlackPost, key) is None:
        session.add(SlackPost(key=key, channel_id=channel, ts=ts, created_at=datetime.now(UTC)))


def _posts(session: Session, prefix: str) -> list[SlackPost]:
    return list(session.scalars(select(SlackPost).where(SlackPost.key.startswith(prefix))))


def notify_directors(deps: Deps, request_id: int) -> int:
    """Send the request card to every director by DM (and to the comms-leads channel when configured)."""
    with deps.container.transaction() as session:
        request = requests.get_request(session, request_id)
        requester = deps.container.org.require(request.requester_id)
        card = blocks.request_card(request, requester.display)
        text = f"Verzoek rode knop: {request.title}"
        targets = [(d.id, deps.slack_id(session, d)) for d in deps.container.org.deciders()]
        sent = 0
        for person_id, slack_id in targets:
            if not slack_id or session.get(SlackPost, f"request:{request_id}:dm:{person_id}") is not None:
                continue
            channel, ts = deps.gateway.dm(slack_id, text, card)
            remember_post(session, f"request:{request_id}:dm:{person_id}", channel, ts)
            sent += 1
        if deps.requests_channel and session.get(SlackPost, f"request:{request_id}:channel") is None:
            channel, ts = deps.gateway.post(deps.requests_channel, text, card)
            remember_post(session, f"request:{request_id}:channel", channel, ts)
    return sent


def refresh_request_cards(deps: Deps, session: Session, request: RedButtonRequest, decided: str) -> None:
    """Replace the buttons on every copy of the card with the decision."""
    requester = deps.container.org.find(request.requester_id)
    card = blocks.request_card(request, requester.display if requester else request.requester_id, decided=decided)
    for post in _posts(session, f"request:{request.id}:"):
        deps.gateway.update(post.channel_id, post.ts, f"Verzoek rode knop: {request.title} — {decided}", card)


def tell_requester(deps: Deps, session: Session, request: RedButtonRequest, text: str) -> None:
    requester = deps.container.org.find(request.requester_id)
    slack_id = deps.slack_id(session, requester) if requester else None
    if slack_id:
        deps.gateway.dm(slack_id, text)


def press_red_button(deps: Deps, director: Person, request_id: int, advice_to: list[str]) -> Cat:
    """Approve and create the CAT (one transaction), run the activation saga, then tell everyone."""
    container = deps.container
    with container.transaction() as session:
        request = requests.get_request(session, request_id)
        cat = activation.approve_and_create(session, container.org, request, director=director,
                                            advice_to=advice_to, now=container.clock())
        cat_id = cat.id
    activation.run_saga(container.transaction, cat_id, container.saga_context(deps.gateway, deps.gateway))
    with container.transaction() as session:
        cat = service.get_cat(session, cat_id)
        request = requests.get_request(session, request_id)
        decided = f"✅ Goedgekeurd door {director.name}: {cat.number} in <#{cat.channel_id}>"
        refresh_request_cards(deps, session, request, decided)
        if request.requester_id != director.id:
            tell_requester(deps, session, request, f"Uw verzoek *{request.title}* is goedgekeurd door "
                                                   f"{director.name}. {cat.number} is gestart in <#{cat.channel_id}>.")
        return cat


def resume_activations(deps: Deps) -> list[str]:
    """Finish every activation a crash or an error interrupted (on start-up and from the scheduler)."""
    with deps.container.transaction() as session:
        pending = [(c.id, c.number) for c in service.list_cats(session, include_closed=False)
                   if c.status == CatStatus.ACTIVATING.value]
    resumed = []
    for cat_id, number in pending:
        activation.run_saga(deps.container.transaction, cat_id,
                            deps.container.saga_context(deps.gateway, deps.gateway))
        resumed.append(number)
        log.info("resumed activation of %s", number)
    return resumed


def decline(deps: Deps, director: Person, request_id: int, reason: str) -> RedButtonRequest:
    with deps.container.transaction() as session:
        request = requests.decline(session, deps.container.org, requests.get_request(session, request_id),
                                   director=director, reason=reason, now=deps.container.clock())
    with deps.container.transaction() as session:
        refresh_request_cards(deps, session, request, f"❌ Afgewezen door {director.name}: {reason}")
        tell_requester(deps, session, request, f"Uw verzoek *{request.title}* is afgewezen door {director.name}. "
                                               f"Reden: {reason}")
    return request


def statement_status(session: Session, cat: Cat) -> str:
    states = [s.state for s in session.scalars(select(Statement).where(Statement.cat_id == cat.id))]
    if StatementState.PUBLISHED.value in states:
        return "gepubliceerd"
    if StatementState.APPROVED.value in states:
        return "goedgekeurd, nog niet gepubliceerd"
    return f"{len(states)} concept(en), nog niets gepubliceerd" if states else "nog geen concept"


def post_status(deps: Deps, session: Session, cat: Cat) -> None:
    """Post the CAT's status once; later calls update that message in place."""
    now = deps.container.clock()
    status = blocks.status_blocks(cat, open_gaps=[g.message for g in open_gaps(cat)],
                                  last_update=timeline.last_activity(session, cat), now=now,
                                  statements=statement_status(session, cat))
    key = f"cat:{cat.id}:status"
    existing = session.get(SlackPost, key)
    if existing is not None:
        deps.gateway.update(existing.channel_id, existing.ts, f"Status {cat.number}", status)
    elif cat.channel_id:
        channel, ts = deps.gateway.post(cat.channel_id, f"Status {cat.number}", status)
        remember_post(session, key, channel, ts)


def refresh_kickoff(deps: Deps, session: Session, cat: Cat) -> None:
    """Update the pinned kickoff in place (after the team changed)."""
    if cat.channel_id and cat.kickoff_ts:
        kickoff = build_kickoff(session, deps.container.org, cat, playbook_checklist)
        deps.gateway.publish_kickoff(channel_id=cat.channel_id, kickoff=kickoff, ts=cat.kickoff_ts)


def record_message(deps: Deps, user_id: str, channel: str, ts: str) -> tuple[Cat, bool]:
    """Put a channel message on the CAT's timeline once, with its original time and permalink."""
    with deps.container.transaction() as session:
        cat = service.cat_for_channel(session, channel)
        if cat is None:
            raise InvalidInput("dit kanaal hoort niet bij een CAT; berichten vastleggen kan alleen in een CAT-kanaal")
        actor = deps.person(session, user_id)
        message = deps.gateway.message(channel, ts)
        if message is None:
            raise NotFound("het bericht is niet (meer) te vinden")
        author = deps.container.org.find(str(message.get("user", "")))
        text = str(message.get("text", "")) or "(bericht zonder tekst)"
        prefix = f"{author.name}: " if author else ""
        _, created = service.record(session, deps.container.org, cat, EventKind.NOTE, actor=actor,
                                    text=prefix + text, now=deps.container.clock(),
                                    occurred_at=datetime.fromtimestamp(float(ts), UTC),
                                    source_url=deps.gateway.permalink(channel, ts),
                                    natural_key=f"slack:{channel}:{ts}")
        return cat, created


def export_to_channel(deps: Deps, cat_id: int) -> str | None:
    """Share the timeline export in the CAT channel and bookmark it."""
    with deps.container.transaction() as session:
        cat = service.get_cat(session, cat_id)
        markdown = export.export_markdown(session, deps.container.org, cat, deps.container.clock())
        number, channel = cat.number, cat.channel_id
    if channel is None:
        return None
    link = deps.gateway.upload(channel, filename=f"{number}-tijdlijn.md", content=markdown,
                               title=f"Tijdlijn {number}")
    if link:
        deps.gateway.bookmark(channel, "Tijdlijn-export", link)
    return link


def home_for(deps: Deps, user_id: str) -> dict[str, Any]:
    """The App Home for one user."""
    with deps.container.transaction() as session:
        now = deps.container.clock()
        try:
            person: Person | None = deps.person(session, user_id)
        except DomainError:
            person = None
        active = [(c, timeline.last_activity(session, c), statement_status(session, c))
                  for c in service.list_cats(session, include_closed=False) if c.status == CatStatus.ACTIVE.value]
        requests.expire_stale(session, now)
        pending = requests.list_requests(session, state=RequestState.PENDING)
        is_director = person is not None and deps.container.org.may_decide(person)
        return blocks.home_view(active=active, pending=pending, is_director=is_director, now=now,
                                signals=recent_signals(session, now))


def recent_signals(session: Session, now: datetime) -> list[tuple[str, str, str, datetime]]:
    """The media monitors' signals of the past week, newest first: (title, reason, status, created)."""
    found = session.scalars(select(Signal).where(Signal.created_at >= now - timedelta(days=7))
                            .order_by(Signal.created_at.desc()).limit(10))
    return [(signal_title({"kind": s.kind, "category": s.category}), s.reason, s.status, s.created_at)
            for s in found]
