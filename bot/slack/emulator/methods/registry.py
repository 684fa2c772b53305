"""The method table and the context every Web API handler receives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.slack.emulator.state import Workspace

Args = dict[str, Any]


@dataclass
class Context:
    """What a handler may use: the workspace and the emulator's identity."""

    ws: Workspace
    base_url: str
    app_id: str
    bot_id: str
    team_name: str
    team_domain: str
    trigger_ttl: float
    observed_limits: bool = False


Handler = Callable[[Context, Args], dict[str, Any]]
REGISTRY: dict[str, Handler] = {}


def method(name: str) -> Callable[[Handler], Handler]:
    """Register a handler under its Web API method name."""

    def register(handler: Handler) -> Handler:
        REGISTRY[name] = handler
        return handler

    return register
