"""The spokesperson's five-minute path through the emulator: /norm → edit → check → send → approve → publish."""

from __future__ import annotations

from typing import Any

from bot.cat import service, timeline
from bot.cat.models import Reminder, Statement
from tests.slack.app.conftest import World, wait_for

SPOKESPERSON = "re07-woordvoerder"
GOOD = ("Geweld dat niet nodig is, past niet bij de politie. Wij zijn er om mensen te beschermen, ook bij een "
        "aanhouding. De beelden uit Rotterdam roepen terecht vragen op. We kijken kritisch naar ons eigen optreden "
        "en onderzoeken wat er is gebeurd. We leggen daarover verantwoording af en geven om 16.00 uur een update.")



def ephemeral(world: World, person: str, needle: str) -> Any:
    """The newest ephemeral message for this person whose blocks or text contain needle."""
    user = world.uid(person)
    return wait_for(lambda: [e for e in world.emulator.ws.ephemerals if e.user == user
                             and needle in (e.text + str(e.blocks))], what=f"ephemeral with {needle!r}")[-1]


def modal(world: World, person: str, title: str) -> dict[str, Any]:
    wait_for(lambda: world.open_view(person)["title"]["text"] == title, what=f"modal {title!r}")
    return world.open_view(person)


def channel_post(world: World, channel: str, needle: str) -> Any:
    return wait_for(lambda: [m for m in world.emulator.ws.messages.get(channel, []) if needle in str(m.blocks)],
                    what=f"post with {needle!r}")[-1]


def statement_rows(world: World) -> list[tuple[str, int, str]]:
    with world.container.transaction() as session:
        rows = session.query(Statement).order_by(Statement.id).all()
        return [(s.channel, s.version, s.state) for s in rows]


def test_five_minute_path_from_norm_to_publication(world: World, cat_channel: str) -> None:
    me = world.uid(SPOKESPERSON)
    world.slack.slash_command("/norm", "geweld", user=me, channel=cat_channel)
    draft = ephemeral(world, SPOKESPERSON, "Concept normstelling")
    assert "[[" in str(draft.blocks) and "norm_edit" in str(draft.blocks)

    world.slack.block_actions("norm_edit", user=me, channel=cat_channel, message_ts=draft.ts)
    view = modal(world, SPOKESPERSON, "Normstelling bewerken")
    assert "[[" in str(view["blocks"])  # the draft's text, placeholders and all
    done = world.slack.view_submission(view["id"], user=me, values={
        "category": {"category": "geweld"}, "phase": {"phase": "eerste_reactie"},
        "channel": {"channel": "persverklaring"}, "text": {"text": GOOD}})
    assert done.outcome["action"] == "closed"
    wait_for(lambda: "Bewerkt" in str(draft.blocks) and "16.00 uur" in str(draft.blocks),
             what="the ephemeral draft replaced by the edited text")

    world.slack.block_actions("norm_check", user=me, channel=cat_channel, message_ts=draft.ts)
    assert "geen bevindingen" in str(ephemeral(world, SPOKESPERSON, "Controle van").blocks)

    world.slack.block_actions("norm_send", user=me, channel=cat_channel, message_ts=draft.ts)
    ephemeral(world, SPOKESPERSON, "persverklaring v2 staat in CAT-2026-001")
    post = channel_post(world, cat_channel, "persverklaring v2")
    assert "16.00 uur" in str(post.blocks) and "statement_approve" in str(post.blocks)

    # Four eyes: the author cannot approve her own version; the directorate's spokesperson can.
    world.slack.block_actions("statement_approve", user=me, channel=cat_channel, message_ts=post.ts)
    ephemeral(world, SPOKESPERSON, "vier ogen")
    reviewer = world.uid("dir-woordvoerder")
    world.slack.block_actions("statement_approve", user=reviewer, channel=cat_channel, message_ts=post.ts)
    wait_for(lambda: "goedgekeurd door" in str(post.blocks) and "statement_publish" in str(post.blocks),
             what="the version post shows the approval and offers publication")

    world.slack.block_actions("statement_publish", user=me, channel=cat_channel, message_ts=post.ts)
    view = modal(world, SPOKESPERSON, "Normstelling publiceren")
    assert world.slack.view_submission(view["id"], user=me, values={"via": {"via": "persverklaring"}}).status == 200
    wait_for(lambda: "gepubliceerd via persverklaring" in str(post.blocks), what="the post shows the publication")
    assert "statement_publish" not in str(post.blocks)

    status = channel_post(world, cat_channel, "Normstelling*: gepubliceerd")
    assert "activatie → eerste normstelling gepubliceerd" in str(status.blocks)
    kickoff = channel_post(world, cat_channel, "Eerste concepten normstelling")
    wait_for(lambda: "v2 gepubliceerd" in str(kickoff.blocks), what="the kickoff shows the published version")
    with world.container.transaction() as session:
        cat = service.get_cat(session, "CAT-2026-001")
        kinds = [e.kind for e in timeline.events(session, cat)]
        assert kinds[-3:] == ["statement_drafted", "statement_approved", "statement_published"]
        assert cat.first_statement_published_at is not None
        reminder = session.query(Reminder).filter_by(cat_id=cat.id, kind="no_statement").one()
        assert reminder.state == "cancelled"
    assert ("persverklaring", 2, "published") in statement_rows(world)


