"""Resolve people's e-mail addresses to Slack user ids through a directory port, with a cache."""

from __future__ import annotations

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


def slack_id_for(session: Session, directory: UserDirectory | None, person: Person, now: datetime) -> str | None:
    """The person's Slack id: from the organisation file, the cache, or the directory (then cached)."""
    if person.slack_id:
        return person.slack_id
    if not person.email:
        return None
    entry = session.get(SlackIdCacheEntry, person.email)
    ttl = CACHE_TTL if entry is not None and entry.slack_user_id else MISS_TTL
    if entry is not None and (directory is None or now - entry.resolved_at < ttl):
        return entry.slack_user_id
    if directory is None:
        return None
    found = directory.lookup_by_email(person.email)
    if entry is None:
        session.add(SlackIdCacheEntry(email=person.email, slack_user_id=found, resolved_at=now))
    else:
        entry.slack_user_id, entry.resolved_at = found, now
    session.flush()
    return found


def person_for_slack_id(session: Session, org: Organisation, slack_user_id: str) -> Person | None:
    """The person behind a Slack user id: from the file, or through the cache of resolved e-mails."""
    person = org.find(slack_user_id)
    if person is not None:
        return person
    email = session.scalar(select(SlackIdCacheEntry.email).where(SlackIdCacheEntry.slack_user_id == slack_user_id))
    return org.find(email) if email else None
