"""The emulated workspace: users, channels, messages, pins, bookmarks, views, files, triggers, response URLs."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class User:
    """A workspace member (seeded)."""

    id: str
    name: str
    real_name: str = ""
    email: str = ""
    is_bot: bool = False
    deleted: bool = False


@dataclass
class Channel:
    """A public or private channel, a DM (im) or a group DM (mpim)."""

    id: str
    name: str
    created: int
    creator: str
    is_private: bool = False
    is_im: bool = False
    is_mpim: bool = False
    is_archived: bool = False
    members: list[str] = field(default_factory=list)
    topic: dict[str, Any] = field(default_factory=lambda: {"value": "", "creator": "", "last_set": 0})
    purpose: dict[str, Any] = field(default_factory=lambda: {"value": "", "creator": "", "last_set": 0})
    user: str | None = None  # the other party of an im


@dataclass
class Message:
    """A message as Slack stores it; `edits` keeps earlier versions for the transcript."""

    channel: str
    ts: str
    user: str
    text: str = ""
    blocks: list[Any] | None = None
    thread_ts: str | None = None
    bot_id: str | None = None
    metadata: dict[str, Any] | None = None
    files: list[str] = field(default_factory=list)
    attachments: list[Any] | None = None
    reactions: dict[str, list[str]] = field(default_factory=dict)
    edits: list[dict[str, Any]] = field(default_factory=list)
    edited: dict[str, str] | None = None
    reply_broadcast: bool = False


@dataclass
class Ephemeral:
    """A message only one user sees (chat.postEphemeral, command responses, response_url)."""

    channel: str
    user: str
    ts: str
    text: str = ""
    blocks: list[Any] | None = None
    thread_ts: str | None = None
    source: str = "chat.postEphemeral"


@dataclass
class View:
    """A modal in a user's view stack, or a user's App Home."""

    id: str
    user_id: str
    type: str
    payload: dict[str, Any]
    hash: str
    root_view_id: str
    previous_view_id: str | None = None
    external_id: str = ""
    state: dict[str, Any] = field(default_factory=lambda: {"values": {}})
    closed: bool = False
    errors: dict[str, str] = field(default_factory=dict)  # the last response_action "errors", per block_id
    versions: list[dict[str, Any]] = field(default_factory=list)  # earlier payloads, for transcripts

    def replace(self, payload: dict[str, Any]) -> None:
        """Show new content, keeping the earlier version."""
        self.versions.append(self.payload)
        self.payload = payload


@dataclass
class File:
    """A file uploaded through files.getUploadURLExternal → POST → files.completeUploadExternal."""

    id: str
    name: str
    length: int
    user: str
    created: int
    title: str = ""
    alt_txt: str | None = None
    uploaded_bytes: int | None = None
    completed: bool = False
    channels: list[str] = field(default_factory=list)
    content: bytes = field(default=b"", repr=False)


@dataclass
class Bookmark:
    """A channel bookmark (type link)."""

    id: str
    channel_id: str
    title: str
    link: str
    type: str
    emoji: str | None
    date_created: int
    created_by: str


@dataclass
class Trigger:
    """A trigger_id handed to the bot with an interaction: valid for a few seconds, usable once."""

    id: str
    user_id: str
    expires_at: float
    used: bool = False


@dataclass
class ResponseUrl:
    """A response_url handed to the bot; what the bot posted to it is kept in `posts`."""

    token: str
    user_id: str
    channel_id: str | None
    message_ts: str | None
    expires_at: float
    posts: list[dict[str, Any]] = field(default_factory=list)


class Workspace:
    """All emulated state behind one lock; ids and message timestamps are unique and increasing."""

    def __init__(self, team_id: str, bot_user_id: str, clock: Any = time.time) -> None:
        self.lock = threading.RLock()
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.clock = clock
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.messages: dict[str, list[Message]] = {}
        self.deleted: list[dict[str, Any]] = []
        self.ephemerals: list[Ephemeral] = []
        self.pins: dict[str, list[dict[str, Any]]] = {}
        self.bookmarks: dict[str, list[Bookmark]] = {}
        self.views: dict[str, View] = {}
        self.stacks: dict[str, list[str]] = {}  # user id → open modal view ids, root first
        self.homes: dict[str, str] = {}  # user id → home view id
        self.files: dict[str, File] = {}
        self.triggers: dict[str, Trigger] = {}
        self.response_urls: dict[str, ResponseUrl] = {}
        self._counter = itertools.count(1)
        self._last_ts = 0.0

    def new_id(self, prefix: str) -> str:
        """A fresh Slack-looking id such as C0000000007."""
        return f"{prefix}{next(self._counter):010d}"

    def new_ts(self) -> str:
        """A unique, increasing message timestamp "seconds.micros" near the clock."""
        now = max(float(self.clock()), self._last_ts + 0.000001)
        self._last_ts = now
        return f"{now:.6f}"

    def message(self, channel: str, ts: str) -> Message | None:
        """The message with this ts in this channel (a top-level message or a reply)."""
        return next((m for m in self.messages.get(channel, []) if m.ts == ts), None)

    def channel_by_name(self, name: str) -> Channel | None:
        """A channel (archived ones included) by its name."""
        return next((c for c in self.channels.values() if c.name == name and not c.is_im), None)

    def snapshot(self) -> dict[str, Any]:
        """Everything as JSON-ready data for GET /_emulator/state."""
        files = []
        for f in self.files.values():
            data = asdict(f)
            data.pop("content")
            files.append(data)
        return {
            "team_id": self.team_id,
            "bot_user_id": self.bot_user_id,
            "users": [asdict(u) for u in self.users.values()],
            "channels": [asdict(c) for c in self.channels.values()],
            "messages": {c: [asdict(m) for m in ms] for c, ms in self.messages.items()},
            "deleted_messages": list(self.deleted),
            "ephemeral_messages": [asdict(e) for e in self.ephemerals],
            "pins": dict(self.pins),
            "bookmarks": {c: [asdict(b) for b in bs] for c, bs in self.bookmarks.items()},
            "views": [asdict(v) for v in self.views.values()],
            "view_stacks": dict(self.stacks),
            "home_views": dict(self.homes),
            "files": files,
            "response_urls": [asdict(r) for r in self.response_urls.values()],
        }
