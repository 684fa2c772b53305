"""Slack-side orchestration used by listeners: one transaction per step, then the messages people see."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.cat import activation, export, requests, service, timeline
from bot.cat.kickoff import build_kickoff
from bot.cat.membership import open_gaps
from bot.cat.models import Cat, CatStatus, RedButtonRequest, RequestState, Statement, StatementState
from bot.cat.saga import SagaRun
from bot.cat.timeline import EventKind
from bot.container import playbook_checklist
from bot.errors import DomainError, InvalidInput, NotFound
from bot.organisation.directory import resolve_slack_id
from bot.organisation.model import Person
from bot.slack import blocks
from bot.slack.deps import Deps
from bot.slack.models import SlackPost
from bot.slack.signal_blocks import signal_title
from monitors.models import Signal

log = logging.getLogger(__name__)
OUTCOME_EVENT = "cat_request_outcome"  # metadata of the requester's DM, so a resumed tail finds it again


def remember_post(session: Session, key: str, channel: str, ts: str) -> None:
    if session.get(SlackPost, key) is None:
        session.add(SlackPost(key=key, channel_id=channel, ts=ts, created_at=datetime.now(UTC)))


def _posts(session: Session, prefix: str) -> list[SlackPost]:
    return list(session.scalars(select(SlackPost).where(SlackPost.key.startswith(prefix))))


def notify_directors(deps: Deps, request_id: int) -> int:
    """Send the request card to every director by DM (and to the comms-leads channel when configured).

    Each copy is remembered in its own short transaction right after Slack answered; no transaction is open
    during a Slack call.
    """
    with deps.container.transaction() as session:
        request = requests.get_request(session, request_id)
        requester = deps.container.org.require(request.requester_id)
        card = blocks.request_card(request, requester.display)
        text = f"Verzoek rode knop: {request.title}"
        sent_to = {p.key for p in _posts(session, f"request:{request_id}:")}
    sent = 0
    for director in deps.container.org.deciders():
        key = f"request:{request_id}:dm:{director.id}"
        slack_id = slack_id_outside(deps, director)
        if not slack_id or key in sent_to:
            continue
        channel, ts = deps.gateway.dm(slack_id, text, card)
        with deps.container.transaction() as session:
            remember_post(session, key, channel, ts)
        sent += 1
    key = f"request:{request_id}:channel"
    if deps.requests_channel and key not in sent_to:
        channel, ts = deps.gateway.post(deps.requests_channel, text, card)
        with deps.container.transaction() as session:
            remember_post(session, key, channel, ts)
    return sent


def slack_id_outside(deps: Deps, person: Person | None) -> str | None:
    """A person's Slack id, the directory asked with no transaction open (the answer is cached after)."""
    if person is None:
        return None
    return resolve_slack_id(deps.container.transaction, deps.gateway, person, deps.container.clock())


def _card_copies(deps: Deps, session: Session, request: RedButtonRequest, decided: str
                 ) -> tuple[list[tuple[str, str]], str, list[dict[str, Any]]]:
    """Where the request's card copies are, and the card that shows the decision."""
    requester = deps.container.org.find(request.requester_id)
    card = blocks.request_card(request, requester.display if requester else request.requester_id, decided=decided)
    copies = [(p.channel_id, p.ts) for p in _posts(session, f"request:{request.id}:")]
    return copies, f"Verzoek rode knop: {request.title} — {decided}", card


def press_red_button(deps: Deps, director: Person, request_id: int, advice_to: list[str]) -> Cat:
    """Approve and create the CAT (one transaction), then the one activation entry point (saga + tail)."""
    container = deps.container
    with container.transaction() as session:
        request = requests.get_request(session, request_id)
        cat = activation.approve_and_create(session, container.org, request, director=director,
                                            advice_to=advice_to, now=container.clock())
        cat_id = cat.id
    container.activate(cat_id, deps.gateway)
    with container.transaction() as session:
        return service.get_cat(session, cat_id)


def resume_activations(deps: Deps) -> list[str]:
    """Finish every activation a crash or an error interrupted (start-up; the scheduler does the same)."""
    return deps.container.resume_activations(deps.gateway)


