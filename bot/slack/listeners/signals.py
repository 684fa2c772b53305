"""Pile-up signal cards: posting (with the chart), Rode knop aanvragen, Koppel aan CAT and Negeren."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.cat import service
from bot.cat.timeline import EventKind
from bot.errors import InvalidInput
from bot.slack import blocks
from bot.slack.deps import Deps, user_facing
from bot.slack.forms import selected_values, text_value
from bot.slack.signal_blocks import (
    ACTION_SIGNAL_DISMISS,
    ACTION_SIGNAL_LINK,
    ACTION_SIGNAL_RODE_KNOP,
    SIGNAL_DISMISS_MODAL,
    SIGNAL_LINK_MODAL,
    dismiss_modal,
    link_modal,
    resolved_card,
    signal_links,
)
from monitors.pileup import SignalError, set_status
from monitors.report import signal_details


def _clicked(body: dict[str, Any]) -> tuple[int, str, str, list[dict[str, Any]]]:
    value = str((body.get("actions") or [{}])[0].get("value", ""))
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or ""
    message = body.get("message") or {}
    if not value.isdigit():
        raise InvalidInput("onbekend signaal")
    return int(value), str(channel), str(message.get("ts", "")), list(message.get("blocks") or [])


def _status(session: Session, signal_id: int, status: str, **kwargs: Any) -> None:
    try:
        set_status(session, signal_id, status, **kwargs)
    except SignalError as exc:
        raise InvalidInput(str(exc)) from None


def register(app: App, deps: Deps) -> None:
    guard = user_facing(deps)
    container = deps.container

    def resolve(channel: str, ts: str, outcome: str) -> None:
        original = (deps.gateway.message(channel, ts) or {}).get("blocks") if channel and ts else None
        if original:
            deps.gateway.update(channel, ts, outcome, resolved_card(original, outcome))

    @app.action(ACTION_SIGNAL_RODE_KNOP)
    @guard
    def rode_knop(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        signal_id, channel, _, _ = _clicked(body)
        with container.transaction() as session:
            actor = deps.person(session, body["user"]["id"])
            signal, incidents, _ = signal_details(session, signal_id)
            _status(session, signal_id, "escalated", by=actor.id, now=container.clock())
        categories = [signal["category"]] if signal["category"] else sorted(
            {c for i in incidents for c in i["categories"]})
        client.views_open(trigger_id=body["trigger_id"], view=blocks.rode_knop_modal(
            reason=signal["reason"], units_selected=signal["units"], categories=categories,
            links=signal_links(incidents), metadata={"channel": channel, "signal_id": signal_id}))

    @app.action(ACTION_SIGNAL_DISMISS)
    @guard
    def dismiss_clicked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        signal_id, channel, ts, _ = _clicked(body)
        client.views_open(trigger_id=body["trigger_id"], view=dismiss_modal(signal_id, channel=channel, ts=ts))

    @app.view(SIGNAL_DISMISS_MODAL)
    @guard
    def dismissed(ack: Ack, body: dict[str, Any]) -> None:
        meta = json.loads(body["view"].get("private_metadata") or "{}")
        reason = text_value(body["view"], "reason")
        if not reason:
            ack(response_action="errors", errors={"reason": "Geef een reden"})
            return
        ack()
        with container.transaction() as session:
            actor = deps.person(session, body["user"]["id"])
            _status(session, int(meta["signal_id"]), "dismissed", by=actor.id, now=container.clock(), reason=reason)
        resolve(meta.get("channel", ""), meta.get("ts", ""), f"🔕 Genegeerd door {actor.name}: {reason}")

    @app.action(ACTION_SIGNAL_LINK)
    @guard
    def link_clicked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        signal_id, channel, ts, _ = _clicked(body)
        with container.transaction() as session:
            cats = [(c.number, c.title) for c in service.list_cats(session, include_closed=False)]
        if not cats:
            raise InvalidInput("er is geen actieve CAT om dit signaal aan te koppelen")
        client.views_open(trigger_id=body["trigger_id"], view=link_modal(signal_id, cats, channel=channel, ts=ts))

    @app.view(SIGNAL_LINK_MODAL)
    @guard
    def linked(ack: Ack, body: dict[str, Any]) -> None:
        meta = json.loads(body["view"].get("private_metadata") or "{}")
        [number] = selected_values(body["view"], "cat")
        ack()
        now = container.clock()
        with container.transaction() as session:
            actor = deps.person(session, body["user"]["id"])
            cat = service.get_cat(session, number)
            _, incidents, _ = signal_details(session, int(meta["signal_id"]))
            for article in [a for i in incidents for a in i["articles"]]:
                service.record(session, container.org, cat, EventKind.MEDIA_LINKED, actor=actor, now=now,
                               text=f"{article['title']} ({article['source']})", source_url=article["url"],
                               occurred_at=min(article["published"], now),
                               natural_key=f"signal:{meta['signal_id']}:{article['url'] or article['title']}")
            _status(session, int(meta["signal_id"]), "linked", by=actor.id, now=now, cat=cat.number)
        resolve(meta.get("channel", ""), meta.get("ts", ""), f"🔗 Gekoppeld aan {number} door {actor.name}.")
