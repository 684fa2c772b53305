"""The HTTP face of the emulator: /api/<method>, uploads, response URLs and the /_emulator admin endpoints."""

from __future__ import annotations

import json
import logging
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

from bot.slack.emulator.api import Fault, call
from bot.slack.emulator.contract import specs
from bot.slack.emulator.methods.files import receive_upload
from bot.slack.emulator.page import PAGE, act, render_page
from bot.slack.emulator.responses import new_response_url, post_to_response_url

if TYPE_CHECKING:
    from bot.slack.emulator.server import Emulator

log = logging.getLogger(__name__)


def _multipart_file(content_type: str, body: bytes) -> bytes:
    """The first part of a multipart/form-data body (curl -F file=@…); stdlib only."""
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            return payload
    return b""


class Handler(BaseHTTPRequestHandler):
    """One request; the Emulator instance is attached to the server as `.emulator`."""

    server_version = "SlackEmulator/1.0"
    protocol_version = "HTTP/1.1"

    @property
    def emulator(self) -> Emulator:
        """The emulator this server belongs to."""
        return self.server.emulator  # type: ignore[attr-defined,no-any-return]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Log the path only: query strings and bodies may carry personal data."""
        log.debug("%s %s", self.command, urlsplit(self.path).path)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        """Route a GET."""
        self._route()

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        """Route a POST."""
        self._route()

    def do_DELETE(self) -> None:  # noqa: N802 - stdlib naming
        """Route a DELETE (only /_emulator/faults)."""
        self._route()

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None, *, kind: str | None = None) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False, default=str).encode()
        self.send_response(status)
        self.send_header("Content-Type", kind or ("application/json; charset=utf-8" if not isinstance(body, bytes)
                                                  else "application/octet-stream"))
        self.send_header("Content-Length", str(len(raw)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(raw)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _route(self) -> None:
        url = urlsplit(self.path)
        path, raw = url.path, self._body()
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        if path.startswith("/socket-mode/") and (self.headers.get("Upgrade") or "").lower() == "websocket":
            self._socket_mode()
        elif path in ("/", PAGE) or path.startswith(PAGE + "/"):
            self._page(path, query, raw)
        elif path.startswith("/api/"):
            self._api(path[len("/api/"):], query, raw)
        elif path.startswith("/_emulator/"):
            self._admin(path[len("/_emulator/"):], raw)
        else:
            self._send(404, {"ok": False, "error": "not_found"})

    def _socket_mode(self) -> None:
        """Upgrade to a WebSocket and serve one Socket Mode session in this thread (see socket_mode.py)."""
        from bot.slack.emulator.socket_mode import SocketSession, accept_key

        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept_key(self.headers.get("Sec-WebSocket-Key") or ""))
        self.end_headers()
        self.wfile.flush()
        session = SocketSession(self.connection, self.rfile.read, self.emulator.ctx.app_id)
        self.emulator.socket_sessions.append(session)
        session.run()
        self.close_connection = True

    def _page(self, path: str, query: dict[str, str], raw: bytes) -> None:
        """The page for acting as a person; its actions reach the bot outside the workspace lock."""
        emu = self.emulator
        if path == PAGE + "/version":
            self._send(200, self._version().encode(), kind="text/plain")
        elif self.command == "POST":
            try:
                target = act(emu, parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True))
            except (KeyError, ValueError) as exc:
                log.info("page action refused: %s", type(exc).__name__)
                target = PAGE + "?" + "&".join(f"{k}={v}" for k, v in query.items())
            self._send(303, b"", {"Location": target}, kind="text/plain")
        else:
            version = self._version()  # before the state: a change in between reloads the page
            page = render_page(emu.state(), user=query.get("as", ""), channel=query.get("ch", ""),
                               notice=query.get("notice", ""), version=version)
            self._send(200, page.encode(), kind="text/html; charset=utf-8")

    def _version(self) -> str:
        """What the page polls to know that something changed: Web API calls and ephemerals so far."""
        return str(len(self.emulator.call_log) + len(self.emulator.ws.ephemerals))

    def _api(self, method: str, query: dict[str, Any], raw: bytes) -> None:
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        args: dict[str, Any] = dict(query)
        if content_type == "application/json" and raw:
            try:
                body = json.loads(raw)
            except ValueError:
                self._send(200, {"ok": False, "error": "invalid_json"})
                return
            spec = specs().get(method)
            # Slack reads JSON bodies only for methods that support them; others see no arguments.
            if isinstance(body, dict) and (spec is None or spec.json_input):
                args.update(body)
        elif raw:
            args.update(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
        auth = self.headers.get("Authorization") or ""
        bearer = auth[len("Bearer "):].strip() if auth.startswith("Bearer ") else None
        emu = self.emulator
        reply = call(emu.ctx, emu.faults, emu.call_log, emu.bot_token, method, args, bearer, emu.limiter)
        self._send(reply.status, reply.body, reply.headers)

    def _admin(self, route: str, raw: bytes) -> None:
        emu = self.emulator
        parts = route.split("/")
        data = _json_or_empty(raw)
        with emu.ws.lock:
            if route == "calls":
                self._send(200, list(emu.call_log))
            elif route == "state":
                self._send(200, emu.ws.snapshot())
            elif route == "reset" and self.command == "POST":
                emu.reset()
                self._send(200, {"ok": True})
            elif route == "faults":
                self._faults(data)
            elif route == "triggers" and self.command == "POST":
                self._send(200, {"ok": True, "trigger_id": emu.new_trigger_id(str(data.get("user_id", "")))})
            elif route == "response_urls" and self.command == "POST":
                url = new_response_url(emu.ctx, str(data.get("user_id", "")), data.get("channel_id"),
                                       data.get("message_ts"))
                self._send(200, {"ok": True, "response_url": url})
            elif parts[0] == "upload" and len(parts) == 2 and self.command == "POST":
                content_type = self.headers.get("Content-Type") or ""
                content = _multipart_file(content_type, raw) if content_type.startswith("multipart/") else raw
                ok = receive_upload(emu.ctx, parts[1], content)
                self._send(200 if ok else 404, f"OK - {len(content)}".encode() if ok else b"file_not_found")
            elif parts[0] == "response" and len(parts) == 2 and self.command == "POST":
                self._send(*post_to_response_url(emu.ctx, parts[1], data))
            elif parts[0] == "files" and len(parts) >= 2 and parts[1] in emu.ws.files:
                self._send(200, emu.ws.files[parts[1]].content)
            else:
                self._send(404, {"ok": False, "error": "not_found"})

    def _faults(self, data: dict[str, Any]) -> None:
        emu = self.emulator
        if self.command == "GET":
            self._send(200, emu.faults.pending())
        elif self.command == "DELETE":
            emu.faults.clear()
            self._send(200, {"ok": True})
        elif not data.get("method"):
            self._send(400, {"ok": False, "error": "method is required"})
        else:
            emu.faults.add(Fault(method=str(data["method"]), count=int(data.get("count", 1)),
                                 error=data.get("error"), status=data.get("status"),
                                 retry_after=int(data.get("retry_after", 1))))
            self._send(200, {"ok": True, "pending": emu.faults.pending()})


def _json_or_empty(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {"_": data}
