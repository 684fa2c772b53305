"""Fault injection (429 + Retry-After, errors) and the /_emulator admin endpoints."""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.slack.emulator import Emulator
from tests.slack.conftest import USERS, Clock


def _admin(emulator: Emulator, path: str, data: Any = None, method: str | None = None) -> Any:
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(f"{emulator.base_url}/_emulator/{path}", data=body, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def test_429_is_honoured_by_slack_sdk_retry_handler(emulator: Emulator) -> None:
    client = WebClient(token=emulator.bot_token, base_url=emulator.api_url,
                       retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)])
    cid = emulator.add_channel("cat-rate")
    _admin(emulator, "faults", {"method": "chat.postMessage", "status": 429, "retry_after": 1, "count": 1})
    started = time.monotonic()
    answer = client.chat_postMessage(channel=cid, text="na het wachten")
    waited = time.monotonic() - started
    assert answer["ok"] and waited >= 1.0  # the client slept Retry-After before trying again
    calls = emulator.calls("chat.postMessage")
    assert [(c["status"], c["error"]) for c in calls] == [(429, "ratelimited"), (200, None)]
    assert [m["text"] for m in emulator.state()["messages"][cid]] == ["na het wachten"]  # posted once


def test_429_without_retry_handler_surfaces_retry_after(client: WebClient, emulator: Emulator) -> None:
    emulator.inject_fault("users.info", retry_after=7)
    with pytest.raises(SlackApiError) as excinfo:
        client.users_info(user="U0DIRECTOR")
    assert excinfo.value.response.status_code == 429
    assert excinfo.value.response.headers["retry-after"] in ("7", ["7"])
    assert client.users_info(user="U0DIRECTOR")["ok"]  # only the next call was hit


def test_error_faults_count_down(client: WebClient, emulator: Emulator) -> None:
    emulator.inject_fault("conversations.create", error="restricted_action", count=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as excinfo:
            client.conversations_create(name="cat-fout")
        assert excinfo.value.response["error"] == "restricted_action"
    assert client.conversations_create(name="cat-fout")["ok"]
    assert _admin(emulator, "faults") == []


def test_fault_for_any_method_and_clearing(client: WebClient, emulator: Emulator) -> None:
    _admin(emulator, "faults", {"method": "*", "error": "fatal_error", "count": 5})
    with pytest.raises(SlackApiError):
        client.auth_test()
    assert _admin(emulator, "faults")[0]["count"] == 4
    _admin(emulator, "faults", method="DELETE")
    assert client.auth_test()["ok"]


def test_calls_state_and_reset_endpoints(client: WebClient, emulator: Emulator) -> None:
    cid = client.conversations_create(name="cat-admin", is_private=True)["channel"]["id"]
    client.chat_postMessage(channel=cid, text="hallo")
    calls = _admin(emulator, "calls")
    assert [c["method"] for c in calls] == ["conversations.create", "chat.postMessage"]
    assert calls[1]["args"]["text"] == "hallo" and calls[1]["ok"] is True and calls[1]["time"] > 0
    state = _admin(emulator, "state")
    assert [c["name"] for c in state["channels"]] == ["cat-admin"]
    assert state["messages"][cid][0]["text"] == "hallo"
    assert {u["id"] for u in state["users"]} >= {"U0DIRECTOR", "U0EMULBOT"}
    assert set(state) >= {"users", "channels", "messages", "pins", "bookmarks", "views", "files"}
    _admin(emulator, "reset", {})
    after = _admin(emulator, "state")
    assert after["channels"] == [] and _admin(emulator, "calls") == []
    assert {u["id"] for u in after["users"]} >= {"U0DIRECTOR"}  # seeded users survive a reset


def test_admin_trigger_and_response_url_for_out_of_process_tests(client: WebClient, emulator: Emulator) -> None:
    trigger = _admin(emulator, "triggers", {"user_id": "U0DIRECTOR"})["trigger_id"]
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Titel"}, "blocks": []}
    assert client.views_open(trigger_id=trigger, view=view)["ok"]
    cid = emulator.add_channel("cat-resp", ["U0DIRECTOR"])
    url = _admin(emulator, "response_urls", {"user_id": "U0DIRECTOR", "channel_id": cid})["response_url"]
    request = urllib.request.Request(url, data=json.dumps({"text": "Ontvangen"}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        assert json.loads(response.read()) == {"ok": True}
    assert emulator.state()["ephemeral_messages"][0]["text"] == "Ontvangen"


def test_optional_rate_tiers(clock: Clock) -> None:
    with Emulator(USERS, rate_tiers=True, clock=clock) as emulator:
        client = WebClient(token=emulator.bot_token, base_url=emulator.api_url)
        for i in range(20):  # conversations.create is Tier 2: 20 per minute
            client.conversations_create(name=f"cat-{i}")
        with pytest.raises(SlackApiError) as excinfo:
            client.conversations_create(name="cat-21")
        assert excinfo.value.response.status_code == 429
        assert client.users_info(user="U0DIRECTOR")["ok"]  # other methods have their own budget
        clock.now += 61
        assert client.conversations_create(name="cat-21")["ok"]


def test_optional_observed_limits(clock: Clock) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 2900}} for _ in range(5)]
    with Emulator(USERS, clock=clock) as lenient, Emulator(USERS, observed_limits=True, clock=clock) as strict:
        for emulator, expected in ((lenient, None), (strict, "msg_blocks_too_long")):
            client = WebClient(token=emulator.bot_token, base_url=emulator.api_url)
            cid = emulator.add_channel("cat-lang")
            try:
                client.chat_postMessage(channel=cid, text="lang", blocks=blocks)
                error = None
            except SlackApiError as exc:
                error = exc.response["error"]
            assert error == expected
