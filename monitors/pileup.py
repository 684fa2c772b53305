"""Pile-up signals: per category across units above a baseline, across categories, and surges of outlets."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitors.models import Article, ArticleAnalysis, ArticleSighting, Incident, Signal
from monitors.pileup_text import category_reason, cross_reason, shared_trust_block, surge_reason
from playbooks.vocabulary import Category


class SignalKind:
    """The three kinds of signal."""

    CATEGORY = "categorie"
    CROSS = "overstijgend"  # across categories
    SURGE = "piek"


STATUSES = ("new", "dismissed", "linked", "escalated")


@dataclass(frozen=True)
class PileupConfig:
    """Windows and thresholds of the detector."""

    window_days: float = 7.0
    baseline_weeks: int = 4
    baseline_factor: float = 1.5
    min_units: int = 2
    min_incidents: int = 2
    cooldown_hours: float = 24.0
    surge_sources: int = 4
    surge_hours: float = 6.0


class SignalError(ValueError):
    """A status change that is not allowed; the message is one Dutch line."""


def signal_key(kind: str, category: str | None, incident_ids: Sequence[int]) -> str:
    """The natural key of a signal: its kind, category and exact set of incidents."""
    raw = f"{kind}|{category or ''}|{','.join(str(i) for i in sorted(set(incident_ids)))}"
    return hashlib.sha256(raw.encode()).hexdigest()


def detect_pileups(
    session: Session, *, at: datetime, now: datetime | None = None, config: PileupConfig | None = None
) -> list[Signal]:
    """Evaluate the window ending at `at`; store and return the new signals (flush, never commit)."""
    c = config or PileupConfig()
    window = timedelta(days=c.window_days)
    baseline_start = at - window - timedelta(weeks=c.baseline_weeks)
    recent = list(
        session.scalars(
            select(Incident).where(Incident.last_seen >= baseline_start, Incident.first_seen <= at)
        )
    )
    in_window = [i for i in recent if i.last_seen >= at - window]
    before = [i for i in recent if i.first_seen < at - window]
    made: list[Signal] = []
    for category in Category.moral():
        hits = [i for i in in_window if category.value in i.categories]
        baseline = sum(category.value in i.categories for i in before) / c.baseline_weeks * c.window_days / 7
        units = _units(hits)
        if len(hits) >= c.min_incidents and len(units) >= c.min_units and len(hits) > baseline * c.baseline_factor:
            reason = category_reason(category, hits, units, baseline, c)
            made += _emit(session, SignalKind.CATEGORY, category.value, None, hits, reason, at, now, baseline, c)
    moral = [i for i in in_window if i.categories]
    primaries = {i.categories[0] for i in moral}
    units = _units(moral)
    if len(primaries) >= 2 and len(units) >= c.min_units and len(moral) >= c.min_incidents:
        baseline = sum(bool(i.categories) for i in before) / c.baseline_weeks * c.window_days / 7
        if len(moral) > baseline * c.baseline_factor:
            categories = sorted({cat for i in moral for cat in i.categories})
            block = shared_trust_block(categories)
            reason = cross_reason(moral, units, categories, block, baseline, c)
            made += _emit(session, SignalKind.CROSS, None, block, moral, reason, at, now, baseline, c)
    for incident in moral:
        if incident.source_count >= c.surge_sources:
            sources = _surge_sources(session, incident, timedelta(hours=c.surge_hours))
            if len(sources) >= c.surge_sources:
                reason = surge_reason(incident, sources, c)
                primary = incident.categories[0]
                made += _emit(session, SignalKind.SURGE, primary, None, [incident], reason, at, now, 0.0, c)
    session.flush()
    return made


def _units(incidents: Sequence[Incident]) -> list[str]:
    return sorted({u for i in incidents for u in i.units})


def _emit(
    session: Session, kind: str, category: str | None, block: str | None, incidents: Sequence[Incident],
    reason: str, at: datetime, now: datetime | None, baseline: float, c: PileupConfig,
) -> list[Signal]:
    ids = sorted(i.id for i in incidents)
    key = signal_key(kind, category, ids)
    units = _units(incidents)
    previous = list(
        session.scalars(select(Signal).where(Signal.kind == kind, Signal.window_end >= at - timedelta(days=60)))
    )
    for old in previous:
        if old.category != category:
            continue
        if old.key == key or set(ids) <= set(old.incident_ids):
            return []  # the same incidents (or fewer) were already signalled, whatever became of that signal
        cooling = at - old.window_end < timedelta(hours=c.cooldown_hours)
        if cooling and set(units) <= set(old.units):
            return []  # in the cool-down only a new unit is news
    sources = sorted({s for i in incidents for s in i.sources})
    signal = Signal(
        key=key, kind=kind, category=category, trust_block=block, units=units, incident_ids=ids,
        sources=sources, reason=reason, window_start=at - timedelta(days=c.window_days), window_end=at,
        count=len(ids), baseline=round(baseline, 3), created_at=now or at, status="new",
    )
    session.add(signal)
    return [signal]


def _surge_sources(session: Session, incident: Incident, span: timedelta) -> list[str]:
    """The most distinct outlets that carried the incident within one span of hours."""
    rows = session.execute(
        select(Article.published, ArticleSighting.feed_name)
        .join(ArticleSighting, ArticleSighting.article_id == Article.id)
        .join(ArticleAnalysis, ArticleAnalysis.article_id == Article.id)
        .where(ArticleAnalysis.incident_id == incident.id)
        .order_by(Article.published)
    ).all()
    best: list[str] = []
    for start, _ in rows:
        found = sorted({feed for published, feed in rows if start <= published <= start + span})
        if len(found) > len(best):
            best = found
    return best


def set_status(
    session: Session, signal_id: int, status: str, *, by: str, now: datetime,
    reason: str | None = None, cat: str | None = None,
) -> Signal:
    """Dismiss (with a reason, kept as feedback), link to a CAT, or mark escalated."""
    signal = session.get(Signal, signal_id)
    if signal is None:
        raise SignalError(f"signaal {signal_id} bestaat niet")
    if status not in STATUSES:
        raise SignalError(f"onbekende status '{status}'; kies uit: {', '.join(STATUSES)}")
    if status == "dismissed" and not (reason or "").strip():
        raise SignalError("geef een reden om het signaal te negeren")
    if status == "linked" and not cat:
        raise SignalError("noem de CAT waaraan het signaal wordt gekoppeld")
    signal.status, signal.status_by, signal.status_at = status, by, now
    signal.status_reason = (reason or "").strip() or signal.status_reason
    signal.linked_cat = cat or signal.linked_cat
    session.flush()
    return signal
