"""Fetching: conditional GET, timeouts, size cap, redirect bound, local files; all through MockTransport."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx

from monitors.feeds import FetchLimits, FetchStatus, fetch, parse_feed
from tests.monitors.conftest import FEEDS

RSS = (FEEDS / "rijnmond.xml").read_bytes()



def test_ok_returns_content_and_markers() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=RSS, headers={"ETag": '"v1"', "Last-Modified": "Sun, 15 Nov 2026 08:00:00 GMT"})

    result = fetch("https://www.rijnmond.nl/rss", client=httpx.Client(transport=httpx.MockTransport(handler)))
    assert result.status is FetchStatus.OK
    assert result.etag == '"v1"' and result.last_modified == "Sun, 15 Nov 2026 08:00:00 GMT"
    assert len(parse_feed(result.content).entries) == 3


def test_conditional_get_sends_markers_and_understands_304() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(304)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    result = fetch("https://x.test/rss", client=client, etag='"v1"', last_modified="Sun, 15 Nov 2026 08:00:00 GMT")
    assert result.status is FetchStatus.NOT_MODIFIED
    assert seen[0].headers["If-None-Match"] == '"v1"'
    assert seen[0].headers["If-Modified-Since"] == "Sun, 15 Nov 2026 08:00:00 GMT"
    assert result.etag == '"v1"'


def test_timeouts_become_a_reason_not_an_exception() -> None:
    def connect(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("connect", request=request)

    def read(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read", request=request)

    limits = FetchLimits(connect_timeout=3, read_timeout=7)
    a = fetch("https://x.test/a", client=httpx.Client(transport=httpx.MockTransport(connect)), limits=limits)
    b = fetch("https://x.test/b", client=httpx.Client(transport=httpx.MockTransport(read)), limits=limits)
    assert a.status is FetchStatus.ERROR and a.error == "time-out bij verbinden (na 3 s)"
    assert b.status is FetchStatus.ERROR and b.error == "time-out bij lezen (na 7 s)"


def test_timeout_values_reach_the_request() -> None:
    seen: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, content=RSS)

    fetch("https://x.test/rss", client=httpx.Client(transport=httpx.MockTransport(handler)),
          limits=FetchLimits(connect_timeout=2, read_timeout=9))
    assert seen[0]["connect"] == 2 and seen[0]["read"] == 9


def test_streamed_body_over_the_cap_is_aborted() -> None:
    produced: list[int] = []

    def endless() -> Iterator[bytes]:
        for _ in range(1000):
            produced.append(1)
            yield b"x" * 1024

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=endless())

    result = fetch("https://x.test/big", client=httpx.Client(transport=httpx.MockTransport(handler)),
                   limits=FetchLimits(max_bytes=10_000))
    assert result.status is FetchStatus.ERROR and "groter dan 10000 bytes" in (result.error or "")
    assert len(produced) < 20  # stopped early, did not read the whole megabyte


def test_declared_size_over_the_cap_is_refused_before_reading() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"x" * 20_000)

    result = fetch("https://x.test/big", client=httpx.Client(transport=httpx.MockTransport(handler)),
                   limits=FetchLimits(max_bytes=10_000))
    assert result.status is FetchStatus.ERROR


def test_redirects_are_followed_up_to_the_bound() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        hop = int(request.url.params.get("hop", "0"))
        if hop < 2:
            return httpx.Response(301, headers={"Location": f"/rss?hop={hop + 1}"})
        return httpx.Response(200, content=RSS)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    ok = fetch("https://x.test/rss", client=client, limits=FetchLimits(max_redirects=2))
    assert ok.status is FetchStatus.OK and ok.url == "https://x.test/rss?hop=2"
    too_many = fetch("https://x.test/rss", client=client, limits=FetchLimits(max_redirects=1))
    assert too_many.status is FetchStatus.ERROR and "te veel doorverwijzingen" in (too_many.error or "")


def test_a_remote_feed_cannot_redirect_to_a_local_file() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "file:///etc/passwd"})

    result = fetch("https://x.test/rss", client=httpx.Client(transport=httpx.MockTransport(handler)))
    assert result.status is FetchStatus.ERROR and result.error == "ongeldige doorverwijzing"


def test_http_errors_carry_status_and_retry_after() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, headers={"Retry-After": "600"})

    result = fetch("https://x.test/rss", client=httpx.Client(transport=httpx.MockTransport(handler)))
    assert (result.status, result.error, result.http_status, result.retry_after) == (
        FetchStatus.ERROR, "HTTP 503", 503, 600.0
    )


def test_local_paths_and_file_urls_work(tmp_path: Path) -> None:
    never = httpx.Client(transport=httpx.MockTransport(lambda r: (_ for _ in ()).throw(AssertionError("network"))))
    path = FEEDS / "rtvoost.xml"
    assert fetch(str(path), client=never).content == path.read_bytes()
    assert fetch(path.as_uri(), client=never).content == path.read_bytes()
    missing = fetch(str(tmp_path / "weg.xml"), client=never)
    assert missing.status is FetchStatus.ERROR and "niet leesbaar" in (missing.error or "")
    big = tmp_path / "big.xml"
    big.write_bytes(b"x" * 2000)
    assert fetch(str(big), client=never, limits=FetchLimits(max_bytes=1000)).status is FetchStatus.ERROR


def test_bozo_feed_keeps_usable_entries_and_names_the_reason() -> None:
    parsed = parse_feed((FEEDS / "politie_nieuws_kapot.xml").read_bytes())
    assert parsed.bozo and parsed.bozo_reason and "onbekende entiteit" in parsed.bozo_reason and "op regel" in parsed.bozo_reason
    assert [e["title"] for e in parsed.entries][0] == "Getuigen gezocht van mishandeling in Leeuwarden"
    assert len(parsed.entries) == 2
