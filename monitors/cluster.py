"""Online incident clustering: embedding similarity plus place, unit and name overlap, with a time decay."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitors.models import Incident
from playbooks.vocabulary import Category

_NAME = re.compile(r"(?<![\w'’-])([A-Z][\w'’-]{2,}|[A-Z]{2,}\w*)")
_SENTENCE_END = re.compile(r"[.!?:;\"“”']\s*$")
MAX_KEYWORDS = 40
MIN_MEAN_SCORE = 0.4
# Capitalised words that start a headline clause or name the police itself say nothing about *which* event.
_GENERIC_WORDS = (
    "Politie Agent Agenten Openbaar Ministerie OM Rijksrecherche Nederland Nederlandse Gemeente "
    "Burgemeester De Het Een In Op Bij Na Van Voor Met Door Om Tijdens Maandag Dinsdag Woensdag "
    "Donderdag Vrijdag Zaterdag Zondag NOS ANP RTV Omroep Nieuws Update Video Live Ook Nog Dat Die Deze "
    "Er Ze Hij Zij Wat Wie Waarom"
)
_GENERIC_NAMES = frozenset(_GENERIC_WORDS.split())


@dataclass(frozen=True)
class ClusterConfig:
    """Weights and limits of the incident clustering (tuned on tests/data/feeds/pileup/backfill)."""

    threshold: float = 0.95
    active_days: float = 4.0
    decay_per_day: float = 0.012
    name_weight: float = 0.08
    place_bonus: float = 0.03
    unit_penalty: float = 0.05
    candidates: int = 8
    # Late articles (a charge, a trial, a verdict months on) rejoin a dormant incident only on strong evidence:
    # at least `dormant_names` distinctive names shared, the same place or unit, and cosine + names ≥ the threshold
    # without time decay. At most `dormant_limit` dormant incidents of the last `dormant_days` are indexed by name
    # once per run, so the per-article cost does not grow with the stored history.
    dormant_days: float = 400.0
    dormant_names: int = 2
    dormant_threshold: float = 0.9
    dormant_limit: int = 5000


@dataclass
class ArticleFeatures:
    """What the clusterer needs to know about one analysed article."""

    article_id: int
    title: str
    published: datetime
    vector: np.ndarray
    units: frozenset[str]
    places: frozenset[str]
    names: frozenset[str]
    sources: frozenset[str]
    labels: tuple[str, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Assignment:
    """Where an article went: its incident, whether that incident is new, and the match score."""

    incident: Incident
    created: bool
    score: float | None


def names_in(text: str) -> frozenset[str]:
    """Capitalised words not at the start of a sentence, minus generic ones: a cheap stand-in for entities."""
    found = set()
    for match in _NAME.finditer(text):
        before = text[: match.start()]
        if not before.strip() or _SENTENCE_END.search(before):
            continue
        word = match.group(1)
        if word not in _GENERIC_NAMES:
            found.add(word.lower())
    return frozenset(found)


def to_bytes(vector: np.ndarray) -> bytes:
    """float32 bytes for LargeBinary storage."""
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    """The float32 vector stored by to_bytes."""
    return np.frombuffer(data, dtype=np.float32)


class IncidentClusterer:
    """Assigns articles to the incidents active around their time; only that window is ever loaded."""

    def __init__(self, session: Session, config: ClusterConfig | None = None) -> None:
        self.session = session
        self.config = config or ClusterConfig()
        self._active: dict[int, Incident] = {}
        self._directions: dict[int, np.ndarray] = {}  # normalised centroids, so a batch decodes each once
        self._loaded_since: datetime | None = None
        self._dormant: dict[str, list[Incident]] | None = None  # name → dormant incidents, built on first need

    def _load(self, since: datetime) -> None:
        if self._loaded_since is not None and since >= self._loaded_since:
            return
        query = select(Incident).where(Incident.last_seen >= since)
        if self._loaded_since is not None:
            query = query.where(Incident.last_seen < self._loaded_since)
        for incident in self.session.scalars(query):
            self._active[incident.id] = incident
        self._loaded_since = since

    def assign_many(self, items: Sequence[ArticleFeatures]) -> list[Assignment]:
        """Assign in publication order (so incidents grow the way the news did); results follow the input order."""
        order = sorted(range(len(items)), key=lambda i: items[i].published)
        results: dict[int, Assignment] = {}
        for i in order:
            results[i] = self.assign(items[i])
        return [results[i] for i in range(len(items))]

    def assign(self, item: ArticleFeatures) -> Assignment:
        """Join the best matching active incident, or open a new one."""
        window = timedelta(days=self.config.active_days)
        self._load(item.published - window)
        best: tuple[float, Incident] | None = None
        for score, incident in self._candidates(item, window):
            if score >= self.config.threshold and (best is None or score > best[0]):
                best = (score, incident)
        if best is None:
            best = self._late_join(item)
        if best is None:
            incident = _new_incident(item)
            self.session.add(incident)
            self.session.flush()
            self._active[incident.id] = incident
            self._directions[incident.id] = _unit(item.vector)
            return Assignment(incident, True, None)
        _absorb(best[1], item)
        self._directions[best[1].id] = _unit(from_bytes(best[1].centroid))
        return Assignment(best[1], False, best[0])

    def _candidates(self, item: ArticleFeatures, window: timedelta) -> list[tuple[float, Incident]]:
        near = [
            inc for inc in self._active.values()
            if inc.last_seen >= item.published - window and inc.first_seen <= item.published + window
        ]
        if not near:
            return []
        matrix = np.stack([self._direction(inc) for inc in near])
        cosines = matrix @ item.vector
        top = np.argsort(-cosines)[: self.config.candidates]
        return [(self.score(item, near[k], float(cosines[k])), near[k]) for k in top]

    def _late_join(self, item: ArticleFeatures) -> tuple[float, Incident] | None:
        """The dormant incident this late article continues (shared names, same place or unit), if any."""
        if len(item.names) < self.config.dormant_names:
            return None
        index = self._dormant_index(item.published)
        shared: dict[int, tuple[Incident, int]] = {}
        for name in item.names:
            for incident in index.get(name, []):
                found = shared.get(incident.id)
                shared[incident.id] = (incident, (found[1] if found else 0) + 1)
        for incident in self._active.values():  # this run's own incidents that went quiet before this article
            count = len(item.names & set(incident.keywords))
            if count:
                shared[incident.id] = (incident, count)
        window_start = item.published - timedelta(days=self.config.active_days)
        best: tuple[float, Incident] | None = None
        for incident, count in shared.values():
            if count < self.config.dormant_names or incident.last_seen >= window_start:
                continue  # too little in common, or active: the ordinary comparison already judged it
            if not (item.places & set(incident.places) or item.units & set(incident.units)):
                continue
            cosine = float(self._direction(incident) @ item.vector)
            score = cosine + self.config.name_weight * count / min(len(item.names), len(incident.keywords) or 1)
            if score >= self.config.dormant_threshold and (best is None or score > best[0]):
                best = (score, incident)
        if best is not None:
            self._active[best[1].id] = best[1]
        return best

    def _dormant_index(self, published: datetime) -> dict[str, list[Incident]]:
        if self._dormant is None:
            c = self.config
            query = (
                select(Incident)
                .where(Incident.last_seen >= published - timedelta(days=c.dormant_days))
                .where(Incident.last_seen < published - timedelta(days=c.active_days))
                .order_by(Incident.last_seen.desc())
                .limit(c.dormant_limit)
            )
            self._dormant = {}
            for incident in self.session.scalars(query):
                for name in incident.keywords:
                    self._dormant.setdefault(name, []).append(incident)
        return self._dormant

    def _direction(self, incident: Incident) -> np.ndarray:
        found = self._directions.get(incident.id)
        if found is None:
            found = self._directions[incident.id] = _unit(from_bytes(incident.centroid))
        return found

    def score(self, item: ArticleFeatures, incident: Incident, cosine: float) -> float:
        """Cosine similarity adjusted for shared names and places, different units, and the time gap."""
        c = self.config
        score = cosine
        names = set(incident.keywords)
        if item.names and names:
            score += c.name_weight * len(item.names & names) / min(len(item.names), len(names))
        if item.places & set(incident.places):
            score += c.place_bonus
        elif item.units and incident.units and not (item.units & set(incident.units)):
            score -= c.unit_penalty
        gap = max(item.published - incident.last_seen, incident.first_seen - item.published, timedelta(0))
        return score - c.decay_per_day * gap.total_seconds() / 86400


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _new_incident(item: ArticleFeatures) -> Incident:
    incident = Incident(
        label=item.title, label_article_id=item.article_id, centroid=to_bytes(item.vector),
        units=[], places=[], keywords={}, categories=[], category_scores={}, label_counts={}, sources=[],
        first_seen=item.published, last_seen=item.published, article_count=0, source_count=0,
    )
    _absorb(incident, item)
    return incident


def _absorb(incident: Incident, item: ArticleFeatures) -> None:
    n = incident.article_count
    if n:
        incident.centroid = to_bytes((from_bytes(incident.centroid) * n + item.vector) / (n + 1))
    if item.published < incident.first_seen:
        incident.first_seen, incident.label, incident.label_article_id = item.published, item.title, item.article_id
    incident.last_seen = max(incident.last_seen, item.published)
    incident.units = sorted(set(incident.units) | item.units)
    incident.places = sorted(set(incident.places) | item.places)
    keywords = dict(incident.keywords)
    for name in item.names:
        keywords[name] = keywords.get(name, 0) + 1
    incident.keywords = dict(sorted(keywords.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_KEYWORDS])
    incident.sources = sorted(set(incident.sources) | item.sources)
    incident.source_count = len(incident.sources)
    counts = dict(incident.label_counts)
    for label in item.labels:
        counts[label] = counts.get(label, 0) + 1
    incident.label_counts = counts
    scores = {
        c.value: (incident.category_scores.get(c.value, 0.0) * n + item.scores.get(c.value, 0.0)) / (n + 1)
        for c in Category.moral()
    }
    incident.category_scores = {k: round(v, 4) for k, v in scores.items()}
    incident.article_count = n + 1
    # Half the articles carry the label and the mean score agrees: one outlier article does not relabel a story.
    majority = [c for c in scores if counts.get(c, 0) * 2 >= n + 1 and scores[c] >= MIN_MEAN_SCORE]
    incident.categories = sorted(majority, key=lambda c: -scores[c])
