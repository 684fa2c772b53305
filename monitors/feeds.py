"""Fetch feeds safely (conditional GET, timeouts, size cap, redirect bound) and parse them (pure)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import feedparser
import httpx

USER_AGENT = "catbot-monitor/0.1 (mediamonitor Communicatie Politie)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
MAX_BACKOFF = timedelta(hours=24)


@dataclass(frozen=True)
class FetchLimits:
    """Bounds on one fetch: timeouts in seconds, bytes, redirects."""

    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 60.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5


class FetchStatus(StrEnum):
    """Outcome of a fetch."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"
    ERROR = "error"


@dataclass(frozen=True)
class FetchResult:
    """What a fetch brought back; on error, `error` says why in one Dutch line."""

    status: FetchStatus
    url: str
    content: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    http_status: int | None = None
    error: str | None = None
    retry_after: float | None = None


class _FetchFailed(Exception):
    def __init__(self, reason: str, http_status: int | None = None, retry_after: float | None = None):
        super().__init__(reason)
        self.reason, self.http_status, self.retry_after = reason, http_status, retry_after


def is_local(source: str) -> bool:
    """True for file:// URLs and plain paths."""
    return source.lower().startswith("file://") or "://" not in source


def fetch(
    source: str,
    *,
    client: httpx.Client,
    etag: str | None = None,
    last_modified: str | None = None,
    limits: FetchLimits | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> FetchResult:
    """Fetch a feed from http(s), file:// or a local path; never raises for network or file problems."""
    limits = limits or FetchLimits()
    try:
        if is_local(source):
            return _read_local(source, limits)
        return _fetch_http(source, client, etag, last_modified, limits, clock)
    except _FetchFailed as exc:
        return FetchResult(
            FetchStatus.ERROR,
            source,
            http_status=exc.http_status,
            error=exc.reason,
            retry_after=exc.retry_after,
        )


def _read_local(source: str, limits: FetchLimits) -> FetchResult:
    path = Path(url2pathname(urlsplit(source).path)) if source.lower().startswith("file://") else Path(source)
    try:
        with path.open("rb") as handle:
            content = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise _FetchFailed(f"bestand niet leesbaar: {exc.strerror or type(exc).__name__}") from None
    if len(content) > limits.max_bytes:
        raise _FetchFailed(f"bestand groter dan {limits.max_bytes} bytes")
    return FetchResult(FetchStatus.OK, str(path), content)


def _fetch_http(
    url: str,
    client: httpx.Client,
    etag: str | None,
    last_modified: str | None,
    limits: FetchLimits,
    clock: Callable[[], float],
) -> FetchResult:
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
    deadline = clock() + limits.total_timeout
    for _hop in range(limits.max_redirects + 1):
        try:
            with client.stream("GET", url, headers=headers, timeout=timeout, follow_redirects=False) as resp:
                if resp.status_code in (301, 302, 303, 307, 308):
                    url = _next_hop(url, resp.headers.get("location", ""))
                    continue
                if resp.status_code == 304:
                    return FetchResult(
                        FetchStatus.NOT_MODIFIED,
                        url,
                        etag=resp.headers.get("etag", etag),
                        last_modified=resp.headers.get("last-modified", last_modified),
                        http_status=304,
                    )
                if resp.status_code >= 400:
                    raise _FetchFailed(f"HTTP {resp.status_code}", resp.status_code, _retry_after(resp))
                content = _read_capped(resp, limits, deadline, clock)
                return FetchResult(
                    FetchStatus.OK,
                    url,
                    content,
                    resp.headers.get("content-type"),
                    resp.headers.get("etag"),
                    resp.headers.get("last-modified"),
                    resp.status_code,
                )
        except httpx.ConnectTimeout:
            raise _FetchFailed(f"time-out bij verbinden (na {limits.connect_timeout:g} s)") from None
        except httpx.ReadTimeout:
            raise _FetchFailed(f"time-out bij lezen (na {limits.read_timeout:g} s)") from None
        except httpx.TimeoutException:
            raise _FetchFailed("time-out") from None
        except httpx.ConnectError:
            raise _FetchFailed("verbinding mislukt") from None
        except httpx.HTTPError as exc:
            raise _FetchFailed(f"netwerkfout ({type(exc).__name__})") from None
    raise _FetchFailed(f"te veel doorverwijzingen (meer dan {limits.max_redirects})")


def _next_hop(current: str, location: str) -> str:
    target = urljoin(current, location.strip())
    if not location.strip() or urlsplit(target).scheme.lower() not in ("http", "https"):
        # A remote feed may never send us to file:// or another scheme.
        raise _FetchFailed("ongeldige doorverwijzing")
    return target


def _read_capped(
    resp: httpx.Response, limits: FetchLimits, deadline: float, clock: Callable[[], float]
) -> bytes:
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise _FetchFailed(f"antwoord groter dan {limits.max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            raise _FetchFailed(f"antwoord groter dan {limits.max_bytes} bytes (afgebroken)")
        if clock() > deadline:
            raise _FetchFailed(f"time-out: ophalen duurde langer dan {limits.total_timeout:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("retry-after", "").strip()
    return float(value) if value.isdigit() else None


def backoff_delay(failures: int, poll_minutes: int, retry_after: float | None = None) -> timedelta:
    """Exponential backoff: twice the poll interval after one failure, four times after two, … ≤ 24 h."""
    delay = min(timedelta(minutes=poll_minutes) * (2 ** min(max(failures, 1), 16)), MAX_BACKOFF)
    if retry_after:
        delay = max(delay, min(timedelta(seconds=retry_after), MAX_BACKOFF))
    return delay


@dataclass(frozen=True)
class ParsedFeed:
    """feedparser's reading of a document: its entries and, when malformed, why (bozo)."""

    title: str
    entries: list[Any] = field(default_factory=list)
    bozo: bool = False
    bozo_reason: str | None = None
    version: str = ""

    @property
    def is_feed(self) -> bool:
        """False for documents that are no feed at all (an HTML error page, an empty file)."""
        return bool(self.entries) or (bool(self.version) and not self.bozo)


def parse_feed(content: bytes, *, url: str | None = None, content_type: str | None = None) -> ParsedFeed:
    """Parse bytes with feedparser (never lets it fetch anything itself); keep usable entries of bozo feeds."""
    headers = {"content-location": url or "", "content-type": content_type or "application/xml"}
    result = feedparser.parse(content, response_headers=headers)
    reason = dutch_bozo(result.get("bozo_exception")) if result.get("bozo") else None
    title = str(result.get("feed", {}).get("title", "") or "")
    entries = list(result.get("entries", []))
    return ParsedFeed(title, entries, bool(result.get("bozo")), reason, str(result.get("version", "") or ""))


_XML_PROBLEMS = {  # expat's messages, in plain Dutch
    "no element found": "XML breekt af",
    "unclosed token": "XML breekt af (een tag is niet afgesloten)",
    "mismatched tag": "XML klopt niet: een sluittag hoort niet bij de openingstag",
    "not well-formed (invalid token)": "XML klopt niet: ongeldig teken",
    "junk after document element": "XML klopt niet: tekst na het einde van het document",
    "undefined entity": "XML klopt niet: onbekende entiteit (zoals &nbsp;)",
    "syntax error": "XML klopt niet: syntaxfout",
}


def dutch_bozo(exc: object) -> str:
    """feedparser's bozo exception as one plain Dutch line, e.g. 'XML breekt af op regel 12'."""
    if exc is None:
        return "onbekende fout in de feed"
    name = type(exc).__name__
    if name == "CharacterEncodingOverride":
        return "de feed noemt een verkeerde tekenset (anders gelezen dan aangegeven)"
    if name == "CharacterEncodingUnknown":
        return "onbekende tekenset"
    if name == "NonXMLContentType":
        return "de server noemt de inhoud geen XML"
    get_message, get_line = getattr(exc, "getMessage", None), getattr(exc, "getLineNumber", None)
    if callable(get_message) and callable(get_line):
        message = str(get_message())
        text = _XML_PROBLEMS.get(message, f"XML klopt niet ({message})")
        return f"{text} op regel {get_line()}"
    return f"de feed is niet goedgevormd ({name})"


def describe_non_feed(content: bytes) -> str:
    """What a document that is no feed looks like, for one Dutch error line: 'dit lijkt een HTML-pagina'."""
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head:
        return "het bestand is leeg"
    if b"\x00" in content[:2048]:
        return "dit lijkt een binair bestand"
    try:
        content[:2048].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < 2040:
            return "dit lijkt een binair bestand"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]:
        return "dit lijkt een HTML-pagina"
    if head.startswith((b"{", b"[")):
        return "dit lijkt JSON"
    if head.startswith(b"<"):
        return "XML, maar geen RSS of Atom"
    return "dit lijkt gewone tekst, geen RSS of Atom"
