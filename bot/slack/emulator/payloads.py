"""Inbound payloads in the shapes Slack sends them (see tests/data/slack/payloads/): events, interactions, commands."""

from __future__ import annotations

import secrets
from typing import Any


def new_event_id() -> str:
    """An Events API event_id such as Ev08ABC…"""
    return "Ev" + secrets.token_hex(5).upper()


def event_envelope(event: dict[str, Any], *, team_id: str, api_app_id: str, bot_user_id: str,
                   event_time: int, event_id: str | None = None, token: str = "") -> dict[str, Any]:
    """An event_callback envelope with authorizations, as the Events API posts it."""
    return {
        "token": token,
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or new_event_id(),
        "event_time": event_time,
        "authorizations": [{"enterprise_id": None, "team_id": team_id, "user_id": bot_user_id, "is_bot": True,
                            "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
        "event_context": "4-" + secrets.token_hex(16),
    }


def url_verification(challenge: str, token: str = "") -> dict[str, Any]:
    """The handshake Slack sends when the events URL is configured."""
    return {"token": token, "challenge": challenge, "type": "url_verification"}


def message_event(*, channel: str, user: str, text: str, ts: str, team_id: str,
                  thread_ts: str | None = None, channel_type: str = "channel") -> dict[str, Any]:
    """A `message` event for a person's message."""
    event = {"type": "message", "user": user, "text": text, "ts": ts, "team": team_id, "channel": channel,
             "event_ts": ts, "channel_type": channel_type,
             "blocks": [{"type": "rich_text", "block_id": secrets.token_hex(2), "elements": [
                 {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}]}]}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def reaction_added_event(*, user: str, reaction: str, channel: str, ts: str, item_user: str,
                         event_ts: str) -> dict[str, Any]:
    """A `reaction_added` event for a message."""
    return {"type": "reaction_added", "user": user, "reaction": reaction, "item_user": item_user,
            "item": {"type": "message", "channel": channel, "ts": ts}, "event_ts": event_ts}


def app_home_opened_event(*, user: str, channel: str, event_ts: str, view: dict[str, Any] | None) -> dict[str, Any]:
    """An `app_home_opened` event (the Home tab)."""
    event: dict[str, Any] = {"type": "app_home_opened", "user": user, "channel": channel, "tab": "home",
                             "event_ts": event_ts}
    if view is not None:
        event["view"] = view
    return event


def member_joined_channel_event(*, user: str, channel: str, channel_type: str, team_id: str, inviter: str | None,
                                event_ts: str) -> dict[str, Any]:
    """A `member_joined_channel` event."""
    event = {"type": "member_joined_channel", "user": user, "channel": channel, "channel_type": channel_type,
             "team": team_id, "event_ts": event_ts}
    if inviter:
        event["inviter"] = inviter
    return event


def slash_command(*, command: str, text: str, user_id: str, user_name: str, channel_id: str, channel_name: str,
                  team_id: str, team_domain: str, api_app_id: str, trigger_id: str, response_url: str,
                  token: str = "") -> dict[str, str]:
    """The form fields of a slash command request."""
    return {"token": token, "team_id": team_id, "team_domain": team_domain, "channel_id": channel_id,
            "channel_name": channel_name, "user_id": user_id, "user_name": user_name, "command": command,
            "text": text, "api_app_id": api_app_id, "is_enterprise_install": "false",
            "response_url": response_url, "trigger_id": trigger_id}


def user_ref(user_id: str, name: str, team_id: str) -> dict[str, Any]:
    """The `user` object of interactivity payloads."""
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def team_ref(team_id: str, domain: str) -> dict[str, Any]:
    """The `team` object of interactivity payloads."""
    return {"id": team_id, "domain": domain}


def interaction(kind: str, *, user: dict[str, Any], team: dict[str, Any], api_app_id: str, token: str = "",
                **fields: Any) -> dict[str, Any]:
    """An interactivity payload: block_actions, view_submission, view_closed, shortcut or message_action."""
    payload: dict[str, Any] = {"type": kind, "user": user, "api_app_id": api_app_id, "token": token, "team": team,
                               "is_enterprise_install": False, "enterprise": None}
    payload.update({k: v for k, v in fields.items() if v is not None})
    return payload
