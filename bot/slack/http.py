"""Serving the bot: /slack/events, /healthz and /metrics as one WSGI app (HTTP mode), and Socket Mode."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from slack_bolt import App, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from sqlalchemy import func, select, text

from bot.container import Container
from bot.scheduling import metrics
from bot.scheduling.leader import leader_present
from bot.slack.guard import Replays, slack_guard

if TYPE_CHECKING:
    from bot.scheduling.service import SchedulerService

log = logging.getLogger(__name__)
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class SlackCheck:
    """auth.test, cached for a minute so health checks stay cheap and never hammer Slack."""

    def __init__(self, client: WebClient | None, ttl: float = 60.0):
        self.client, self.ttl = client, ttl
        self._checked_at = -ttl
        self._result = "onbekend"
        self._lock = threading.Lock()

    def __call__(self) -> str:
        if self.client is None:
            return "niet geconfigureerd"
        with self._lock:
            if time.monotonic() - self._checked_at >= self.ttl:
                try:
                    self.client.auth_test()
                    self._result = "ok"
                except Exception as exc:
                    self._result = f"fout: {type(exc).__name__}"
                self._checked_at = time.monotonic()
            return self._result


def _last_feed_poll(container: Container) -> str | None:
    from monitors.models import FeedState

    with container.session_factory() as session:
        last = session.scalar(select(func.max(FeedState.last_attempt_at)))
    return last.isoformat() if last else None


def _scheduler(container: Container, scheduler: SchedulerService | None) -> dict[str, Any]:
    status: dict[str, Any] = scheduler.status() if scheduler else {"role": "niet in dit proces"}
    if container.engine.dialect.name == "postgresql":
        status["leader_present"] = leader_present(container.engine)
    return status


def health(container: Container, *, scheduler: SchedulerService | None = None,
           slack: SlackCheck | None = None) -> tuple[int, dict[str, Any]]:
    """Database reachability (503 when down), scheduler leadership, the last feed poll, the Slack connection."""
    try:
        with container.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:  # report, don't raise: this is what the health check is for
        database = f"fout: {type(exc).__name__}"
    status = 200 if database == "ok" else 503
    body: dict[str, Any] = {"status": "ok" if status == 200 else "degraded", "database": database}
    if database == "ok":
        body["scheduler"] = _scheduler(container, scheduler)
        body["last_feed_poll"] = _last_feed_poll(container)
    if slack is not None:
        body["slack"] = slack()
    return status, body


def count_events(body: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse:  # noqa: A002
    """Bolt middleware (after de-duplication): count what Slack sent by payload type."""
    kind = body.get("type") or ("slash_command" if body.get("command") else "other")
    if kind == "event_callback":
        kind = f"event:{(body.get('event') or {}).get('type', '?')}"
    metrics.EVENTS.labels(type=str(kind)[:40]).inc()
    return next()


def _respond(start_response: Callable[..., Any], status: int, payload: bytes, content_type: str) -> list[bytes]:
    start_response(f"{status} {'OK' if status == 200 else 'Service Unavailable'}",
                   [("Content-Type", content_type), ("Content-Length", str(len(payload)))])
    return [payload]


def create_ops_wsgi(container: Container, *, scheduler: SchedulerService | None = None,
                    client: WebClient | None = None, fallback: WsgiApp | None = None) -> WsgiApp:
    """/healthz and /metrics (Prometheus); anything else goes to `fallback` (Slack) or 404."""
    slack = SlackCheck(client)
    metrics.watch_clocks(container.engine)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path == "/healthz":
            status, body = health(container, scheduler=scheduler, slack=slack)
            return _respond(start_response, status, json.dumps(body).encode(), "application/json")
        if path == "/metrics":
            return _respond(start_response, 200, generate_latest(), CONTENT_TYPE_LATEST)
        if fallback is not None:
            return fallback(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"niet gevonden"]

    return wsgi


def create_wsgi(app: App, container: Container, *, scheduler: SchedulerService | None = None) -> WsgiApp:
    """The WSGI app for gunicorn (production) or the in-process server (tests, demo); Slack's requests are guarded."""
    secret = container.settings.slack_signing_secret
    if secret is None:
        raise ValueError("SLACK_SIGNING_SECRET ontbreekt: zonder kan de bot Slack-verzoeken niet controleren")
    slack = slack_guard(SlackRequestHandler(app), secret.get_secret_value(), replays=Replays(container))
    return create_ops_wsgi(container, scheduler=scheduler, client=app.client, fallback=slack)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("http %s", format % args)


def serve_in_thread(wsgi: WsgiApp, port: int = 0, host: str = "127.0.0.1") -> tuple[WSGIServer, str]:
    """Serve in a background thread (127.0.0.1 unless told); returns the server and the events URL."""
    server = make_server(host, port, wsgi, server_class=_ThreadingServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="catbot-http", daemon=True).start()
    return server, f"http://{host}:{server.server_port}/slack/events"


def connect_socket_mode(app: App, app_token: str) -> Callable[[], None]:
    """Connect the app over Socket Mode (no public URL); returns the function that disconnects it."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, app_token)
    handler.connect()
    return handler.close
