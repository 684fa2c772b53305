"""Authorisation middleware: who the user is; only deciders decide on the red button; only CAT members write.

Who counts is configured in the organisation file (`director` roles and `policy:`); the domain services
enforce the same rules again, so this gate only answers early and in the user's own place.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from slack_bolt import BoltResponse

from bot.cat import membership, requests, service
from bot.errors import DomainError, NotFound
from bot.slack import ids
from bot.slack.deps import Deps, tell_user, user_and_channel

DECISIONS = {ids.ACTION_APPROVE, ids.ACTION_DECLINE}
DECISION_VIEWS = {ids.APPROVE_MODAL, ids.DECLINE_MODAL}
WRITING_COMMANDS = {"notitie", "besluit", "advies", "lid", "sluit", "export"}


def _what(body: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """(kind, user, channel) of a request that needs a check, or ("", …) when it needs none."""
    kind = body.get("type")
    if kind == "block_actions" and any(a.get("action_id") in DECISIONS for a in body.get("actions", [])):
        return "decide", body["user"]["id"], None
    if kind == "view_submission" and body.get("view", {}).get("callback_id") in DECISION_VIEWS:
        return "decide", body["user"]["id"], None
    if body.get("command") == "/cat" and (body.get("text") or "").strip().split(" ")[0].lower() in WRITING_COMMANDS:
        return "write", body.get("user_id"), body.get("channel_id")
    if kind == "message_action" and body.get("callback_id") == ids.SHORTCUT_TIMELINE:
        return "write", body["user"]["id"], body["channel"]["id"]
    event = body.get("event") or {}
    if event.get("type") == "reaction_added" and event.get("reaction") == ids.PIN_REACTION:
        return "write", event.get("user"), (event.get("item") or {}).get("channel")
    return "", None, None


def authorize(deps: Deps) -> Callable[..., BoltResponse | None]:
    """Refuse decisions and timeline writes by people who may not make them, in plain Dutch."""

    def middleware(body: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse | None:  # noqa: A002
        kind, user, channel = _what(body)
        if not kind or not user:
            return next()
        try:
            with deps.container.transaction() as session:
                person = deps.person(session, user)
                if kind == "decide":
                    requests.require_director(deps.container.org, person)
                else:
                    cat = service.cat_for_channel(session, channel or "")
                    if cat is not None:  # outside a CAT channel the listener explains that itself
                        membership.require_writer(deps.container.org, cat, person)
        except DomainError as exc:
            message = f"{str(exc)[:1].upper()}{str(exc)[1:]}"
            if body.get("type") == "view_submission":
                block = "advice_to" if body["view"]["callback_id"] == ids.APPROVE_MODAL else "reason"
                return BoltResponse(status=200, body=json.dumps({"response_action": "errors",
                                                                 "errors": {block: message[:150]}}),
                                    headers={"content-type": "application/json"})
            tell_user(deps, body, f":no_entry: {message}")
            return BoltResponse(status=200, body="")
        return next()

    return middleware


def know_users(deps: Deps) -> Callable[..., BoltResponse | None]:
    """Ask Slack who a not-yet-known user is before any listener opens a transaction.

    The answer is cached, so listeners find the person in the database and never call Slack with a transaction
    open; someone who is not in the organisation file hears that from the listener, in Dutch.
    """

    def middleware(body: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse | None:  # noqa: A002
        user, _ = user_and_channel(body)
        if user:
            with suppress(NotFound):
                deps.person_outside(user)
        return next()

    return middleware
