"""Calls that break Slack's published contract are refused with Slack's own error shapes."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.emulator import Emulator
from bot.slack.emulator.contract import specs

SLACK = Path(__file__).resolve().parents[1] / "data" / "slack"  # copies of Slack's published contract
CONTRACT = Path(__file__).resolve().parents[2] / "bot" / "slack" / "emulator" / "contract"


def _refused(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as excinfo:
        call()
    return dict(excinfo.value.response.data)  # type: ignore[arg-type]


def _raw(emulator: Emulator, method: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(f"{emulator.api_url}{method}", data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request) as response:
        return dict(json.loads(response.read()))


def test_packaged_contract_matches_the_reference() -> None:
    for name in json.loads((CONTRACT / "index.json").read_text())["methods"]:
        shipped = (CONTRACT / "methods" / f"{name}.json").read_text()
        assert shipped == (SLACK / "slack-api-ref" / "docs.slack.dev" / "methods" / f"{name}.json").read_text()
    assert (CONTRACT / "block_kit_limits.json").read_text() == (SLACK / "block_kit_limits.json").read_text()


def test_every_implemented_method_has_a_contract() -> None:
    from bot.slack.emulator.methods import REGISTRY

    assert set(REGISTRY) == set(specs())
    assert len(REGISTRY) >= 33


def test_unknown_method(client: WebClient) -> None:
    body = _refused(lambda: client.api_call("chat.postMessageTypo", json={"channel": "C1", "text": "x"}))
    assert body["error"] == "unknown_method"


def test_missing_and_wrong_token(emulator: Emulator) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert _raw(emulator, "auth.test", b"", form)["error"] == "not_authed"
    wrong = {**form, "Authorization": "Bearer xoxb-not-the-bot"}
    assert _raw(emulator, "auth.test", b"", wrong)["error"] == "invalid_auth"
    as_argument = f"token={emulator.bot_token}".encode()
    assert _raw(emulator, "auth.test", as_argument, form)["ok"] is True


def test_missing_required_argument_names_the_field(client: WebClient) -> None:
    body = _refused(lambda: client.api_call("conversations.create", json={"is_private": True}))
    assert body["error"] == "invalid_arguments"
    assert body["response_metadata"]["messages"] == ["[ERROR] missing required field: name"]
    body = _refused(lambda: client.api_call("chat.postEphemeral", json={"channel": "C1", "text": "x"}))
    assert body["response_metadata"]["messages"] == ["[ERROR] missing required field: user"]


def test_wrong_type_is_invalid_arguments(client: WebClient) -> None:
    body = _refused(lambda: client.api_call("conversations.create", json={"name": {"nested": 1}}))
    assert body["error"] == "invalid_arguments"
    assert "name" in body["response_metadata"]["messages"][0]
    body = _refused(lambda: client.api_call("conversations.create", json={"name": "ok", "is_private": "soms"}))
    assert "is_private" in body["response_metadata"]["messages"][0]


def test_json_body_ignored_where_slack_does_not_read_json(emulator: Emulator) -> None:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {emulator.bot_token}"}
    body = _raw(emulator, "users.info", json.dumps({"user": "U0DIRECTOR"}).encode(), headers)
    assert body["error"] == "invalid_arguments"  # users.info is form/query only, like Slack


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "invalid_name_required"),
        ("x" * 81, "invalid_name_maxlength"),
        ("CAT-Geweld", "invalid_name_specials"),
        ("cat geweld", "invalid_name_specials"),
        ("cat.geweld", "invalid_name_specials"),
        ("--__", "invalid_name_punctuation"),
    ],
)
def test_channel_name_rules(client: WebClient, name: str, error: str) -> None:
    assert _refused(lambda: client.conversations_create(name=name))["error"] == error


def test_channel_name_limits_accept_80_and_name_taken(client: WebClient) -> None:
    name = "cat-20261129-" + "a" * 67
    assert len(name) == 80
    cid = client.conversations_create(name=name, is_private=True)["channel"]["id"]
    client.conversations_archive(channel=cid)
    assert _refused(lambda: client.conversations_create(name=name))["error"] == "name_taken"  # archived too


def test_invite_errors_follow_slack(client: WebClient, emulator: Emulator) -> None:
    cid = client.conversations_create(name="cat-invites", is_private=True)["channel"]["id"]
    client.conversations_invite(channel=cid, users="U0DIRECTOR")
    body = _refused(lambda: client.conversations_invite(channel=cid, users="U0DIRECTOR"))
    assert body["error"] == "already_in_channel"
    assert body["errors"] == [{"user": "U0DIRECTOR", "ok": False, "error": "already_in_channel"}]
    body = _refused(lambda: client.conversations_invite(channel=cid, users="U0ANALYST,U0GHOST"))
    assert body["error"] == "user_not_found"
    assert "U0ANALYST" not in client.conversations_members(channel=cid)["members"]  # nothing half-done
    forced = client.conversations_invite(channel=cid, users="U0ANALYST,U0GHOST", force=True)
    assert forced["errors"][0]["user"] == "U0GHOST"
    assert "U0ANALYST" in client.conversations_members(channel=cid)["members"]
    too_many = ",".join(f"U{i:08d}" for i in range(101))
    body = _refused(lambda: client.conversations_invite(channel=cid, users=too_many))
    assert body["error"] == "invalid_arguments" and "conversations.invite.users.max" in str(body)


def test_not_in_channel_and_hidden_private_channels(client: WebClient, emulator: Emulator) -> None:
    public = emulator.add_channel("algemeen", ["U0DIRECTOR"], bot_member=False)
    private = emulator.add_channel("geheim", ["U0DIRECTOR"], is_private=True, bot_member=False)
    assert _refused(lambda: client.conversations_history(channel=public))["error"] == "not_in_channel"
    assert _refused(lambda: client.conversations_invite(channel=public, users="U0ANALYST"))["error"] == "not_in_channel"
    assert _refused(lambda: client.conversations_info(channel=private))["error"] == "channel_not_found"
    assert _refused(lambda: client.chat_postMessage(channel="C0MISSING", text="x"))["error"] == "channel_not_found"


def test_invalid_blocks_name_the_limit_broken(client: WebClient, emulator: Emulator) -> None:
    cid = emulator.add_channel("cat-blocks")
    cases = [
        ([{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}],
         "section.text.max = 3000", "/blocks/0/text/text"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}], "header.text.max = 150", None),
        ([{"type": "divider"}] * 51, "message.blocks.max = 50", None),
        ([{"type": "actions", "elements": [
            {"type": "button", "action_id": f"b{i}", "text": {"type": "plain_text", "text": "ok"}}
            for i in range(26)]}], "actions.elements.max = 25", None),
        ([{"type": "actions", "elements": [{"type": "button", "action_id": "a" * 256,
                                            "text": {"type": "plain_text", "text": "x" * 76}}]}],
         "button.text.max = 75", "action_id.max = 255"),
        ([{"type": "section", "block_id": "b" * 256, "text": {"type": "mrkdwn", "text": "ok"}}],
         "block_id.max = 255", None),
        ([{"type": "section", "text": {"type": "mrkdwn", "text": "kies"}, "accessory": {
            "type": "static_select", "action_id": "s", "options": [
                {"text": {"type": "plain_text", "text": f"o{i}"}, "value": str(i)} for i in range(101)]}}],
         "static_select.options.max = 100", "/blocks/0/accessory/options"),
        ([{"type": "carousel_of_dreams"}], "unknown or unsupported block type", None),
        ([{"type": "actions", "elements": [{"type": "slider", "action_id": "s"}]}], "unknown element type", None),
    ]
    for blocks, expected, also in cases:
        body = _refused(lambda b=blocks: client.chat_postMessage(channel=cid, text="x", blocks=b))
        assert body["error"] == "invalid_blocks"
        joined = " ".join(body["response_metadata"]["messages"])
        assert expected in joined, joined
        if also:
            assert also in joined, joined
    assert emulator.state()["messages"][cid] == []


def test_text_rules(client: WebClient, emulator: Emulator) -> None:
    cid = emulator.add_channel("cat-text")
    with pytest.warns(UserWarning, match="text"):  # slack_sdk warns too; the emulator refuses
        assert _refused(lambda: client.chat_postMessage(channel=cid, text=""))["error"] == "no_text"
    long = client.chat_postMessage(channel=cid, text="x" * 40_001)
    assert long["warning"] == "message_truncated" and len(long["message"]["text"]) == 40_000
    ts = client.chat_postMessage(channel=cid, text="kort")["ts"]
    assert _refused(lambda: client.chat_update(channel=cid, ts=ts, text="x" * 4001))["error"] == "msg_too_long"
    assert _refused(lambda: client.conversations_setTopic(channel=cid, topic="x" * 251))["error"] == "too_long"


def test_every_call_is_recorded(client: WebClient, emulator: Emulator) -> None:
    client.auth_test()
    _refused(lambda: client.users_info(user="U0NOBODY"))
    calls = emulator.calls()
    assert [(c["method"], c["ok"], c["error"]) for c in calls] == [
        ("auth.test", True, None), ("users.info", False, "user_not_found")]
    assert all("token" not in c["args"] for c in calls)
