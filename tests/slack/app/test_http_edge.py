"""The HTTP edge in front of Bolt, over real HTTP: size cap, signatures, bodies, replays, retries and logs."""

from __future__ import annotations

import http.client
import io
import json
import logging
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.slack.emulator.deliver import sign
from bot.slack.guard import MAX_BODY, slack_guard
from tests.slack.app.conftest import SIGNING_SECRET, World, wait_for

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def signed(body: bytes, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    """Slack's headers for `body`: slack_sdk's signature, or the same HMAC over the raw bytes when not UTF-8."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    try:
        signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body.decode("utf-8"))
    except UnicodeDecodeError:  # slack_sdk signs text only; Slack's scheme is over the bytes
        signature = sign(secret, ts, body)
    assert signature is not None
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


def post(url: str, body: bytes, headers: dict[str, str], *, content_type: str = JSON,
         send_body: bool = True) -> tuple[int, bytes]:
    """One raw POST (headers exactly as given, Content-Length included); returns status and body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        connection.putrequest("POST", parts.path)
        for name, value in {"Content-Type": content_type, "Content-Length": str(len(body)), **headers}.items():
            connection.putheader(name, value)
        connection.endheaders(body if send_body else None)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text


# --- 1. size cap, signature, body -----------------------------------------------------------------------------
def test_a_signed_request_still_reaches_bolt(world: World) -> None:
    body = json.dumps({"type": "url_verification", "token": "t", "challenge": "uitdaging"}).encode()
    status, answer = post(world.events_url, body, signed(body))
    assert status == 200 and b"uitdaging" in answer


def test_a_body_over_one_mebibyte_is_refused_on_its_content_length(world: World,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    body = b"{" + b" " * MAX_BODY + b"}"
    # Headers only: the guard answers before any of the body is sent, let alone read.
    status, _ = post(world.events_url, body, signed(body), send_body=False)
    assert status == 413
    no_tracebacks(caplog)


def test_a_chunked_body_is_read_no_further_than_one_byte_past_the_cap() -> None:
    class Counting(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            chunk = super().read(size)
            self.total = getattr(self, "total", 0) + len(chunk)
            return chunk

    reached: list[Any] = []
    guard = slack_guard(lambda environ, start: reached.append(environ) or [], SIGNING_SECRET)
    stream = Counting(b"x" * (3 * MAX_BODY))
    statuses: list[str] = []
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "CONTENT_TYPE": JSON, "wsgi.input": stream,
               "wsgi.input_terminated": True,  # what gunicorn sets for a chunked request (no Content-Length)
               **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in signed(b"x").items()}}
    guard(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["413 Content Too Large"] and not reached
    assert stream.total == MAX_BODY + 1


@pytest.mark.parametrize("case", ["no timestamp", "timestamp not a number", "no signature", "stale", "future",
                                  "wrong secret", "body changed", "signature not ASCII"])
def test_unsigned_stale_or_forged_requests_get_401_and_do_nothing(world: World, case: str,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    user = world.uid("re07-woordvoerder")
    channel = world.emulator.add_channel("algemeen", [user])
    body = urlencode({"command": "/rodeknop", "text": "", "user_id": user, "channel_id": channel,
                      "trigger_id": world.emulator.new_trigger_id(user), "team_id": world.emulator.ws.team_id}).encode()
    now = int(time.time())
    headers = {
        "no timestamp": {"X-Slack-Signature": signed(body)["X-Slack-Signature"]},
        "timestamp not a number": {"X-Slack-Request-Timestamp": "gisteren", "X-Slack-Signature": "v0=00"},
        "no signature": {"X-Slack-Request-Timestamp": str(now)},
        "stale": signed(body, now - 301),
        "future": signed(body, now + 301),
        "wrong secret": signed(body, secret="niet-het-geheim"),
        "body changed": signed(body.replace(b"rodeknop", b"cat")),
        "signature not ASCII": {**signed(body), "X-Slack-Signature": "v0=\u00e9" + "0" * 63},
    }[case]
    status, _ = post(world.events_url, body, headers, content_type=FORM)
    assert status == 401
    assert not world.emulator.calls("views.open") and not world.emulator.ws.stacks.get(user)
    no_tracebacks(caplog)


@pytest.mark.parametrize(("content_type", "body"), [
    (JSON, b'{"type": "event_callback", "event": '),  # cut off
    (JSON, b'["not", "an", "object"]'),
    (JSON, b'{"type": "event_callback", "text": "caf\xe9"}'),  # Latin-1, not UTF-8
    (FORM, b"payload=%7Bnot+json"),
    (FORM, b"payload=%5B1%2C2%5D"),  # a JSON list
    (FORM, b"command=%2Fcat&text=caf\xe9"),
])
def test_signed_bodies_bolt_cannot_parse_get_400(world: World, content_type: str, body: bytes,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    status, _ = post(world.events_url, body, signed(body), content_type=content_type)
    assert status == 400
    no_tracebacks(caplog)


# --- 2. replays -------------------------------------------------------------------------------------------------
def notes(world: World) -> list[str]:
    from bot.cat import service, timeline

    with world.container.transaction() as session:
        cat = service.get_cat(session, "CAT-2026-001")
        return [e.content.text for e in timeline.events(session, cat) if e.kind == "note" and e.content]


def cat_command(world: World, user: str, channel: str, text: str) -> bytes:
    """The form body Slack sends for `/cat <text>` typed by `user` in `channel`."""
    from bot.slack.emulator import payloads

    emu = world.emulator
    return urlencode(payloads.slash_command(
        command="/cat", text=text, user_id=user, user_name=emu.ws.users[user].name, channel_id=channel,
        channel_name=emu.ws.channels[channel].name, team_id=emu.ws.team_id, team_domain=emu.ctx.team_domain,
        api_app_id=emu.ctx.app_id, trigger_id=emu.new_trigger_id(user), response_url=emu.new_response_url(user, channel),
        token=world.slack.verification_token)).encode()


def test_a_replayed_command_is_acknowledged_and_has_no_second_effect(world: World, cat_channel: str) -> None:
    body = cat_command(world, world.uid("re07-woordvoerder"), cat_channel, "notitie NOS opent met de beelden")
    headers = signed(body)
    answers = [post(world.events_url, body, headers, content_type=FORM) for _ in range(4)]
    assert [status for status, _ in answers] == [200] * 4
    assert [answer for _, answer in answers[1:]] == [b""] * 3
    wait_for(lambda: notes(world), what="the note on the timeline")
    # The first request's effects are all there once the status post shows it; the replays added nothing.
    wait_for(lambda: [m for m in world.emulator.ws.messages[cat_channel] if m.text.startswith("Status CAT")],
             what="the status post")
    assert notes(world) == ["NOS opent met de beelden"]



def test_a_request_bolt_failed_may_come_again_with_the_same_signature(world: World) -> None:
    from bot.slack.guard import Replays
    from bot.slack.http import serve_in_thread

    calls: list[bytes] = []

    def bolt(environ: dict[str, Any], start_response: Any) -> list[bytes]:  # fails the first time
        calls.append(environ["wsgi.input"].read())
        start_response("500 Internal Server Error" if len(calls) == 1 else "200 OK", [])
        return [b"ok"]

    server, url = serve_in_thread(slack_guard(bolt, SIGNING_SECRET, replays=Replays(world.container)))
    try:
        body = json.dumps({"type": "event_callback", "event_id": "Ev0IDENTIEK"}).encode()
        headers = signed(body)  # Slack's retry within the same second carries the same timestamp and signature
        assert [post(url, body, headers) for _ in range(3)] == [(500, b"ok"), (200, b"ok"), (200, b"")]
        assert calls == [body, body]
    finally:
        server.shutdown()


# --- 3. an event whose handling failed is handled on Slack's retry ----------------------------------------------
def test_a_pin_whose_handling_failed_is_recorded_once_on_slacks_retry(world: World, cat_channel: str) -> None:
    analyst = world.uid("dienst-io-analist")
    ts = world.emulator.post_user_message(cat_channel, analyst, "Sociale media leggen verband met Staphorst")
    world.emulator.inject_fault("conversations.history", error="fatal_error")  # the bot cannot read the message
    first = world.slack.reaction_added(cat_channel, ts, analyst, "pushpin")
    assert first.status == 200  # acked before the listener ran
    wait_for(lambda: [e for e in world.ephemerals("dienst-io-analist") if "Er ging iets mis" in e],
             what="the analyst told that it failed")
    assert notes(world) == []
    # Slack retries later: the same event_id in a new request with a later timestamp, signed anew.
    retry = world.slack.send(first.request_body, JSON, retry_num=1, retry_reason="http_timeout",
                             timestamp=int(time.time()) + 1)
    assert retry.status == 200
    wait_for(lambda: [e for e in world.ephemerals("dienst-io-analist") if "op de tijdlijn van" in e],
             what="the analyst told it is on the timeline")
    assert len(notes(world)) == 1 and "Sociale media leggen verband met Staphorst" in notes(world)[0]


def test_a_listener_that_raises_into_bolt_lets_slacks_retry_through(world: World) -> None:
    """The app's error handler releases the claim too (a listener without the user_facing guard)."""
    from slack_bolt import App
    from slack_sdk import WebClient
    from sqlalchemy import func, select

    from bot.slack.http import create_wsgi, serve_in_thread
    from bot.slack.middleware import dedupe_events, release_on_error
    from bot.slack.models import SeenEvent

    app = App(client=WebClient(token=world.emulator.bot_token, base_url=world.emulator.api_url),
              signing_secret=SIGNING_SECRET, token_verification_enabled=False)
    app.use(dedupe_events(world.container))
    app.error(release_on_error(world.container))
    runs: list[str] = []

    @app.event("app_mention")
    def mentioned(event: dict[str, Any]) -> None:
        runs.append(event["ts"])
        if len(runs) == 1:
            raise RuntimeError("the first run fails")

    def claimed() -> int:
        with world.container.transaction() as session:
            return int(session.scalar(select(func.count()).select_from(SeenEvent)) or 0)

    server, url = serve_in_thread(create_wsgi(app, world.container))
    try:
        slack = world.emulator.deliverer(url)
        user = world.uid("re07-woordvoerder")
        first = slack.event({"type": "app_mention", "user": user, "text": "hoi", "ts": "1790000000.000100",
                             "channel": "C0ERGENS", "event_ts": "1790000000.000100"}, event_id="Ev0MISLUKT")
        assert first.status == 200
        wait_for(lambda: runs and claimed() == 0, what="the failed run and its claim released")
        retry = slack.send(first.request_body, JSON, retry_num=1, retry_reason="http_timeout",
                           timestamp=int(time.time()) + 1)
        assert retry.status == 200
        wait_for(lambda: len(runs) == 2, what="the retry handled")
        assert claimed() == 1
    finally:
        server.shutdown()


# --- 4. no request body in the log ------------------------------------------------------------------------------
@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Everything at DEBUG, from before the app is built (Bolt copies the root level into its loggers then)."""
    caplog.set_level(logging.DEBUG)
    return caplog


def test_no_request_body_reaches_the_log_even_at_debug(debug_log: pytest.LogCaptureFixture, world: World,
                                                       cat_channel: str) -> None:
    member = world.uid("re07-woordvoerder")
    text = "Melder Pietje Puk (BSN 123456782) belt om 14.00 terug"
    forged = cat_command(world, member, cat_channel, f"notitie {text}")
    assert post(world.events_url, forged, signed(forged, secret="niet-het-geheim"), content_type=FORM)[0] == 401
    broken = forged + b"&payload=" + b"%5B%22Pietje+Puk+123456782%22%5D"
    assert post(world.events_url, broken, signed(broken), content_type=FORM)[0] == 400
    # The same text for real: typed as a note, and a message pinned (the bot reads it back from Slack).
    body = cat_command(world, member, cat_channel, f"notitie {text}")
    assert post(world.events_url, body, signed(body), content_type=FORM)[0] == 200
    ts = world.emulator.post_user_message(cat_channel, member, text)
    assert world.slack.reaction_added(cat_channel, ts, member, "pushpin").status == 200
    wait_for(lambda: len(notes(world)) == 2, what="the note and the pinned message on the timeline")
    wait_for(lambda: [e for e in world.ephemerals("re07-woordvoerder") if "op de tijdlijn van" in e],
             what="the pin confirmed")
    assert any(r.name.startswith("slack_sdk.web") for r in debug_log.records)  # the Web API calls were logged
    for needle in ("123456782", "Pietje Puk"):
        leaked = [f"{r.name}: {r.getMessage()[:300]}" for r in debug_log.records if needle in r.getMessage()]
        assert not leaked, leaked


# --- 5. the retention job forgets seen events and requests after a day ------------------------------------------
def test_the_retention_job_forgets_seen_events_and_requests_after_a_day(world: World) -> None:
    from datetime import timedelta

    from sqlalchemy import func, select

    from bot import jobs
    from bot.slack.models import SeenEvent, SeenRequest
    from bot.slack.notifier import SlackGateway, make_client

    def seen() -> tuple[int, int]:
        with world.container.transaction() as session:
            return (int(session.scalar(select(func.count()).select_from(SeenEvent)) or 0),
                    int(session.scalar(select(func.count()).select_from(SeenRequest)) or 0))

    user = world.uid("re07-woordvoerder")
    assert world.slack.app_home_opened(user).status == 200  # an event: one seen event, one seen request
    before = seen()
    assert before[0] >= 1 and before[1] >= 1

    now = world.container.clock()

    def purge_at(offset: timedelta) -> None:
        world.container.clock = lambda: now + offset
        jobs.bind(jobs.JobRuntime(world.container, SlackGateway(make_client(world.emulator.bot_token, world.emulator.api_url))))
        try:
            jobs.retention_purge()  # the scheduler's entry point
        finally:
            jobs.bind(None)

    purge_at(timedelta(hours=23))
    assert seen() == before  # less than a day old: kept
    purge_at(timedelta(hours=25))
    assert seen() == (0, 0)
