"""Jobs with a recording Slack client: reminders once (also after a crash mid-post), escalation, follow-up, digest,
retention, and the job table kept across restarts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from bot import jobs
from bot.cat import closing, service, timeline
from bot.cat.models import CatMember, Reminder, TimelineContent
from bot.cat.ports import RecordingEffects
from bot.container import Container
from bot.scheduling.firing import fire_due
from bot.scheduling.reminders import ORPHAN_AFTER
from bot.scheduling.retention import PURGED, purge_closed
from bot.settings import Settings
from bot.slack.notifier import SlackGateway
from tests.bot.conftest import Clock, activate
from tests.conftest import DATA


class RecordingClient:
    """The few Web API methods the jobs use, recorded; `fail_after_post` simulates a crash right after posting."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.fail_next = 0
        self.fail_after_post = 0

    def chat_postMessage(self, **kwargs: Any) -> dict[str, Any]:  # noqa: N802 - Slack's name
        if self.fail_next:
            self.fail_next -= 1
            raise RuntimeError("Slack is away")
        message = {**kwargs, "ts": f"{1700000000 + len(self.messages)}.000100"}
        self.messages.append(message)
        if self.fail_after_post:
            self.fail_after_post -= 1
            raise RuntimeError("the process died right after posting")
        return {"channel": kwargs["channel"], "ts": message["ts"]}

    def conversations_history(self, *, channel: str, **_: Any) -> dict[str, Any]:
        return {"messages": [m for m in reversed(self.messages) if m["channel"] == channel]}

    def conversations_open(self, *, users: str) -> dict[str, Any]:
        return {"channel": {"id": f"D-{users}"}}

    def users_lookupByEmail(self, *, email: str) -> dict[str, Any]:  # noqa: N802
        return {"user": {"id": f"U-{email.split('@')[0]}"}}

    def in_channel(self, channel: str | None) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["channel"] == channel]


@pytest.fixture
def container(tmp_path: Path, clock: Clock) -> Iterator[Container]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'jobs.sqlite3'}", cadence_press_minutes=0,
                        cadence_internal_minutes=0, cadence_units_minutes=0, cadence_leadership_minutes=0)
    built = Container(settings, clock=clock)
    built.migrate()
    yield built
    built.close()


@pytest.fixture
def slack() -> RecordingClient:
    return RecordingClient()


def start_cat(container: Container, clock: Clock, **kwargs: Any) -> int:
    effects = RecordingEffects()
    return activate(container.transaction, container.org, clock, container.saga_context(effects, effects), **kwargs)


def state(container: Container, kind: str) -> list[str]:
    with container.transaction() as session:
        return list(session.scalars(select(Reminder.state).where(Reminder.kind == kind)))


def test_no_statement_fires_once_after_an_hour_and_lands_on_the_timeline(
        container: Container, clock: Clock, slack: RecordingClient) -> None:
    cat_id = start_cat(container, clock)
    gateway = SlackGateway(slack)  # type: ignore[arg-type]
    assert fire_due(container, gateway).fired == []
    clock.advance(minutes=61)
    assert len(fire_due(container, gateway).fired) == 1
    assert fire_due(container, gateway).fired == []
    with container.transaction() as session:
        cat = service.get_cat(session, cat_id)
        posted = slack.in_channel(cat.channel_id)
        reminders = [e for e in timeline.events(session, cat) if e.kind == "reminder"]
        assert len(posted) == 1 and "Nog geen normstelling" in posted[0]["text"]
        assert len(reminders) == 1 and timeline.verify(session, cat).ok


def test_a_crash_between_claim_and_post_is_reposted_once(container: Container, clock: Clock,
                                                          slack: RecordingClient) -> None:
    cat_id = start_cat(container, clock)
    gateway = SlackGateway(slack)  # type: ignore[arg-type]
    clock.advance(minutes=61)
    slack.fail_next = 1  # the post itself fails: claimed (fired) but nothing in Slack
    fire_due(container, gateway)
    assert state(container, "no_statement") == ["fired"] and slack.messages == []
    clock.advance(seconds=ORPHAN_AFTER.total_seconds() + 1)
    assert len(fire_due(container, gateway).reposted) == 1
    # Second case: the message went out but its record did not; the repost finds it by its metadata.
    with container.transaction() as session:
        session.execute(update(Reminder).where(Reminder.kind == "no_statement").values(state="scheduled",
                                                                                       due_at=clock()))
    slack.fail_after_post = 1
    fire_due(container, gateway)
    clock.advance(seconds=ORPHAN_AFTER.total_seconds() + 1)
    assert len(fire_due(container, gateway).reposted) == 1
    assert fire_due(container, gateway).reposted == []
    with container.transaction() as session:
        channel = service.get_cat(session, cat_id).channel_id
    rounds = [m["metadata"]["event_payload"]["round"] for m in slack.in_channel(channel)]
    assert rounds == [1, 2]  # round 1 reposted once, round 2 posted once and found again


