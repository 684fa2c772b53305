"""Web API method families; importing this package fills the method table."""

from bot.slack.emulator.methods import chat, conversations, files, history, items, users, views
from bot.slack.emulator.methods.registry import REGISTRY, Context

__all__ = ["REGISTRY", "Context", "chat", "conversations", "files", "history", "items", "users", "views"]
