"""The pile-up signal card end to end through the Slack emulator: chart upload, red button, link to a CAT, dismiss."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.cat import service, timeline
from bot.slack.deps import Deps
from bot.slack.notifier import SlackGateway, make_client
from bot.slack.signal_cards import post_signal_card
from monitors.models import Article, ArticleAnalysis, Incident, Signal
from monitors.pileup import detect_pileups
from tests.slack.app.conftest import World, wait_for

STORIES = [
    ("RE07", "geweld", "Agent geeft kopstoot bij aanhouding in Rotterdam", "rijnmond", 3),
    ("RE02", "onpartijdigheid", "KOZP-demonstranten in Staphorst aangevallen, politie keek toe", "rtvoost", 1),
]


def store_memo_signal(world: World) -> int:
    """Store the memo's two incidents and detect the cross-category signal; returns its id."""
    now = world.container.clock()
    with world.container.transaction() as session:
        for n, (unit, category, title, source, days_ago) in enumerate(STORIES):
            when = now - timedelta(days=days_ago)
            incident = Incident(label=title, centroid=b"", units=[unit], places=[], keywords={}, categories=[category],
                                category_scores={category: 0.9}, label_counts={category: 1}, sources=[source],
                                first_seen=when, last_seen=when, article_count=1, source_count=1)
            session.add(incident)
            session.flush()
            article = Article(url=f"https://www.{source}.nl/nieuws/{n}", title=title, text=title, published=when,
                              first_seen=when, feed_name=source, text_hash=f"{n:064x}", minhash=b"", places={},
                              units=[unit], place_confidence=0.9)
            session.add(article)
            session.flush()
            session.add(ArticleAnalysis(article_id=article.id, model="test", categories=[category], scores={},
                                        evidence={}, keywords=[], embedding=b"", incident_id=incident.id,
                                        analysed_at=now))
        [signal] = detect_pileups(session, at=now, now=now)
        return int(signal.id)


def signal_in_channel(world: World) -> tuple[int, str, Any]:
    """The memo's signal with its card posted in a channel; (id, channel, message)."""
    signal_id = store_memo_signal(world)
    channel = world.emulator.add_channel("mediamonitor", [world.emulator.bot_user_id, world.uid("dir-directeur"),
                                                          world.uid("re07-woordvoerder")])
    gateway = SlackGateway(make_client(world.emulator.bot_token, world.emulator.api_url))
    post_signal_card(Deps(container=world.container, gateway=gateway), signal_id, channel)
    [message] = [m for m in world.emulator.ws.messages[channel] if "signal_rode_knop" in str(m.blocks)]
    return signal_id, channel, message


def status(world: World, signal_id: int) -> Signal:
    with world.container.transaction() as session:
        found = session.get(Signal, signal_id)
        assert found is not None
        session.expunge(found)
        return found


def test_card_has_reason_incidents_chart_and_buttons(world: World) -> None:
    _, channel, message = signal_in_channel(world)
    text = str(message.blocks)
    assert "Incidenten tellen op over categorieën heen" in message.text
    assert "geweld en onpartijdigheid" in text and "rechtvaardigheid" in text and "rijnmond" in text
    assert all(label in text for label in ("Rode knop aanvragen", "Koppel aan CAT", "Negeren"))
    [chart] = [f for f in world.emulator.ws.files.values() if f.name.endswith(".png")]
    assert chart.completed and channel in chart.channels and chart.content.startswith(b"\x89PNG")
    assert "incidenten per eenheid per dag" in text


def test_rode_knop_opens_the_prefilled_form_and_leads_into_the_red_button_flow(world: World) -> None:
    signal_id, channel, message = signal_in_channel(world)
    world.slack.block_actions("signal_rode_knop", user=world.uid("re07-woordvoerder"), channel=channel,
                              message_ts=message.ts, value=str(signal_id))
    view = world.open_view("re07-woordvoerder")
    assert view["title"]["text"] == "Rode knop aanvragen"
    form = str(view["blocks"])
    assert "'value': 'RE07'" in form and "'value': 'RE02'" in form and "https://www.rijnmond.nl/nieuws/0" in form
    assert "rechtvaardigheid" in form  # the reason is the signal's explanation
    world.slack.view_submission(view["id"], user=world.uid("re07-woordvoerder"), values={
        "title": {"title": "Kopstoot en Staphorst tellen op"}, "what": {"what": "Zie het signaal."},
        "units": {"units": ["RE07", "RE02"]}, "categories": {"categories": ["geweld", "onpartijdigheid"]},
        "links": {"links": "https://www.rijnmond.nl/nieuws/0"}, "urgency": {"urgency": "hoog"}})
    wait_for(lambda: [m for m in world.dm_messages("dir-directeur") if "Verzoek rode knop" in (m.text or "")],
             what="the request card reaches the director")
    assert status(world, signal_id).status == "escalated"


