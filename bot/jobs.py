"""APScheduler jobs: feed polling (+ pile-up hook), reminders, the directors' digest, retention, stuck activations.

Jobs are edges: each owns its transactions. The job store keeps references to these module-level
functions (no pickled objects), and the scheduler service binds the process's runtime before starting.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session

from bot.container import Container
from bot.localtime import DUTCH, local
from bot.scheduling import metrics
from bot.slack.notifier import SlackGateway

log = logging.getLogger(__name__)
PENDING_BATCH = 200  # unanalysed articles picked up per feed poll


@dataclass
class JobRuntime:
    """What the jobs of this process work with; `stopping` is set on SIGTERM so loops end between items."""

    container: Container
    gateway: SlackGateway
    stopping: threading.Event = field(default_factory=threading.Event)
    last_feed_poll: datetime | None = None


_runtime: JobRuntime | None = None


def bind(runtime: JobRuntime | None) -> None:
    global _runtime
    _runtime = runtime


def runtime() -> JobRuntime:
    if _runtime is None:
        raise RuntimeError("no job runtime bound in this process (start the scheduler service)")
    return _runtime


def _run(name: str, body: Callable[[JobRuntime], Any]) -> None:
    try:
        body(runtime())
        metrics.JOB_RUNS.labels(job=name, outcome="ok").inc()
    except Exception:
        metrics.JOB_RUNS.labels(job=name, outcome="error").inc()
        log.exception("job %s failed", name)


# --- entry points (referenced by the job store as "bot.jobs:<name>") -----------------------------------
def fire_reminders() -> None:
    """Fire due reminders once each and cancel moot ones."""
    from bot.scheduling.firing import fire_due

    _run("reminders", lambda rt: fire_due(rt.container, rt.gateway, rt.stopping))


def poll_feeds() -> None:
    """One poll round over the feeds file, then analysis, clustering and pile-up detection of the new articles."""
    _run("feeds", _poll_feeds)


def daily_digest() -> None:
    """DM each director the active CATs with their clocks and the pending requests (once per day)."""
    _run("digest", _daily_digest)


def retention_purge() -> None:
    """Remove personal data of CATs closed longer ago than the retention period."""
    _run("retention", _retention_purge)


def resume_stuck_activations() -> None:
    """Finish interrupted activations (a crash or an error of the process that ran them) within half a minute."""
    _run("resume", _resume_stuck)


# --- bodies ----------------------------------------------------------------------------------------
def detect_pileups(session: Session, settings: Any, article_ids: list[int], now: datetime,
                   seen_again: list[int] | None = None) -> list[int]:
    """Classify and cluster the new articles into incidents, then check for pile-ups; returns new signal ids.

    Articles a later outlet also carried (`seen_again`) add that outlet to their incident, so late outlets
    count towards a surge.
    """
    if not article_ids and not seen_again:
        return []
    from bot.analysis import run_pipeline  # the process's one classifier (see Container.classifier)

    result = run_pipeline(session, settings, article_ids, seen_again=seen_again or [], now=now)
    return [signal.id for signal in result.signals]


def load_encoder(container: Container) -> None:
    """Load the pipeline's encoder (once per process, through the container) with no transaction open."""
    container.classifier()


def announce_signals(rt: JobRuntime, signal_ids: list[int]) -> None:
    """Post each new signal's card (why, incidents, units, chart; Rode knop aanvragen) in CATBOT_SIGNALS_CHANNEL.

    Without that setting the signals are only stored (`catbot monitor report`, App Home). A card is posted
    once per signal: its message is remembered under `signal:<id>` before the next one goes out.
    """
    from bot.slack.deps import Deps
    from bot.slack.flows import remember_post
    from bot.slack.models import SlackPost
    from bot.slack.signal_cards import post_signal_card

    channel = rt.container.settings.signals_channel
    if not signal_ids or channel is None:
        if signal_ids:
            log.info("pile-up signals stored (no signals channel configured): %d", len(signal_ids))
        return
    deps = Deps(rt.container, rt.gateway, rt.container.settings.requests_channel)
    for signal_id in signal_ids:
        with rt.container.transaction() as session:
            posted = session.get(SlackPost, f"signal:{signal_id}") is not None
        if posted:
            continue
        ts = post_signal_card(deps, signal_id, channel)  # no transaction open during the upload and post
        with rt.container.transaction() as session:
            remember_post(session, f"signal:{signal_id}", channel, ts)


