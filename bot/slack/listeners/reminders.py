"""Reminder buttons in the CAT channel: Snooze 30 min / 1 u / 2 u and Negeren."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App

from bot.errors import InvalidInput
from bot.localtime import fmt
from bot.scheduling import reminders
from bot.slack.deps import Deps, user_facing
from bot.slack.reminder_blocks import ACTION_DISMISS, ACTION_SNOOZE, resolved_blocks


def _clicked(body: dict[str, Any]) -> tuple[str, str, str, list[dict[str, Any]]]:
    """(button value, channel, message ts, the message's blocks) of a block action."""
    action = (body.get("actions") or [{}])[0]
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    if not channel or not message.get("ts"):
        raise InvalidInput("deze knop hoort bij een bericht dat niet meer te vinden is")
    return str(action.get("value", "")), str(channel), str(message["ts"]), list(message.get("blocks") or [])


def register(app: App, deps: Deps) -> None:
    guard = user_facing(deps)
    container = deps.container

    @app.action(re.compile(rf"^{ACTION_SNOOZE}_\d+$"))
    @guard
    def snooze(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        value, channel, ts, original = _clicked(body)
        reminder_id, _, minutes = value.partition(":")
        if not reminder_id.isdigit() or int(minutes or 0) not in reminders.SNOOZE_CHOICES:
            raise InvalidInput("onbekende keuze voor uitstellen")
        with container.transaction() as session:
            actor = deps.person(session, body["user"]["id"])
            reminder = reminders.snooze(session, container.org, int(reminder_id), actor=actor,
                                        minutes=int(minutes), now=container.clock())
            due = reminder.due_at
        outcome = f"⏰ Uitgesteld tot {fmt(due, with_date=False)} door {actor.name}."
        deps.gateway.update(channel, ts, f"{outcome} ({_fallback(body)})", resolved_blocks(original, outcome))

    @app.action(ACTION_DISMISS)
    @guard
    def dismiss(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        value, channel, ts, original = _clicked(body)
        if not value.isdigit():
            raise InvalidInput("onbekende herinnering")
        with container.transaction() as session:
            actor = deps.person(session, body["user"]["id"])
            reminder = reminders.dismiss(session, container.org, int(value), actor=actor, now=container.clock())
            cadence = reminders.is_cadence(reminder.kind)
        outcome = f"🔕 Genegeerd door {actor.name}" + (": geen updateherinneringen meer voor deze doelgroep."
                                                         if cadence else ".")
        deps.gateway.update(channel, ts, f"{outcome} ({_fallback(body)})", resolved_blocks(original, outcome))


def _fallback(body: dict[str, Any]) -> str:
    return str((body.get("message") or {}).get("text") or "herinnering")[:200]