def test_dismiss_needs_a_reason_and_keeps_it(world: World) -> None:
    signal_id, channel, message = signal_in_channel(world)
    world.slack.block_actions("signal_dismiss", user=world.uid("dir-directeur"), channel=channel,
                              message_ts=message.ts, value=str(signal_id))
    view = world.open_view("dir-directeur")
    assert view["title"]["text"] == "Signaal negeren"
    world.slack.view_submission(view["id"], user=world.uid("dir-directeur"), values={"reason": {"reason": "Bekend"}})
    wait_for(lambda: status(world, signal_id).status == "dismissed", what="signal dismissed")
    assert status(world, signal_id).status_reason == "Bekend"
    wait_for(lambda: "Genegeerd door" in str(message.blocks), what="the card shows the outcome")
    assert "signal_dismiss" not in str(message.blocks)


def test_link_without_an_active_cat_says_so(world: World) -> None:
    signal_id, channel, message = signal_in_channel(world)
    world.slack.block_actions("signal_link", user=world.uid("dir-directeur"), channel=channel,
                              message_ts=message.ts, value=str(signal_id))
    wait_for(lambda: any("geen actieve CAT" in e for e in world.ephemerals("dir-directeur")) or
             any("geen actieve CAT" in (m.text or "") for m in world.dm_messages("dir-directeur")),
             what="the user hears there is no active CAT")


def test_link_puts_the_articles_on_the_cat_timeline(world: World, cat_channel: str) -> None:
    signal_id, channel, message = signal_in_channel(world)
    world.slack.block_actions("signal_link", user=world.uid("dir-directeur"), channel=channel,
                              message_ts=message.ts, value=str(signal_id))
    view = world.open_view("dir-directeur")
    world.slack.view_submission(view["id"], user=world.uid("dir-directeur"), values={"cat": {"cat": "CAT-2026-001"}})
    wait_for(lambda: status(world, signal_id).status == "linked", what="signal linked")
    with world.container.transaction() as session:
        cat = service.get_cat(session, "CAT-2026-001")
        linked = [e for e in timeline.events(session, cat) if e.kind == "media_linked"]
        urls = {a.url for a in session.scalars(select(Article))}
        assert {e.content.source_url for e in linked if e.content} == urls
    assert status(world, signal_id).linked_cat == "CAT-2026-001"


def test_the_scheduler_posts_each_new_signal_once_in_the_signals_channel(world: World) -> None:
    from bot.jobs import JobRuntime, announce_signals

    signal_id = store_memo_signal(world)
    channel = world.emulator.add_channel("mediamonitor", [world.emulator.bot_user_id])
    world.container.settings.signals_channel = channel
    runtime = JobRuntime(world.container, SlackGateway(make_client(world.emulator.bot_token, world.emulator.api_url)))
    announce_signals(runtime, [signal_id])
    announce_signals(runtime, [signal_id])  # the next poll round, or a second scheduler after a takeover
    cards = [m for m in world.emulator.ws.messages[channel] if "signal_rode_knop" in str(m.blocks)]
    assert len(cards) == 1 and "rechtvaardigheid" in str(cards[0].blocks)


def test_app_home_lists_recent_signals(world: World) -> None:
    store_memo_signal(world)
    director = world.uid("dir-directeur")
    world.slack.app_home_opened(director)
    home = wait_for(lambda: world.emulator.ws.homes.get(director), what="home")
    blocks = str(world.emulator.ws.views[home].payload["blocks"])
    assert "Recente mediasignalen" in blocks and "rechtvaardigheid" in blocks and "nieuw" in blocks
