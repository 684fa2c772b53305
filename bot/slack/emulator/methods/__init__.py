"""Web API method families; importing this package fills the method table."""

from bot.slack.emulator.methods import apps, chat, conversations, files, history, items, users, views
from bot.slack.emulator.methods.registry import REGISTRY, Context

__all__ = ["REGISTRY", "Context", "apps", "chat", "conversations", "files", "history", "items", "users", "views"]
