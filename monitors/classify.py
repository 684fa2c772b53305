"""Moral-issue classification: embeddings + the playbooks' Dutch vocabulary → calibrated, explained, multi-label."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np

from monitors.classify_calibration import Calibration, bundled_calibration
from monitors.classify_head import Head, bundled_head
from monitors.classify_prototypes import GEEN_PROTOTYPES
from monitors.classify_terms import TermHit, TermMatcher, police_context, term_score
from playbooks.loader import load_general_playbook, load_playbooks
from playbooks.schema import Playbook
from playbooks.vocabulary import Category

log = logging.getLogger(__name__)

TOP_K = 3
SHOWN_EXAMPLES = 3
# The fallback for a model without a fitted calibration. With scale = (the level at which a category's examples
# resemble each other) − (the level at which typical 'geen' news resembles them): u = (nearest − 'geen' level) / scale
# is 0 for typical 'geen' news and 1 at the examples' own level, and v = lead / scale. Then
# p = sigmoid(slope·(u − 0.5) + lead·v + terms·terms_found + no_police·(1 − police)), labelled at p ≥ threshold.
HEURISTIC = {"slope": 4.0, "lead": 4.0, "terms": 1.5, "no_police": -2.0, "threshold": 0.5}


class TextEncoder(Protocol):
    """What the classifier needs from encoder.Encoder: L2-normalised numpy embeddings."""

    name: str

    def encode_queries(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray: ...


@dataclass(frozen=True)
class Neighbour:
    """An example sentence and its cosine similarity to the text."""

    text: str
    similarity: float


@dataclass(frozen=True)
class Evidence:
    """Why a category scored what it did: matched terms, nearest example sentences, raw features."""

    category: Category
    score: float
    threshold: float
    terms: list[TermHit]
    examples: list[Neighbour]
    features: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Classification:
    """Per-category probability, the labels above threshold (GEEN when none), and the evidence per category."""

    text: str
    scores: dict[Category, float]
    labels: list[Category]
    explanation: dict[Category, Evidence]
    police_terms: list[str]
    calibrated: bool
    model: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "text": self.text,
            "labels": [c.value for c in self.labels],
            "scores": {c.value: round(s, 4) for c, s in self.scores.items()},
            "calibrated": self.calibrated,
            "model": self.model,
            "police_terms": self.police_terms,
            "explanation": {
                c.value: {
                    "score": round(e.score, 4),
                    "threshold": e.threshold,
                    "terms": [{"term": h.term, "matched": h.matched} for h in e.terms],
                    "examples": [{"text": n.text, "similarity": round(n.similarity, 4)} for n in e.examples],
                    "features": {k: round(v, 4) for k, v in e.features.items()},
                }
                for c, e in self.explanation.items()
            },
        }


def article_text(title: str, lede: str = "") -> str:
    """Title and lede as one text, the way the classifier and the calibration see them."""
    title, lede = title.strip(), lede.strip()
    if not lede:
        return title
    return f"{title}{'' if title[-1:] in '.!?:' else '.'} {lede}"


def _top_k_mean(similarities: np.ndarray, k: int) -> np.ndarray:
    k = min(k, similarities.shape[1])
    return np.sort(similarities, axis=1)[:, -k:].mean(axis=1)


class Classifier:
    """Scores geweld, discriminatie_inclusie, onpartijdigheid, integriteit and geen; embeds the examples once."""

    def __init__(
        self,
        encoder: TextEncoder,
        playbooks: Mapping[Category, Playbook] | None = None,
        *,
        calibration: Calibration | None | Literal["bundled"] = "bundled",
        head: Head | None | Literal["bundled"] = "bundled",
    ) -> None:
        self.encoder = encoder
        books = dict(playbooks or load_playbooks())
        self.categories: tuple[Category, ...] = Category.moral()
        self._examples = {c: list(books[c].classificatie.voorbeeldzinnen) for c in self.categories}
        self._matchers = {c: TermMatcher(books[c].classificatie.termen) for c in self.categories}
        counter = [t for c in self.categories for t in books[c].classificatie.tegenvoorbeelden]
        counter += list(load_general_playbook().classificatie.tegenvoorbeelden)
        self._negatives = list(dict.fromkeys([*GEEN_PROTOTYPES, *counter]))
        vocabulary = {c.value: [books[c].classificatie.termen, self._examples[c]] for c in self.categories}
        self.examples_digest = hashlib.sha256(
            json.dumps([vocabulary, self._negatives], ensure_ascii=False).encode("utf-8")
        ).hexdigest()[:16]
        sentences = [s for c in self.categories for s in self._examples[c]] + self._negatives
        vectors = encoder.encode_queries(sentences)  # e5: symmetric similarity, so "query: " on both sides
        start, self._example_vectors = 0, {}
        for c in self.categories:
            self._example_vectors[c] = vectors[start : start + len(self._examples[c])]
            start += len(self._examples[c])
        self._negative_vectors = vectors[start:]
        if calibration == "bundled":
            calibration = bundled_calibration()
            if calibration is not None and calibration.model != encoder.name:
                log.warning("no calibration for model %s: heuristic scores (see docs/classifier.md)", encoder.name)
                calibration = None
        fitted_on = (calibration.meta.get("examples_digest") if calibration is not None else None) or ""
        if fitted_on and fitted_on != self.examples_digest:
            log.warning("classifier calibration was fitted on other playbook terms/examples: refit it with "
                        "python bench/eval_classifier.py --fit")
        self.calibration = calibration
        if head == "bundled":
            head = bundled_head()
            if head is not None and (
                head.model != encoder.name or head.meta.get("examples_digest") != self.examples_digest
            ):
                log.warning("the classifier head was fitted for another model or other playbook examples: "
                            "refit it with python bench/fit_head.py")
                head = None
        self.head = head
        self._references = self._heuristic_references()

    @property
    def calibrated(self) -> bool:
        """Whether scores come from a head or calibration fitted for this model (else the documented heuristic)."""
        return self.head is not None or self.calibration is not None

    def classify(self, text: str) -> Classification:
        """Classify one text (title + lede)."""
        return self.classify_many([text])[0]

    def classify_many(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> list[Classification]:
        """Classify a batch; pass `vectors` (from encode_queries) when the caller already embedded the texts."""
        if not texts:
            return []
        features, detail = self._features(texts, vectors)
        if self.head is not None:
            probabilities = self.head.probabilities(detail["vectors"], features, self.categories)
        else:
            probabilities = self._probabilities(features, detail["raw"])
        return [self._result(i, text, probabilities[i], detail) for i, text in enumerate(texts)]

    def feature_matrix(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """Raw features, shape (len(texts), 4 categories, len(FEATURES)): what the calibration is fitted on."""
        return self._features(texts, vectors)[0]

    def _features(self, texts: Sequence[str], vectors: np.ndarray | None) -> tuple[np.ndarray, dict[str, Any]]:
        vectors = self.encoder.encode_queries(list(texts)) if vectors is None else vectors
        negative_sims = vectors @ self._negative_vectors.T
        negative = _top_k_mean(negative_sims, TOP_K)
        police = [police_context(t) for t in texts]
        sims = {c: vectors @ self._example_vectors[c].T for c in self.categories}
        hits = {c: [self._matchers[c].find(t) for t in texts] for c in self.categories}
        raw = {
            "nearest": np.stack([_top_k_mean(sims[c], TOP_K) for c in self.categories], axis=1),
            "terms": np.array([[term_score(hits[c][i]) for c in self.categories] for i in range(len(texts))]),
            "police": np.repeat(np.array([[1.0 if p else 0.0] for p in police]), len(self.categories), axis=1),
        }
        raw["margin"] = raw["nearest"] - negative[:, None]
        best_other = np.stack(
            [np.delete(raw["nearest"], j, axis=1).max(axis=1) for j in range(len(self.categories))], axis=1
        )
        raw["lead"] = raw["nearest"] - best_other
        features = np.stack(
            [raw["lead"] * raw["police"], raw["margin"] * raw["police"], raw["terms"] * raw["police"], raw["police"]],
            axis=2,
        )
        detail = {
            "vectors": vectors, "sims": sims, "hits": hits, "police": police, "negative_sims": negative_sims, "raw": raw
        }
        return features, detail

    def _probabilities(self, features: np.ndarray, raw: dict[str, np.ndarray]) -> np.ndarray:
        out = np.zeros(features.shape[:2])
        for j, c in enumerate(self.categories):
            if self.calibration is not None:
                out[:, j] = self.calibration.categories[c].probability(features[:, j, :])
            else:
                out[:, j] = self.heuristic_probability(c, {name: values[:, j] for name, values in raw.items()})
        return out

    def threshold(self, category: Category) -> float:
        """The score at or above which a moral category becomes a label."""
        if self.head is not None:
            return self.head.threshold[category]
        if self.calibration is not None:
            return self.calibration.categories[category].threshold
        return HEURISTIC["threshold"]

    def _heuristic_references(self) -> dict[Category, tuple[float, float]]:
        """Per category: how similar its examples are to each other, and how similar 'geen' news is to them."""
        references = {}
        for c in self.categories:
            own = self._example_vectors[c] @ self._example_vectors[c].T
            np.fill_diagonal(own, -np.inf)
            positive = float(_top_k_mean(own, TOP_K).mean())
            negative = float(_top_k_mean(self._negative_vectors @ self._example_vectors[c].T, TOP_K).mean())
            references[c] = (positive, negative)
        return references

    def heuristic_probability(self, category: Category, raw: Mapping[str, np.ndarray]) -> np.ndarray:
        """Fallback without a calibration for the model: see the comment above HEURISTIC."""
        positive, negative = self._references[category]
        scale = max(positive - negative, 1e-6)
        z = (
            HEURISTIC["slope"] * ((raw["nearest"] - negative) / scale - 0.5)
            + HEURISTIC["lead"] * raw["lead"] / scale
            + HEURISTIC["terms"] * raw["terms"]
            + HEURISTIC["no_police"] * (1.0 - raw["police"])
        )
        result: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        return result

    def _result(self, i: int, text: str, probabilities: np.ndarray, detail: dict[str, Any]) -> Classification:
        scores: dict[Category, float] = {}
        explanation: dict[Category, Evidence] = {}
        raw = detail["raw"]
        for j, c in enumerate(self.categories):
            scores[c] = float(probabilities[j])
            explanation[c] = Evidence(
                c, scores[c], self.threshold(c), detail["hits"][c][i],
                self._nearest(self._examples[c], detail["sims"][c][i]),
                {name: float(raw[name][i, j]) for name in ("nearest", "lead", "margin", "terms", "police")},
            )
        scores[Category.GEEN] = float(np.prod(1.0 - probabilities))
        explanation[Category.GEEN] = Evidence(
            Category.GEEN, scores[Category.GEEN], 0.5, [],
            self._nearest(self._negatives, detail["negative_sims"][i]),
            {"police": float(raw["police"][i, 0])},
        )
        labels = [c for c in self.categories if scores[c] >= self.threshold(c)]
        labels.sort(key=lambda c: -scores[c])
        return Classification(
            text, scores, labels or [Category.GEEN], explanation, detail["police"][i],
            self.calibrated, self.encoder.name,
        )

    @staticmethod
    def _nearest(sentences: Sequence[str], similarities: np.ndarray) -> list[Neighbour]:
        order = np.argsort(-similarities)[:SHOWN_EXAMPLES]
        return [Neighbour(sentences[k], float(similarities[k])) for k in order]
