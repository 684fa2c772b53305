"""Slack's platform rules: signatures, retries, rate limits, and activation resumed after a failure."""

from __future__ import annotations

import json
import time

from sqlalchemy import func, select

from bot import jobs
from bot.cat.models import Cat, RedButtonRequest
from bot.slack.deps import Deps
from bot.slack.flows import resume_activations
from bot.slack.models import SeenEvent
from bot.slack.notifier import SlackGateway, make_client
from tests.slack.app.conftest import World, wait_for
from tests.slack.app.test_red_button_flow import FORM, approve, request_red_button


def rows(world: World, model: type) -> int:
    with world.container.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_bad_or_stale_signatures_get_401_and_leave_no_trace(world: World) -> None:
    event = {"type": "reaction_added", "user": world.uid("dir-directeur"), "reaction": "pushpin",
             "item": {"type": "message", "channel": "C1", "ts": "1.0"}}
    forged = world.slack.send_json({"type": "event_callback", "event_id": "Ev-forged", "event": event},
                                   signature="v0=" + "0" * 64)
    assert forged.status == 401
    stale = world.slack.send_json({"type": "event_callback", "event_id": "Ev-stale", "event": event},
                                  timestamp=int(time.time()) - 60 * 10)
    assert stale.status == 401
    payload = {"type": "view_submission", "user": {"id": world.uid("re07-woordvoerder")},
               "view": {"callback_id": "rode_knop_modal", "state": {"values": {}}, "private_metadata": "{}"}}
    form = world.slack.send_form({"payload": json.dumps(payload)}, signature="v0=deadbeef")
    assert form.status == 401
    assert rows(world, SeenEvent) == 0 and rows(world, RedButtonRequest) == 0
    assert [c["method"] for c in world.emulator.calls()] == ["auth.test"]  # only the app's own start-up check


def test_every_ack_within_three_seconds(world: World) -> None:
    request_red_button(world)
    approve(world)
    wait_for(lambda: world.channel("cat-"), what="CAT")
    assert world.slack.log and all(d.acked_in_time for d in world.slack.log), [
        (d.status, round(d.elapsed, 2)) for d in world.slack.log]


def test_rate_limited_calls_wait_for_retry_after_and_succeed(world: World) -> None:
    world.emulator.inject_fault("chat.postMessage", count=2, retry_after=1)
    started = time.monotonic()
    request_red_button(world)
    wait_for(lambda: [m for m in world.dm_messages("dir-directeur") if m.blocks], what="card despite 429s")
    assert time.monotonic() - started >= 2.0  # two Retry-After: 1 waits were honoured
    limited = [c for c in world.emulator.calls("chat.postMessage") if c.get("error") == "ratelimited"]
    assert len(limited) == 2


def test_activation_interrupted_by_a_slack_error_resumes_without_duplicates(world: World) -> None:
    world.emulator.inject_fault("pins.add", error="internal_error")
    request_red_button(world)
    approve(world)
    told = wait_for(lambda: [m.text for m in world.dm_messages("dir-directeur") if "fout-id" in m.text],
                    what="the director hears about the failure")
    assert "Er ging iets mis" in told[-1]
    with world.container.transaction() as session:
        assert session.scalar(select(Cat.status)) == "activating"
    assert not [m for m in world.dm_messages("re07-woordvoerder") if "goedgekeurd" in m.text]
    # Without a restart: the scheduler's resume job (every 30 s) finishes it, tail included.
    gateway = SlackGateway(make_client(world.emulator.bot_token, world.emulator.api_url))
    jobs.bind(jobs.JobRuntime(world.container, gateway))
    try:
        jobs.resume_stuck_activations()
    finally:
        jobs.bind(None)
    assert resume_activations(Deps(world.container, gateway)) == []
    told = [m for m in world.dm_messages("re07-woordvoerder") if "goedgekeurd" in m.text]
    assert len(told) == 1 and "CAT-2026-001" in told[0].text
    cards = [m for c in world.emulator.ws.channels.values() for m in world.emulator.ws.messages.get(c.id, [])
             if m.text.startswith("Verzoek rode knop")]
    assert len(cards) == 3 and all("Goedgekeurd door" in str(m.blocks) and "request_approve" not in str(m.blocks)
                                   for m in cards)
    channel = world.channel("cat-")
    kickoffs = [m for m in world.emulator.ws.messages[channel.id] if m.metadata]
    assert len(kickoffs) == 1 and "Eerste concepten" in str(kickoffs[0].blocks)
    assert len(world.emulator.calls("conversations.create")) == 1
    assert kickoffs[0].ts in str(world.emulator.ws.pins.get(channel.id))
    with world.container.transaction() as session:
        assert session.scalar(select(Cat.status)) == "active"


def test_form_fields_survive_as_typed(world: World) -> None:
    request_red_button(world)
    with world.container.transaction() as session:
        request = session.scalars(select(RedButtonRequest)).one()
        assert request.units == ["RE02", "RE07"] and request.urgency == "acuut"
        assert request.links == [FORM["links"]["links"]]
