"""Delivery to the bot as Slack does it: signed JSON events, form interactivity and commands, retries."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.slack.emulator import Emulator
from tests.slack.conftest import Receiver, answer

PAYLOADS = Path(__file__).resolve().parents[1] / "data" / "slack" / "payloads"


def _form(request: dict[str, Any]) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request["body"].decode()).items()}


def _payload(request: dict[str, Any]) -> dict[str, Any]:
    assert request["headers"]["content-type"] == "application/x-www-form-urlencoded"
    return dict(json.loads(_form(request)["payload"]))


def _sample(name: str) -> dict[str, Any]:
    return dict(json.loads((PAYLOADS / name).read_text()))


def test_events_are_signed_so_slack_sdk_verifies_them(emulator: Emulator, receiver: Receiver) -> None:
    cid = emulator.add_channel("cat-events", ["U0DIRECTOR"])
    delivery = emulator.deliverer(receiver.url).message(cid, "U0DIRECTOR", "eerste melding")
    assert delivery.status == 200 and delivery.acked_in_time
    request = receiver.requests[0]
    assert request["headers"]["content-type"] == "application/json"
    good = SignatureVerifier(emulator.signing_secret)
    assert good.is_valid_request(request["body"], request["headers"])
    assert not SignatureVerifier("another-secret").is_valid_request(request["body"], request["headers"])
    envelope = json.loads(request["body"])
    assert envelope["type"] == "event_callback" and envelope["event_id"].startswith("Ev")
    assert envelope["authorizations"][0]["user_id"] == emulator.bot_user_id
    assert envelope["event"]["text"] == "eerste melding" and envelope["event"]["channel"] == cid
    assert [m["text"] for m in emulator.state()["messages"][cid]] == ["eerste melding"]


def test_retries_carry_slack_headers_and_the_same_event(emulator: Emulator, receiver: Receiver) -> None:
    statuses = iter([500, 200])
    receiver.respond = lambda request: (next(statuses), b"")
    cid = emulator.add_channel("cat-retry", ["U0DIRECTOR"])
    ts = emulator.post_user_message(cid, "U0DIRECTOR", "belangrijk")
    deliverer = emulator.deliverer(receiver.url)
    first = deliverer.reaction_added(cid, ts, "U0DIRECTOR", "pushpin")
    second = deliverer.retry(first, reason="http_error")
    assert (first.status, second.status) == (500, 200)
    headers = receiver.requests[1]["headers"]
    assert (headers["x-slack-retry-num"], headers["x-slack-retry-reason"]) == ("1", "http_error")
    assert "x-slack-retry-num" not in receiver.requests[0]["headers"]
    first_event, retried = (json.loads(r["body"]) for r in receiver.requests)
    assert first_event["event_id"] == retried["event_id"]
    assert SignatureVerifier(emulator.signing_secret).is_valid_request(receiver.requests[1]["body"], headers)
    assert retried["event"]["reaction"] == "pushpin" and retried["event"]["item"] == {
        "type": "message", "channel": cid, "ts": ts}


def test_url_verification(emulator: Emulator, receiver: Receiver) -> None:
    receiver.respond = lambda request: answer({"challenge": json.loads(request["body"])["challenge"]})
    delivery = emulator.deliverer(receiver.url).url_verification("abc123")
    assert delivery.json() == {"challenge": "abc123"}


def test_slash_command_trigger_and_response_url(emulator: Emulator, receiver: Receiver, client: WebClient) -> None:
    cid = emulator.add_channel("comms-leads", ["U0UNITLEAD"])
    receiver.respond = lambda request: answer({"text": "Even geduld…"})
    emulator.deliverer(receiver.url).slash_command("/rodeknop", "geweld in Utrecht", user="U0UNITLEAD", channel=cid)
    fields = _form(receiver.requests[0])
    assert (fields["command"], fields["text"], fields["user_id"], fields["channel_id"]) == (
        "/rodeknop", "geweld in Utrecht", "U0UNITLEAD", cid)
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Rode knop"}, "blocks": []}
    opened = client.views_open(trigger_id=fields["trigger_id"], view=modal)["view"]
    assert emulator.state()["view_stacks"]["U0UNITLEAD"] == [opened["id"]]  # the person who typed it
    assert _post_json(fields["response_url"], {"response_type": "in_channel", "text": "Verzoek ingediend"}) == 200
    state = emulator.state()
    assert [e["text"] for e in state["ephemeral_messages"]] == ["Even geduld…"]  # the ack body
    assert [m["text"] for m in state["messages"][cid]] == ["Verzoek ingediend"]
    assert state["response_urls"][0]["posts"][0]["response_type"] == "in_channel"


def _post_json(url: str, data: dict[str, Any]) -> int:
    """POST JSON to a response_url as the bot would; returns the HTTP status."""
    request = urllib.request.Request(url, data=json.dumps(data).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def test_block_action_and_replace_original(emulator: Emulator, receiver: Receiver, client: WebClient) -> None:
    cid = emulator.add_channel("directie", ["U0DIRECTOR"])
    blocks = [{"type": "actions", "block_id": "besluit", "elements": [
        {"type": "button", "action_id": "goedkeuren", "value": "req-1", "style": "primary",
         "text": {"type": "plain_text", "text": "Goedkeuren"}}]}]
    ts = client.chat_postMessage(channel=cid, text="Verzoek rode knop", blocks=blocks)["ts"]
    emulator.deliverer(receiver.url).block_actions("goedkeuren", user="U0DIRECTOR", channel=cid, message_ts=ts)
    payload = _payload(receiver.requests[0])
    assert payload["type"] == "block_actions" and payload["user"]["id"] == "U0DIRECTOR"
    assert payload["actions"][0] == {**payload["actions"][0], "action_id": "goedkeuren", "block_id": "besluit",
                                     "value": "req-1", "type": "button"}
    assert payload["container"] == {"type": "message", "message_ts": ts, "channel_id": cid, "is_ephemeral": False}
    assert _post_json(payload["response_url"], {"replace_original": True, "text": "Goedgekeurd"}) == 200
    message = client.conversations_history(channel=cid)["messages"][0]
    assert message["text"] == "Goedgekeurd" and "blocks" not in message


def _modal_with_inputs(emulator: Emulator, client: WebClient, **extra: Any) -> str:
    view = {"type": "modal", "callback_id": "rode_knop", "title": {"type": "plain_text", "text": "Rode knop"},
            "submit": {"type": "plain_text", "text": "Verstuur"}, **extra, "blocks": [
                {"type": "input", "block_id": "titel", "label": {"type": "plain_text", "text": "Titel"},
                 "element": {"type": "plain_text_input", "action_id": "waarde"}},
                {"type": "input", "block_id": "categorie", "label": {"type": "plain_text", "text": "Categorie"},
                 "element": {"type": "static_select", "action_id": "keuze", "options": [
                     {"text": {"type": "plain_text", "text": "Geweld"}, "value": "geweld"},
                     {"text": {"type": "plain_text", "text": "Integriteit"}, "value": "integriteit"}]}}]}
    return str(client.views_open(trigger_id=emulator.new_trigger_id("U0UNITLEAD"), view=view)["view"]["id"])


def test_view_submission_errors_keep_the_modal_open(emulator: Emulator, receiver: Receiver, client: WebClient) -> None:
    view_id = _modal_with_inputs(emulator, client)
    replies = iter([answer({"response_action": "errors", "errors": {"titel": "Vul een titel in"}}), (200, b"")])
    receiver.respond = lambda request: next(replies)
    deliverer = emulator.deliverer(receiver.url)
    first = deliverer.view_submission(view_id, user="U0UNITLEAD", values={"titel": {"waarde": ""},
                                                                          "categorie": {"keuze": "geweld"}})
    assert first.outcome["action"] == "errors"
    assert emulator.state()["view_stacks"]["U0UNITLEAD"] == [view_id]
    values = _payload(receiver.requests[0])["view"]["state"]["values"]
    assert values["categorie"]["keuze"]["selected_option"]["value"] == "geweld"
    assert values["titel"]["waarde"] == {"type": "plain_text_input", "value": ""}
    second = deliverer.view_submission(view_id, user="U0UNITLEAD", values={"titel": {"waarde": "Geweld bij aanhouding"},
                                                                           "categorie": {"keuze": "geweld"}})
    assert second.outcome["action"] == "closed" and emulator.state()["view_stacks"]["U0UNITLEAD"] == []
    with pytest.raises(ValueError, match="not among the options"):
        deliverer.view_submission(_modal_with_inputs(emulator, client), user="U0UNITLEAD",
                                  values={"categorie": {"keuze": "onbekend"}})


def test_view_closed_only_when_notify_on_close(emulator: Emulator, receiver: Receiver, client: WebClient) -> None:
    deliverer = emulator.deliverer(receiver.url)
    assert deliverer.view_closed(_modal_with_inputs(emulator, client), user="U0UNITLEAD") is None
    notify = _modal_with_inputs(emulator, client, notify_on_close=True)
    assert deliverer.view_closed(notify, user="U0UNITLEAD") is not None
    assert [_payload(r)["type"] for r in receiver.requests] == ["view_closed"]


def test_payload_shapes_match_slack_samples(emulator: Emulator, receiver: Receiver, client: WebClient) -> None:
    cid = emulator.add_channel("cat-shapes", ["U0DIRECTOR"])
    ts = client.chat_postMessage(channel=cid, text="x", blocks=[{"type": "actions", "elements": [
        {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "A"}}]}])["ts"]
    d = emulator.deliverer(receiver.url)
    d.block_actions("a", user="U0DIRECTOR", channel=cid, message_ts=ts)
    d.shortcut("rode_knop", user="U0DIRECTOR")
    d.message_action("op_de_tijdlijn", user="U0DIRECTOR", channel=cid, message_ts=ts)
    d.view_submission(_modal_with_inputs(emulator, client), user="U0UNITLEAD", values={})
    d.slash_command("/cat", "status", user="U0DIRECTOR", channel=cid)
    d.app_home_opened("U0DIRECTOR")
    ours = [_payload(r) for r in receiver.requests[:4]]
    samples = ["interactivity__block_actions.json", "interactivity__shortcut_global.json",
               "interactivity__message_action.json", "interactivity__view_submission.json"]
    for payload, sample in zip(ours, samples, strict=True):
        assert set(_sample(f"bolt_python_tests/{sample}")) <= set(payload), sample
    assert set(_sample("bolt_python_tests/interactivity__view_submission.json")["view"]) <= set(ours[3]["view"])
    slash_fields = set(parse_qs((PAYLOADS / "bolt_python_tests/slash_command__form_body.txt").read_text()))
    assert slash_fields - {"enterprise_id", "enterprise_name"} <= set(_form(receiver.requests[4]))
    envelope = json.loads(receiver.requests[5]["body"])
    assert set(_sample("official_docs_examples/event_callback__app_mention.json")) <= set(envelope)
    assert envelope["event"]["type"] == "app_home_opened" and envelope["event"]["channel"].startswith("D")


def test_action_on_ephemeral_message(emulator: Emulator, receiver: Receiver, client: WebClient) -> None:
    cid = emulator.add_channel("directie", ["U0DIRECTOR", "U0ANALYST"])
    confirm = [{"type": "actions", "elements": [{"type": "button", "action_id": "bevestig", "value": "ja",
                                                 "text": {"type": "plain_text", "text": "Bevestigen"}}]}]
    ts = client.chat_postEphemeral(channel=cid, user="U0DIRECTOR", text="Zeker?", blocks=confirm)["message_ts"]
    deliverer = emulator.deliverer(receiver.url)
    with pytest.raises(KeyError):  # someone else cannot see, let alone click, this message
        deliverer.block_actions("bevestig", user="U0ANALYST", channel=cid, message_ts=ts)
    deliverer.block_actions("bevestig", user="U0DIRECTOR", channel=cid, message_ts=ts)
    payload = _payload(receiver.requests[0])
    assert payload["container"]["is_ephemeral"] is True and "message" not in payload
    assert _post_json(payload["response_url"], {"replace_original": True, "text": "CAT wordt gestart"}) == 200
    assert [e["text"] for e in emulator.state()["ephemeral_messages"]] == ["CAT wordt gestart"]
    assert _post_json(payload["response_url"], {"delete_original": True}) == 200
    assert emulator.state()["ephemeral_messages"] == []


def test_response_url_rejects_bad_blocks_and_overuse(emulator: Emulator) -> None:
    cid = emulator.add_channel("cat-resp", ["U0DIRECTOR"])
    url = emulator.new_response_url("U0DIRECTOR", cid)
    assert _post_json(url, {"blocks": [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]}) == 400
    assert [_post_json(url, {"text": f"update {i}"}) for i in range(6)] == [200] * 5 + [404]  # 5 uses, like Slack


def test_block_action_inside_a_modal_carries_its_state(emulator: Emulator, receiver: Receiver,
                                                       client: WebClient) -> None:
    view_id = _modal_with_inputs(emulator, client)
    emulator.deliverer(receiver.url).block_actions("keuze", user="U0UNITLEAD", view_id=view_id, value="integriteit",
                                                   values={"titel": {"waarde": "Half ingevuld"}})
    payload = _payload(receiver.requests[0])
    assert payload["container"] == {"type": "view", "view_id": view_id} and "response_url" not in payload
    assert payload["actions"][0]["selected_option"]["value"] == "integriteit"
    assert payload["view"]["state"]["values"]["titel"]["waarde"]["value"] == "Half ingevuld"


def test_stale_or_forged_requests_for_the_bots_verification(emulator: Emulator, receiver: Receiver) -> None:
    verifier = SignatureVerifier(emulator.signing_secret)
    stale = emulator.deliverer(receiver.url, clock=lambda: time.time() - 600)
    stale.shortcut("rode_knop", user="U0DIRECTOR")
    fresh = emulator.deliverer(receiver.url)
    first = fresh.shortcut("rode_knop", user="U0DIRECTOR")
    fresh.send(first.request_body, first.content_type, signature="v0=" + "0" * 64)
    valid = [verifier.is_valid_request(r["body"], r["headers"]) for r in receiver.requests]
    assert valid == [False, True, False]
