"""The monitors on real reporting: categories, false alarms, units and incidents per split of the corpus.

Data: tests/data/monitors_corpus (real Dutch news found for this project, descriptions in our own words; see
docs/monitors.md). Split by incident (monitors.corpus.split_of): tune on train/dev, report test on its own. The
items go through the real path: written as RSS feeds (one per outlet), ingested, analysed, clustered.

Run: python bench/eval_monitors.py [--write] [--precision int8]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from datetime import time as clock_time
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import httpx
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from bot.localtime import DUTCH
from encoder import Encoder
from monitors.classify import Classifier, article_text
from monitors.corpus import CorpusItem, Split, corpus_files, load
from monitors.evaluation import MORAL, bcubed, category_figures, confusion, moral_labels, stored_results
from monitors.ingest import ingest_source
from monitors.models import Signal, metadata
from monitors.pipeline import PipelineConfig, analyse_articles
from monitors.unit_eval import unit_accuracy

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "monitors_corpus"
DOC = ROOT / "docs" / "monitors.md"
START, END = "<!-- eval:start -->", "<!-- eval:end -->"
SPLITS: tuple[Split, ...] = ("train", "dev", "test")


def rss(items: Sequence[CorpusItem]) -> str:
    """One RSS 2.0 document as an outlet's feed carries the items (title, description, link, guid, pubDate)."""
    def entry(i: CorpusItem) -> str:
        day = datetime.fromisoformat(i.published).date()
        published = datetime.combine(day, clock_time(12, 0), tzinfo=DUTCH).astimezone(UTC)
        return (f"<item><title>{escape(i.title)}</title><link>{escape(i.link)}</link>"
                f"<description>{escape(i.description)}</description><guid isPermaLink=\"false\">{i.id}</guid>"
                f"<pubDate>{format_datetime(published)}</pubDate></item>")

    body = "".join(entry(i) for i in items)
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>feed</title>{body}' \
        "</channel></rss>"


def pipeline(items: Sequence[CorpusItem], classifier: Classifier, config: PipelineConfig,
             now: datetime) -> tuple[dict[str, int | None], list[Signal]]:
    """Ingest the items as outlet feeds into a fresh database and analyse them: item id → incident, and signals."""
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    by_outlet: dict[str, list[CorpusItem]] = defaultdict(list)
    for item in items:
        by_outlet[item.outlet].append(item)
    with tempfile.TemporaryDirectory() as folder, Session(engine) as session, httpx.Client() as client:
        ids: list[int] = []
        for n, (outlet, group) in enumerate(sorted(by_outlet.items())):
            path = Path(folder) / f"feed{n}.xml"
            path.write_text(rss(group), encoding="utf-8")
            ids += [a.id for a in ingest_source(session, str(path), client=client, now=now, feed_name=outlet).articles]
        result = analyse_articles(session, ids, classifier=classifier, now=now, config=config)
        incidents = {key: incident for key, (incident, _) in stored_results(session).items()}
        signals = list(result.signals)
        session.expunge_all()
    engine.dispose()
    return incidents, signals


def incident_figures(items: Sequence[CorpusItem], incidents: dict[str, int | None]) -> dict[str, float]:
    """BCubed of the predicted incidents against the gold ones (unclustered articles count as singletons)."""
    gold = {i.id: i.incident for i in items}
    predicted = {i.id: incidents.get(i.id) or f"alone:{i.id}" for i in items}
    score = bcubed(gold, predicted)
    multi = {g for g, n in Counter(gold.values()).items() if n > 1}
    return {"precision": score.precision, "recall": score.recall, "f1": score.f1,
            "incidents": len(set(gold.values())), "multi": len(multi)}


