"""A real Bolt app behind WSGI accepts what the emulator delivers and talks back to it through slack_sdk."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.slack.emulator import Emulator


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


class _ThreadedWSGIServer(WSGIServer):
    """Handle each request in a thread so Bolt can call the emulator while Slack waits (like gunicorn)."""

    def process_request(self, request: Any, client_address: Any) -> None:
        threading.Thread(target=self._handle, args=(request, client_address), daemon=True).start()

    def _handle(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        finally:
            self.shutdown_request(request)


@pytest.fixture
def bolt_url(emulator: Emulator) -> Iterator[str]:
    app = App(client=WebClient(token=emulator.bot_token, base_url=emulator.api_url),
              signing_secret=emulator.signing_secret)

    @app.command("/rodeknop")
    def open_modal(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view={
            "type": "modal", "callback_id": "rode_knop", "title": {"type": "plain_text", "text": "Rode knop"},
            "submit": {"type": "plain_text", "text": "Verstuur"}, "blocks": [
                {"type": "input", "block_id": "titel", "label": {"type": "plain_text", "text": "Titel"},
                 "element": {"type": "plain_text_input", "action_id": "waarde"}}]})

    @app.view("rode_knop")
    def submitted(ack: Any, view: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        title = view["state"]["values"]["titel"]["waarde"]["value"]
        if len(title) < 5:
            ack(response_action="errors", errors={"titel": "Te kort"})
            return
        ack()
        dm = client.conversations_open(users=body["user"]["id"])["channel"]["id"]
        client.chat_postMessage(channel=dm, text=f"Verzoek ontvangen: {title}")

    @app.event("reaction_added")
    def reacted(event: dict[str, Any], client: WebClient) -> None:
        client.pins_add(channel=event["item"]["channel"], timestamp=event["item"]["ts"])

    server = make_server("127.0.0.1", 0, SlackRequestHandler(app), server_class=_ThreadedWSGIServer,
                         handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/slack/events"
    server.shutdown()
    server.server_close()


def _eventually(condition: Any, seconds: float = 3.0) -> None:
    """Bolt acks first and runs the listener in its own thread: wait for its effect."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def test_command_modal_submission_round_trip(emulator: Emulator, bolt_url: str) -> None:
    cid = emulator.add_channel("comms-leads", ["U0UNITLEAD"])
    slack = emulator.deliverer(bolt_url)
    assert slack.slash_command("/rodeknop", "", user="U0UNITLEAD", channel=cid).status == 200
    _eventually(lambda: emulator.state()["view_stacks"].get("U0UNITLEAD"))
    (view_id,) = emulator.state()["view_stacks"]["U0UNITLEAD"]
    rejected = slack.view_submission(view_id, user="U0UNITLEAD", values={"titel": {"waarde": "kort"}})
    assert rejected.outcome == {"action": "errors", "errors": {"titel": "Te kort"}}
    accepted = slack.view_submission(view_id, user="U0UNITLEAD", values={"titel": {"waarde": "Geweld in Utrecht"}})
    assert accepted.outcome == {"action": "closed"}
    _eventually(lambda: emulator.calls("chat.postMessage"))
    dms = [c for c in emulator.state()["channels"] if c["is_im"]]
    assert [m["text"] for m in emulator.state()["messages"][dms[0]["id"]]] == ["Verzoek ontvangen: Geweld in Utrecht"]
    assert all(call["ok"] for call in emulator.calls())  # every call the app made kept to the contract


def test_bolt_rejects_a_forged_signature(emulator: Emulator, bolt_url: str) -> None:
    forged = emulator.deliverer(bolt_url, signing_secret="not-the-secret").shortcut("rode_knop", user="U0UNITLEAD")
    assert forged.status == 401


def test_event_reaches_the_listener(emulator: Emulator, bolt_url: str) -> None:
    cid = emulator.add_channel("cat-pin", ["U0DIRECTOR"])
    ts = emulator.post_user_message(cid, "U0DIRECTOR", "Besluit: woordvoering via de eenheid")
    assert emulator.deliverer(bolt_url).reaction_added(cid, ts, "U0DIRECTOR", "pushpin").status == 200
    _eventually(lambda: emulator.state()["pins"].get(cid))
    assert [p["ts"] for p in emulator.state()["pins"][cid]] == [ts]
