"""Reminders end to end through the Slack emulator: posted once with buttons, snooze, dismiss, cancellation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.cat.models import Reminder
from bot.scheduling.firing import fire_due
from bot.slack.notifier import SlackGateway, make_client
from tests.slack.app.conftest import World, wait_for


def gateway(world: World) -> SlackGateway:
    return SlackGateway(make_client(world.emulator.bot_token, world.emulator.api_url))


def make_due(world: World, kind: str) -> int:
    """Move a CAT's reminder of this kind to now (as if the clock had run on); returns its id."""
    with world.container.transaction() as session:
        reminder = session.scalars(select(Reminder).where(Reminder.kind == kind)).first()
        assert reminder is not None, f"no {kind} reminder"
        session.execute(update(Reminder).where(Reminder.id == reminder.id)
                        .values(due_at=world.container.clock() - timedelta(seconds=1)))
        return reminder.id


def reminder(world: World, reminder_id: int) -> Reminder:
    with world.container.transaction() as session:
        found = session.get(Reminder, reminder_id)
        assert found is not None
        return found


def reminder_posts(world: World, channel: str) -> list[Any]:
    return [m for m in world.emulator.ws.messages.get(channel, [])
            if (m.metadata or {}).get("event_type") == "cat_reminder"]


@pytest.fixture
def no_cadence(world: World) -> None:
    """Only the reminders the activation scheduled (the cadence has its own test)."""
    settings = world.container.settings
    for name in ("press", "internal", "units", "leadership"):
        setattr(settings, f"cadence_{name}_minutes", 0)


def test_due_reminder_posts_once_then_snooze_moves_it(world: World, cat_channel: str, no_cadence: None) -> None:
    reminder_id = make_due(world, "no_statement")
    first = fire_due(world.container, gateway(world))
    assert first.fired == [reminder_id]
    assert fire_due(world.container, gateway(world)).fired == []  # a second run does not post again
    posts = reminder_posts(world, cat_channel)
    assert len(posts) == 1 and "Nog geen normstelling" in posts[0].text
    assert "Snooze 1 u" in str(posts[0].blocks) and "Negeren" in str(posts[0].blocks)

    member = world.uid("re07-woordvoerder")
    world.slack.block_actions("reminder_snooze_60", user=member, channel=cat_channel, message_ts=posts[0].ts)
    wait_for(lambda: reminder(world, reminder_id).state == "scheduled", what="reminder snoozed")
    snoozed = reminder(world, reminder_id)
    assert timedelta(minutes=59) < snoozed.due_at - world.container.clock() <= timedelta(minutes=60)
    wait_for(lambda: posts[0].edits and "Uitgesteld tot" in str(posts[0].blocks), what="message shows the snooze")
    dutch = snoozed.due_at.astimezone(ZoneInfo("Europe/Amsterdam"))
    assert f"Uitgesteld tot {dutch:%H:%M} door" in str(posts[0].blocks)  # Dutch wall-clock time, not UTC
    assert "reminder_snooze_30" not in str(posts[0].blocks)  # the buttons are gone

    # The snoozed reminder comes back once when due again, as a new message.
    make_due(world, "no_statement")
    assert fire_due(world.container, gateway(world)).fired == [reminder_id]
    assert len(reminder_posts(world, cat_channel)) == 2


def test_dismiss_stops_the_reminder_and_outsiders_cannot(world: World, cat_channel: str, no_cadence: None) -> None:
    reminder_id = make_due(world, "no_statement")
    fire_due(world.container, gateway(world))
    post = reminder_posts(world, cat_channel)[0]
    outsider = world.uid("re01-woordvoerder")
    world.emulator.ws.channels[cat_channel].members.append(outsider)  # in the channel, but not on the team
    world.slack.block_actions("reminder_dismiss", user=outsider, channel=cat_channel, message_ts=post.ts)
    wait_for(lambda: [e for e in world.ephemerals("re01-woordvoerder") if "geen lid" in e], what="refusal")
    assert reminder(world, reminder_id).state == "fired"

    director = world.uid("dir-directeur")
    world.slack.block_actions("reminder_dismiss", user=director, channel=cat_channel, message_ts=post.ts)
    wait_for(lambda: reminder(world, reminder_id).state == "cancelled", what="dismissed")
    wait_for(lambda: "Genegeerd door" in str(post.blocks), what="message shows the dismissal")
    assert reminder(world, reminder_id).fired_at is not None  # it did fire; it will not come back


def test_publication_or_closing_cancels_instead_of_posting(world: World, cat_channel: str, no_cadence: None) -> None:
    from bot.cat.models import Cat

    reminder_id = make_due(world, "no_statement")
    with world.container.transaction() as session:
        session.execute(update(Cat).values(first_statement_published_at=world.container.clock()))
    report = fire_due(world.container, gateway(world))
    assert report.cancelled == [reminder_id] and report.fired == []
    assert reminder_posts(world, cat_channel) == []


def test_update_cadence_per_audience_and_dismissal_ends_it(world: World, cat_channel: str) -> None:
    settings = world.container.settings
    settings.cadence_internal_minutes = settings.cadence_units_minutes = settings.cadence_leadership_minutes = 0
    fire_due(world.container, gateway(world))  # schedules round 1 for the press
    press = make_due(world, "update_press")
    assert press in fire_due(world.container, gateway(world)).fired
    post = next(p for p in reminder_posts(world, cat_channel) if "Update aan de pers" in p.text)
    fire_due(world.container, gateway(world))  # round 2 follows the fired round
    with world.container.transaction() as session:
        keys = sorted(session.scalars(select(Reminder.key).where(Reminder.kind == "update_press")))
    assert [k.rsplit(":", 2)[1:] for k in keys] == [["press", "1"], ["press", "2"]]
    world.slack.block_actions("reminder_dismiss", user=world.uid("dir-directeur"), channel=cat_channel,
                              message_ts=post.ts)
    wait_for(lambda: "geen updateherinneringen meer" in str(post.blocks), what="cadence dismissed")


def test_reminder_and_digest_blocks_stay_within_slacks_limits() -> None:
    from datetime import UTC, datetime

    from bot.cat.models import Cat, RedButtonRequest
    from bot.scheduling.notices import Notice
    from bot.slack.emulator.surfaces import message_block_problems
    from bot.slack.reminder_blocks import digest_blocks, reminder_blocks, resolved_blocks

    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    long = "Geen A&A-issuetrekker beschikbaar: iedereen is afwezig tot 01-01-2030. " * 80
    notice = Notice(7, "gap_escalation", "CAT-2026-001", "C1", "Bezetting nog niet rond", long, 3)
    blocks = reminder_blocks(notice)
    assert message_block_problems(blocks) == []
    assert [e["action_id"] for e in blocks[-1]["elements"]] == [
        "reminder_snooze_30", "reminder_snooze_60", "reminder_snooze_120", "reminder_dismiss"]
    assert message_block_problems(resolved_blocks(blocks, "🔕 Genegeerd door Dirk Fictief.")) == []
    cats = [(Cat(id=i, number=f"CAT-2026-{i:03d}", title="Kopstoot " * 40, channel_id="C1", requested_at=now,
                 activated_at=now, team_complete_at=None, first_statement_published_at=None), "nog geen concept")
            for i in range(150)]
    pending = [RedButtonRequest(title="Beelden " * 40, created_at=now, urgency="acuut") for _ in range(60)]
    digest = digest_blocks(active=cats, pending=pending, now=now)
    assert message_block_problems(digest) == [] and "nog 130 actieve CAT's" in str(digest)
