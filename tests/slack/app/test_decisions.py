"""Decisions on the red button: director's own request, decline with reason, double clicks, outsiders."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.cat.models import Cat, RedButtonRequest
from tests.slack.app.conftest import World, wait_for
from tests.slack.app.test_red_button_flow import FORM, request_red_button


def count_cats(world: World) -> int:
    with world.container.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(Cat)) or 0)


def test_director_presses_directly_after_a_confirmation(world: World) -> None:
    request_red_button(world, person="dir-directeur")
    confirm = world.open_view("dir-directeur")
    assert confirm["title"]["text"] == "Rode knop indrukken"  # the form was replaced by the confirmation
    assert not [m for m in world.dm_messages("dir-plv-directeur") if m.blocks]  # nobody else is asked
    world.slack.view_submission(confirm["id"], user=world.uid("dir-directeur"),
                                values={"advice_to": {"advice_to": ["korpsleiding"]}})
    wait_for(lambda: count_cats(world) == 1 and world.channel("cat-"), what="the CAT")


def test_decline_needs_a_reason_and_the_requester_hears_it(world: World) -> None:
    request_red_button(world)
    card = wait_for(lambda: [m for m in world.dm_messages("dir-directeur") if m.blocks], what="card")[-1]
    world.slack.block_actions("request_decline", user=world.uid("dir-directeur"), channel=card.channel,
                              message_ts=card.ts)
    modal = world.open_view("dir-directeur")
    empty = world.slack.view_submission(modal["id"], user=world.uid("dir-directeur"), values={"reason": {"reason": " "}})
    assert empty.json()["response_action"] == "errors"
    world.slack.view_submission(modal["id"], user=world.uid("dir-directeur"),
                                values={"reason": {"reason": "Lokaal goed opgepakt; geen CAT nodig."}})
    dm = wait_for(lambda: [m for m in world.dm_messages("re07-woordvoerder") if "afgewezen" in m.text], what="DM")
    assert "Lokaal goed opgepakt; geen CAT nodig." in dm[-1].text
    wait_for(lambda: "Afgewezen door" in str(card.blocks), what="card updated in place")
    assert count_cats(world) == 0


def test_double_click_on_goedkeuren_gives_one_activation(world: World) -> None:
    request_red_button(world)
    card = wait_for(lambda: [m for m in world.dm_messages("dir-directeur") if m.blocks], what="card")[-1]
    director = world.uid("dir-directeur")
    world.slack.block_actions("request_approve", user=director, channel=card.channel, message_ts=card.ts)
    modal = world.open_view("dir-directeur")
    submitted = world.slack.view_submission(modal["id"], user=director,
                                            values={"advice_to": {"advice_to": ["politiechef"]}})
    again = world.slack.retry(submitted)  # the same submission delivered twice
    assert again.status == 200
    wait_for(lambda: world.channel("cat-"), what="the CAT channel")
    # After the decision the card carries the outcome instead of the buttons, so nobody can click again.
    wait_for(lambda: "Goedgekeurd door" in str(card.blocks), what="card shows the decision")
    assert "request_approve" not in str(card.blocks)
    assert count_cats(world) == 1
    assert len(world.emulator.calls("conversations.create")) == 1


def test_a_non_director_cannot_approve(world: World) -> None:
    request_red_button(world)
    leads = world.container.settings.requests_channel or ""
    card = wait_for(lambda: [m for m in world.emulator.ws.messages.get(leads, []) if m.blocks], what="card")[-1]
    outsider = "re06-communicatie"  # a comms lead sees the card in the comms-leads channel, but may not decide
    world.slack.block_actions("request_decline", user=world.uid(outsider), channel=card.channel, message_ts=card.ts)
    refusal = wait_for(lambda: [e for e in world.ephemerals(outsider) if "directeur" in e], what="refusal")
    assert "alleen een directeur communicatie" in refusal[-1].lower()
    with world.container.transaction() as session:
        assert session.scalar(select(RedButtonRequest.state)) == "pending"


def test_invalid_form_input_is_shown_in_the_modal(world: World) -> None:
    user = world.uid("re07-woordvoerder")
    world.slack.slash_command("/rodeknop", "", user=user, channel=world.emulator.add_channel("x", [user]))
    view = world.open_view("re07-woordvoerder")
    bad = dict(FORM, links={"links": "www.zonder-protocol.nl"})
    answer = world.slack.view_submission(view["id"], user=user, values=bad).json()
    assert answer["response_action"] == "errors"
    assert "http://" in answer["errors"]["links"]


def test_unknown_slack_user_gets_a_clear_message(world: World) -> None:
    from bot.slack.emulator.state import User

    # A colleague who is in Slack but not in the organisation file.
    world.emulator.ws.users["UNOBODY01"] = User(id="UNOBODY01", name="nieuw", real_name="Nieuwe Collega",
                                                email="nieuw@elders.test")
    channel = world.emulator.add_channel("y", ["UNOBODY01"])
    world.slack.slash_command("/rodeknop", "", user="UNOBODY01", channel=channel)
    view = wait_for(lambda: world.emulator.ws.stacks.get("UNOBODY01"), what="modal")
    answer = world.slack.view_submission(view[-1], user="UNOBODY01", values=FORM).json()
    assert answer["response_action"] == "errors"
    assert "organisatiebestand" in str(answer["errors"])
