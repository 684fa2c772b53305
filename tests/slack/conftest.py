"""Fixtures for the Slack emulator tests: a started emulator, the real slack_sdk client, a bot-side receiver."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.slack.emulator import Emulator

USERS = [
    {"id": "U0DIRECTOR", "name": "directeur", "real_name": "Dirk Directeur", "email": "dirk@example.org"},
    {"id": "U0UNITLEAD", "name": "eenheid", "real_name": "Eva Eenheid", "email": "eva@example.org"},
    {"id": "U0ANALYST", "name": "analist", "real_name": "Ali Analist", "email": "ali@example.org"},
]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_790_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def emulator(clock: Clock) -> Iterator[Emulator]:
    emu = Emulator(USERS, clock=clock)
    emu.start()
    yield emu
    emu.stop()


@pytest.fixture
def client(emulator: Emulator) -> WebClient:
    """The real slack_sdk client, pointed at the emulator the way SLACK_API_URL does."""
    return WebClient(token=emulator.bot_token, base_url=emulator.api_url)


@dataclass
class Receiver:
    """A stand-in bot endpoint: records each request and answers with `respond(request)`."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    respond: Callable[[dict[str, Any]], tuple[int, bytes]] = lambda request: (200, b"")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            request = {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
            rec.requests.append(request)
            status, answer = rec.respond(request)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    rec.url = f"http://127.0.0.1:{server.server_address[1]}/slack/events"
    yield rec
    server.shutdown()
    server.server_close()


def answer(data: Any) -> tuple[int, bytes]:
    """A 200 with a JSON body, for Receiver.respond."""
    return 200, json.dumps(data).encode()
