"""Poll rounds: per-feed backoff with the reason stored, conditional GET, one bad feed never stops the others."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from monitors.feeds_config import FeedConfig, FeedKind
from monitors.models import Article, metadata
from monitors.poll import feed_states, poll_feeds
from tests.monitors.conftest import FEEDS, NOW

FEED_BYTES = {
    "rijnmond.test": (FEEDS / "rijnmond.xml").read_bytes(),
    "rtvoost.test": (FEEDS / "rtvoost.xml").read_bytes(),
}


class FakeWeb:
    """Serves fixture feeds per host; some hosts fail; records requests."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.content = dict(FEED_BYTES)
        self.down = {"kapot.test": 500}
        self.slow = {"traag.test"}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        host = request.url.host
        if host in self.slow:
            raise httpx.ReadTimeout("slow", request=request)
        if host in self.down:
            return httpx.Response(self.down[host])
        if request.headers.get("If-None-Match") == f'"{host}-v1"':
            return httpx.Response(304)
        return httpx.Response(200, content=self.content[host], headers={"ETag": f'"{host}-v1"'})


def tx(session: Session) -> Callable[[], AbstractContextManager[Session]]:
    """A transaction factory on the test's session: each feed's result is committed on its own."""

    @contextmanager
    def transaction() -> Iterator[Session]:
        yield session
        session.commit()

    return transaction


def _feeds() -> list[FeedConfig]:
    return [
        FeedConfig(name="Kapot", url="https://kapot.test/rss", kind=FeedKind.OVERIG, poll_minutes=10),
        FeedConfig(name="Traag", url="https://traag.test/rss", kind=FeedKind.OVERIG, poll_minutes=10),
        FeedConfig(name="Rijnmond", url="https://rijnmond.test/rss", kind=FeedKind.REGIONAAL_NIEUWS, unit="RE07"),
        FeedConfig(name="RTV Oost", url="https://rtvoost.test/rss", kind=FeedKind.REGIONAAL_NIEUWS),
    ]


def test_bad_feeds_back_off_with_their_reason_and_the_others_go_on(monitor_session: Session) -> None:
    web = FakeWeb()
    client = httpx.Client(transport=httpx.MockTransport(web))
    outcomes = {o.feed: o for o in poll_feeds(tx(monitor_session), _feeds(), client=client, now=NOW)}
    assert outcomes["Rijnmond"].new == 3 and outcomes["RTV Oost"].new == 2
    emitted = monitor_session.scalars(select(Article).where(Article.id.in_(outcomes["Rijnmond"].article_ids)))
    assert {a.feed_name for a in emitted} == {"Rijnmond"} and len(outcomes["Rijnmond"].article_ids) == 3
    assert outcomes["Kapot"].status == "fout" and outcomes["Kapot"].error == "HTTP 500"
    assert outcomes["Traag"].error == "time-out bij lezen (na 15 s)"
    assert monitor_session.scalar(select(func.count()).select_from(Article)) == 5
    states = {s.name: s for s in feed_states(monitor_session)}
    assert states["Kapot"].failures == 1 and states["Kapot"].last_error == "HTTP 500"
    assert states["Kapot"].next_attempt_at == NOW + timedelta(minutes=20)
    assert states["Rijnmond"].failures == 0 and states["Rijnmond"].last_success_at == NOW


def test_backoff_doubles_skips_until_due_and_success_resets(monitor_session: Session) -> None:
    web = FakeWeb()
    client = httpx.Client(transport=httpx.MockTransport(web))
    feeds = _feeds()[:1]
    poll_feeds(tx(monitor_session), feeds, client=client, now=NOW)
    early = poll_feeds(tx(monitor_session), feeds, client=client, now=NOW + timedelta(minutes=5))
    assert early[0].status == "wacht" and len(web.requests) == 1
    poll_feeds(tx(monitor_session), feeds, client=client, now=NOW + timedelta(minutes=20))
    (state,) = feed_states(monitor_session)
    assert state.failures == 2
    assert state.next_attempt_at == NOW + timedelta(minutes=20 + 40)
    web.down.clear()
    web.content["kapot.test"] = FEED_BYTES["rijnmond.test"]
    poll_feeds(tx(monitor_session), feeds, client=client, now=NOW + timedelta(minutes=60))
    assert (state.failures, state.last_error) == (0, None)
    assert state.next_attempt_at == NOW + timedelta(minutes=70)


def test_retry_after_is_honoured(monitor_session: Session) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "7200"})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    poll_feeds(tx(monitor_session), _feeds()[:1], client=client, now=NOW)
    (state,) = feed_states(monitor_session)
    assert state.next_attempt_at == NOW + timedelta(hours=2) and state.last_error == "HTTP 429"


def test_second_round_uses_conditional_get_and_stores_nothing_new(monitor_session: Session) -> None:
    web = FakeWeb()
    client = httpx.Client(transport=httpx.MockTransport(web))
    feeds = _feeds()[2:3]
    poll_feeds(tx(monitor_session), feeds, client=client, now=NOW)
    outcome = poll_feeds(tx(monitor_session), feeds, client=client, now=NOW + timedelta(minutes=15))
    assert outcome[0].status == "ongewijzigd" and outcome[0].new == 0
    assert web.requests[-1].headers["If-None-Match"] == '"rijnmond.test-v1"'


def test_unreadable_feed_counts_as_a_failure(monitor_session: Session) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"<html><body>Onderhoud</body></html>")

    client = httpx.Client(transport=httpx.MockTransport(handler))
    poll_feeds(tx(monitor_session), _feeds()[:1], client=client, now=NOW)
    (state,) = feed_states(monitor_session)
    assert state.failures == 1 and (state.last_error or "")== "geen feed: dit lijkt een HTML-pagina"


def test_a_feed_is_fetched_with_no_transaction_open(tmp_path: Path) -> None:
    """While a (slow) feed is fetched another writer gets SQLite's write lock at once; each feed's result is
    committed on its own."""
    path = tmp_path / "monitors.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    factory = sessionmaker(engine)
    writable_during_fetch: list[bool] = []

    @contextmanager
    def transaction() -> Iterator[Session]:
        with factory.begin() as session:
            yield session

    def handler(request: httpx.Request) -> httpx.Response:
        other = sqlite3.connect(path, timeout=0.2, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # fails with "database is locked" while a transaction writes
            other.execute("ROLLBACK")
            writable_during_fetch.append(True)
        except sqlite3.OperationalError:
            writable_during_fetch.append(False)
        finally:
            other.close()
        host = request.url.host
        return httpx.Response(200, content=FEED_BYTES[host]) if host in FEED_BYTES else httpx.Response(500)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    outcomes = poll_feeds(transaction, _feeds(), client=client, now=NOW)
    assert writable_during_fetch == [True, True, True, True]
    assert [o.status for o in outcomes] == ["fout", "fout", "ok", "ok"]
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 5
    engine.dispose()