def report(items: list[CorpusItem], classifier: Classifier) -> list[str]:
    """The Markdown tables per split."""
    lines: list[str] = []
    ids = [i.id for i in items]
    full = dict(zip(ids, moral_labels(classifier, [article_text(i.title, i.description) for i in items]), strict=True))
    titles = dict(zip(ids, moral_labels(classifier, [i.title for i in items]), strict=True))
    cats = {s: category_figures([i for i in items if i.split == s], [full[i.id] for i in items if i.split == s])
            for s in SPLITS}
    tcats = {s: category_figures([i for i in items if i.split == s], [titles[i.id] for i in items if i.split == s])
             for s in SPLITS}
    units = {s: unit_accuracy([i for i in items if i.split == s]) for s in SPLITS}
    lines += ["| measure | " + " | ".join(SPLITS) + " |", "|---|" + "---:|" * len(SPLITS)]
    lines.append("| items (incidents) | " + " | ".join(
        f"{sum(i.split == s for i in items)} ({len({i.incident for i in items if i.split == s})})" for s in SPLITS)
        + " |")
    lines.append("| category macro-F1 | " + " | ".join(f"{cats[s]['macro_f1']:.2f}" for s in SPLITS) + " |")
    lines.append("| category macro-F1, titles only | " + " | ".join(f"{tcats[s]['macro_f1']:.2f}" for s in SPLITS)
                 + " |")
    lines.append("| ordinary news flagged (false alarms) | " + " | ".join(
        f"{cats[s]['false_alarm']:.0%} of {cats[s]['ordinary']}" for s in SPLITS) + " |")
    lines.append("| ordinary news flagged, titles only | " + " | ".join(
        f"{tcats[s]['false_alarm']:.0%}" for s in SPLITS) + " |")
    lines.append("| hard negatives flagged | " + " | ".join(
        f"{cats[s]['hard_flagged'][0]} of {cats[s]['hard_flagged'][1]}" for s in SPLITS) + " |")
    for name, label in (("knowable", "unit right, unit knowable from item or incident"),
                        ("regional_knowable", "unit right, regional and knowable"), ("all", "unit right, all police")):
        lines.append(f"| {label} | " + " | ".join(
            f"{units[s][name]['accuracy']:.2f} (n={int(units[s][name]['n'])})" if name in units[s] else "-"
            for s in SPLITS) + " |")
    incidents, _ = pipeline(items, classifier, PipelineConfig(), datetime(2026, 12, 1, tzinfo=UTC))
    inc = {s: incident_figures([i for i in items if i.split == s], incidents) for s in SPLITS}
    lines.append("| incidents BCubed P / R / F1 | " + " | ".join(
        f"{inc[s]['precision']:.2f} / {inc[s]['recall']:.2f} / {inc[s]['f1']:.2f}" for s in SPLITS) + " |")
    lines.append("| gold incidents with ≥ 2 articles | " + " | ".join(str(inc[s]["multi"]) for s in SPLITS) + " |")
    lines += ["", "Per category (full text; P / R / F1, n = gold items):", "",
              "| category | " + " | ".join(SPLITS) + " |", "|---|" + "---:|" * len(SPLITS)]
    for c in MORAL:
        lines.append(f"| {c} | " + " | ".join(
            f"{cats[s]['per'][c]['precision']:.2f} / {cats[s]['per'][c]['recall']:.2f} / "
            f"{cats[s]['per'][c]['f1']:.2f} (n={int(cats[s]['per'][c]['n'])})" for s in SPLITS) + " |")
    test = [i for i in items if i.split == "test"]
    matrix = confusion(test, [full[i.id] for i in test])
    names = ("geen", *MORAL)
    lines += ["", "Confusion on **test** (first gold category × first predicted; rows gold):", "",
              "| gold \\ predicted | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    lines += [f"| {g} | " + " | ".join(str(matrix[(g, p)]) for p in names) + " |" for g in names]
    lines += ["", "Unit accuracy per gold unit on **test**:", "", "| unit | n | right |", "|---|---:|---:|"]
    lines += [f"| {u} | {int(v['n'])} | {v['accuracy']:.2f} |" for u, v in units["test"].items()
              if u not in ("all", "regional", "knowable", "regional_knowable")]
    return lines


def memo_week(classifier: Classifier) -> list[str]:
    """The memo's week (19–24 Nov 2022) from real reporting: which signals fire, naming which units."""
    items = load(sorted(CORPUS.glob("memo_week*.jsonl")))
    _, signals = pipeline(items, classifier, PipelineConfig(), datetime(2022, 11, 25, 12, tzinfo=UTC))
    lines = [f"Memo week: {len(items)} items; signals:"]
    lines += [f"- {s.kind} {s.category or ''}: units {', '.join(s.units)}" for s in signals] or ["- none"]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=None, help="CATBOT_MODEL (default: the bundled multilingual e5-small)")
    parser.add_argument("--precision", default=None, help="fp32 or int8 (default: CATBOT_MODEL_PRECISION or fp32)")
    parser.add_argument("--write", action="store_true", help="write the figures into docs/monitors.md")
    args = parser.parse_args()
    started = time.perf_counter()
    encoder = Encoder.load(args.model, precision=args.precision) if args.precision else Encoder.load(args.model)
    classifier = Classifier(encoder)
    items = load(corpus_files(CORPUS))
    outlets = Counter(i.outlet for i in items)
    fitted = classifier.head.meta.get("fitted_on", "?") if classifier.head else "no head"
    lines = [f"Corpus: {len(items)} items from {len(outlets)} outlets, {len({i.incident for i in items})} incidents. "
             f"Model `{encoder.name}`, head fitted on {fitted}.",
             "", *report(items, classifier), "", *memo_week(classifier),
             f"\n({time.perf_counter() - started:.0f} s, `python bench/eval_monitors.py --write`)"]
    text = "\n".join(lines)
    print(text)
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        block = f"{START}\n{text}\n{END}"
        DOC.write_text(re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, doc, flags=re.S), "utf-8")


if __name__ == "__main__":
    main()
