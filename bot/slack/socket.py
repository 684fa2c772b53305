"""Socket Mode: the bot without a public URL (Slack's websocket, through Bolt's built-in adapter)."""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler


def socket_mode_handler(app: App, app_token: str) -> SocketModeHandler:
    """A handler to connect() and close(); keeps the slack_bolt import inside bot/slack."""
    return SocketModeHandler(app, app_token)
