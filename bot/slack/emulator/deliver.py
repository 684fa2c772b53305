"""Delivering to the bot the way Slack does: signed HTTP requests, JSON events, form interactivity, retries."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from bot.slack.emulator import payloads
from bot.slack.emulator.interactions import InteractionsMixin

if TYPE_CHECKING:
    from bot.slack.emulator.server import Emulator

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
RETRY_REASONS = ("http_timeout", "too_many_redirects", "connection_failed", "ssl_error", "http_error",
                 "unknown_error")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's v0 signature: hex HMAC-SHA256 of "v0:{timestamp}:{body}" with the signing secret."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Delivery:
    """One request to the bot and its answer; `body` is what the bot replied."""

    status: int
    body: bytes
    headers: dict[str, str]
    request_body: bytes
    content_type: str
    elapsed: float
    retry_num: int = 0
    error: str | None = None
    outcome: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The bot's answer as text."""
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        """The bot's answer as JSON (None when empty or not JSON)."""
        try:
            return json.loads(self.body) if self.body.strip() else None
        except ValueError:
            return None

    @property
    def acked_in_time(self) -> bool:
        """Slack wants a 2xx within 3 seconds, or it retries."""
        return 200 <= self.status < 300 and self.elapsed <= 3.0


class Deliverer(InteractionsMixin):
    """Sends signed requests to one bot endpoint (e.g. http://127.0.0.1:3000/slack/events)."""

    def __init__(self, emulator: Emulator, endpoint_url: str, *, signing_secret: str | None = None,
                 timeout: float = 10.0, verification_token: str = "emulator-verification-token",
                 clock: Callable[[], float] = time.time) -> None:
        self.emulator = emulator
        self.clock = clock  # for X-Slack-Request-Timestamp; a clock in the past makes every request stale
        self.endpoint_url = endpoint_url
        self.signing_secret = signing_secret or emulator.signing_secret
        self.timeout = timeout
        self.verification_token = verification_token
        self.log: list[Delivery] = []

    # --- transport ------------------------------------------------------------------------------
    def send(self, body: bytes, content_type: str, *, retry_num: int = 0, retry_reason: str | None = None,
             timestamp: int | None = None, signature: str | None = None) -> Delivery:
        """POST a raw body, signed (override `timestamp`/`signature` to test the bot's verification)."""
        ts = str(int(self.clock()) if timestamp is None else timestamp)
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
                   "X-Slack-Signature": signature or sign(self.signing_secret, ts, body),
                   "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)"}
        if retry_num:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason or "unknown_error"
        request = urllib.request.Request(self.endpoint_url, data=body, headers=headers, method="POST")
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                delivery = Delivery(response.status, response.read(), dict(response.headers), body, content_type,
                                    time.monotonic() - started, retry_num)
        except urllib.error.HTTPError as exc:
            delivery = Delivery(exc.code, exc.read(), dict(exc.headers), body, content_type,
                                time.monotonic() - started, retry_num)
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            delivery = Delivery(0, b"", {}, body, content_type, time.monotonic() - started, retry_num,
                                error=type(exc).__name__)
        self.log.append(delivery)
        return delivery

    def send_json(self, data: dict[str, Any], **kwargs: Any) -> Delivery:
        """POST a JSON body (Events API)."""
        return self.send(json.dumps(data).encode(), JSON, **kwargs)

    def send_form(self, fields: dict[str, str], **kwargs: Any) -> Delivery:
        """POST form fields (slash commands)."""
        return self.send(urlencode(fields).encode(), FORM, **kwargs)

    def send_payload(self, payload: dict[str, Any], **kwargs: Any) -> Delivery:
        """POST interactivity as Slack does: form-encoded `payload=<json>`."""
        return self.send_form({"payload": json.dumps(payload)}, **kwargs)

    def retry(self, previous: Delivery, reason: str = "http_timeout") -> Delivery:
        """Resend the same body as Slack's next retry (X-Slack-Retry-Num +1, fresh timestamp and signature)."""
        if reason not in RETRY_REASONS:
            raise ValueError(f"unknown retry reason {reason!r}")
        return self.send(previous.request_body, previous.content_type, retry_num=previous.retry_num + 1,
                         retry_reason=reason)

    # --- Events API --------------------------------------------------------------------------------
    def event(self, event: dict[str, Any], *, event_id: str | None = None) -> Delivery:
        """An event_callback envelope around `event`."""
        ctx = self.emulator.ctx
        envelope = payloads.event_envelope(event, team_id=ctx.ws.team_id, api_app_id=ctx.app_id,
                                           bot_user_id=ctx.ws.bot_user_id, event_time=int(ctx.ws.clock()),
                                           event_id=event_id, token=self.verification_token)
        return self.send_json(envelope)

    def url_verification(self, challenge: str = "emulator-challenge") -> Delivery:
        """The url_verification handshake; the bot must echo the challenge."""
        return self.send_json(payloads.url_verification(challenge, self.verification_token))

    def message(self, channel: str, user: str, text: str, thread_ts: str | None = None) -> Delivery:
        """A person posts a message (stored in the workspace) and Slack sends the `message` event."""
        ts = self.emulator.post_user_message(channel, user, text, thread_ts)
        ch = self.emulator.ws.channels.get(channel)
        kind = "im" if ch and ch.is_im else "group" if ch and ch.is_private else "channel"
        return self.event(payloads.message_event(channel=channel, user=user, text=text, ts=ts, thread_ts=thread_ts,
                                                 team_id=self.emulator.ws.team_id, channel_type=kind))

    def reaction_added(self, channel: str, ts: str, user: str, reaction: str) -> Delivery:
        """A person reacts to a message (stored) and Slack sends `reaction_added`."""
        self.emulator.add_user_reaction(channel, ts, user, reaction)
        msg = self.emulator.ws.message(channel, ts)
        return self.event(payloads.reaction_added_event(
            user=user, reaction=reaction, channel=channel, ts=ts, item_user=msg.user if msg else "",
            event_ts=self.emulator.ws.new_ts()))

    def app_home_opened(self, user: str) -> Delivery:
        """A person opens the bot's Home tab."""
        from bot.slack.emulator.methods.views import view_json

        emu = self.emulator
        with emu.ws.lock:
            dm = emu.ctx.ws.channels.get(_dm_id(emu, user))
            home = emu.ws.views.get(emu.ws.homes.get(user, ""))
            view = view_json(emu.ctx, home) if home else None
            event = payloads.app_home_opened_event(user=user, channel=dm.id if dm else "", view=view,
                                                   event_ts=emu.ws.new_ts())
        return self.event(event)

    def member_joined_channel(self, channel: str, user: str, inviter: str | None = None) -> Delivery:
        """Slack's `member_joined_channel` for a member already in the channel's member list."""
        ws = self.emulator.ws
        ch = ws.channels[channel]
        return self.event(payloads.member_joined_channel_event(
            user=user, channel=channel, channel_type="G" if ch.is_private else "C", team_id=ws.team_id,
            inviter=inviter, event_ts=ws.new_ts()))


def _dm_id(emulator: Emulator, user: str) -> str:
    from bot.slack.emulator.methods.conversations import open_

    with emulator.ws.lock:
        return str(open_(emulator.ctx, {"users": user})["channel"]["id"])
