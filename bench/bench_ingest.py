"""End-to-end ingest throughput next to the raw encoder, and time per article as stored history grows."""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import httpx
import numpy as np
from sqlalchemy import create_engine, func, insert, select
from sqlalchemy.orm import Session

from bench.bench_encoder import LEDES, PLACES
from encoder import Encoder
from monitors.articles import MINHASH_PERMUTATIONS
from monitors.classify import Classifier, article_text
from monitors.ingest import ingest_source
from monitors.models import Article, ArticleAnalysis, ArticleBand, ArticleSighting, Incident, metadata
from monitors.pipeline import PipelineConfig, analyse_articles, lede
from monitors.places import find_places

NOW = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)
HISTORY_PER_DAY = 200  # a busy news flow: the active window holds the same number of rows at every history size
DIM = 384


class TimedEncoder:
    """The real encoder, counting the seconds spent inside it."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder, self.name, self.seconds = encoder, encoder.name, 0.0

    def encode_queries(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        started = time.perf_counter()
        try:
            return self.encoder.encode_queries(texts, batch_size)
        finally:
            self.seconds += time.perf_counter() - started


def articles(n: int, seed: int) -> list[tuple[str, str, datetime]]:
    """n distinct articles: two ledes of different templates per article, a place, a case number."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        a, b = rng.sample(range(len(LEDES)), 2)
        place, other = rng.sample(PLACES, 2)
        text = f"{LEDES[a].format(place=place)} Intussen: {LEDES[b].format(place=other)} Zaaknummer {seed}-{i}."
        title = LEDES[a].format(place=place).split(". ")[0][:90]
        out.append((f"{title} ({i})", text, NOW - timedelta(minutes=rng.randrange(0, 600))))
    return out


def write_feed(path: Path, items: list[tuple[str, str, datetime]], seed: int) -> None:
    """An RSS file with the given items."""
    body = "".join(
        f"<item><title>{escape(t)}</title><link>https://bench.test/{seed}/{i}</link>"
        f"<guid isPermaLink=\"false\">b{seed}-{i}</guid><pubDate>{format_datetime(p)}</pubDate>"
        f"<description>{escape(x)}</description></item>"
        for i, (t, x, p) in enumerate(items)
    )
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>bench</title>'
                    f"{body}</channel></rss>", encoding="utf-8")


