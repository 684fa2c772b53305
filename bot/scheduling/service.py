"""The scheduler service: stand by until leadership is won, run APScheduler while it is held, stop cleanly."""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from bot import jobs
from bot.container import Container
from bot.localtime import DUTCH
from bot.scheduling import JOBS_TABLE, metrics
from bot.scheduling.leader import Leadership, leadership_for
from bot.slack.notifier import SlackGateway

log = logging.getLogger(__name__)


class SchedulerService:
    """Exactly one active scheduler per database: the leader runs the jobs, the others retry every few seconds."""

    def __init__(self, container: Container, gateway: SlackGateway, *, leadership: Leadership | None = None,
                 retry_seconds: float | None = None):
        self.container = container
        self.leadership = leadership or leadership_for(container.engine)
        self.retry_seconds = retry_seconds or container.settings.leader_retry_seconds
        self.runtime = jobs.JobRuntime(container, gateway)
        logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not a line per run every 15 seconds
        self.role = "stopped"
        self.since: datetime | None = None
        self._scheduler: BackgroundScheduler | None = None
        self._thread: threading.Thread | None = None

    @property
    def stopping(self) -> threading.Event:
        return self.runtime.stopping

    def status(self) -> dict[str, Any]:
        """For /healthz: this process's role, since when, and the last feed poll it ran."""
        last = self.runtime.last_feed_poll
        return {"role": self.role, "since": self.since.isoformat() if self.since else None,
                "last_feed_poll": last.isoformat() if last else None}

    def _set_role(self, role: str) -> None:
        if role != self.role:
            log.info("scheduler: %s", role)
            self.role, self.since = role, self.container.clock()
            metrics.LEADER.set(1 if role == "leader" else 0)

    def _lead(self) -> None:
        scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.container.engine, tablename=JOBS_TABLE)},
            executors={"default": ThreadPoolExecutor(4)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 600},
            timezone=DUTCH)
        scheduler.start()
        self._scheduler = scheduler
        changed = jobs.install(scheduler, self.container)
        self._set_role("leader")
        log.info("scheduler started; jobs (re)defined: %s", ", ".join(changed) or "none")

    def _step_down(self, *, wait: bool) -> None:
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            scheduler.shutdown(wait=wait)  # wait=True: running jobs finish their current item first

    def run(self) -> None:
        """Block until `stop()`: acquire, lead, stand by again if the lock is lost; release on the way out."""
        jobs.bind(self.runtime)
        self._set_role("standby")
        try:
            while not self.stopping.is_set():
                try:
                    if self._scheduler is None and self.leadership.try_acquire():
                        self._lead()
                    elif self._scheduler is not None and not self.leadership.still_held():
                        self._step_down(wait=False)
                        self._set_role("standby")
                except Exception:  # database away: stay (or become) standby and try again
                    log.warning("scheduler leadership check failed; retrying", exc_info=True)
                    if self._scheduler is not None:
                        self._step_down(wait=False)
                        self.leadership.release()
                        self._set_role("standby")
                self.stopping.wait(self.retry_seconds)
        finally:
            self._step_down(wait=True)
            self.leadership.release()
            self._set_role("stopped")
            jobs.bind(None)

    def start(self) -> threading.Thread:
        """Run in a background thread (the bot process); `stop()` ends it."""
        self._thread = threading.Thread(target=self.run, name="catbot-scheduler", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float | None = 60) -> None:
        """Graceful: no new job starts, running ones finish, leadership is released."""
        self.stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
