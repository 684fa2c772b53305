"""Fit the classifier head (monitors/data/classifier_head.json): logistic regression per moral category.

Training data: the train split of the real-reporting corpus (tests/data/monitors_corpus; each item with its
description and, again, as a bare title, since feeds often carry no description), the train split of
tests/data/classify/devset.yaml, and the playbooks' example sentences (positives of their category) and
counter-examples and 'geen' prototypes (negatives of every category). Ordinary police news and hard negatives are
explicit negatives of every category. L2 strength C is chosen by 5-fold cross-validation (macro-F1) on the training
data only; each category's threshold is the one with the best F1 on the corpus's dev split that flags at most 3 % of
dev's ordinary news. The test split is not
read here.
"""

from __future__ import annotations

import argparse
import hashlib
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from bench.eval_classifier import DEVSET, load_devset
from encoder import Encoder
from monitors.classify import Classifier, article_text
from monitors.classify_head import Head, bundled_head_path, head_inputs
from monitors.corpus import CorpusItem, corpus_files, load

CORPUS = DEVSET.parents[1] / "monitors_corpus"
ALARM_BUDGET = 0.03
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.3, 0.951, 0.01))

SEED = 0
GRID = (1.0, 4.0, 16.0)


def corpus_split(split: str) -> list[CorpusItem]:
    return [i for i in load(corpus_files(CORPUS)) if i.split == split]


def gold_rows(classifier: Classifier, items: list[CorpusItem]) -> list[np.ndarray]:
    return [np.array([int(c.value in i.categories) for c in classifier.categories]) for i in items]


def inputs(classifier: Classifier, texts: list[str]) -> np.ndarray:
    vectors = classifier.encoder.encode_queries(texts)
    return head_inputs(vectors, classifier.feature_matrix(texts, vectors))


def training_data(classifier: Classifier) -> tuple[np.ndarray, np.ndarray, str]:
    """Inputs, 0/1 labels over the four moral categories, and a provenance note."""
    dev = load_devset()
    texts = [t for t, train in zip(dev.texts, dev.train, strict=True) if train]
    labels = [row for row, train in zip(dev.labels(), dev.train, strict=True) if train]
    corpus = corpus_split("train")
    for item, row in zip(corpus, gold_rows(classifier, corpus), strict=True):
        texts.append(article_text(item.title, item.description))
        labels.append(row)
        if item.description:
            texts.append(item.title)
            labels.append(row)
    for j, c in enumerate(classifier.categories):
        for sentence in classifier._examples[c]:
            texts.append(sentence)
            labels.append(np.eye(len(classifier.categories), dtype=int)[j])
    for sentence in classifier._negatives:
        texts.append(sentence)
        labels.append(np.zeros(len(classifier.categories), dtype=int))
    digest = hashlib.sha256(DEVSET.read_bytes()).hexdigest()[:16]
    note = (f"the corpus's train split (n={len(corpus)} items, with and without description) + "
            f"tests/data/classify/devset.yaml split=train (n={int(dev.train.sum())}, sha256 {digest}) "
            f"+ playbook examples and counter-examples")
    return inputs(classifier, texts), np.array(labels), note


def _fit(x: np.ndarray, y: np.ndarray, c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=SEED).fit(x, y)


def choose_c(x: np.ndarray, y: np.ndarray) -> float:
    """The C with the best mean out-of-fold macro-F1 over the categories (ties: the smaller C)."""
    best = (-1.0, GRID[0])
    for c in GRID:
        f1s = []
        for train, held in KFold(5, shuffle=True, random_state=SEED).split(x):
            for j in range(y.shape[1]):
                predicted = _fit(x[train], y[train, j], c).predict(x[held])
                tp = int(((predicted == 1) & (y[held, j] == 1)).sum())
                denominator = int(predicted.sum() + y[held, j].sum())
                f1s.append(2 * tp / denominator if denominator else 1.0)
        score = float(np.mean(f1s))
        print(f"C={c}: out-of-fold macro-F1 {score:.3f}", file=sys.stderr)
        best = max(best, (score, c), key=lambda t: (t[0], -t[1]))
    return best[1]


def fit_head(classifier: Classifier) -> Head:
    x, y, note = training_data(classifier)
    c = choose_c(x, y)
    models = {cat: _fit(x, y[:, j], c) for j, cat in enumerate(classifier.categories)}
    dev = corpus_split("dev")
    dev_x = inputs(classifier, [article_text(i.title, i.description) for i in dev])
    dev_y = np.array(gold_rows(classifier, dev))
    ordinary = dev_y.sum(axis=1) == 0
    thresholds = {cat: best_threshold(m.predict_proba(dev_x)[:, 1], dev_y[:, j], ordinary)
                  for j, (cat, m) in enumerate(models.items())}
    print(f"thresholds chosen on the corpus's dev split: {thresholds}", file=sys.stderr)
    return Head(
        model=classifier.encoder.name,
        weights={cat: m.coef_[0].astype(np.float32) for cat, m in models.items()},
        bias={cat: float(m.intercept_[0]) for cat, m in models.items()},
        threshold=thresholds,
        meta={"fitted_on": note, "C": c, "seed": SEED, "examples_digest": classifier.examples_digest,
              "thresholds": "best F1 per category on the corpus's dev split, ≤ 3 % of its ordinary news flagged"},
    )


def best_threshold(scores: np.ndarray, gold: np.ndarray, ordinary: np.ndarray) -> float:
    """The threshold with the best F1 on dev among those that flag at most ALARM_BUDGET of dev's ordinary news
    with this category (four categories share a false-alarm budget); ties: the higher one."""
    def f1(t: float) -> float:
        predicted = scores >= t
        tp = int((predicted & (gold == 1)).sum())
        denominator = int(predicted.sum() + gold.sum())
        return 2 * tp / denominator if denominator else 1.0

    allowed = [t for t in THRESHOLDS if (scores[ordinary] >= t).mean() <= ALARM_BUDGET] or [THRESHOLDS[-1]]
    return float(max(allowed, key=lambda t: (round(f1(t), 6), t)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=None, help="CATBOT_MODEL (default: the bundled multilingual e5-small)")
    args = parser.parse_args(argv)
    classifier = Classifier(Encoder.load(args.model), head=None)
    head = fit_head(classifier)
    bundled_head_path().write_text(head.to_json(), encoding="utf-8")
    print(f"head written to {bundled_head_path()} (C={head.meta['C']})", file=sys.stderr)


if __name__ == "__main__":
    main()
