"""`Emulator`: a local Slack workspace with a Web API on 127.0.0.1, started in a background thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from http.server import ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from bot.slack.emulator.api import Fault, Faults
from bot.slack.emulator.handler import Handler
from bot.slack.emulator.methods import Context
from bot.slack.emulator.methods.views import new_trigger_id
from bot.slack.emulator.ratelimit import TierLimiter
from bot.slack.emulator.responses import new_response_url
from bot.slack.emulator.state import Channel, Message, User, Workspace

if TYPE_CHECKING:
    from bot.slack.emulator.deliver import Deliverer

DEFAULT_BOT_TOKEN = "xoxb-emulator-token"
DEFAULT_SIGNING_SECRET = "emulator-signing-secret"


class Emulator:
    """Seed users, start(), point slack_sdk at `api_url`, read `calls()` / `state()`, stop()."""

    def __init__(
        self,
        users: Iterable[Mapping[str, Any]] = (),
        *,
        bot_token: str = DEFAULT_BOT_TOKEN,
        signing_secret: str = DEFAULT_SIGNING_SECRET,
        bot_user: Mapping[str, Any] | None = None,
        team_id: str = "T0EMULATOR",
        team_name: str = "Emulated workspace",
        team_domain: str = "emulator",
        app_id: str = "A0EMULATOR",
        bot_id: str = "B0EMULATOR",
        trigger_ttl: float | None = None,
        rate_tiers: bool = False,  # also answer 429 when a method goes over its Slack tier (t1–t4 per minute)
        observed_limits: bool = False,  # also enforce limits Slack applies but does not document (13k chars)
        clock: Callable[[], float] = time.time,
    ) -> None:
        from bot.slack.emulator.contract import limit

        self.bot_token = bot_token
        self.signing_secret = signing_secret
        self._seed_users = [dict(u) for u in users]
        self._bot_user = dict(bot_user or {"id": "U0EMULBOT", "name": "catbot", "real_name": "CAT bot"})
        self._clock = clock
        self.faults = Faults()
        self.limiter = TierLimiter() if rate_tiers else None
        self.call_log: list[dict[str, Any]] = []
        ttl = trigger_ttl if trigger_ttl is not None else float(limit("surfaces", "trigger_id.ttl_seconds"))
        self.ctx = Context(ws=self._fresh_workspace(team_id), base_url="http://127.0.0.1:0", app_id=app_id,
                           bot_id=bot_id, team_name=team_name, team_domain=team_domain, trigger_ttl=ttl,
                           observed_limits=observed_limits)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.bot_url = ""  # where the page delivers what a person does (the bot's /slack/events)
        self.socket_sessions: list[Any] = []  # the bot's Socket Mode connections (socket_mode.SocketSession)

    # --- lifecycle -------------------------------------------------------------------------------
    def start(self, port: int = 0, host: str = "127.0.0.1") -> str:
        """Serve in a background thread; returns the base URL (the Web API lives at `api_url`)."""
        server = ThreadingHTTPServer((host, port), Handler)
        server.daemon_threads = True
        server.emulator = self  # type: ignore[attr-defined]
        self._server = server
        self.ctx.base_url = f"http://{host}:{server.server_address[1]}"
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="slack-emulator", daemon=True)
        self._thread.start()
        return self.ctx.base_url

    def wait(self) -> None:
        """Block until stop() is called or Ctrl-C (the CLI's foreground mode)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(0.5)

    def stop(self) -> None:
        """Stop serving and release the port."""
        for session in self.socket_sessions:
            session.close()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Emulator:
        if self._server is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:<port>"""
        return self.ctx.base_url

    @property
    def api_url(self) -> str:
        """What SLACK_API_URL / WebClient(base_url=…) should be."""
        return f"{self.ctx.base_url}/api/"

    @property
    def ws(self) -> Workspace:
        """The emulated workspace (hold `ws.lock` while reading it from another thread)."""
        return self.ctx.ws

    @property
    def bot_user_id(self) -> str:
        """The bot user's id (what auth.test returns)."""
        return self.ctx.ws.bot_user_id

    def reset(self) -> None:
        """Back to the seeded users and nothing else; calls and faults cleared."""
        with self.ctx.ws.lock:
            self.ctx.ws = self._fresh_workspace(self.ctx.ws.team_id)
            self.call_log.clear()
            self.faults.clear()
            if self.limiter is not None:
                self.limiter.clear()

    def _fresh_workspace(self, team_id: str) -> Workspace:
        ws = Workspace(team_id=team_id, bot_user_id=str(self._bot_user["id"]), clock=self._clock)
        for data in [{**self._bot_user, "is_bot": True}, *self._seed_users]:
            user = User(**{k: v for k, v in data.items() if k in User.__dataclass_fields__})
            ws.users[user.id] = user
        return ws

    # --- record and faults -------------------------------------------------------------------------
    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """Recorded Web API calls (optionally of one method), oldest first."""
        with self.ctx.ws.lock:
            return [dict(c) for c in self.call_log if method is None or c["method"] == method]

    def state(self) -> dict[str, Any]:
        """The same JSON as GET /_emulator/state."""
        with self.ctx.ws.lock:
            return self.ctx.ws.snapshot()

    def inject_fault(self, method: str, *, count: int = 1, error: str | None = None, status: int | None = None,
                     retry_after: int = 1) -> None:
        """The next `count` calls to `method` get HTTP 429 + Retry-After (default) or `error`."""
        self.faults.add(Fault(method=method, count=count, error=error, status=status, retry_after=retry_after))

    # --- what people and Slack itself do ----------------------------------------------------------
    def add_channel(self, name: str, members: Iterable[str] = (), *, is_private: bool = False,
                    bot_member: bool = True) -> str:
        """A channel created by a person (the bot is a member unless told otherwise); returns its id."""
        with self.ctx.ws.lock:
            ws = self.ctx.ws
            ids = list(dict.fromkeys([*members, *([ws.bot_user_id] if bot_member else [])]))
            ch = Channel(id=ws.new_id("G" if is_private else "C"), name=name, created=int(ws.clock()),
                         creator=ids[0] if ids else ws.bot_user_id, is_private=is_private, members=ids)
            ws.channels[ch.id] = ch
            ws.messages[ch.id] = []
            return ch.id

    def post_user_message(self, channel: str, user: str, text: str, thread_ts: str | None = None) -> str:
        """A person posts a message; returns its ts (deliver the matching event yourself)."""
        with self.ctx.ws.lock:
            ts = self.ctx.ws.new_ts()
            self.ctx.ws.messages.setdefault(channel, []).append(
                Message(channel=channel, ts=ts, user=user, text=text, thread_ts=thread_ts))
            return ts

    def add_user_reaction(self, channel: str, ts: str, user: str, name: str) -> None:
        """A person adds an emoji reaction to a message."""
        with self.ctx.ws.lock:
            msg = self.ctx.ws.message(channel, ts)
            if msg is None:
                raise KeyError(f"no message {ts} in {channel}")
            users = msg.reactions.setdefault(name, [])
            if user not in users:
                users.append(user)

    def new_trigger_id(self, user_id: str) -> str:
        """A trigger_id views.open/push accept once, within the trigger TTL (3 s like Slack)."""
        with self.ctx.ws.lock:
            return new_trigger_id(self.ctx.ws, user_id, self.ctx.trigger_ttl)

    def new_response_url(self, user_id: str, channel_id: str | None, message_ts: str | None = None) -> str:
        """A response_url that records what the bot posts to it."""
        with self.ctx.ws.lock:
            return new_response_url(self.ctx, user_id, channel_id, message_ts)

    def deliverer(self, endpoint_url: str, **kwargs: Any) -> Deliverer:
        """A Deliverer that sends signed events and interactions to the bot at `endpoint_url`."""
        from bot.slack.emulator.deliver import Deliverer

        return Deliverer(self, endpoint_url, **kwargs)
