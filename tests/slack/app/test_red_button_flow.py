"""The red button end to end: a unit asks, the director approves, the CAT channel fills."""

from __future__ import annotations

from tests.slack.app.conftest import World, wait_for

FORM = {
    "title": {"title": "Kopstoot bij aanhouding in Rotterdam"},
    "what": {"what": "Beelden van een kopstoot bij een aanhouding gaan rond; media leggen verband met Staphorst."},
    "units": {"units": ["RE07", "RE02"]},
    "categories": {"categories": ["geweld", "onpartijdigheid"]},
    "links": {"links": "https://www.example.org/nieuws/1"},
    "urgency": {"urgency": "acuut"},
}


def request_red_button(world: World, person: str = "re07-woordvoerder") -> None:
    delivery = world.slack.slash_command("/rodeknop", "beelden gaan viraal", user=world.uid(person),
                                         channel=world.emulator.add_channel("algemeen", [world.uid(person)]))
    assert delivery.status == 200 and delivery.acked_in_time
    view = world.open_view(person)
    assert view["title"]["text"] == "Rode knop aanvragen"
    submitted = world.slack.view_submission(view["id"], user=world.uid(person), values=FORM)
    assert submitted.status == 200


def approve(world: World, director: str = "dir-directeur") -> None:
    card = wait_for(lambda: [m for m in world.dm_messages(director) if m.blocks and "Verzoek rode knop" in m.text],
                    what="the request card in the director's DM")[-1]
    world.slack.block_actions("request_approve", user=world.uid(director), channel=card.channel, message_ts=card.ts)
    view = world.open_view(director)
    assert view["title"]["text"] == "Rode knop indrukken"
    world.slack.view_submission(view["id"], user=world.uid(director),
                                values={"advice_to": {"advice_to": ["politiechef", "korpsleiding"]}})


def test_unit_request_reaches_directors_and_approval_builds_the_cat(world: World) -> None:
    request_red_button(world)
    confirmation = world.open_view("re07-woordvoerder")
    assert confirmation["title"]["text"] == "Aanvraag verstuurd"
    for director in ("dir-directeur", "dir-plv-directeur"):
        card = wait_for(lambda d=director: world.dm_messages(d), what=f"card for {director}")[-1]
        assert "Kopstoot bij aanhouding in Rotterdam" in str(card.blocks)
        assert "request_approve" in str(card.blocks) and "request_decline" in str(card.blocks)

    approve(world)
    channel = wait_for(lambda: next((c for c in world.emulator.ws.channels.values()
                                     if (c.name or "").startswith("cat-")), None), what="the CAT channel")
    assert channel.is_private and channel.name.endswith("-kopstoot-bij-aanhouding-in-rotterdam")
    expected = {world.uid(p) for p in ("re07-woordvoerder", "re02-communicatie", "re02-woordvoerder",
                                       "dir-woordvoerder", "dienst-io-analist", "dienst-aa-geweld",
                                       "dienst-aa-onpartijdigheid", "dir-directeur")}
    wait_for(lambda: expected <= set(channel.members), what="all members invited")
    kickoff = wait_for(lambda: [m for m in world.emulator.ws.messages.get(channel.id, [])
                                if m.metadata and m.metadata.get("event_type") == "cat_kickoff"], what="kickoff")
    assert len(kickoff) == 1
    wait_for(lambda: "Eerste concepten normstelling" in str(kickoff[0].blocks), what="drafts in the kickoff")
    text = str(kickoff[0].blocks)
    for expected_text in ("CAT-2026-001", "vervangt", "A&A-issuetrekker voor onpartijdigheid", "Advies aan",
                          "politiechef Rotterdam", "Checklist", "Eerste concepten normstelling"):
        assert expected_text in text, expected_text
    assert kickoff[0].ts in str(world.emulator.ws.pins.get(channel.id))
    requester_dm = wait_for(lambda: [m for m in world.dm_messages("re07-woordvoerder") if "goedgekeurd" in m.text],
                            what="the requester hears the outcome")
    assert "CAT-2026-001" in requester_dm[-1].text
    cards = [m for m in world.dm_messages("dir-plv-directeur") if m.blocks]
    wait_for(lambda: "Goedgekeurd door" in str(cards[-1].blocks) and "request_approve" not in str(cards[-1].blocks),
             what="the other director's card shows the decision")
