"""The HTTP edge in front of Bolt: body-size cap, Slack's signature and timestamp, a parsable body, no replays.

Bolt sees only requests that Slack signed, once, with a body it can parse; anything else gets a plain 4xx
here, never a 500 or a traceback in the log. Bolt gets the body already read, so it is read (and capped) once.
A replay (the same timestamp and signature again) gets an empty 200. Slack's own retries are signed anew, and
Events API retries are then de-duplicated by event_id (bot.slack.middleware).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from slack_sdk.signature import SignatureVerifier
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.slack.models import SeenRequest

if TYPE_CHECKING:
    from bot.container import Container
    from bot.slack.http import WsgiApp

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024  # Slack's payloads stay far below this; a bigger body does not come from Slack
MAX_AGE = 5 * 60  # seconds a signed request stays valid: Slack's own rule for X-Slack-Request-Timestamp
READ_CHUNK = 64 * 1024
STATUS = {200: "200 OK", 400: "400 Bad Request", 401: "401 Unauthorized", 413: "413 Content Too Large"}


class Refused(Exception):
    """A request the guard answers itself; `reason` goes to the log (it never contains the body)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


class Replays:
    """Signed requests already let through, in the database so that every instance sees them."""

    def __init__(self, container: Container):
        self.container = container

    def first_time(self, key: str) -> bool:
        """Claim the key in a short transaction of its own; False when it was claimed before."""
        try:
            with self.container.transaction() as session:
                session.add(SeenRequest(key=key, received_at=self.container.clock()))
        except IntegrityError:
            return False
        return True

    def release(self, key: str) -> None:
        """The request was not handled (Bolt failed): an identical retry may come through."""
        with self.container.transaction() as session:
            session.execute(delete(SeenRequest).where(SeenRequest.key == key))


def request_key(timestamp: str, signature: str) -> str:
    return hashlib.sha256(f"{timestamp}:{signature}".encode()).hexdigest()


def slack_guard(handler: WsgiApp, signing_secret: str, *, replays: Replays | None = None, max_body: int = MAX_BODY,
                clock: Callable[[], float] = time.time) -> WsgiApp:
    """Wrap Bolt's WSGI handler: POSTs that pass the checks reach it with the body in a fresh wsgi.input."""
    verifier = SignatureVerifier(signing_secret)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return handler(environ, start_response)  # Bolt reads no body here and answers 404
        try:
            limit = body_limit(environ, max_body)
            timestamp, signature = _signed_headers(environ, clock())
            body = read_capped(environ["wsgi.input"], limit, max_body)
            if not _signature_matches(verifier, body, timestamp, signature):
                raise Refused(401, "signature does not match")
            check_parsable(body, environ.get("CONTENT_TYPE") or "")
        except Refused as refused:
            log.warning("refused a request to %s: %s", environ.get("PATH_INFO"), refused.reason)
            return _answer(start_response, refused.status)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        if replays is None:
            return handler(environ, start_response)
        key = request_key(timestamp, signature)
        if not replays.first_time(key):
            log.warning("dropped a replayed request to %s", environ.get("PATH_INFO"))
            return _answer(start_response, 200)
        return _releasing_on_failure(handler, environ, start_response, lambda: replays.release(key))

    return wsgi


def _releasing_on_failure(handler: WsgiApp, environ: dict[str, Any], start_response: Callable[..., Any],
                          release: Callable[[], None]) -> Iterable[bytes]:
    """Run Bolt; when it raises or answers other than 2xx, Slack will retry, perhaps within the same second
    (so with the same signature): let that retry through."""
    statuses: list[str] = []

    def recording(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        statuses.append(status)
        return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

    try:
        answer = handler(environ, recording)
    except BaseException:
        release()
        raise
    if not statuses or not statuses[-1].startswith("2"):
        release()
    return answer


def _signed_headers(environ: dict[str, Any], now: float) -> tuple[str, str]:
    """The timestamp and signature headers, present, numeric and fresh (checked before the body is read)."""
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or ""
    signature = environ.get("HTTP_X_SLACK_SIGNATURE") or ""
    if _number(timestamp) is None:
        raise Refused(401, "missing or non-numeric X-Slack-Request-Timestamp")
    if not signature or not signature.isascii():  # hmac.compare_digest refuses non-ASCII text with a TypeError
        raise Refused(401, "missing or non-ASCII X-Slack-Signature")
    if abs(now - int(timestamp)) > MAX_AGE:
        raise Refused(401, "stale X-Slack-Request-Timestamp")
    return timestamp, signature


def _signature_matches(verifier: SignatureVerifier, body: bytes, timestamp: str, signature: str) -> bool:
    """Slack's v0 scheme: HMAC-SHA256 over "v0:{timestamp}:{body bytes}" with the signing secret."""
    try:
        return verifier.is_valid(body=body.decode("utf-8"), timestamp=timestamp, signature=signature)
    except UnicodeDecodeError:  # slack_sdk only takes UTF-8 bodies; the scheme itself is over the raw bytes
        base = b"v0:" + timestamp.encode() + b":" + body
        expected = "v0=" + hmac.new(verifier.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature)


def body_limit(environ: dict[str, Any], max_body: int) -> int:
    """How many bytes to read: Content-Length (413 when over the cap), else up to one byte past the cap."""
    declared = environ.get("CONTENT_LENGTH") or ""
    if declared:
        length = _number(declared)
        if length is None:
            raise Refused(400, "Content-Length is not a number")
        if length > max_body:
            raise Refused(413, f"Content-Length {length} is over the cap")
        return length
    if environ.get("wsgi.input_terminated"):
        return max_body + 1  # chunked (gunicorn): read to the end, but never more than one byte past the cap
    return 0  # PEP 3333: without Content-Length the end of the body is unknown, so read nothing


def read_capped(stream: Any, limit: int, max_body: int) -> bytes:
    """At most `limit` bytes of the body; 413 when that turns out to be more than the cap."""
    chunks, size = [], 0
    while size < limit:
        chunk = stream.read(min(limit - size, READ_CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > max_body:
        raise Refused(413, "body is over the cap")
    return b"".join(chunks)


def check_parsable(body: bytes, content_type: str) -> None:
    """Refuse (400) what Bolt could not parse: not UTF-8, invalid JSON, a `payload=` that is not a JSON object."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "body is not UTF-8") from None
    if not text:
        return
    # The same decision Bolt makes (slack_bolt.request.internals.parse_body): JSON, else form fields.
    if content_type.split(";")[0].strip().lower() == "application/json" or text.startswith("{"):
        _json_object(text, "JSON body")
        return
    payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
    if payload is not None:
        _json_object(payload, "form field payload")


def _json_object(text: str, what: str) -> None:
    try:
        value = json.loads(text)
    except ValueError:
        raise Refused(400, f"{what} is not valid JSON") from None
    if not isinstance(value, dict):
        raise Refused(400, f"{what} is not a JSON object")


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _answer(start_response: Callable[..., Any], status: int) -> list[bytes]:
    start_response(STATUS[status], [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "0")])
    return []
