"""The emulator's Web API through the real slack_sdk WebClient: happy paths and the state they leave."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.emulator import Emulator


def _error(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(excinfo.value.response["error"])


def test_auth_test_names_the_bot(client: WebClient, emulator: Emulator) -> None:
    answer = client.auth_test()
    assert answer["user_id"] == emulator.bot_user_id
    assert answer["bot_id"] and answer["team_id"] == "T0EMULATOR"


def test_users_info_lookup_and_list(client: WebClient) -> None:
    assert client.users_info(user="U0DIRECTOR")["user"]["real_name"] == "Dirk Directeur"
    assert client.users_lookupByEmail(email="EVA@example.org")["user"]["id"] == "U0UNITLEAD"
    first = client.users_list(limit=2)
    rest = client.users_list(limit=2, cursor=first["response_metadata"]["next_cursor"])
    ids = [u["id"] for u in first["members"] + rest["members"]]
    assert sorted(ids) == sorted(["U0EMULBOT", "U0DIRECTOR", "U0UNITLEAD", "U0ANALYST"])
    assert rest["response_metadata"]["next_cursor"] == ""
    with pytest.raises(SlackApiError) as e:
        client.users_lookupByEmail(email="nobody@example.org")
    assert _error(e) == "users_not_found"
    with pytest.raises(SlackApiError) as e:
        client.users_info(user="U0NOBODY")
    assert _error(e) == "user_not_found"


def test_private_channel_lifecycle(client: WebClient, emulator: Emulator) -> None:
    channel = client.conversations_create(name="cat-20261129-geweld", is_private=True)["channel"]
    cid = channel["id"]
    assert channel["is_private"] and channel["is_member"]
    client.conversations_invite(channel=cid, users=["U0DIRECTOR", "U0UNITLEAD"])
    client.conversations_setTopic(channel=cid, topic="CAT geweld")
    client.conversations_setPurpose(channel=cid, purpose="Advies aan de politiechef")
    info = client.conversations_info(channel=cid, include_num_members=True)["channel"]
    assert info["topic"]["value"] == "CAT geweld" and info["purpose"]["value"].startswith("Advies")
    assert info["num_members"] == 3
    assert set(client.conversations_members(channel=cid)["members"]) == {"U0EMULBOT", "U0DIRECTOR", "U0UNITLEAD"}
    listed = client.conversations_list(types="private_channel")["channels"]
    assert [c["id"] for c in listed] == [cid]
    assert client.conversations_list()["channels"] == []  # public only by default
    client.conversations_archive(channel=cid)
    assert client.conversations_info(channel=cid)["channel"]["is_archived"] is True
    with pytest.raises(SlackApiError) as e:
        client.chat_postMessage(channel=cid, text="te laat")
    assert _error(e) == "is_archived"


def test_join_public_channel_then_post(client: WebClient, emulator: Emulator) -> None:
    cid = emulator.add_channel("communicatie", ["U0DIRECTOR"], bot_member=False)
    with pytest.raises(SlackApiError) as e:
        client.chat_postMessage(channel=cid, text="hallo")
    assert _error(e) == "not_in_channel"
    client.conversations_join(channel=cid)
    again = client.conversations_join(channel=cid)
    assert again["warning"] == "already_in_channel"
    assert client.chat_postMessage(channel=cid, text="hallo")["ok"]


def test_messages_threads_edits_and_deletes(client: WebClient, emulator: Emulator) -> None:
    cid = emulator.add_channel("cat-test", ["U0DIRECTOR"])
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Status*: actief"}}]
    root = client.chat_postMessage(channel=cid, text="Status", blocks=blocks,
                                   metadata={"event_type": "cat_status", "event_payload": {"cat": 1}})
    reply_ts = client.chat_postMessage(channel=cid, text="eerste update", thread_ts=root["ts"])["ts"]
    human_ts = emulator.post_user_message(cid, "U0DIRECTOR", "akkoord", thread_ts=root["ts"])
    client.chat_update(channel=cid, ts=root["ts"], text="Status: gesloten", blocks=[])
    history = client.conversations_history(channel=cid, include_all_metadata=True)["messages"]
    assert [m["ts"] for m in history] == [root["ts"]]  # replies stay in the thread
    assert history[0]["text"] == "Status: gesloten" and history[0]["reply_count"] == 2
    assert history[0]["metadata"]["event_type"] == "cat_status" and "edited" in history[0]
    thread = client.conversations_replies(channel=cid, ts=reply_ts)["messages"]
    assert [m["ts"] for m in thread] == [root["ts"], reply_ts, human_ts]
    stored = emulator.state()["messages"][cid][0]
    assert stored["edits"][0]["text"] == "Status"  # the earlier version is kept for the transcript
    with pytest.raises(SlackApiError) as e:
        client.chat_update(channel=cid, ts=human_ts, text="overschreven")
    assert _error(e) == "cant_update_message"
    with pytest.raises(SlackApiError) as e:
        client.chat_update(channel=cid, ts="1.000001", text="?")
    assert _error(e) == "message_not_found"
    client.chat_delete(channel=cid, ts=reply_ts)
    assert [m["ts"] for m in client.conversations_replies(channel=cid, ts=root["ts"])["messages"]] == [
        root["ts"], human_ts]


def test_permalink_ephemeral_and_dm(client: WebClient, emulator: Emulator) -> None:
    cid = emulator.add_channel("cat-test", ["U0DIRECTOR"])
    ts = client.chat_postMessage(channel=cid, text="kickoff")["ts"]
    link = client.chat_getPermalink(channel=cid, message_ts=ts)["permalink"]
    assert link == f"https://emulator.slack.com/archives/{cid}/p{ts.replace('.', '')}"
    client.chat_postEphemeral(channel=cid, user="U0DIRECTOR", text="alleen voor jou")
    with pytest.raises(SlackApiError) as e:
        client.chat_postEphemeral(channel=cid, user="U0ANALYST", text="niet lid")
    assert _error(e) == "user_not_in_channel"
    dm = client.conversations_open(users="U0ANALYST")["channel"]["id"]
    assert client.conversations_open(users=["U0ANALYST"])["channel"]["id"] == dm  # same DM again
    client.chat_postMessage(channel=dm, text="Verzoek rode knop")
    state = emulator.state()
    assert [(e["user"], e["text"]) for e in state["ephemeral_messages"]] == [("U0DIRECTOR", "alleen voor jou")]
    assert [m["text"] for m in state["messages"][dm]] == ["Verzoek rode knop"]


def test_pins_reactions_bookmarks(client: WebClient, emulator: Emulator) -> None:
    cid = emulator.add_channel("cat-test", ["U0DIRECTOR"])
    ts = client.chat_postMessage(channel=cid, text="kickoff")["ts"]
    client.pins_add(channel=cid, timestamp=ts)
    with pytest.raises(SlackApiError) as e:
        client.pins_add(channel=cid, timestamp=ts)
    assert _error(e) == "already_pinned"
    assert [i["message"]["ts"] for i in client.pins_list(channel=cid)["items"]] == [ts]
    emulator.add_user_reaction(cid, ts, "U0DIRECTOR", "pushpin")
    client.reactions_add(channel=cid, timestamp=ts, name="eyes")
    with pytest.raises(SlackApiError) as e:
        client.reactions_add(channel=cid, timestamp=ts, name="eyes")
    assert _error(e) == "already_reacted"
    reactions = client.reactions_get(channel=cid, timestamp=ts)["message"]["reactions"]
    assert {r["name"]: r["users"] for r in reactions} == {"pushpin": ["U0DIRECTOR"], "eyes": ["U0EMULBOT"]}
    client.bookmarks_add(channel_id=cid, title="Tijdlijn", type="link", link="https://example.org/t")
    with pytest.raises(SlackApiError) as e:
        client.bookmarks_add(channel_id=cid, title="Playbook", type="link", link="ftp://example.org/p")
    assert _error(e) == "invalid_link"
    assert [b["title"] for b in client.bookmarks_list(channel_id=cid)["bookmarks"]] == ["Tijdlijn"]