def _poll_feeds(rt: JobRuntime) -> None:
    import httpx

    from monitors.feeds_config import load_feeds
    from monitors.pipeline import unanalysed_ids
    from monitors.poll import poll_feeds as poll

    settings = rt.container.settings
    if settings.feeds_file is None:
        return  # no feeds configured: nothing to watch
    feeds = load_feeds(settings.feeds_file)
    now = rt.container.clock()
    with httpx.Client(timeout=20.0) as client:  # fetched with no transaction open; each feed stored in its own
        outcomes = poll(rt.container.transaction, feeds, client=client, now=now)
    new = [a for o in outcomes for a in o.article_ids]
    seen_again = [a for o in outcomes for a in o.seen_again_ids]
    with rt.container.transaction() as session:  # stored earlier without analysis (ingest --zonder-analyse)
        new = list(dict.fromkeys([*new, *unanalysed_ids(session, limit=PENDING_BATCH)]))
    rt.last_feed_poll = now
    metrics.FEED_FAILURES.inc(sum(1 for o in outcomes if o.status == "fout"))
    if new or seen_again:
        load_encoder(rt.container)  # the model loads before the analysis transaction opens, never inside it
    with rt.container.transaction() as session:  # articles are committed even when the analysis fails
        signals = detect_pileups(session, settings, new, now, seen_again)
    metrics.SIGNALS.inc(len(signals))
    announce_signals(rt, signals)
    log.info("feed poll: %d feeds, %d new articles, %d signals", len(outcomes), len(new), len(signals))


def _daily_digest(rt: JobRuntime) -> None:
    from bot.cat import requests, service
    from bot.cat.models import CatStatus, RequestState
    from bot.slack.deps import Deps
    from bot.slack.flows import remember_post, slack_id_outside, statement_status
    from bot.slack.models import SlackPost
    from bot.slack.reminder_blocks import digest_blocks, digest_text

    container = rt.container
    deps = Deps(container, rt.gateway, container.settings.requests_channel)
    now = container.clock()
    day = local(now).date().isoformat()
    sent = 0
    for director in container.org.directors():
        if rt.stopping.is_set():
            break
        key = f"digest:{day}:{director.id}"
        with container.transaction() as session:  # read; Slack is called with no transaction open
            if session.get(SlackPost, key) is not None:
                continue
            active = [(c, statement_status(session, c)) for c in service.list_cats(session, include_closed=False)
                      if c.status == CatStatus.ACTIVE.value]
            pending = requests.list_requests(session, state=RequestState.PENDING)
            text, blocks = digest_text(len(active), len(pending)), digest_blocks(active=active, pending=pending,
                                                                                 now=now)
        slack_id = slack_id_outside(deps, director)
        if not slack_id:
            continue
        channel, ts = rt.gateway.dm(slack_id, text, blocks)
        with container.transaction() as session:
            remember_post(session, key, channel, ts)
        sent += 1
    log.info("daily digest sent to %d director(s)", sent)


def _retention_purge(rt: JobRuntime) -> None:
    from bot.scheduling.retention import purge_closed, purge_undecided_requests
    from bot.slack.middleware import purge_seen
    from bot.slack.norm_drafts import purge_older_than

    days = rt.container.settings.retention_days
    now = rt.container.clock()
    with rt.container.transaction() as session:
        report = purge_closed(session, now=now, retention_days=days)
        requests = purge_undecided_requests(session, now=now, retention_days=days)
        # /norm working copies are scratch paper: gone after a week untouched (saved versions live in the CAT)
        drafts = purge_older_than(session, now - timedelta(days=7))
        # the de-duplication of Slack's retries and replays needs minutes; a day of them is plenty
        seen = purge_seen(session, now - timedelta(days=1))
    log.info("retention purge: %d CAT(s), %d content rows, %d texts, %d requests, %d norm drafts, "
             "%d seen Slack events/requests", report.cats, report.timeline_contents, report.texts, requests, drafts,
             seen)


def _resume_stuck(rt: JobRuntime) -> None:
    # Every unfinished activation nobody runs right now (its claim is free): the runner died or gave up.
    resumed = rt.container.resume_activations(rt.gateway, stopping=rt.stopping.is_set)
    if resumed:
        log.info("resumed %d interrupted activation(s)", len(resumed))


# --- the job table ---------------------------------------------------------------------------------
def job_table(container: Container) -> dict[str, tuple[Callable[[], None], Any]]:
    """Job id → (function, trigger), from settings."""
    s = container.settings
    tz = DUTCH
    hour, minute = (int(part) for part in s.digest_time.split(":"))
    return {
        "reminders": (fire_reminders, IntervalTrigger(seconds=s.reminder_check_seconds, timezone=tz)),
        "feeds": (poll_feeds, IntervalTrigger(seconds=s.feed_poll_seconds, timezone=tz)),
        "digest": (daily_digest, CronTrigger(hour=hour, minute=minute, timezone=tz)),
        "retention": (retention_purge, CronTrigger(hour=3, minute=30, timezone=tz)),
        "resume": (resume_stuck_activations, IntervalTrigger(seconds=30, timezone=tz)),
    }


def install(scheduler: Any, container: Container) -> list[str]:
    """Add the jobs to a started scheduler; a stored job whose trigger is unchanged keeps its next run time."""
    changed = []
    for job_id, (func, trigger) in job_table(container).items():
        existing = scheduler.get_job(job_id)
        if existing is not None and str(existing.trigger) == str(trigger) and existing.func is func:
            continue
        # A daily job missed while no leader ran still runs when one takes over (that day).
        grace = 6 * 3600 if isinstance(trigger, CronTrigger) else 600
        scheduler.add_job(func, trigger, id=job_id, name=job_id, replace_existing=True, misfire_grace_time=grace)
        changed.append(job_id)
    return changed
