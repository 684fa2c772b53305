"""Socket Mode as Slack speaks it, so `catbot run` can be tested without a public URL.

`apps.connections.open` (with an app-level `xapp-` token) hands out a ws:// URL on the emulator. The bot connects
(RFC 6455 handshake), gets `hello`, then receives envelopes — `events_api`, `slash_commands`, `interactive` —
and acknowledges each by its `envelope_id`, with a response payload where Slack accepts one. Pings are answered
with pongs; a close frame ends the session. `SocketDeliverer` sends what people do through the newest session
instead of signed HTTP requests (Socket Mode has no signatures: the connection is the authentication).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import struct
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from bot.slack.emulator.deliver import JSON, Deliverer, Delivery

if TYPE_CHECKING:
    import socket

    from bot.slack.emulator.server import Emulator

log = logging.getLogger(__name__)
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 §1.3
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


def accept_key(key: str) -> str:
    """Sec-WebSocket-Accept for a client's Sec-WebSocket-Key."""
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()  # noqa: S324 - the protocol's


def frame(opcode: int, payload: bytes) -> bytes:
    """One unmasked, final frame (servers never mask)."""
    head = bytes([0x80 | opcode])
    n = len(payload)
    if n < 126:
        return head + bytes([n]) + payload
    if n < 1 << 16:
        return head + bytes([126]) + struct.pack("!H", n) + payload
    return head + bytes([127]) + struct.pack("!Q", n) + payload


def read_frame(read: Callable[[int], bytes]) -> tuple[int, bytes]:
    """(opcode, payload) of the next frame from a client (masked); EOF reads as a close."""
    head = read(2)
    if len(head) < 2:
        return CLOSE, b""
    opcode, masked, n = head[0] & 0x0F, head[1] & 0x80, head[1] & 0x7F
    if n == 126:
        n = struct.unpack("!H", read(2))[0]
    elif n == 127:
        n = struct.unpack("!Q", read(8))[0]
    mask = read(4) if masked else b"\0\0\0\0"
    data = read(n)
    return opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(data))


class SocketSession:
    """One bot connection: sends envelopes, waits for their acks, answers pings."""

    def __init__(self, connection: socket.socket, read: Callable[[int], bytes], app_id: str) -> None:
        self.id = uuid.uuid4().hex[:12]
        self.app_id = app_id
        self._connection, self._read = connection, read
        self._send_lock = threading.Lock()
        self._acks: dict[str, tuple[threading.Event, list[dict[str, Any]]]] = {}
        self.closed = threading.Event()

    def _send(self, opcode: int, payload: bytes) -> None:
        with self._send_lock:
            self._connection.sendall(frame(opcode, payload))

    def send_json(self, message: dict[str, Any]) -> None:
        self._send(TEXT, json.dumps(message).encode())

    def run(self) -> None:
        """Serve the session in the handler's thread until the bot closes it or the emulator does."""
        self.send_json({"type": "hello", "num_connections": 1,
                        "debug_info": {"host": "emulator", "approximate_connection_time": 3600},
                        "connection_info": {"app_id": self.app_id}})
        try:
            while not self.closed.is_set():
                opcode, payload = read_frame(self._read)
                if opcode == PING:
                    self._send(PONG, payload)
                elif opcode == TEXT:
                    self._acked(json.loads(payload))
                elif opcode == CLOSE:
                    break
        except (OSError, ValueError) as exc:
            log.debug("socket mode session %s ended: %s", self.id, type(exc).__name__)
        finally:
            self.close()

    def _acked(self, message: dict[str, Any]) -> None:
        waiting = self._acks.get(str(message.get("envelope_id")))
        if waiting is not None:
            waiting[1].append(message)
            waiting[0].set()

    def deliver(self, kind: str, payload: dict[str, Any], *, retry: int = 0,
                timeout: float = 10.0) -> dict[str, Any] | None:
        """Send one envelope and wait for the bot's ack (None when none came in time)."""
        envelope_id = str(uuid.uuid4())
        done: tuple[threading.Event, list[dict[str, Any]]] = (threading.Event(), [])
        self._acks[envelope_id] = done
        try:
            self.send_json({"envelope_id": envelope_id, "type": kind, "payload": payload,
                            "accepts_response_payload": kind != "events_api", "retry_attempt": retry,
                            "retry_reason": "timeout" if retry else ""})
            return done[1][0] if done[0].wait(timeout) else None
        finally:
            self._acks.pop(envelope_id, None)

    def close(self) -> None:
        if not self.closed.is_set():
            self.closed.set()
            with suppress(OSError):
                self._send(CLOSE, struct.pack("!H", 1000))


def envelope_of(body: bytes, content_type: str) -> tuple[str, dict[str, Any]]:
    """The Socket Mode envelope type and payload for what would be an HTTP request body."""
    if content_type == JSON:
        return "events_api", json.loads(body)
    fields = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    if set(fields) == {"payload"}:
        return "interactive", json.loads(fields["payload"])
    return "slash_commands", fields


class SocketDeliverer(Deliverer):
    """Sends what people do through the bot's Socket Mode connection (the newest open session)."""

    def __init__(self, emulator: Emulator, *, timeout: float = 10.0) -> None:
        super().__init__(emulator, "socket-mode", timeout=timeout)

    def session(self, wait: float = 10.0) -> SocketSession:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            open_ = [s for s in self.emulator.socket_sessions if not s.closed.is_set()]
            if open_:
                return open_[-1]
            time.sleep(0.05)
        raise TimeoutError("no Socket Mode connection from the bot")

    def send(self, body: bytes, content_type: str, *, retry_num: int = 0, retry_reason: str | None = None,
             timestamp: int | None = None, signature: str | None = None) -> Delivery:
        kind, payload = envelope_of(body, content_type)
        started = time.monotonic()
        ack = self.session().deliver(kind, payload, retry=retry_num, timeout=self.timeout)
        answer = json.dumps(ack["payload"]).encode() if ack and ack.get("payload") else b""
        delivery = Delivery(200 if ack is not None else 0, answer, {}, body, content_type,
                            time.monotonic() - started, retry_num, error=None if ack is not None else "no ack")
        self.log.append(delivery)
        return delivery
