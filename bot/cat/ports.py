"""Outgoing ports of the CAT domain, and a recording implementation for the CLI and tests.

Contract for implementations: every effect can be found again by its key (the channel by its name, the
kickoff by its metadata, a document by its file name, a bookmark by its title), so a saga step re-run
after a crash never duplicates an effect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol


@dataclass(frozen=True)
class ChannelRef:
    id: str
    name: str


@dataclass(frozen=True)
class KickoffMember:
    party: str
    name: str
    role: str
    reason: str
    slack_id: str | None


@dataclass(frozen=True)
class DraftView:
    statement_id: int
    label: str
    text: str


@dataclass(frozen=True)
class Kickoff:
    """What the kickoff message says; the Slack adapter renders it as Block Kit."""

    cat_number: str
    title: str
    summary: str
    units: list[str]
    categories: list[str]
    links: list[str]
    members: list[KickoffMember]
    gaps: list[str]
    advice_recipients: list[str]
    checklist: list[str]
    drafts: list[DraftView]


@dataclass(frozen=True)
class DraftText:
    category: str
    phase: str
    channel: str
    text: str


class CatEffects(Protocol):
    """Effects of activation on the chat platform.

    The saga commits its intent before each call and the outcome after it, and never holds a transaction
    across one; what a call made is found again by name (channel) or file name (document) after a crash.
    """

    def create_channel(self, *, name: str) -> ChannelRef | None:
        """Create a private channel; None when the name is taken."""
        ...

    def find_channel(self, *, name: str) -> ChannelRef | None:
        """The private channel of this name that this app created, if any (a create whose answer was lost)."""
        ...

    def describe_channel(self, *, channel_id: str, purpose: str, topic: str) -> None:
        """Set purpose and topic (setting them again is harmless)."""
        ...

    def invite(self, *, channel_id: str, user_ids: Sequence[str]) -> None:
        """Invite users; users already in the channel are fine."""
        ...

    def publish_kickoff(self, *, channel_id: str, kickoff: Kickoff, ts: str | None) -> str:
        """Post (and pin) the kickoff, or update it in place; a lost ts is found again. Returns the message ts."""
        ...

    def upload_document(self, *, channel_id: str, title: str, filename: str, content: str) -> str | None:
        """Share a document in the channel; returns its link."""
        ...

    def find_document(self, *, channel_id: str, filename: str) -> str | None:
        """The link of a document with this file name this app already shared in the channel, if any."""
        ...

    def bookmark(self, channel: str, title: str, link: str) -> None:
        """Bookmark a link under `title`, unless a bookmark with that title exists."""
        ...


class Drafter(Protocol):
    """Drafts the first norm statements for a CAT's categories from the playbooks."""

    def __call__(self, *, categories: Sequence[str], unit_codes: Sequence[str], day: date) -> list[DraftText]: ...


@dataclass
class RecordingEffects:
    """An in-memory CatEffects (and UserDirectory) that records every call; used by the CLI and tests."""

    emails_to_slack: dict[str, str] = field(default_factory=dict)
    channels: dict[str, ChannelRef] = field(default_factory=dict)
    members: dict[str, set[str]] = field(default_factory=dict)
    kickoffs: dict[str, Kickoff] = field(default_factory=dict)
    kickoff_ts: dict[str, str] = field(default_factory=dict)
    documents: dict[str, dict[str, str]] = field(default_factory=dict)
    uploads: dict[str, list[str]] = field(default_factory=dict)
    bookmarks: dict[str, dict[str, str]] = field(default_factory=dict)
    purposes: dict[str, str] = field(default_factory=dict)
    taken_names: set[str] = field(default_factory=set)
    posts: int = 0
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def create_channel(self, *, name: str) -> ChannelRef | None:
        self.calls.append(("create_channel", {"name": name}))
        if name in self.channels or name in self.taken_names:
            return None
        self.channels[name] = ChannelRef(f"C{len(self.channels) + 1:08d}", name)
        self.members[self.channels[name].id] = set()
        return self.channels[name]

    def find_channel(self, *, name: str) -> ChannelRef | None:
        self.calls.append(("find_channel", {"name": name}))
        return self.channels.get(name)

    def describe_channel(self, *, channel_id: str, purpose: str, topic: str) -> None:
        self.calls.append(("describe_channel", {"channel_id": channel_id}))
        self.purposes[channel_id] = purpose

    def channel_of(self, cat_number: str) -> ChannelRef:
        """The channel whose purpose names this CAT (for tests and the CLI's report)."""
        return next(ref for ref in self.channels.values() if self.purposes.get(ref.id, "").startswith(cat_number))

    def invite(self, *, channel_id: str, user_ids: Sequence[str]) -> None:
        self.calls.append(("invite", {"channel_id": channel_id, "user_ids": list(user_ids)}))
        self.members[channel_id].update(user_ids)

    def publish_kickoff(self, *, channel_id: str, kickoff: Kickoff, ts: str | None) -> str:
        self.calls.append(("publish_kickoff", {"channel_id": channel_id, "ts": ts}))
        self.kickoffs[channel_id] = kickoff
        if channel_id not in self.kickoff_ts:  # a lost ts finds the existing kickoff, as Slack's adapter does
            self.posts += 1
            self.kickoff_ts[channel_id] = f"{1700000000 + self.posts}.000100"
        return self.kickoff_ts[channel_id]

    def upload_document(self, *, channel_id: str, title: str, filename: str, content: str) -> str | None:
        self.calls.append(("upload_document", {"channel_id": channel_id, "filename": filename}))
        self.uploads.setdefault(channel_id, []).append(filename)
        self.documents.setdefault(channel_id, {})[filename] = content
        return f"https://files.example/{channel_id}/{filename}"

    def find_document(self, *, channel_id: str, filename: str) -> str | None:
        self.calls.append(("find_document", {"channel_id": channel_id, "filename": filename}))
        found = filename in self.documents.get(channel_id, {})
        return f"https://files.example/{channel_id}/{filename}" if found else None

    def bookmark(self, channel: str, title: str, link: str) -> None:
        self.calls.append(("bookmark", {"channel_id": channel, "title": title}))
        self.bookmarks.setdefault(channel, {}).setdefault(title, link)

    def lookup_by_email(self, email: str) -> str | None:
        self.calls.append(("lookup_by_email", {"email": email}))
        return self.emails_to_slack.get(email)

    def count(self, name: str) -> int:
        return sum(1 for call, _ in self.calls if call == name)
