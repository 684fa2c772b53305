"""The red button end to end: a unit asks, the director approves, the CAT channel fills."""

from __future__ import annotations

from tests.slack.app.conftest import World, activation_finished, wait_for

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
    card = wait_for(lambda: [m for m in world.dm_messages(director) if m.blocks and "Verzoek rode knop" in m.text
                             and "request_approve" in str(m.blocks)],  # an open request (an earlier one is decided)
                    what="the open request card in the director's DM")[-1]
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
    bookmarks = wait_for(lambda: world.emulator.ws.bookmarks.get(channel.id), what="playbook bookmarks")
    assert [b.title for b in bookmarks] == ["Playbook Algemeen – de norm stellen bij morele issues",
                                            "Playbook Geweld door politiemensen", "Playbook Onpartijdig optreden"]
    assert channel.topic["value"] == "CAT-2026-001: Kopstoot bij aanhouding in Rotterdam"
    requester_dm = wait_for(lambda: [m for m in world.dm_messages("re07-woordvoerder") if "goedgekeurd" in m.text],
                            what="the requester hears the outcome")
    assert "CAT-2026-001" in requester_dm[-1].text
    cards = [m for m in world.dm_messages("dir-plv-directeur") if m.blocks]
    wait_for(lambda: "Goedgekeurd door" in str(cards[-1].blocks) and "request_approve" not in str(cards[-1].blocks),
             what="the other director's card shows the decision")


def test_shortcut_and_app_home_open_the_same_form(world: World) -> None:
    user = world.uid("dienst-io-analist")
    world.slack.shortcut("rode_knop", user=user)
    assert world.open_view("dienst-io-analist")["title"]["text"] == "Rode knop aanvragen"
    world.slack.app_home_opened(user)
    home = wait_for(lambda: world.emulator.ws.homes.get(user), what="App Home")
    world.slack.block_actions("home_rode_knop", user=user, view_id=home)
    wait_for(lambda: len([v for v in world.emulator.ws.views.values() if v.user_id == user and v.type == "modal"])
             == 2, what="second form from the home button")


def test_app_home_shows_active_cats_with_clocks_and_pending_requests_for_directors(world: World) -> None:
    request_red_button(world)
    director = world.uid("dir-directeur")
    world.slack.app_home_opened(director)
    home_id = wait_for(lambda: world.emulator.ws.homes.get(director), what="home")
    home = str(world.emulator.ws.views[home_id].payload["blocks"])
    assert "Wacht op uw besluit" in home and "Kopstoot bij aanhouding in Rotterdam" in home
    approve(world)
    channel = wait_for(lambda: world.channel("cat-"), what="CAT")
    wait_for(lambda: any("Eerste concepten" in str(m.blocks) for m in world.emulator.ws.messages.get(channel.id, [])),
             what="kickoff with drafts")
    wait_for(lambda: activation_finished(world), what="activation finished")
    world.slack.app_home_opened(director)
    wait_for(lambda: "CAT-2026-001" in str(world.emulator.ws.views[world.emulator.ws.homes[director]].payload),
             what="active CAT on the home")
    home = str(world.emulator.ws.views[world.emulator.ws.homes[director]].payload["blocks"])
    assert "actief sinds" in home and "normstelling: 4 concept(en)" in home
    member = world.uid("re07-woordvoerder")
    world.slack.app_home_opened(member)
    wait_for(lambda: world.emulator.ws.homes.get(member), what="member home")
    assert "Wacht op uw besluit" not in str(world.emulator.ws.views[world.emulator.ws.homes[member]].payload)


def test_a_taken_channel_name_gets_a_suffix(world: World) -> None:
    from datetime import UTC, datetime

    taken = f"cat-{datetime.now(UTC):%Y%m%d}-kopstoot-bij-aanhouding-in-rotterdam"
    world.emulator.add_channel(taken, [], bot_member=False)
    request_red_button(world)
    approve(world)
    channel = wait_for(lambda: next((c for c in world.emulator.ws.channels.values() if c.name == taken + "-2"), None),
                       what="suffixed channel")
    assert channel.is_private


def test_a_form_that_cannot_be_stored_stays_open_with_what_was_typed(world: World) -> None:
    person = "re07-woordvoerder"
    world.slack.slash_command("/rodeknop", "beelden gaan viraal", user=world.uid(person),
                              channel=world.emulator.add_channel("algemeen", [world.uid(person)]))
    view = world.open_view(person)
    with world.container.engine.begin() as connection:  # the database breaks between opening and sending
        connection.exec_driver_sql("ALTER TABLE cat_requests RENAME TO broken")
    answer = world.slack.view_submission(view["id"], user=world.uid(person), values=FORM)
    assert answer.json()["response_action"] == "errors"
    assert "Uw tekst staat er nog" in answer.json()["errors"]["what"]
    still_open = world.open_view(person)
    assert still_open["id"] == view["id"] and still_open["title"]["text"] == "Rode knop aanvragen"
    typed = world.emulator.ws.views[view["id"]].state["values"]  # what the person typed is still in the form
    assert typed["title"]["title"]["value"] == "Kopstoot bij aanhouding in Rotterdam"
