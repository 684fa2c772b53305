"""Poll rounds over the feeds file: conditional GET, per-feed backoff with the reason stored, emit new articles."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitors.feeds import FetchLimits, FetchResult, FetchStatus, ParsedFeed, backoff_delay, fetch, parse_feed
from monitors.feeds_config import FeedConfig
from monitors.gazetteer import Gazetteer
from monitors.ingest import IngestCounts, ingest_parsed, not_a_feed
from monitors.models import FeedState

log = logging.getLogger(__name__)
Transaction = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class FeedOutcome:
    """One feed's result in a poll round."""

    feed: str
    status: str
    new: int = 0
    duplicate: int = 0
    failed: int = 0
    error: str | None = None
    next_attempt_at: datetime | None = None
    article_ids: tuple[int, ...] = ()
    seen_again_ids: tuple[int, ...] = ()


def feed_state(session: Session, feed: FeedConfig) -> FeedState:
    """The stored state of a feed, created on first use."""
    state = session.scalar(select(FeedState).where(FeedState.name == feed.name))
    if state is None:
        state = FeedState(name=feed.name, url=feed.url, failures=0, articles_new=0)
        session.add(state)
    elif state.url != feed.url:
        state.url, state.etag, state.last_modified = feed.url, None, None
    return state


def poll_feeds(
    transaction: Transaction,
    feeds: Sequence[FeedConfig],
    *,
    client: httpx.Client,
    now: datetime,
    limits: FetchLimits | None = None,
    gazetteer: Gazetteer | None = None,
    force: bool = False,
) -> list[FeedOutcome]:
    """One round over the due feeds; a failing feed gets backoff with its reason and never stops the others.

    Each feed is fetched and parsed with no transaction open (a slow feed may take up to the total timeout)
    and its result is stored in a transaction of its own, so a slow feed never holds the database's write lock.
    """
    outcomes = []
    for feed in feeds:
        if not feed.enabled:
            continue
        with transaction() as session:
            state = feed_state(session, feed)
            if not force and state.next_attempt_at and state.next_attempt_at > now:
                outcomes.append(FeedOutcome(feed.name, "wacht", next_attempt_at=state.next_attempt_at))
                continue
            etag, last_modified = state.etag, state.last_modified
        fetched = _fetch_and_parse(feed, client, etag, last_modified, limits)
        with transaction() as session:
            state = feed_state(session, feed)
            state.last_attempt_at = now
            try:
                outcomes.append(_store(session, feed, state, fetched, now, gazetteer))
            except Exception as exc:  # defensive: an unexpected bug in one feed must not stop the round
                log.exception("feed %s: onverwachte fout", feed.name)
                outcomes.append(
                    _record_failure(state, feed, now, f"interne fout ({type(exc).__name__})", None, None)
                )
    return outcomes


@dataclass(frozen=True)
class _Fetched:
    result: FetchResult
    parsed: ParsedFeed | None = None
    error: str | None = None


def _fetch_and_parse(
    feed: FeedConfig, client: httpx.Client, etag: str | None, last_modified: str | None, limits: FetchLimits | None
) -> _Fetched:
    try:
        result = fetch(feed.url, client=client, etag=etag, last_modified=last_modified, limits=limits)
        if result.status is not FetchStatus.OK:
            return _Fetched(result)
        return _Fetched(result, parse_feed(result.content, url=result.url, content_type=result.content_type))
    except Exception as exc:  # defensive, as above
        log.exception("feed %s: onverwachte fout", feed.name)
        return _Fetched(FetchResult(FetchStatus.ERROR, feed.url), error=f"interne fout ({type(exc).__name__})")


def _store(
    session: Session,
    feed: FeedConfig,
    state: FeedState,
    fetched: _Fetched,
    now: datetime,
    gazetteer: Gazetteer | None,
) -> FeedOutcome:
    result = fetched.result
    if result.status is FetchStatus.ERROR:
        reason = fetched.error or result.error or "onbekende fout"
        return _record_failure(state, feed, now, reason, result.http_status, result.retry_after)
    counts = IngestCounts()
    if fetched.parsed is not None:
        parsed = fetched.parsed
        if not parsed.is_feed:
            why = not_a_feed(result.content, parsed)
            return _record_failure(state, feed, now, why, result.http_status, None)
        state.last_bozo = parsed.bozo_reason
        counts = ingest_parsed(
            session, parsed, feed_name=feed.name, fetched_at=now, gazetteer=gazetteer, unit_hint=feed.unit
        )
    state.etag, state.last_modified = result.etag, result.last_modified
    state.last_status, state.last_success_at = result.http_status, now
    state.failures, state.last_error = 0, None
    state.next_attempt_at = now + timedelta(minutes=feed.poll_minutes)
    state.articles_new = (state.articles_new or 0) + counts.new
    status = "ok" if result.status is FetchStatus.OK else "ongewijzigd"
    damage = state.last_bozo if fetched.parsed is not None else None
    if damage:
        status = "beschadigd"
    return FeedOutcome(
        feed.name, status, counts.new, counts.duplicate, counts.failed, error=damage,
        next_attempt_at=state.next_attempt_at,
        article_ids=tuple(a.id for a in counts.articles), seen_again_ids=tuple(counts.seen_again),
    )


def _record_failure(
    state: FeedState,
    feed: FeedConfig,
    now: datetime,
    reason: str,
    http_status: int | None,
    retry_after: float | None,
) -> FeedOutcome:
    state.failures = (state.failures or 0) + 1
    state.last_error, state.last_status = reason, http_status
    state.next_attempt_at = now + backoff_delay(state.failures, feed.poll_minutes, retry_after)
    log.warning(
        "feed %s: mislukt (%s); poging %d, opnieuw om %s",
        feed.name,
        reason,
        state.failures,
        state.next_attempt_at.isoformat(),
    )
    return FeedOutcome(feed.name, "fout", error=reason, next_attempt_at=state.next_attempt_at)


def feed_states(session: Session, names: Iterable[str] | None = None) -> list[FeedState]:
    """Stored feed states (all, or the named ones), by name."""
    query = select(FeedState).order_by(FeedState.name)
    if names is not None:
        query = query.where(FeedState.name.in_(list(names)))
    return list(session.scalars(query))