def activation_tail(deps: Deps) -> Callable[[SagaRun], dict[str, Any]]:
    """The activation's last step on Slack: every card copy shows the decision; the requester is told once."""

    def tail(run: SagaRun) -> dict[str, Any]:
        org = deps.container.org
        with run.tx() as (session, cat):
            request = requests.get_request(session, cat.request_id)
            director = org.find(cat.activated_by)
            name = director.name if director else cat.activated_by
            copies, text, card = _card_copies(deps, session, request, f"✅ Goedgekeurd door {name}: {cat.number} "
                                                                      f"in <#{cat.channel_id}>")
            message = (f"Uw verzoek *{request.title}* is goedgekeurd door {name}. {cat.number} is gestart in "
                       f"<#{cat.channel_id}>.")
            requester = org.find(request.requester_id) if request.requester_id != cat.activated_by else None
            request_id = request.id
        for channel, ts in copies:  # a card updated again shows the same decision: harmless to repeat
            deps.gateway.update(channel, ts, text, card)
        slack_id = slack_id_outside(deps, requester)
        if not slack_id:
            return {"cards": len(copies), "requester_told": False}
        metadata = {"event_type": OUTCOME_EVENT, "event_payload": {"request_id": request_id}}

        def tell() -> dict[str, Any]:
            channel, ts = deps.gateway.dm(slack_id, message, metadata=metadata)
            return {"channel": channel, "ts": ts}

        def recover() -> dict[str, Any] | None:  # the DM went out but its record did not: find it again
            channel = deps.gateway.im_channel(slack_id)
            ts = deps.gateway.find_by_metadata(channel, metadata)
            return {"channel": channel, "ts": ts} if ts else None

        run.once("requester-told", tell, recover=recover)
        return {"cards": len(copies), "requester_told": True}

    return tail


def decline(deps: Deps, director: Person, request_id: int, reason: str) -> RedButtonRequest:
    with deps.container.transaction() as session:
        request = requests.decline(session, deps.container.org, requests.get_request(session, request_id),
                                   director=director, reason=reason, now=deps.container.clock())
    with deps.container.transaction() as session:
        copies, text, card = _card_copies(deps, session, request, f"❌ Afgewezen door {director.name}: {reason}")
    for channel, ts in copies:
        deps.gateway.update(channel, ts, text, card)
    slack_id = slack_id_outside(deps, deps.container.org.find(request.requester_id))
    if slack_id:
        deps.gateway.dm(slack_id, f"Uw verzoek *{request.title}* is afgewezen door {director.name}. Reden: {reason}")
    return request


def statement_status(session: Session, cat: Cat) -> str:
    states = [s.state for s in session.scalars(select(Statement).where(Statement.cat_id == cat.id))]
    if StatementState.PUBLISHED.value in states:
        return "gepubliceerd"
    if StatementState.APPROVED.value in states:
        return "goedgekeurd, nog niet gepubliceerd"
    return f"{len(states)} concept(en), nog niets gepubliceerd" if states else "nog geen concept"


Rendered = tuple[str | None, str, list[dict[str, Any]]]  # channel, fallback text, blocks
CLAIM_STALE = timedelta(minutes=1)  # a claimed first post not made within this (a crash) may be made by another


_refreshing: dict[str, bool] = {}  # key → a thread of this process is bringing that message up to date
_refreshing_lock = threading.Lock()


def keep_post(deps: Deps, key: str, render: Callable[[Session], Rendered]) -> None:
    """One message per key, brought up to date; a burst of changes costs a few updates, not one each.

    While a thread of this process is updating the message, another change only asks it to render once more
    when it is done (its render reads everything committed by then). So 400 notes in a second do not make 400
    chat.update calls (Slack allows about 50 a minute) or take the CPU the next commands' acks need.
    """
    with _refreshing_lock:
        if key in _refreshing:
            _refreshing[key] = True
            return
        _refreshing[key] = False
    try:
        while True:
            _keep_post_once(deps, key, render)
            with _refreshing_lock:  # done, unless a change came in meanwhile (decided under the same lock)
                if not _refreshing[key]:
                    del _refreshing[key]
                    return
                _refreshing[key] = False
    except BaseException:
        with _refreshing_lock:
            _refreshing.pop(key, None)
        raise