def test_check_shows_findings_with_severity_and_fix(world: World, cat_channel: str) -> None:
    me = world.uid(SPOKESPERSON)
    world.slack.slash_command("/norm", "geweld tijdens onderzoek", user=me, channel=cat_channel)
    draft = ephemeral(world, SPOKESPERSON, "tijdens onderzoek")
    world.slack.block_actions("norm_check", user=me, channel=cat_channel, message_ts=draft.ts)
    findings = str(ephemeral(world, SPOKESPERSON, "Controle van").blocks)
    assert "fout" in findings and "placeholder-open" in findings and "Voorstel:" in findings


def test_unknown_category_gets_usage_and_versions_list_offers_approval(world: World, cat_channel: str) -> None:
    me = world.uid(SPOKESPERSON)
    world.slack.slash_command("/norm", "verkeer", user=me, channel=cat_channel)
    assert "Gebruik: `/norm [categorie] [fase]`" in ephemeral(world, SPOKESPERSON, "Onbekende categorie").text
    world.slack.slash_command("/norm", "geweld nu meteen", user=me, channel=cat_channel)
    ephemeral(world, SPOKESPERSON, "Onbekende fase")
    director = world.uid("dir-directeur")
    world.slack.slash_command("/norm", "versies", user=director, channel=cat_channel)
    listing = ephemeral(world, "dir-directeur", "Normstellingen van CAT-2026-001")
    assert str(listing.blocks).count("statement_approve") == 4  # two drafts for each of the two categories
    # The bot's own drafts still carry [[…]] placeholders: the check refuses approval and says why.
    world.slack.block_actions("statement_approve", user=director, channel=cat_channel, message_ts=listing.ts)
    ephemeral(world, "dir-directeur", "Nog niet ingevuld")


def test_outside_a_cat_the_draft_goes_to_a_chosen_cat(world: World, cat_channel: str) -> None:
    me = world.uid(SPOKESPERSON)
    elsewhere = world.emulator.add_channel("algemeen-norm", [me], bot_member=False)
    world.slack.slash_command("/norm", "onpartijdigheid tijdens onderzoek", user=me, channel=elsewhere)
    draft = ephemeral(world, SPOKESPERSON, "Concept normstelling")
    world.slack.block_actions("norm_send", user=me, channel=elsewhere, message_ts=draft.ts)
    choice = ephemeral(world, SPOKESPERSON, "Naar welk CAT")
    with world.container.transaction() as session:
        cat_id = service.get_cat(session, "CAT-2026-001").id
    world.slack.block_actions("norm_pick_cat", user=me, channel=elsewhere, message_ts=choice.ts,
                              value=f"{draft.blocks[-1]['elements'][0]['value']}:{cat_id}")
    wait_for(lambda: "persverklaring v1 staat in CAT-2026-001" in choice.text, what="choice replaced by the outcome")
    channel_post(world, cat_channel, "onpartijdigheid · tijdens onderzoek · persverklaring v1")
    outsider = world.uid("re01-woordvoerder")
    world.emulator.ws.channels[elsewhere].members.append(outsider)
    world.slack.slash_command("/norm", "integriteit", user=outsider, channel=elsewhere)
    other = ephemeral(world, "re01-woordvoerder", "Concept normstelling")
    world.slack.block_actions("norm_send", user=outsider, channel=elsewhere, message_ts=other.ts)
    ephemeral(world, "re01-woordvoerder", "U zit in geen actief CAT")


def test_editing_a_version_in_the_cat_makes_the_next_version(world: World, cat_channel: str) -> None:
    me = world.uid(SPOKESPERSON)
    world.slack.slash_command("/norm", "versies", user=me, channel=cat_channel)
    listing = ephemeral(world, SPOKESPERSON, "Normstellingen van CAT-2026-001")
    world.slack.block_actions("statement_edit", user=me, channel=cat_channel, message_ts=listing.ts)
    view = modal(world, SPOKESPERSON, "Normstelling bewerken")
    assert view["submit"]["text"] == "Opslaan als versie" and "[[" in str(view["blocks"])
    world.slack.view_submission(view["id"], user=me, values={
        "category": {"category": "geweld"}, "phase": {"phase": "eerste_reactie"},
        "channel": {"channel": "persverklaring"}, "text": {"text": GOOD}})
    post = channel_post(world, cat_channel, "geweld · eerste reactie · persverklaring v2")
    assert "statement_edit" in str(post.blocks)
    world.slack.block_actions("statement_approve", user=world.uid("dir-directeur"), channel=cat_channel,
                              message_ts=post.ts)
    wait_for(lambda: ("persverklaring", 2, "approved") in statement_rows(world), what="approved by the director")
