"""Tables of the monitors: feed state, articles and where each article was seen (own declarative base)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from monitors.sqltypes import NAMING_CONVENTION, UTCDateTime


class MonitorBase(DeclarativeBase):
    """Declarative base of the monitors package; the lead folds its metadata into the Alembic history."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


metadata = MonitorBase.metadata


class FeedState(MonitorBase):
    """Per feed: the conditional-GET marker, the last outcome and when to try again (backoff)."""

    __tablename__ = "monitor_feed_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_attempt_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_status: Mapped[int | None] = mapped_column(Integer)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_bozo: Mapped[str | None] = mapped_column(Text)
    articles_new: Mapped[int] = mapped_column(Integer, default=0)


class Article(MonitorBase):
    """One news item, stored once however many feeds carry it; place/unit results as JSON."""

    __tablename__ = "monitor_articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid_key: Mapped[str | None] = mapped_column(String(600), unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text)
    url_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    published: Mapped[datetime]
    published_from_feed: Mapped[bool] = mapped_column(default=True)
    first_seen: Mapped[datetime] = mapped_column(index=True)
    feed_name: Mapped[str] = mapped_column(String(200), index=True)
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    minhash: Mapped[bytes] = mapped_column(LargeBinary)
    places: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    units: Mapped[list[str]] = mapped_column(JSON, default=list)
    place_confidence: Mapped[float] = mapped_column(Float, default=0.0)

    sightings: Mapped[list[ArticleSighting]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="ArticleSighting.seen_at"
    )
    bands: Mapped[list[ArticleBand]] = relationship(cascade="all, delete-orphan")


class ArticleBand(MonitorBase):
    """One MinHash LSH band of an article: the index that finds near-duplicate text candidates."""

    __tablename__ = "monitor_article_bands"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("monitor_articles.id", ondelete="CASCADE"), primary_key=True
    )
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, index=True)
    first_seen: Mapped[datetime]


class ArticleSighting(MonitorBase):
    """A feed that carried an article (the first one, and later duplicates from other feeds)."""

    __tablename__ = "monitor_article_sightings"
    __table_args__ = (UniqueConstraint("article_id", "feed_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("monitor_articles.id", ondelete="CASCADE"), index=True)
    feed_name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(Text)
    seen_at: Mapped[datetime]
    duplicate_reason: Mapped[str | None] = mapped_column(String(20))

    article: Mapped[Article] = relationship(back_populates="sightings")


class ArticleAnalysis(MonitorBase):
    """What the pipeline concluded about an article: moral labels with scores, evidence, embedding, incident."""

    __tablename__ = "monitor_article_analysis"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("monitor_articles.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(300))
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    scores: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    embedding: Mapped[bytes] = mapped_column(LargeBinary)
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("monitor_incidents.id", ondelete="SET NULL"), index=True
    )
    similarity: Mapped[float | None] = mapped_column(Float)
    analysed_at: Mapped[datetime]


class Incident(MonitorBase):
    """One event as several outlets report it over days: a running centroid, its units, places and categories."""

    __tablename__ = "monitor_incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    label_article_id: Mapped[int | None] = mapped_column(Integer)
    centroid: Mapped[bytes] = mapped_column(LargeBinary)
    units: Mapped[list[str]] = mapped_column(JSON, default=list)
    places: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    category_scores: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    label_counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    first_seen: Mapped[datetime] = mapped_column(index=True)
    last_seen: Mapped[datetime] = mapped_column(index=True)
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    source_count: Mapped[int] = mapped_column(Integer, default=0)


class Signal(MonitorBase):
    """A pile-up alarm with its explanation; the key keeps one signal per kind and set of incidents."""

    __tablename__ = "monitor_signals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    category: Mapped[str | None] = mapped_column(String(40))
    trust_block: Mapped[str | None] = mapped_column(String(40))
    units: Mapped[list[str]] = mapped_column(JSON, default=list)
    incident_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text)
    window_start: Mapped[datetime]
    window_end: Mapped[datetime]
    count: Mapped[int] = mapped_column(Integer, default=0)
    baseline: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    status_by: Mapped[str | None] = mapped_column(String(200))
    status_at: Mapped[datetime | None]
    linked_cat: Mapped[str | None] = mapped_column(String(40))
