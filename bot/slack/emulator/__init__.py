"""A local Slack: Web API with state and Slack's contract checks, fault injection, and signed delivery."""

from bot.slack.emulator.server import DEFAULT_BOT_TOKEN, DEFAULT_SIGNING_SECRET, Emulator

__all__ = ["DEFAULT_BOT_TOKEN", "DEFAULT_SIGNING_SECRET", "Emulator"]
