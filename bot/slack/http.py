"""HTTP mode: Slack events and interactivity at /slack/events, health at /healthz, as one WSGI app."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text

from bot.container import Container

log = logging.getLogger(__name__)
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def health(container: Container) -> tuple[int, dict[str, Any]]:
    """Database reachability; more checks (scheduler, feeds) join as those parts land."""
    try:
        with container.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:  # report, don't raise: this is what the health check is for
        database = f"fout: {type(exc).__name__}"
    status = 200 if database == "ok" else 503
    return status, {"status": "ok" if status == 200 else "degraded", "database": database}


def create_wsgi(app: App, container: Container) -> WsgiApp:
    """The WSGI app for gunicorn (production) or the in-process server (tests, demo)."""
    slack = SlackRequestHandler(app)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            status, body = health(container)
            payload = json.dumps(body).encode()
            start_response(f"{status} {'OK' if status == 200 else 'Service Unavailable'}",
                           [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
            return [payload]
        return slack(environ, start_response)

    return wsgi


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("http %s", format % args)


def serve_in_thread(wsgi: WsgiApp, port: int = 0) -> tuple[WSGIServer, str]:
    """Serve on 127.0.0.1 in a background thread; returns the server and the events URL."""
    server = make_server("127.0.0.1", port, wsgi, server_class=_ThreadingServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="catbot-http", daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/slack/events"
