"""Prometheus metrics: events handled, errors, feed failures, signals, jobs, and the CAT clocks as histograms."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import REGISTRY, Counter, Gauge
from prometheus_client.core import HistogramMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.cat.clocks import clocks
from bot.cat.models import Cat

EVENTS = Counter("catbot_slack_events_handled", "Slack requests handled (after de-duplication)", ["type"])
ERRORS = Counter("catbot_errors", "Errors logged, by component", ["component"])
FEED_FAILURES = Counter("catbot_feed_failures", "Failed feed fetches")
SIGNALS = Counter("catbot_pileup_signals", "Pile-up signals emitted")
JOB_RUNS = Counter("catbot_job_runs", "Scheduler job runs", ["job", "outcome"])
REMINDERS = Counter("catbot_reminders", "Reminders fired or cancelled", ["kind", "outcome"])
LEADER = Gauge("catbot_scheduler_leader", "1 while this process runs the active scheduler")
# Seconds: 5 min … 7 days; the first-statement clock is the one the memo is about.
CLOCK_BUCKETS = (300.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0, 28800.0, 86400.0, 259200.0, 604800.0)


class CatClockCollector(Collector):
    """The stopped CAT clocks as histograms, computed from the database at scrape time.

    Every instance reports the same figures (they come from the shared database); aggregate with max,
    not sum, when several instances are scraped.
    """

    def __init__(self) -> None:
        self.source: Callable[[], list[tuple[str, float]]] | None = None

    def collect(self) -> Iterator[HistogramMetricFamily]:
        family = HistogramMetricFamily("catbot_cat_clock_seconds", "Duration of the CAT clocks once stopped",
                                       labels=["clock"])
        observed: dict[str, list[float]] = {}
        try:
            for name, seconds in (self.source() if self.source else []):
                observed.setdefault(name, []).append(seconds)
        except Exception:  # a scrape must not fail because the database is briefly away
            logging.getLogger(__name__).warning("CAT clocks unavailable for /metrics")
        for name, values in sorted(observed.items()):
            buckets = [(str(b), float(sum(1 for v in values if v <= b))) for b in CLOCK_BUCKETS]
            buckets.append(("+Inf", float(len(values))))
            family.add_metric([name], buckets, sum(values))
        yield family


CLOCKS = CatClockCollector()
REGISTRY.register(CLOCKS)


def stopped_clocks(engine: Engine) -> list[tuple[str, float]]:
    """(clock name, seconds) for every stopped clock of every CAT."""
    with Session(engine) as session:
        cats = list(session.scalars(select(Cat)))
    return [(c.name, (c.stopped - c.started).total_seconds()) for cat in cats for c in clocks(cat)
            if c.stopped is not None and isinstance(c.stopped, datetime)]


def watch_clocks(engine: Engine) -> None:
    """Point the clock histograms at this process's database."""
    CLOCKS.source = lambda: stopped_clocks(engine)


class ErrorCounter(logging.Handler):
    """Counts ERROR records by top-level component; nothing of the message is kept."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        ERRORS.labels(component=".".join(record.name.split(".")[:2])).inc()


def count_errors() -> None:
    """Attach the error counter to the root logger once."""
    root = logging.getLogger()
    if not any(isinstance(h, ErrorCounter) for h in root.handlers):
        root.addHandler(ErrorCounter())
