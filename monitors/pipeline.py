"""After ingestion: embed once per batch → classify → store analysis and embedding → cluster → detect pile-ups."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from monitors.classify import Classification, Classifier, article_text
from monitors.cluster import ArticleFeatures, ClusterConfig, IncidentClusterer, names_in, to_bytes
from monitors.incident_units import inherit_incident_unit
from monitors.models import Article, ArticleAnalysis, ArticleSighting, Incident, Signal
from monitors.pileup import PileupConfig, detect_pileups
from playbooks.vocabulary import Category

log = logging.getLogger(__name__)
LEDE_CHARS = 400
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class PipelineConfig:
    """Batch size, how sure an article must be to count towards its incident's category, clustering, pile-ups."""

    batch_size: int = 64
    # An article labels its incident (and so counts towards signals) only at score ≥ threshold + this share of the
    # room above the threshold (0.3: a threshold of 0.5 asks 0.65, one of 0.9 asks 0.93);
    # below it the article keeps its label on its own analysis, but a borderline call raises no alarm.
    confidence_margin: float = 0.3
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    pileup: PileupConfig = field(default_factory=PileupConfig)


@dataclass
class PipelineResult:
    """What one pipeline run did."""

    analysed: int = 0
    incidents_new: int = 0
    incidents_touched: set[int] = field(default_factory=set)
    signals: list[Signal] = field(default_factory=list)


def lede(text: str) -> str:
    """The first sentences of an article, up to LEDE_CHARS: what the classifier was calibrated on."""
    out = ""
    for sentence in _SENTENCE.split(text.strip()):
        if out and len(out) + len(sentence) > LEDE_CHARS:
            break
        out = f"{out} {sentence}".strip()
    return out[: LEDE_CHARS * 2]


def evidence_summary(result: Classification) -> dict[str, object]:
    """Per label: score, matched terms and the nearest example (no article text)."""
    summary: dict[str, object] = {}
    for category in result.labels:
        if category is Category.GEEN:
            continue
        evidence = result.explanation[category]
        summary[category.value] = {
            "score": round(evidence.score, 4),
            "terms": [h.term for h in evidence.terms],
            "example": evidence.examples[0].text if evidence.examples else None,
        }
    return summary


def confident_labels(result: Classification, classifier: Classifier, margin: float) -> tuple[str, ...]:
    """The moral labels scored at least `margin` of the way from their threshold to 1: the ones an incident and a
    signal count."""
    return tuple(
        c.value for c in result.labels
        if c is not Category.GEEN
        and result.scores[c] >= classifier.threshold(c) + margin * (1.0 - classifier.threshold(c))
    )


def add_sources(session: Session, article_ids: Sequence[int]) -> list[Incident]:
    """Add the outlets that carried these (analysed) articles to their incidents; returns the incidents changed."""
    if not article_ids:
        return []
    rows = session.execute(
        select(Incident, ArticleSighting.feed_name)
        .join(ArticleAnalysis, ArticleAnalysis.incident_id == Incident.id)
        .join(ArticleSighting, ArticleSighting.article_id == ArticleAnalysis.article_id)
        .where(ArticleAnalysis.article_id.in_(sorted(set(article_ids))))
    ).all()
    changed: dict[int, Incident] = {}
    for incident, feed in rows:
        if feed not in incident.sources:
            incident.sources = sorted({*incident.sources, feed})
            incident.source_count = len(incident.sources)
            changed[incident.id] = incident
    session.flush()
    return list(changed.values())


def analyse_articles(
    session: Session,
    article_ids: Sequence[int],
    *,
    classifier: Classifier,
    now: datetime,
    config: PipelineConfig | None = None,
    detect: bool = True,
    seen_again: Sequence[int] = (),
) -> PipelineResult:
    """Run the pipeline on stored articles not analysed yet (flush, never commit); pile-ups at the latest news.

    `seen_again`: already analysed articles that another outlet carried too; their incidents gain the source.
    """
    c = config or PipelineConfig()
    done = set(session.scalars(select(ArticleAnalysis.article_id).where(ArticleAnalysis.article_id.in_(article_ids))))
    todo = sorted(set(article_ids) - done)
    result = PipelineResult()
    clusterer = IncidentClusterer(session, c.cluster)
    latest: datetime | None = None
    for start in range(0, len(todo), c.batch_size):
        batch = list(
            session.scalars(
                select(Article)
                .where(Article.id.in_(todo[start : start + c.batch_size]))
                .options(selectinload(Article.sightings))
                .order_by(Article.published, Article.id)
            )
        )
        _analyse_batch(session, batch, classifier, clusterer, now, result, c.confidence_margin)
        newest = max(a.published for a in batch)
        latest = newest if latest is None else max(latest, newest)
    for incident in add_sources(session, seen_again):
        result.incidents_touched.add(incident.id)
        latest = incident.last_seen if latest is None else max(latest, incident.last_seen)
    if detect and latest is not None:
        result.signals = detect_pileups(session, at=min(latest, now), now=now, config=c.pileup)
    log.info(
        "pijplijn: %d geanalyseerd, %d nieuwe incidenten, %d signalen",
        result.analysed, result.incidents_new, len(result.signals),
    )
    return result


def _analyse_batch(
    session: Session,
    batch: Sequence[Article],
    classifier: Classifier,
    clusterer: IncidentClusterer,
    now: datetime,
    result: PipelineResult,
    margin: float,
) -> None:
    texts = [article_text(a.title, lede(a.text)) for a in batch]
    vectors = classifier.encoder.encode_queries(texts)
    classes = classifier.classify_many(texts, vectors=vectors)
    features = []
    for article, text, vector, cls in zip(batch, texts, vectors, classes, strict=True):
        labels = confident_labels(cls, classifier, margin)
        places = article.places.get("places", []) if isinstance(article.places, dict) else []
        features.append(
            ArticleFeatures(
                article_id=article.id,
                title=article.title,
                published=article.published,
                vector=vector,
                units=frozenset(article.units),
                places=frozenset(p["municipality"] or p["name"] for p in places if p.get("unit")),
                names=names_in(text),
                sources=frozenset(s.feed_name for s in article.sightings) | {article.feed_name},
                labels=labels,
                scores={c.value: s for c, s in cls.scores.items()},
            )
        )
    assignments = clusterer.assign_many(features)
    for article, item, cls, assignment in zip(batch, features, classes, assignments, strict=True):
        inherit_incident_unit(article, assignment.incident)
        session.add(
            ArticleAnalysis(
                article_id=item.article_id,
                model=cls.model[:300],
                categories=[c.value for c in cls.labels if c is not Category.GEEN],
                scores={c.value: round(s, 4) for c, s in cls.scores.items()},
                evidence=evidence_summary(cls),
                keywords=sorted(item.names),
                embedding=to_bytes(item.vector),
                incident_id=assignment.incident.id,
                similarity=None if assignment.score is None else round(assignment.score, 4),
                analysed_at=now,
            )
        )
        result.incidents_new += assignment.created
        result.incidents_touched.add(assignment.incident.id)
    result.analysed += len(batch)
    session.flush()


def unanalysed_ids(session: Session, *, limit: int | None = None) -> list[int]:
    """Stored articles without an analysis yet (e.g. ingested with --zonder-analyse), oldest publication first."""
    done = select(ArticleAnalysis.article_id).where(ArticleAnalysis.article_id == Article.id).exists()
    query = select(Article.id).where(~done).order_by(Article.published, Article.id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))
