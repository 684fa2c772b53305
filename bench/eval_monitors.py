"""Incident clustering (BCubed) and unit accuracy on the labelled feed fixtures; writes docs/monitors.md figures."""

from __future__ import annotations

import argparse
import re
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from encoder import Encoder
from monitors.classify import Classifier
from monitors.cluster import ClusterConfig
from monitors.evaluation import evaluate, load_gold
from monitors.ingest import ingest_source
from monitors.models import metadata
from monitors.pipeline import PipelineConfig, analyse_articles

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "data" / "feeds" / "pileup"
DOC = ROOT / "docs" / "monitors.md"
START, END = "<!-- eval:start -->", "<!-- eval:end -->"
NOW = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)
SETS = {"backfill": "tuning", "heldout": "held out", "memo_week": "memo week"}
THRESHOLDS = (0.90, 0.92, 0.94, 0.95, 0.96, 0.98)


def run(folder: Path, classifier: Classifier, config: PipelineConfig) -> dict[str, Any]:
    """Backfill one fixture folder into a fresh in-memory database; figures and signals."""
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with Session(engine) as session, httpx.Client() as client:
        ids: list[int] = []
        for path in sorted(folder.glob("*.xml")):
            counts = ingest_source(session, str(path), client=client, now=NOW, feed_name=path.stem)
            ids += [a.id for a in counts.articles]
        result = analyse_articles(session, ids, classifier=classifier, now=NOW, config=config)
        figures: dict[str, Any] = dict(evaluate(session, load_gold(folder)))
        figures["incidents"] = len(result.incidents_touched)
        figures["signals"] = ", ".join(sorted(f"{s.kind}:{s.category or '-'}" for s in result.signals)) or "-"
    engine.dispose()
    return figures


def table(rows: dict[str, dict[str, Any]]) -> list[str]:
    """Markdown rows per fixture set."""
    lines = [
        "| set | articles | incidents | BCubed P | BCubed R | BCubed F1 | unit accuracy | signals |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, f in rows.items():
        lines.append(
            f"| {name} ({SETS[name]}) | {int(f['articles'])} | {f['incidents']} | {f['precision']:.2f} | "
            f"{f['recall']:.2f} | {f['f1']:.2f} | {f['unit_accuracy']:.2f} | {f['signals']} |"
        )
    return lines


def main() -> None:
    """Evaluate the default settings and a threshold sweep; optionally write the figures into docs/monitors.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=None, help="CATBOT_MODEL (default: multilingual-e5-small)")
    parser.add_argument("--write", action="store_true", help="write the figures into docs/monitors.md")
    args = parser.parse_args()
    started = time.perf_counter()
    encoder = Encoder.load(args.model)
    classifier = Classifier(encoder)
    default = PipelineConfig()
    rows = {name: run(FIXTURES / name, classifier, default) for name in SETS}
    lines = [f"Model: `{encoder.name}`; threshold {default.cluster.threshold}.", "", *table(rows), ""]
    lines += ["Threshold sweep (BCubed F1, tuning / held out):", "", "| threshold | tuning F1 | held-out F1 |",
              "|---:|---:|---:|"]
    for threshold in THRESHOLDS:
        config = replace(default, cluster=ClusterConfig(threshold=threshold))
        tuned, held = (run(FIXTURES / n, classifier, config)["f1"] for n in ("backfill", "heldout"))
        lines.append(f"| {threshold:.2f} | {tuned:.2f} | {held:.2f} |")
    lines.append(f"\n({time.perf_counter() - started:.0f} s, `python bench/eval_monitors.py --write`)")
    text = "\n".join(lines)
    print(text)
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        block = f"{START}\n{text}\n{END}"
        DOC.write_text(re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, doc, flags=re.S), "utf-8")


if __name__ == "__main__":
    main()
