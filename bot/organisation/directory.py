"""Resolve people's e-mail addresses to Slack user ids through a directory port, with a cache."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.organisation.model import Organisation, Person
from bot.organisation.models import SlackIdCacheEntry

CACHE_TTL = timedelta(days=7)
# Misses are retried sooner: a new colleague may join Slack today.
MISS_TTL = timedelta(hours=1)


class UserDirectory(Protocol):
    """Looks up a Slack user id by e-mail address (users.lookupByEmail in the Slack adapter)."""

    def lookup_by_email(self, email: str) -> str | None: ...


def known_slack_id(session: Session, person: Person, now: datetime, *, may_ask: bool) -> tuple[bool, str | None]:
    """(True, id or None) when the file or a fresh cache entry answers; (False, None) when the directory must be
    asked (outside any transaction: `remember_slack_id` stores the answer afterwards)."""
    if person.slack_id:
        return True, person.slack_id
    if not person.email:
        return True, None
    entry = session.get(SlackIdCacheEntry, person.email)
    ttl = CACHE_TTL if entry is not None and entry.slack_user_id else MISS_TTL
    if entry is not None and (not may_ask or now - entry.resolved_at < ttl):
        return True, entry.slack_user_id
    return (False, None) if may_ask else (True, None)


def remember_slack_id(session: Session, person: Person, found: str | None, now: datetime) -> None:
    """Cache what the directory answered for this person's e-mail address."""
    assert person.email
    entry = session.get(SlackIdCacheEntry, person.email)
    if entry is None:
        session.add(SlackIdCacheEntry(email=person.email, slack_user_id=found, resolved_at=now))
    else:
        entry.slack_user_id, entry.resolved_at = found, now
    session.flush()


def resolve_slack_id(transaction: Callable[[], AbstractContextManager[Session]], directory: UserDirectory,
                     person: Person, now: datetime) -> str | None:
    """The person's Slack id: from the file or the cache, else from the directory, asked with no transaction open
    (the answer is cached in a transaction of its own afterwards)."""
    with transaction() as session:
        known, slack_id = known_slack_id(session, person, now, may_ask=True)
    if known or not person.email:
        return slack_id
    found = directory.lookup_by_email(person.email)
    with transaction() as session:
        remember_slack_id(session, person, found, now)
    return found


def person_for_slack_id(session: Session, org: Organisation, slack_user_id: str) -> Person | None:
    """The person behind a Slack user id: from the file, or through the cache of resolved e-mails."""
    person = org.find(slack_user_id)
    if person is not None:
        return person
    email = session.scalar(select(SlackIdCacheEntry.email).where(SlackIdCacheEntry.slack_user_id == slack_user_id))
    return org.find(email) if email else None
