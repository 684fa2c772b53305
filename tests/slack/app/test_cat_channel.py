"""Working in the CAT channel: /cat commands, 📌 and the message shortcut, retries, outsiders."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from bot.cat import service, timeline
from bot.cat.models import RedButtonRequest
from tests.slack.app.conftest import World, wait_for
from tests.slack.app.test_red_button_flow import FORM


def events(world: World, kind: str) -> list[str]:
    with world.container.transaction() as session:
        cat = service.get_cat(session, "CAT-2026-001")
        return [e.content.text for e in timeline.events(session, cat) if e.kind == kind and e.content]


def test_notes_decisions_and_status_updated_in_place(world: World, cat_channel: str) -> None:
    member = world.uid("re07-woordvoerder")
    world.slack.slash_command("/cat", "notitie NOS opent met de beelden", user=member, channel=cat_channel)
    wait_for(lambda: events(world, "note") == ["NOS opent met de beelden"], what="note on the timeline")
    status_posts = lambda: [m for m in world.emulator.ws.messages[cat_channel] if m.text.startswith("Status CAT")]  # noqa: E731
    world.slack.slash_command("/cat", "besluit Politiechef treedt vandaag naar voren", user=member,
                              channel=cat_channel)
    wait_for(lambda: events(world, "decision"), what="decision")
    wait_for(lambda: [r for r in world.emulator.ws.response_urls.values() if r.posts], what="responses")
    wait_for(lambda: status_posts() and status_posts()[0].edits, what="status updated in place")
    assert len(status_posts()) == 1
    world.slack.slash_command("/cat", "status", user=member, channel=cat_channel)
    wait_for(lambda: len(status_posts()[0].edits) >= 2, what="status refreshed")
    assert len(status_posts()) == 1 and "aanvraag → activatie" in str(status_posts()[0].blocks)


def test_two_commands_at_the_same_moment_leave_one_status_message(world: World, cat_channel: str) -> None:
    member = world.uid("re07-woordvoerder")
    world.emulator.inject_fault("chat.postMessage", retry_after=1)  # the first status post waits a second
    notes = [threading.Thread(target=world.slack.slash_command, args=("/cat", f"notitie {text}"),
                              kwargs={"user": member, "channel": cat_channel}) for text in ("Eén", "Twee")]
    for thread in notes:
        thread.start()
    for thread in notes:
        thread.join()
    wait_for(lambda: sorted(events(world, "note")) == ["Eén", "Twee"], what="both notes on the timeline")
    wait_for(lambda: len([r for r in world.emulator.ws.response_urls.values() if r.posts]) == 2,
             what="both commands answered (after the status was brought up to date)")
    status = [m for m in world.emulator.ws.messages[cat_channel] if m.text.startswith("Status CAT")]
    assert len(status) == 1, [m.text for m in status]


def test_a_burst_of_notes_updates_the_status_a_few_times_not_once_each(world: World, cat_channel: str) -> None:
    member = world.uid("re07-woordvoerder")
    world.slack.slash_command("/cat", "status", user=member, channel=cat_channel)  # the status message exists
    status = wait_for(lambda: [m for m in world.emulator.ws.messages[cat_channel] if m.text.startswith("Status CAT")],
                      what="the status message")[0]
    before = len(world.emulator.calls("chat.update"))
    world.emulator.inject_fault("chat.update", retry_after=1)  # the first update waits a second
    notes = [threading.Thread(target=world.slack.slash_command, args=("/cat", f"notitie {i}"),
                              kwargs={"user": member, "channel": cat_channel}) for i in range(10)]
    for thread in notes:
        thread.start()
    for thread in notes:
        thread.join()
    wait_for(lambda: len(events(world, "note")) == 10, what="all ten notes on the timeline")
    wait_for(lambda: len([r for r in world.emulator.ws.response_urls.values() if r.posts]) >= 11,
             what="every command answered")
    updates = [c for c in world.emulator.calls("chat.update")[before:] if c.get("args", {}).get("ts") == status.ts]
    assert 1 <= len(updates) <= 4, len(updates)  # one update per change would be ten (plus the 429)
    assert len([m for m in world.emulator.ws.messages[cat_channel] if m.text.startswith("Status CAT")]) == 1


def test_outsiders_and_other_channels_are_told_in_words(world: World, cat_channel: str) -> None:
    outsider = world.uid("re01-woordvoerder")
    world.emulator.ws.channels[cat_channel].members.append(outsider)
    world.slack.slash_command("/cat", "notitie ik schrijf mee", user=outsider, channel=cat_channel)
    wait_for(lambda: [e for e in world.ephemerals("re01-woordvoerder") if "geen lid van CAT-2026-001" in e],
             what="refusal")
    general = world.emulator.add_channel("algemeen-2", [outsider])
    world.slack.slash_command("/cat", "status", user=outsider, channel=general)
    wait_for(lambda: [e for e in world.ephemerals("re01-woordvoerder") if "alleen in een CAT-kanaal" in e],
             what="outside a CAT channel")
    assert events(world, "note") == []


def test_pin_reaction_records_once_with_original_time_even_when_slack_retries(world: World, cat_channel: str) -> None:
    analyst = world.uid("dienst-io-analist")
    ts = world.emulator.post_user_message(cat_channel, analyst, "Sociale media leggen verband met Staphorst")
    first = world.slack.reaction_added(cat_channel, ts, analyst, "pushpin")
    assert first.status == 200
    retry = world.slack.retry(first, reason="http_timeout")
    assert retry.status == 200
    wait_for(lambda: events(world, "note"), what="pinned message on the timeline")
    with world.container.transaction() as session:
        cat = service.get_cat(session, "CAT-2026-001")
        notes = [e for e in timeline.events(session, cat) if e.kind == "note"]
        assert len(notes) == 1
        assert abs(notes[0].occurred_at.timestamp() - float(ts)) < 0.001
        assert notes[0].content is not None and notes[0].content.source_url
        assert "Sociale media leggen verband met Staphorst" in notes[0].content.text
    # The message shortcut on the same message says it is already there instead of recording it again.
    world.slack.message_action("op_de_tijdlijn", user=analyst, channel=cat_channel, message_ts=ts)
    wait_for(lambda: [e for e in world.ephemerals("dienst-io-analist") if "stond al op de tijdlijn" in e], what="once")
    assert len(events(world, "note")) == 1


def test_advice_member_close_and_export(world: World, cat_channel: str) -> None:
    director = world.uid("dir-directeur")
    world.slack.slash_command("/cat", "advies", user=director, channel=cat_channel)
    modal = world.open_view("dir-directeur")
    world.slack.view_submission(modal["id"], user=director, values={
        "recipient": {"recipient": "politiechef:RE07"},
        "text": {"text": "Stel vandaag de norm; toon zelfreflectie."}})
    wait_for(lambda: events(world, "advice_given"), what="advice on the timeline")
    assert "politiechef Rotterdam" in events(world, "advice_given")[0]

    newcomer = world.uid("re05-woordvoerder")
    world.slack.slash_command("/cat", f"lid <@{newcomer}|amsterdam> kent de demonstranten", user=director,
                              channel=cat_channel)
    wait_for(lambda: newcomer in world.emulator.ws.channels[cat_channel].members, what="newcomer invited")

    world.slack.slash_command("/cat", "sluit", user=director, channel=cat_channel)
    modal = world.open_view("dir-directeur")
    world.slack.view_submission(modal["id"], user=director, values={
        "went_well": {"went_well": "Snel één lijn"}, "to_learn": {"to_learn": "Eerder de optelsom zien"}})
    wait_for(lambda: events(world, "closed"), what="closed")
    export = wait_for(lambda: [f for f in world.emulator.ws.files.values() if f.title == "Tijdlijn CAT-2026-001"],
                      what="export uploaded")
    assert export[0].completed and cat_channel in export[0].channels
    assert b"| notitie |" not in export[0].content or b"CAT-2026-001" in export[0].content
    wait_for(lambda: "Tijdlijn-export" in [b.title for b in world.emulator.ws.bookmarks.get(cat_channel, [])],
             what="bookmark")
    world.slack.slash_command("/cat", "notitie te laat", user=director, channel=cat_channel)
    wait_for(lambda: [e for e in world.ephemerals("dir-directeur") if "is gesloten" in e], what="closed CAT refuses")


def test_many_people_pinning_the_same_message_at_once_record_it_once(world: World, cat_channel: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    members = [world.uid(p) for p in ("re07-woordvoerder", "dir-directeur", "dienst-io-analist", "dienst-aa-geweld")]
    ts = world.emulator.post_user_message(cat_channel, members[0], "Video nu ook bij de NOS")
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: world.slack.reaction_added(cat_channel, ts, members[i % 4], "pushpin"), range(12)))
    wait_for(lambda: len([e for e in world.emulator.ws.ephemerals if "tijdlijn" in e.text]) >= 12,
             what="every pinner told")
    assert len(events(world, "note")) == 1
    assert not [e for e in world.emulator.ws.ephemerals if "fout-id" in e.text]


def test_a_nul_or_a_lone_surrogate_gets_one_clear_message_and_nothing_is_stored(world: World, cat_channel: str) -> None:
    member = world.uid("re07-woordvoerder")
    world.slack.slash_command("/cat", "notitie NOS opent\x00 met de beelden", user=member, channel=cat_channel)
    refusal = wait_for(lambda: [e for e in world.ephemerals("re07-woordvoerder") if "ongeldig teken" in e],
                       what="the refusal")
    assert refusal == [refusal[0]] and refusal[0].startswith(":warning: Tekst bevat een ongeldig teken")
    assert "fout-id" not in str(world.ephemerals("re07-woordvoerder"))
    # JSON payloads (a modal) can carry a lone surrogate as "\ud83d": the form shows the refusal at the title.
    world.slack.slash_command("/rodeknop", "", user=member, channel=cat_channel)
    view = world.open_view("re07-woordvoerder")
    form = {**FORM, "title": {"title": "Kopstoot \ud83d bij aanhouding"}, "units": {"units": ["RE01"]}}
    submitted = world.slack.view_submission(view["id"], user=member, values=form)
    assert submitted.outcome["action"] == "errors"
    assert submitted.outcome["errors"]["title"].startswith("titel bevat een ongeldig teken")
    with world.container.transaction() as session:
        assert session.scalar(select(func.count()).select_from(RedButtonRequest)) == 1  # only the CAT's own
    world.slack.slash_command("/cat", "notitie Daarna gewoon verder", user=member, channel=cat_channel)
    wait_for(lambda: events(world, "note") == ["Daarna gewoon verder"], what="the next note, and only that one")