def _keep_post_once(deps: Deps, key: str, render: Callable[[Session], Rendered]) -> None:
    """One message per key: posted once, updated in place after that; Slack is called with no transaction open.

    Two handlers that both find no message yet (two commands a few milliseconds apart) must not post two: the
    first claims the key in the database (a row without ts) and the other leaves the message to it. The first
    renders again once its post is recorded and updates it if the state moved on meanwhile, so the message
    always ends showing what the last handler committed.
    """
    now = deps.container.clock()
    update_at: tuple[str, str] | None = None  # the message to update in place
    post_to: str | None = None  # or the channel to post it in first, having claimed the key
    try:
        with deps.container.transaction() as session:
            channel, text, content = render(session)
            post = session.get(SlackPost, key)
            if post is not None and (post.ts or post.created_at > now - CLAIM_STALE):
                if post.ts:  # no ts: another handler's first post is still under way
                    update_at = (post.channel_id, post.ts)
            elif channel:
                post_to = channel
                if post is None:
                    session.add(SlackPost(key=key, channel_id=channel, ts="", created_at=now))
                else:  # a claim left by a crash: take it over
                    post.channel_id, post.created_at = channel, now
    except IntegrityError:  # another handler claimed the first post at the same moment (PostgreSQL)
        return
    if update_at is not None:
        deps.gateway.update(*update_at, text, content)
    if post_to is None:
        return
    try:
        posted_channel, ts = deps.gateway.post(post_to, text, content)
    except Exception:
        with deps.container.transaction() as session:  # release the claim, so the next handler posts
            claim = session.get(SlackPost, key)
            if claim is not None and not claim.ts:
                session.delete(claim)
        raise
    with deps.container.transaction() as session:
        claim = session.get(SlackPost, key)
        if claim is None:
            session.add(SlackPost(key=key, channel_id=posted_channel, ts=ts, created_at=now))
        else:
            claim.channel_id, claim.ts = posted_channel, ts
        _, latest_text, latest = render(session)
    if (latest_text, latest) != (text, content):
        deps.gateway.update(posted_channel, ts, latest_text, latest)


def update_status(deps: Deps, cat_id: int) -> None:
    """Post the CAT's status once, later update it in place (see keep_post)."""

    def render(session: Session) -> Rendered:
        cat = service.get_cat(session, cat_id)
        status = blocks.status_blocks(cat, open_gaps=[g.message for g in open_gaps(cat)],
                                      last_update=timeline.last_activity(session, cat), now=deps.container.clock(),
                                      statements=statement_status(session, cat))
        return cat.channel_id, f"Status {cat.number}", status

    keep_post(deps, f"cat:{cat_id}:status", render)


def update_kickoff(deps: Deps, cat_id: int) -> None:
    """Update the pinned kickoff in place (after the team changed), with no transaction open during the call."""
    with deps.container.transaction() as session:
        cat = service.get_cat(session, cat_id)
        if not (cat.channel_id and cat.kickoff_ts):
            return
        kickoff = build_kickoff(session, deps.container.org, cat, playbook_checklist)
        channel_id, ts = cat.channel_id, cat.kickoff_ts
    deps.gateway.publish_kickoff(channel_id=channel_id, kickoff=kickoff, ts=ts)


def record_message(deps: Deps, user_id: str, channel: str, ts: str) -> tuple[Cat, bool]:
    """Put a channel message on the CAT's timeline once, with its original time and permalink.

    The message, its permalink and the person are fetched from Slack before the recording transaction opens.
    """
    with deps.container.transaction() as session:
        if service.cat_for_channel(session, channel) is None:
            raise InvalidInput("dit kanaal hoort niet bij een CAT; berichten vastleggen kan alleen in een CAT-kanaal")
    actor = deps.person_outside(user_id)
    message = deps.gateway.message(channel, ts)
    if message is None:
        raise NotFound("het bericht is niet (meer) te vinden")
    permalink = deps.gateway.permalink(channel, ts)
    with deps.container.transaction() as session:
        cat = service.cat_for_channel(session, channel)
        assert cat is not None
        author = deps.container.org.find(str(message.get("user", "")))
        text = str(message.get("text", "")) or "(bericht zonder tekst)"
        prefix = f"{author.name}: " if author else ""
        _, created = service.record(session, deps.container.org, cat, EventKind.NOTE, actor=actor,
                                    text=prefix + text, now=deps.container.clock(),
                                    occurred_at=datetime.fromtimestamp(float(ts), UTC), source_url=permalink,
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