def test_an_open_gap_escalates_to_the_directors_when_no_deputy_is_available(
        container: Container, clock: Clock, slack: RecordingClient) -> None:
    start_cat(container, clock, units=("RE07",), categories=("integriteit",))
    clock.advance(minutes=31)
    report = fire_due(container, SlackGateway(slack))  # type: ignore[arg-type]
    assert report.fired, "a gap_escalation reminder was due"
    dms = [m for m in slack.messages if m["channel"].startswith("D-")]
    directors = {f"D-U-{p.email.split('@')[0]}" for p in container.org.directors() if p.email and not p.slack_id}
    directors |= {f"D-{p.slack_id}" for p in container.org.directors() if p.slack_id}
    assert dms and {m["channel"] for m in dms} <= directors
    assert "A&A-issuetrekker voor integriteit" in dms[0]["text"]


def test_closing_cancels_reminders_and_the_follow_up_reaches_channel_and_director(
        container: Container, clock: Clock, slack: RecordingClient) -> None:
    cat_id = start_cat(container, clock)
    with container.transaction() as session:
        cat = service.get_cat(session, cat_id)
        closing.close_cat(session, container.org, cat, actor=container.org.require("dir-directeur"),
                          went_well="Snel één lijn", to_learn="Eerder optellen", now=clock(),
                          follow_up_after=container.follow_up_after)
    clock.advance(days=15)
    report = fire_due(container, SlackGateway(slack))  # type: ignore[arg-type]
    assert state(container, "no_statement") == ["cancelled"] and len(report.fired) == 1
    texts = [m["text"] + str(m.get("blocks")) for m in slack.messages]
    assert any("ook als er geen verwijtbaar handelen is vastgesteld" in t for t in texts)
    assert {m["channel"][:2] for m in slack.messages} == {"C0", "D-"}


def test_retention_purge_removes_personal_data_and_the_chain_still_verifies(container: Container,
                                                                            clock: Clock) -> None:
    cat_id = start_cat(container, clock)
    with container.transaction() as session:
        closing.close_cat(session, container.org, service.get_cat(session, cat_id),
                          actor=container.org.require("dir-directeur"), went_well="Snel", to_learn="Eerder",
                          now=clock())
    with container.transaction() as session:
        assert purge_closed(session, now=clock(), retention_days=30).cats == 0  # not yet
    clock.advance(days=31)
    with container.transaction() as session:
        report = purge_closed(session, now=clock(), retention_days=30)
        assert report.cats == 1 and report.timeline_contents > 0 and report.texts > 0
    with container.transaction() as session:
        cat = service.get_cat(session, cat_id)
        check = timeline.verify(session, cat)
        assert check.ok and check.purged == check.events
        assert session.scalar(select(func.count()).select_from(TimelineContent)) == 0
        assert set(session.scalars(select(CatMember.reason))) == {PURGED} and cat.summary == PURGED
        assert purge_closed(session, now=clock(), retention_days=30).texts == 0  # a second run changes nothing


def test_digest_reaches_each_director_once_a_day(container: Container, clock: Clock, slack: RecordingClient) -> None:
    start_cat(container, clock)
    runtime = jobs.JobRuntime(container, SlackGateway(slack))  # type: ignore[arg-type]
    jobs.bind(runtime)
    try:
        jobs.daily_digest()
        jobs.daily_digest()
    finally:
        jobs.bind(None)
    assert len(slack.messages) == len(container.org.directors())
    assert all("CAT-2026-001" in str(m["blocks"]) for m in slack.messages)


def test_the_job_table_survives_a_restart_without_moving_next_runs(container: Container) -> None:
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    def scheduler() -> BackgroundScheduler:
        made = BackgroundScheduler(jobstores={"default": SQLAlchemyJobStore(engine=container.engine)},
                                   timezone="Europe/Amsterdam")
        made.start(paused=True)
        return made

    first = scheduler()
    assert set(jobs.install(first, container)) == {"reminders", "feeds", "digest", "retention", "resume"}
    planned = {job.id: job.next_run_time for job in first.get_jobs()}
    first.shutdown()
    second = scheduler()
    assert jobs.install(second, container) == []
    assert {job.id: job.next_run_time for job in second.get_jobs()} == planned
    second.shutdown()


def test_file_leadership_admits_one_scheduler(tmp_path: Path) -> None:
    from bot.scheduling.leader import FileLeadership

    first, second = FileLeadership(tmp_path / "s.lock"), FileLeadership(tmp_path / "s.lock")
    assert first.try_acquire() and not second.try_acquire()
    first.release()
    assert second.try_acquire()
    second.release()


def test_without_a_bound_runtime_a_job_fails_loudly() -> None:
    jobs.bind(None)
    with pytest.raises(RuntimeError):
        jobs.runtime()


