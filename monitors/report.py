"""The monitors' report: incidents with their articles and the signals, as plain JSON-ready data."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from monitors.models import Article, ArticleAnalysis, Incident, Signal


def report(session: Session, *, since: datetime | None = None, moral_only: bool = False) -> dict[str, Any]:
    """Incidents seen since `since` (newest first) with their articles, and the signals created (or ending) since."""
    query = select(Incident).order_by(Incident.last_seen.desc(), Incident.id.desc())
    if since is not None:
        query = query.where(Incident.last_seen >= since)
    incidents = [i for i in session.scalars(query) if i.categories or not moral_only]
    articles: dict[int, list[dict[str, Any]]] = defaultdict(list)
    ids = [i.id for i in incidents]
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(ArticleAnalysis.incident_id, Article)
            .join(Article, Article.id == ArticleAnalysis.article_id)
            .where(ArticleAnalysis.incident_id.in_(ids[start : start + 500]))
            .order_by(Article.published, Article.id)
        ).all()
        for incident_id, article in rows:
            articles[incident_id or 0].append(
                {"url": article.url, "title": article.title, "published": article.published,
                 "source": article.feed_name}
            )
    signal_query = select(Signal).order_by(Signal.created_at.desc(), Signal.id.desc())
    if since is not None:
        # by creation time as well: a signal raised just now about older news is always shown
        signal_query = signal_query.where(or_(Signal.created_at >= since, Signal.window_end >= since))
    return {
        "incidents": [_incident(i, articles[i.id]) for i in incidents],
        "signals": [signal_dict(s) for s in session.scalars(signal_query)],
    }


def _incident(incident: Incident, articles: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": incident.id,
        "label": incident.label,
        "category": incident.categories[0] if incident.categories else "geen",
        "categories": list(incident.categories),
        "category_scores": dict(incident.category_scores),
        "units": list(incident.units),
        "places": list(incident.places),
        "first_seen": incident.first_seen,
        "last_seen": incident.last_seen,
        "article_count": incident.article_count,
        "source_count": incident.source_count,
        "articles": articles,
    }


def signal_dict(signal: Signal) -> dict[str, Any]:
    """One signal as plain data (the report's shape plus status and trust block)."""
    return {
        "id": signal.id,
        "kind": signal.kind,
        "category": signal.category,
        "units": list(signal.units),
        "incident_ids": list(signal.incident_ids),
        "sources": list(signal.sources),
        "trust_block": signal.trust_block,
        "reason": signal.reason,
        "created_at": signal.created_at,
        "window_start": signal.window_start,
        "window_end": signal.window_end,
        "status": signal.status,
        "status_reason": signal.status_reason,
    }


def signal_details(session: Session, signal_id: int) -> tuple[dict[str, Any], list[dict[str, Any]], list[Incident]]:
    """A signal as plain data, its incidents with articles (as in the report), and the incident rows."""
    signal = session.get(Signal, signal_id)
    if signal is None:
        raise LookupError(f"signaal {signal_id} bestaat niet")
    query = select(Incident).where(Incident.id.in_(signal.incident_ids)).order_by(Incident.first_seen)
    rows = list(session.scalars(query))
    articles: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for incident_id, article in session.execute(
        select(ArticleAnalysis.incident_id, Article)
        .join(Article, Article.id == ArticleAnalysis.article_id)
        .where(ArticleAnalysis.incident_id.in_(signal.incident_ids))
        .order_by(Article.published, Article.id)
    ).all():
        articles[incident_id or 0].append(
            {"url": article.url, "title": article.title, "published": article.published, "source": article.feed_name}
        )
    return signal_dict(signal), [_incident(i, articles[i.id]) for i in rows], rows
