"""Modals and App Home (trigger_id rules, stack, hash) and the external file upload flow."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.emulator import Emulator
from tests.slack.conftest import Clock


def _modal(title: str = "Rode knop", blocks: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal", "callback_id": "rode_knop", "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Verstuur"},
        "blocks": [{"type": "input", "block_id": f"b{i}", "label": {"type": "plain_text", "text": "Wat"},
                    "element": {"type": "plain_text_input", "action_id": "wat"}} for i in range(blocks)],
        **extra,
    }


def _error(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as excinfo:
        call()
    return dict(excinfo.value.response.data)  # type: ignore[arg-type]


def test_views_open_push_update(client: WebClient, emulator: Emulator) -> None:
    view = client.views_open(trigger_id=emulator.new_trigger_id("U0DIRECTOR"), view=_modal())["view"]
    assert view["id"].startswith("V") and view["state"] == {"values": {}} and view["root_view_id"] == view["id"]
    pushed = client.views_push(trigger_id=emulator.new_trigger_id("U0DIRECTOR"), view=_modal("Bevestig"))["view"]
    assert pushed["previous_view_id"] == view["id"]
    updated = client.views_update(view_id=view["id"], view=_modal("Rode knop (2)"), hash=view["hash"])["view"]
    assert updated["title"]["text"] == "Rode knop (2)" and updated["hash"] != view["hash"]
    assert [v["title"]["text"] for v in emulator.state()["views"][0]["versions"]] == ["Rode knop"]
    assert _error(lambda: client.views_update(view_id=view["id"], view=_modal(), hash=view["hash"]))[
        "error"] == "hash_conflict"
    assert _error(lambda: client.views_update(view_id="V0MISSING", view=_modal()))["error"] == "not_found"
    client.views_push(trigger_id=emulator.new_trigger_id("U0DIRECTOR"), view=_modal("Derde"))
    assert _error(lambda: client.views_push(trigger_id=emulator.new_trigger_id("U0DIRECTOR"), view=_modal()))[
        "error"] == "push_limit_reached"
    assert emulator.state()["view_stacks"]["U0DIRECTOR"][:2] == [view["id"], pushed["id"]]


def test_trigger_id_is_single_use_and_expires(client: WebClient, emulator: Emulator, clock: Clock) -> None:
    trigger = emulator.new_trigger_id("U0DIRECTOR")
    client.views_open(trigger_id=trigger, view=_modal())
    assert _error(lambda: client.views_open(trigger_id=trigger, view=_modal()))["error"] == "exchanged_trigger_id"
    late = emulator.new_trigger_id("U0DIRECTOR")
    clock.now += 3.5  # Slack's trigger_ids live 3 seconds
    assert _error(lambda: client.views_open(trigger_id=late, view=_modal()))["error"] == "expired_trigger_id"
    assert _error(lambda: client.views_open(trigger_id="made-up", view=_modal()))["error"] == "invalid_trigger_id"
    assert _error(lambda: client.views_open(trigger_id="1.2.abc", view=_modal()))["error"] == "invalid_trigger_id"


def test_view_limits_are_enforced(client: WebClient, emulator: Emulator) -> None:
    body = _error(lambda: client.views_open(trigger_id=emulator.new_trigger_id("U0DIRECTOR"),
                                            view=_modal(title="x" * 25)))
    assert body["error"] == "invalid_arguments"
    assert "modal.title.max = 24" in body["response_metadata"]["messages"][0]
    assert "/view/title/text" in body["response_metadata"]["messages"][0]
    body = _error(lambda: client.views_open(trigger_id=emulator.new_trigger_id("U0DIRECTOR"), view=_modal(blocks=101)))
    assert "modal.blocks.max = 100" in " ".join(body["response_metadata"]["messages"])
    no_submit = _modal()
    del no_submit["submit"]
    body = _error(lambda: client.views_open(trigger_id=emulator.new_trigger_id("U0DIRECTOR"), view=no_submit))
    assert "modal.submit.required_if_input_block" in body["response_metadata"]["messages"][0]
    body = _error(lambda: client.views_open(trigger_id=emulator.new_trigger_id("U0DIRECTOR"),
                                            view=_modal(private_metadata="x" * 3001)))
    assert "view.private_metadata.max = 3000" in body["response_metadata"]["messages"][0]


def test_app_home_publish(client: WebClient, emulator: Emulator) -> None:
    home = {"type": "home", "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "Actieve CAT's"}}]}
    first = client.views_publish(user_id="U0DIRECTOR", view=home)["view"]
    second = client.views_publish(user_id="U0DIRECTOR", view={**home, "blocks": []}, hash=first["hash"])["view"]
    assert second["id"] == first["id"] and second["blocks"] == []
    assert _error(lambda: client.views_publish(user_id="U0DIRECTOR", view=_modal()))["error"] == "invalid_arguments"
    assert emulator.state()["home_views"] == {"U0DIRECTOR": first["id"]}


def test_external_upload_flow(client: WebClient, emulator: Emulator) -> None:
    cid = emulator.add_channel("cat-export", ["U0DIRECTOR"])
    content = b"tijdlijn\n10:02 rode knop ingedrukt\n"
    done = client.files_upload_v2(channel=cid, content=content, filename="tijdlijn.txt", title="Tijdlijn",
                                  initial_comment="Export van de tijdlijn")
    file_id = done["file"]["id"]
    info = client.files_info(file=file_id)["file"]
    assert info["name"] == "tijdlijn.txt" and info["title"] == "Tijdlijn" and info["size"] == len(content)
    assert info["channels"] == [cid]
    message = client.conversations_history(channel=cid)["messages"][0]
    assert message["text"] == "Export van de tijdlijn" and message["files"][0]["id"] == file_id
    assert emulator.ws.files[file_id].content == content
    assert [c["method"] for c in emulator.calls()] == [
        "files.getUploadURLExternal", "files.completeUploadExternal", "files.info", "conversations.history"]


def test_upload_must_happen_before_completion(client: WebClient, emulator: Emulator) -> None:
    cid = emulator.add_channel("cat-export")
    reserved = client.files_getUploadURLExternal(filename="a.txt", length=3)
    assert reserved["upload_url"].startswith(emulator.base_url)
    body = _error(lambda: client.files_completeUploadExternal(files=[{"id": reserved["file_id"]}], channel_id=cid))
    assert body["error"] == "file_not_found"
    assert _error(lambda: client.files_info(file="F0MISSING"))["error"] == "file_not_found"
    not_member = emulator.add_channel("elders", bot_member=False)
    done = client.files_upload_v2(content=b"abc", filename="b.txt", channel=cid)
    assert done["ok"]
    with pytest.raises(SlackApiError) as excinfo:
        client.files_upload_v2(content=b"abc", filename="c.txt", channel=not_member)
    assert excinfo.value.response["error"] == "not_in_channel"