def synthesise_history(session: Session, start: int, stop: int, rng: np.random.Generator) -> None:
    """Insert analysed articles start..stop (ids), newest first back in time, two per incident."""
    for lo in range(start, stop, 5000):
        hi = min(stop, lo + 5000)
        ids = range(lo + 1, hi + 1)
        when = {i: NOW - timedelta(days=(i - 1) / HISTORY_PER_DAY, hours=12) for i in ids}
        vectors = rng.normal(size=(hi - lo, DIM)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        session.execute(insert(Article), [
            {"id": i, "guid_key": f"h:{i}", "url": f"https://hist.test/{i}", "canonical_url": f"https://hist.test/{i}",
             "url_hash": f"{i:064x}", "title": f"historisch bericht {i}", "text": "tekst", "published": when[i],
             "published_from_feed": True, "first_seen": when[i], "feed_name": f"bron{i % 20}",
             "text_hash": f"h{i:063x}", "minhash": rng.bytes(MINHASH_PERMUTATIONS * 8), "places": {},
             "units": [f"RE{1 + i % 10:02d}"], "place_confidence": 0.9}
            for i in ids
        ])
        session.execute(insert(ArticleBand), [
            {"article_id": i, "band": b, "value": int(rng.integers(-(2**62), 2**62)), "first_seen": when[i]}
            for i in ids for b in range(16)
        ])
        session.execute(insert(ArticleSighting), [
            {"article_id": i, "feed_name": f"bron{i % 20}", "url": None, "seen_at": when[i]} for i in ids
        ])
        first = (session.scalar(select(func.max(Incident.id))) or 0) + 1
        incident_of = {i: first + (i - lo - 1) // 2 for i in ids}
        members: dict[int, list[int]] = {}
        for i in ids:
            members.setdefault(incident_of[i], []).append(i)
        session.execute(insert(Incident), [
            {"id": k, "label": f"incident {k}", "centroid": vectors[group[0] - lo - 1].tobytes(),
             "units": [f"RE{1 + k % 10:02d}"], "places": [], "keywords": {}, "categories": [],
             "category_scores": {}, "label_counts": {}, "sources": [], "first_seen": min(when[i] for i in group),
             "last_seen": max(when[i] for i in group), "article_count": len(group), "source_count": len(group)}
            for k, group in members.items()
        ])
        session.execute(insert(ArticleAnalysis), [
            {"article_id": i, "model": "bench", "categories": [], "scores": {}, "evidence": {}, "keywords": [],
             "embedding": vectors[i - lo - 1].tobytes(), "incident_id": incident_of[i], "similarity": None,
             "analysed_at": when[i]}
            for i in ids
        ])
        session.commit()


def stored_articles(path: Path) -> list[Article]:
    """The articles a throughput run stored (their normalised title and text)."""
    engine = create_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        rows = list(session.scalars(select(Article).order_by(Article.id)))
        session.expunge_all()
    engine.dispose()
    return rows


def run_batch(
    session: Session, classifier: Classifier, timed: TimedEncoder, feed: Path, config: PipelineConfig
) -> tuple[int, float, float, float]:
    """Ingest one feed file and run the pipeline; (articles, seconds, seconds inside the encoder, CPU seconds)."""
    timed.seconds = 0.0
    started, cpu = time.perf_counter(), time.process_time()
    with httpx.Client() as client:
        counts = ingest_source(session, str(feed), client=client, now=NOW, feed_name=feed.stem)
    analyse_articles(session, [a.id for a in counts.articles], classifier=classifier, now=NOW, config=config)
    session.commit()
    return counts.new, time.perf_counter() - started, timed.seconds, time.process_time() - cpu


def main() -> None:
    """Print both tables as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=None)
    parser.add_argument("--articles", type=int, default=256, help="articles in the throughput run")
    parser.add_argument("--batch", type=int, default=64, help="articles per history-growth measurement")
    parser.add_argument("--history", default="1000,10000,100000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pipeline-batch", type=int, default=PipelineConfig().batch_size)
    args = parser.parse_args()
    config = PipelineConfig(batch_size=args.pipeline_batch)
    encoder = Encoder.load(args.model)
    timed = TimedEncoder(encoder)
    classifier = Classifier(timed)  # type: ignore[arg-type]
    find_places("Warm-up in Rotterdam", "")  # the gazetteer loads once per process
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        items = articles(args.articles, seed=1)
        write_feed(folder / "throughput.xml", items, 1)
        encoder.encode_queries([article_text(t, lede(x)) for t, x, _ in items[:16]])
        raw: list[tuple[float, float]] = []
        piped: list[tuple[float, float, float]] = []
        for run in range(args.repeats):  # alternate, so both see the same load on a shared machine
            engine = create_engine(f"sqlite:///{folder / f'bench{run}.sqlite3'}")
            metadata.create_all(engine)
            with Session(engine) as session:
                n, seconds, inside, cpu = run_batch(session, classifier, timed, folder / "throughput.xml", config)
            engine.dispose()
            piped.append((n / seconds, inside / seconds, n / cpu))
            texts = [article_text(a.title, lede(a.text)) for a in stored_articles(folder / f"bench{run}.sqlite3")]
            started, cpu_started = time.perf_counter(), time.process_time()
            encoder.encode_queries(texts)
            raw.append((len(texts) / (time.perf_counter() - started), len(texts) / (time.process_time() - cpu_started)))
        best, best_raw = max(piped), max(raw)
        cpu_rate, raw_cpu_rate = max(p[2] for p in piped), max(r[1] for r in raw)
        print(f"load average {os.getloadavg()[0]:.1f}; {n} articles stored of {len(items)} (the rest are "
              f"near-duplicates); best of {args.repeats} alternating runs\n")
        print("| step | articles/s (wall) | articles per CPU-second | share of wall time in the encoder |")
        print("|---|---:|---:|---:|")
        print(f"| raw encoder (`encode_queries`, the stored articles' texts) | {best_raw[0]:.1f} | {raw_cpu_rate:.1f} "
              "| 100% |")
        print(f"| pipeline end to end (parse → persist, SQLite file) | {best[0]:.1f} | {cpu_rate:.1f} "
              f"| {best[1]:.0%} |")
        print(f"\nratio pipeline / raw encoder: {best[0] / best_raw[0]:.2f} wall, {cpu_rate / raw_cpu_rate:.2f} CPU "
              f"(wall per run: {', '.join(f'{p[0] / r[0]:.2f}' for p, r in zip(piped, raw, strict=True))})\n")

        engine = create_engine(f"sqlite:///{folder / 'history.sqlite3'}")
        metadata.create_all(engine)
        rng = np.random.default_rng(7)
        print("| stored articles | ms per article (total) | ms per article outside the encoder |\n|---:|---:|---:|")
        with Session(engine) as session:
            stored = 0
            for step, size in enumerate(int(s) for s in args.history.split(",")):
                synthesise_history(session, stored, size, rng)
                runs = []
                for repeat in range(2):
                    seed = 100 + 10 * step + repeat
                    feed = folder / f"growth{seed}.xml"
                    write_feed(feed, articles(args.batch, seed=seed), seed)
                    n, seconds, inside, _ = run_batch(session, classifier, timed, feed, config)
                    runs.append((seconds / n, (seconds - inside) / n))
                stored = size + 2 * args.batch
                total, outside = min(runs)
                print(f"| {size:,} | {1000 * total:.1f} | {1000 * outside:.1f} |")
        engine.dispose()


if __name__ == "__main__":
    main()
