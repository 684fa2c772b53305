"""Outgoing ports of the CAT domain, and a recording implementation for the CLI and tests.

Contract for implementations: every method is idempotent by its key (the CAT number for the channel,
channel + CAT number for the kickoff), so a saga step re-run after a crash never duplicates an effect.
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
    """Effects of activation on the chat platform."""

    def ensure_channel(self, *, cat_number: str, name: str, topic: str) -> ChannelRef:
        """Create the private CAT channel, or return the one already made for this CAT."""
        ...

    def invite(self, *, channel_id: str, user_ids: Sequence[str]) -> None:
        """Invite users; users already in the channel are fine."""
        ...

    def publish_kickoff(self, *, channel_id: str, kickoff: Kickoff, ts: str | None) -> str:
        """Post (and pin) the kickoff, or update it in place; returns the message ts."""
        ...

    def bookmark_document(self, *, channel_id: str, title: str, filename: str, content: str) -> None:
        """Share a document in the channel and bookmark it under `title`, unless that bookmark exists."""
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
    posts: int = 0
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def ensure_channel(self, *, cat_number: str, name: str, topic: str) -> ChannelRef:
        self.calls.append(("ensure_channel", {"cat_number": cat_number, "name": name}))
        if cat_number not in self.channels:
            self.channels[cat_number] = ChannelRef(f"C{len(self.channels) + 1:08d}", name)
            self.members[self.channels[cat_number].id] = set()
        return self.channels[cat_number]

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

    def bookmark_document(self, *, channel_id: str, title: str, filename: str, content: str) -> None:
        self.calls.append(("bookmark_document", {"channel_id": channel_id, "title": title}))
        self.documents.setdefault(channel_id, {}).setdefault(title, content)

    def lookup_by_email(self, email: str) -> str | None:
        self.calls.append(("lookup_by_email", {"email": email}))
        return self.emails_to_slack.get(email)

    def count(self, name: str) -> int:
        return sum(1 for call, _ in self.calls if call == name)
