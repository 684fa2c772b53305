"""Every file of feedparser's own test corpus goes through ingestion: no crash, bozo logged, usable entries kept."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from monitors.articles import normalise_entry
from monitors.feeds import parse_feed
from monitors.ingest import ingest_parsed
from tests.monitors.conftest import FEEDS, NOW

CORPUS = FEEDS / "feedparser-tests" / "tests"


def test_every_corpus_file_is_ingested_without_a_crash(
    sqlite_monitor_session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file())
    assert len(files) > 1000, f"feedparser corpus not found under {CORPUS}"
    caplog.set_level(logging.WARNING, logger="monitors.ingest")
    bozo_names: list[str] = []
    kept = usable = bozo_kept = 0
    for index, path in enumerate(files):
        name = f"corpus-{index}"
        parsed = parse_feed(path.read_bytes(), url=path.as_uri())
        counts = ingest_parsed(sqlite_monitor_session, parsed, feed_name=name, fetched_at=NOW)
        assert counts.new + counts.duplicate + counts.failed == len(parsed.entries), path
        usable_here = sum(normalise_entry(e, feed_name=name, fetched_at=NOW) is not None for e in parsed.entries)
        assert counts.new + counts.duplicate == usable_here, path
        usable += usable_here
        kept += counts.new + counts.duplicate
        if parsed.bozo:
            assert parsed.bozo_reason, path
            bozo_names.append(name)
            bozo_kept += counts.new + counts.duplicate
    warned = {
        message.split(":")[0].removeprefix("feed ")
        for message in (r.getMessage() for r in caplog.records)
        if "niet goedgevormd" in message
    }
    assert set(bozo_names) <= warned
    assert len(bozo_names) > 200 and kept == usable > 300 and bozo_kept > 0


def test_bozo_log_line_has_no_article_text(sqlite_monitor_session: Session, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="monitors.ingest")
    content = (Path(__file__).resolve().parents[1] / "data" / "feeds" / "politie_nieuws_kapot.xml").read_bytes()
    counts = ingest_parsed(sqlite_monitor_session, parse_feed(content), feed_name="Politie.nl", fetched_at=NOW)
    assert counts.new == 2
    text = caplog.text
    assert "niet goedgevormd (XML klopt niet: onbekende entiteit" in text and "Politie.nl" in text
    assert "Leeuwarden" not in text and "mishandeling" not in text
