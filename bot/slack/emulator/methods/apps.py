"""apps.connections.open: the Socket Mode URL (an app-level token, not the bot token)."""

from __future__ import annotations

import uuid
from typing import Any

from bot.slack.emulator.methods.registry import Args, Context, method


@method("apps.connections.open")
def connections_open(ctx: Context, args: Args) -> dict[str, Any]:
    """A one-time WebSocket URL on this emulator."""
    return {"url": f"{ctx.base_url.replace('http://', 'ws://', 1)}/socket-mode/{uuid.uuid4().hex}"}
