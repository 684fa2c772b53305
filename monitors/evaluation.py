"""Quality measures for the monitors: categories against gold labels, BCubed clustering scores, unit accuracy."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitors.classify import Classifier
from monitors.corpus import CorpusItem
from monitors.models import Article, ArticleAnalysis
from playbooks.vocabulary import Category

MORAL = tuple(c.value for c in Category.moral())


@dataclass(frozen=True)
class BCubed:
    """BCubed precision, recall and F1 averaged over items."""

    precision: float
    recall: float
    f1: float


def bcubed(gold: Mapping[str, str], predicted: Mapping[str, Any]) -> BCubed:
    """BCubed over the items both mappings share (item → gold cluster, item → predicted cluster)."""
    items = [i for i in gold if i in predicted]
    if not items:
        return BCubed(0.0, 0.0, 0.0)
    pairs = Counter((gold[i], predicted[i]) for i in items)
    gold_size = Counter(gold[i] for i in items)
    pred_size = Counter(predicted[i] for i in items)
    precision = sum(pairs[(gold[i], predicted[i])] / pred_size[predicted[i]] for i in items) / len(items)
    recall = sum(pairs[(gold[i], predicted[i])] / gold_size[gold[i]] for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision, recall, f1)


def load_gold(folder: Path) -> dict[str, dict[str, Any]]:
    """gold.json of a fixture folder: feed GUID → {incident, units}."""
    data: dict[str, dict[str, Any]] = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    return data


def stored_results(session: Session) -> dict[str, tuple[int | None, tuple[str, ...]]]:
    """Feed GUID → (predicted incident id, predicted units) for every analysed article."""
    rows = session.execute(
        select(Article.guid_key, ArticleAnalysis.incident_id, Article.units).join(
            ArticleAnalysis, ArticleAnalysis.article_id == Article.id
        )
    ).all()
    return {(key or "").rsplit(":", 1)[-1]: (incident, tuple(sorted(units))) for key, incident, units in rows}


def evaluate(session: Session, gold: Mapping[str, Mapping[str, Any]]) -> dict[str, float]:
    """BCubed P/R/F1 of the stored incidents and the share of articles whose unit set is exactly right."""
    results = stored_results(session)
    score = bcubed({k: v["incident"] for k, v in gold.items()}, {k: r[0] for k, r in results.items()})
    matched = [k for k in gold if k in results]
    units_ok = sum(results[k][1] == tuple(sorted(gold[k]["units"])) for k in matched)
    return {
        "articles": float(len(matched)),
        "precision": score.precision,
        "recall": score.recall,
        "f1": score.f1,
        "unit_accuracy": units_ok / len(matched) if matched else 0.0,
    }


def moral_labels(classifier: Classifier, texts: Sequence[str]) -> list[set[str]]:
    """Predicted moral categories per text (empty: geen), as category_figures takes them."""
    return [{c.value for c in r.labels if c is not Category.GEEN} for r in classifier.classify_many(list(texts))]


def category_figures(items: Sequence[CorpusItem], predicted: Sequence[set[str]]) -> dict[str, Any]:
    """Per-category P/R/F1, macro-F1, and how often ordinary police news and other news are flagged."""
    gold = [set(i.categories) - {"geen"} for i in items]
    per: dict[str, dict[str, float]] = {}
    for c in MORAL:
        tp = sum(c in g and c in p for g, p in zip(gold, predicted, strict=True))
        fp = sum(c not in g and c in p for g, p in zip(gold, predicted, strict=True))
        fn = sum(c in g and c not in p for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[c] = {"n": tp + fn, "precision": precision, "recall": recall, "f1": f1}
    ordinary = [bool(p) for g, p in zip(gold, predicted, strict=True) if not g]
    by_kind = {kind: [bool(p) for i, p in zip(items, predicted, strict=True) if i.kind == kind]
               for kind in ("moral", "police", "other")}
    hard = [bool(p) for i, p in zip(items, predicted, strict=True) if i.hard_negative]
    return {
        "per": per,
        "macro_f1": sum(v["f1"] for v in per.values()) / len(per),
        "false_alarm": sum(ordinary) / len(ordinary) if ordinary else 0.0,
        "ordinary": len(ordinary),
        "flagged_by_kind": {k: (sum(v), len(v)) for k, v in by_kind.items()},
        "hard_flagged": (sum(hard), len(hard)),
    }


def confusion(items: Sequence[CorpusItem], predicted: Sequence[set[str]]) -> Counter[tuple[str, str]]:
    """(gold, predicted) over each item's first gold category and first predicted one ('geen' when none)."""
    def first(labels: set[str] | Sequence[str]) -> str:
        return next((c for c in MORAL if c in labels), "geen")

    return Counter((first(i.categories), first(p)) for i, p in zip(items, predicted, strict=True))
