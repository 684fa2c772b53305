"""While an activation waits out a 429 and a feed trickles in, every 📌 and `/cat notitie` is acked and kept.

Neither the saga nor the feed poll holds a database transaction across its network wait, so SQLite's write
lock stays free for the listeners (before, each blocked every ack for up to 30 s and the notes were lost).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot import jobs
from bot.cat import activation, service, timeline
from bot.slack.notifier import SlackGateway, make_client
from tests.slack.app.conftest import World, wait_for
from tests.slack.app.test_red_button_flow import approve, request_red_button

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]
RETRY_AFTER = 40


class Trickle:
    """A feed server that sends its answer one byte per second until told to stop."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.bytes_sent = 0
        trickle = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Traag</title>' * 100
                for byte in body:
                    if trickle.stop.wait(1.0):
                        break
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    trickle.bytes_sent += 1

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/rss"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def trickle() -> Iterator[Trickle]:
    feed = Trickle()
    yield feed
    feed.close()


def notes(world: World) -> list[str]:
    with world.container.transaction() as session:
        cat = service.get_cat(session, "CAT-2026-001")
        return [e.content.text for e in timeline.events(session, cat) if e.kind == "note" and e.content]


def pending(world: World, number: str) -> list[str]:
    with world.container.transaction() as session:
        return activation.pending_steps(session, service.get_cat(session, number))


def test_pins_and_notes_are_acked_and_kept_while_slack_says_wait_40s_and_a_feed_trickles(
        world: World, cat_channel: str, trickle: Trickle, tmp_path: Path) -> None:
    # A second activation: Slack answers its invite with 429, Retry-After 40 s; the saga waits it out.
    world.emulator.inject_fault("conversations.invite", count=1, retry_after=RETRY_AFTER)
    request_red_button(world, "re02-woordvoerder")
    approve(world)
    wait_for(lambda: [c for c in world.emulator.calls("conversations.invite") if c.get("error") == "ratelimited"],
             what="the saga waiting out the 429", timeout=30)
    # The scheduler's feed poll meanwhile reads a feed that trickles one byte per second.
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f"feeds:\n  - name: Traag\n    url: {trickle.url}\n    kind: overig\n")
    world.container.settings.feeds_file = feeds
    gateway = SlackGateway(make_client(world.emulator.bot_token, world.emulator.api_url))
    poll = threading.Thread(target=jobs._poll_feeds, args=(jobs.JobRuntime(world.container, gateway),))
    poll.start()
    wait_for(lambda: trickle.bytes_sent >= 2, what="the feed trickling in")

    member, deliveries, expected = world.uid("re07-woordvoerder"), [], []
    for i in range(3):
        text = f"Bericht {i} over de beelden"
        ts = world.emulator.post_user_message(cat_channel, member, text)
        deliveries.append(world.slack.reaction_added(cat_channel, ts, member, "pushpin"))
        deliveries.append(world.slack.slash_command("/cat", f"notitie Notitie {i}", user=member, channel=cat_channel))
        expected += [f"{world.org.require('re07-woordvoerder').name}: {text}", f"Notitie {i}"]
    assert all(d.acked_in_time for d in deliveries), [(d.status, round(d.elapsed, 2)) for d in deliveries]
    wait_for(lambda: sorted(notes(world)) == sorted(expected), what="every pin and note kept", timeout=20)
    assert "invite" in pending(world, "CAT-2026-002") and poll.is_alive()  # both were still waiting meanwhile

    trickle.stop.set()
    poll.join(30)
    wait_for(lambda: not pending(world, "CAT-2026-002"), what="the second activation finished after the wait",
             timeout=RETRY_AFTER + 30)
    assert sorted(notes(world)) == sorted(expected)
