"""Normalise feed entries into articles and compute their de-duplication keys (GUID, URL, text)."""

from __future__ import annotations

import calendar
import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref_src",
        "xtor",
        "at_medium",
        "at_campaign",
        "cmpid",
        "ocid",
        "s_cid",
        "spm",
    }
)
_WS = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+")
_FUTURE_SLACK = timedelta(days=1)
SHINGLE = 3
MIN_WORDS_FOR_TEXT_DEDUPE = 8
MINHASH_PERMUTATIONS = 64
MINHASH_ROWS = 4  # 16 bands of 4 rows: pairs above ~0.6 Jaccard almost always share a band
NEAR_DUPLICATE_SIMILARITY = 0.7


class _TextExtractor(HTMLParser):
    """Collects text, skipping script and style, with block elements as spaces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def clean_text(value: str | None) -> str:
    """Strip HTML, decode entities (also double-encoded ones) and collapse whitespace."""
    if not value:
        return ""
    text = value
    if "<" in text or "&" in text:
        parser = _TextExtractor()
        parser.feed(text)
        parser.close()
        text = html.unescape("".join(parser.parts))
    return _WS.sub(" ", text.replace("\xa0", " ")).strip()


def canonical_url(url: str | None) -> str | None:
    """Lowercase scheme and host, no fragment, default port or tracking parameters, sorted query."""
    if not url or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return url.strip()
    host = parts.hostname.lower().rstrip(".")
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS
    )
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def url_hash(url: str | None) -> str | None:
    """SHA-256 of a canonical URL (a fixed-size unique key)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest() if url else None


def guid_key(guid: str | None, feed_name: str) -> str | None:
    """A global key for a GUID: URL/URN-like GUIDs are global, bare ids are scoped to their feed."""
    if not guid or not guid.strip():
        return None
    guid = guid.strip()[:500]
    return guid if (":" in guid or "/" in guid) else f"{feed_name}:{guid}"


def words(text: str) -> list[str]:
    """Lowercased words of a text."""
    return [w.lower() for w in _WORD.findall(text)]


def text_hash(text: str) -> str:
    """SHA-256 over the lowercased words (punctuation and spacing do not matter)."""
    return hashlib.sha256(" ".join(words(text)).encode("utf-8")).hexdigest()


def shingles(text: str) -> set[str]:
    """Word 3-shingles of a text (the whole text when shorter)."""
    tokens = words(text)
    return (
        {" ".join(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1))}
        if tokens
        else set()
    )


# Fixed multiply-shift hash family: the same signature on every machine and run.
_RNG = np.random.default_rng(20261129)
_A = _RNG.integers(1, 2**63, size=MINHASH_PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 2**63, size=MINHASH_PERMUTATIONS, dtype=np.uint64)


def minhash(text: str) -> bytes:
    """MinHash signature (64 × uint32) of the word shingles; equal slots estimate Jaccard similarity."""
    items = shingles(text)
    if not items:
        return bytes(4 * MINHASH_PERMUTATIONS)
    digests = b"".join(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest() for s in sorted(items))
    values = np.frombuffer(digests, dtype=np.uint64)
    with np.errstate(over="ignore"):
        mixed = (values[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)
    return mixed.min(axis=0).astype("<u4").tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two MinHash signatures."""
    left, right = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
    return float(np.mean(left == right)) if len(left) == len(right) and len(left) else 0.0


def lsh_bands(signature: bytes) -> list[int]:
    """One 63-bit key per band of rows; similar texts share at least one band with high probability."""
    width = 4 * MINHASH_ROWS
    # The band number is part of the key, so one index on the value finds candidates in every band.
    return [
        int.from_bytes(hashlib.blake2b(bytes([n]) + signature[i : i + width], digest_size=8).digest(), "big") >> 1
        for n, i in enumerate(range(0, len(signature), width))
    ]


@dataclass(frozen=True)
class NormalisedArticle:
    """A feed entry made comparable: clean text, UTC date, keys for de-duplication."""

    feed_name: str
    title: str
    text: str
    url: str | None
    canonical_url: str | None
    guid_key: str | None
    published: datetime
    published_from_feed: bool
    first_seen: datetime
    text_hash: str
    minhash: bytes
    word_count: int

    @property
    def full_text(self) -> str:
        """Title and text together."""
        return f"{self.title}\n{self.text}".strip()


def entry_date(entry: Mapping[str, Any], fetched_at: datetime) -> tuple[datetime, bool]:
    """The entry's date in UTC, or the fetch time when missing, unparsable or more than a day ahead."""
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(field)
        if parsed:
            try:
                value = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (TypeError, ValueError, OverflowError):
                continue
            if value <= fetched_at + _FUTURE_SLACK:
                return value, True
    return fetched_at, False


def normalise_entry(
    entry: Mapping[str, Any], *, feed_name: str, fetched_at: datetime
) -> NormalisedArticle | None:
    """Turn one feedparser entry into an article; None when it has neither title, text nor link."""
    title = clean_text(entry.get("title"))
    content = entry.get("content") or []
    body = " ".join(str(c.get("value", "")) for c in content if isinstance(c, Mapping))
    text = clean_text(entry.get("summary") or body or entry.get("description"))
    if body and len(clean_text(body)) > len(text):
        text = clean_text(body)
    link = entry.get("link")
    url = str(link).strip() if isinstance(link, str) and link.strip() else None
    if not (title or text or url):
        return None
    published, from_feed = entry_date(entry, fetched_at)
    guid = entry.get("id") or entry.get("guid")
    full = f"{title}\n{text}"
    return NormalisedArticle(
        feed_name=feed_name,
        title=title or (text[:120] if text else url or ""),
        text=text,
        url=url,
        canonical_url=canonical_url(url),
        guid_key=guid_key(str(guid) if guid else None, feed_name),
        published=published,
        published_from_feed=from_feed,
        first_seen=fetched_at,
        text_hash=text_hash(full),
        minhash=minhash(full),
        word_count=len(words(full)),
    )