def test_cadence_settings_are_minutes_per_audience() -> None:
    from bot.scheduling.firing import cadence_intervals

    holder = Container.__new__(Container)  # settings only: no engine needed
    holder.settings = Settings(cadence_press_minutes=45)
    assert cadence_intervals(holder) == {"press": 45, "internal": 120, "units": 120, "leadership": 240}


def test_feed_poll_stores_articles_counts_failures_and_passes_new_ones_to_the_pipeline(
        container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.scheduling import metrics
    from monitors.poll import feed_states

    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f"""feeds:
  - name: Rijnmond
    url: {DATA / "feeds" / "rijnmond.xml"}
    kind: regionaal_nieuws
  - name: Weg
    url: {tmp_path / "bestaat-niet.xml"}
    kind: politie_nieuws
""")
    container.settings.feeds_file = feeds
    seen: list[list[int]] = []
    monkeypatch.setattr(jobs, "detect_pileups", lambda session, settings, ids, now, again: seen.append(ids) or [7])
    monkeypatch.setattr(jobs, "load_encoder", lambda settings: None)  # the pipeline itself is replaced above
    failures, signals = metrics.FEED_FAILURES._value.get(), metrics.SIGNALS._value.get()
    runtime = jobs.JobRuntime(container, SlackGateway(RecordingClient()))  # type: ignore[arg-type]
    jobs.bind(runtime)
    try:
        jobs.poll_feeds()
    finally:
        jobs.bind(None)
    with container.transaction() as session:
        states = {s.name: s for s in feed_states(session)}
    assert states["Rijnmond"].failures == 0 and states["Rijnmond"].articles_new > 0
    assert states["Weg"].failures == 1 and runtime.last_feed_poll is not None
    assert len(seen) == 1 and len(seen[0]) == states["Rijnmond"].articles_new
    assert metrics.FEED_FAILURES._value.get() == failures + 1 and metrics.SIGNALS._value.get() == signals + 1


def test_retention_also_clears_reasons_of_requests_that_never_became_a_cat(container: Container,
                                                                           clock: Clock) -> None:
    from bot.cat import requests
    from bot.cat.models import RedButtonRequest
    from bot.scheduling.retention import purge_undecided_requests
    from tests.bot.conftest import file_request

    org = container.org
    with container.transaction() as session:
        request = file_request(session, org, clock)
        requests.decline(session, org, request, director=org.require("dir-directeur"), reason="Geen moreel issue",
                         now=clock())
    with container.transaction() as session:
        assert purge_undecided_requests(session, now=clock(), retention_days=30) == 0
    clock.advance(days=31)
    with container.transaction() as session:
        assert purge_undecided_requests(session, now=clock(), retention_days=30) == 1
        purged = session.scalars(select(RedButtonRequest)).one()
        assert (purged.reason, purged.decline_reason, purged.state) == (PURGED, None, "declined")


def test_a_reminder_slack_keeps_refusing_is_given_up_after_a_few_attempts(
        container: Container, clock: Clock, slack: RecordingClient) -> None:
    from bot.scheduling.firing import MAX_ATTEMPTS

    start_cat(container, clock)
    gateway = SlackGateway(slack)  # type: ignore[arg-type]
    clock.advance(minutes=61)
    slack.fail_next = 100
    fire_due(container, gateway)
    for _ in range(MAX_ATTEMPTS + 3):
        clock.advance(seconds=ORPHAN_AFTER.total_seconds() + 1)
        fire_due(container, gateway)
    assert slack.fail_next == 100 - 1 - MAX_ATTEMPTS and slack.messages == []
    with container.transaction() as session:
        reminder = session.scalars(select(Reminder).where(Reminder.kind == "no_statement")).one()
        assert reminder.state == "fired" and reminder.payload["posted"] == {"failed": MAX_ATTEMPTS}


def test_feed_poll_also_hands_articles_stored_without_analysis_to_the_pipeline(
        container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx

    from monitors.ingest import ingest_source

    with container.transaction() as session, httpx.Client() as client:  # as `monitor ingest --zonder-analyse`
        earlier = ingest_source(session, str(DATA / "feeds" / "at5.xml"), client=client, now=container.clock())
        stored = [a.id for a in earlier.articles]
    assert stored
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f"feeds:\n  - name: Rijnmond\n    url: {DATA / 'feeds' / 'rijnmond.xml'}\n"
                     "    kind: regionaal_nieuws\n")
    container.settings.feeds_file = feeds
    seen: list[list[int]] = []

    def pipeline(session: Any, settings: Any, ids: list[int], now: Any, again: Any) -> list[int]:
        seen.append(ids)
        return []

    monkeypatch.setattr(jobs, "detect_pileups", pipeline)
    monkeypatch.setattr(jobs, "load_encoder", lambda settings: None)
    jobs.bind(jobs.JobRuntime(container, SlackGateway(RecordingClient())))  # type: ignore[arg-type]
    try:
        jobs.poll_feeds()
    finally:
        jobs.bind(None)
    (ids,) = seen
    assert set(stored) <= set(ids) and len(ids) == len(set(ids)) > len(stored)
