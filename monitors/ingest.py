"""Ingestion services: fetch → parse → normalise → de-duplicate → places → store (flush, never commit)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitors.articles import (
    MIN_WORDS_FOR_TEXT_DEDUPE,
    NEAR_DUPLICATE_SIMILARITY,
    NormalisedArticle,
    lsh_bands,
    normalise_entry,
    similarity,
    url_hash,
)
from monitors.feeds import FetchLimits, FetchStatus, ParsedFeed, describe_non_feed, fetch, parse_feed
from monitors.gazetteer import Gazetteer
from monitors.models import Article, ArticleBand, ArticleSighting
from monitors.places import find_places

log = logging.getLogger(__name__)
NEAR_DUPLICATE_WINDOW = timedelta(days=14)


@dataclass
class IngestCounts:
    """How many entries were new, duplicates or unusable."""

    new: int = 0
    duplicate: int = 0
    failed: int = 0
    articles: list[Article] = field(default_factory=list)
    seen_again: list[int] = field(default_factory=list)  # stored articles this source carried too
    damaged: list[str] = field(default_factory=list)  # 'name: why' for feeds read despite being malformed

    def add(self, other: IngestCounts) -> None:
        """Add another count into this one."""
        self.new += other.new
        self.duplicate += other.duplicate
        self.failed += other.failed
        self.articles.extend(other.articles)
        self.seen_again.extend(other.seen_again)
        self.damaged.extend(other.damaged)


def find_duplicate(session: Session, article: NormalisedArticle) -> tuple[Article, str] | None:
    """The stored article this one duplicates, and why: 'guid', 'url', 'tekst' or 'bijna-tekst'."""
    if article.guid_key:
        found = session.scalar(select(Article).where(Article.guid_key == article.guid_key))
        if found:
            return found, "guid"
    if article.canonical_url:
        found = session.scalar(select(Article).where(Article.url_hash == url_hash(article.canonical_url)))
        if found:
            return found, "url"
    if article.word_count < MIN_WORDS_FOR_TEXT_DEDUPE:
        return None
    found = session.scalar(select(Article).where(Article.text_hash == article.text_hash).limit(1))
    if found:
        return found, "tekst"
    since = article.first_seen - NEAR_DUPLICATE_WINDOW
    candidate_ids = session.scalars(
        select(ArticleBand.article_id)
        .where(ArticleBand.value.in_(lsh_bands(article.minhash)), ArticleBand.first_seen >= since)
        .distinct()
        .limit(50)
    ).all()
    best: tuple[float, Article] | None = None
    for candidate in session.scalars(select(Article).where(Article.id.in_(candidate_ids))):
        score = similarity(article.minhash, candidate.minhash)
        if score >= NEAR_DUPLICATE_SIMILARITY and (best is None or score > best[0]):
            best = (score, candidate)
    return (best[1], "bijna-tekst") if best else None


def store_article(
    session: Session,
    article: NormalisedArticle,
    *,
    gazetteer: Gazetteer | None = None,
    unit_hint: str | None = None,
) -> tuple[Article, str | None]:
    """Store a new article (with places) or record a sighting of its duplicate; returns (row, duplicate reason)."""
    duplicate = find_duplicate(session, article)
    if duplicate:
        existing, reason = duplicate
        if not any(s.feed_name == article.feed_name for s in existing.sightings):
            existing.sightings.append(
                ArticleSighting(
                    feed_name=article.feed_name,
                    url=article.url,
                    seen_at=article.first_seen,
                    duplicate_reason=reason,
                )
            )
        session.flush()
        return existing, reason
    places = find_places(article.title, article.text, unit_hint=unit_hint, gazetteer=gazetteer, link=article.url,
                         published=article.published.date().isoformat())
    row = Article(
        guid_key=article.guid_key,
        url=article.url,
        canonical_url=article.canonical_url,
        url_hash=url_hash(article.canonical_url),
        title=article.title,
        text=article.text,
        published=article.published,
        published_from_feed=article.published_from_feed,
        first_seen=article.first_seen,
        feed_name=article.feed_name,
        text_hash=article.text_hash,
        minhash=article.minhash,
        places=places.to_dict(),
        units=list(places.units),
        place_confidence=places.confidence,
    )
    row.sightings.append(
        ArticleSighting(feed_name=article.feed_name, url=article.url, seen_at=article.first_seen)
    )
    row.bands = [
        ArticleBand(band=i, value=v, first_seen=article.first_seen)
        for i, v in enumerate(lsh_bands(article.minhash))
    ]
    session.add(row)
    session.flush()
    return row, None


def ingest_parsed(
    session: Session,
    parsed: ParsedFeed,
    *,
    feed_name: str,
    fetched_at: datetime,
    gazetteer: Gazetteer | None = None,
    unit_hint: str | None = None,
) -> IngestCounts:
    """Normalise and store every usable entry of a parsed feed; a bad entry never stops the others."""
    counts = IngestCounts()
    if parsed.bozo:
        log.warning(
            "feed %s: niet goedgevormd (%s); %d items bruikbaar",
            feed_name,
            parsed.bozo_reason,
            len(parsed.entries),
        )
        counts.damaged.append(f"{feed_name}: feed beschadigd: {parsed.bozo_reason}")
    for entry in parsed.entries:
        try:
            with session.begin_nested():
                article = normalise_entry(entry, feed_name=feed_name, fetched_at=fetched_at)
                if article is None:
                    counts.failed += 1
                    continue
                row, reason = store_article(session, article, gazetteer=gazetteer, unit_hint=unit_hint)
        except Exception as exc:  # one broken entry is counted and logged, the rest goes on
            counts.failed += 1
            log.warning("feed %s: item overgeslagen (%s)", feed_name, type(exc).__name__)
            continue
        if reason:
            counts.duplicate += 1
            counts.seen_again.append(row.id)
        else:
            counts.new += 1
            counts.articles.append(row)
    log.info(
        "feed %s: %d nieuw, %d dubbel, %d onbruikbaar", feed_name, counts.new, counts.duplicate, counts.failed
    )
    return counts


def ingest_source(
    session: Session,
    source: str,
    *,
    client: httpx.Client,
    now: datetime,
    feed_name: str | None = None,
    limits: FetchLimits | None = None,
    gazetteer: Gazetteer | None = None,
) -> IngestCounts:
    """Backfill one file, file:// URL or http(s) URL (no conditional GET, no feed state)."""
    result = fetch(source, client=client, limits=limits)
    if result.status is not FetchStatus.OK:
        raise IngestError(f"{source}: {result.error or 'niets opgehaald'}")
    parsed = parse_feed(result.content, url=result.url, content_type=result.content_type)
    if not parsed.is_feed:
        raise IngestError(f"{source}: {not_a_feed(result.content, parsed)}")
    return ingest_parsed(session, parsed, feed_name=feed_name or source, fetched_at=now, gazetteer=gazetteer)


class IngestError(Exception):
    """A source could not be read; the message is one Dutch line without article content."""


def not_a_feed(content: bytes, parsed: ParsedFeed) -> str:
    """Why a document yielded no feed, in Dutch: 'geen feed: dit lijkt een HTML-pagina' or the XML defect."""
    what = describe_non_feed(content)
    if what.startswith("XML") and parsed.bozo_reason:
        return f"feed beschadigd: {parsed.bozo_reason}"
    return f"geen feed: {what}"
