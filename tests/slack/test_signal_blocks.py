"""The signal card and its modals stay within Slack's limits, even with many incidents and long texts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.slack import signal_blocks as sb
from bot.slack.emulator.surfaces import message_block_problems, view_problems

NOW = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)


def _incident(i: int) -> dict[str, Any]:
    articles = [{"url": f"https://nos.nl/artikel/{i}{j}", "title": "x" * 300, "published": NOW, "source": "s" * 80}
                for j in range(5)]
    return {"id": i, "label": "Agent geeft kopstoot " * 30, "units": ["RE07", "LX"], "categories": ["geweld"],
            "article_count": 5, "articles": articles}


def _signal(**extra: Any) -> dict[str, Any]:
    return {"id": 12, "kind": "overstijgend", "category": None, "units": ["RE02", "RE07"], "trust_block":
            "rechtvaardigheid", "sources": [f"bron{i}" for i in range(30)], "reason": "Reden. " * 900, **extra}


def test_card_with_many_long_incidents_is_within_limits_and_has_the_three_buttons() -> None:
    blocks = sb.signal_card(_signal(), [_incident(i) for i in range(40)], chart_url="https://files.test/1")
    assert message_block_problems(blocks) == []
    assert [e["action_id"] for e in blocks[-1]["elements"]] == ["signal_rode_knop", "signal_link", "signal_dismiss"]
    assert all(e["value"] == "12" for e in blocks[-1]["elements"])
    assert "en nog 34 incidenten" in str(blocks) and "bouwsteen: rechtvaardigheid" in str(blocks)
    assert sb.signal_title(_signal(kind="categorie", category="discriminatie_inclusie")).endswith(
        "discriminatie en inclusie")


def test_outcome_drops_the_buttons_and_modals_are_valid() -> None:
    card = sb.signal_card(_signal(), [_incident(1)])
    resolved = sb.resolved_card(card, "🔕 Genegeerd door Directeur: bekend")
    assert not any(b["type"] == "actions" for b in resolved) and "Genegeerd" in str(resolved[-1])
    assert view_problems(sb.dismiss_modal(12, channel="C1", ts="1.2")) == []
    cats = [(f"CAT-2026-{i:03d}", "Kopstoot " * 20) for i in range(120)]
    modal = sb.link_modal(12, cats, channel="C1", ts="1.2")
    assert view_problems(modal) == [] and '"signal_id": 12' in modal["private_metadata"]
    assert sb.signal_links([_incident(3)]) == ["https://nos.nl/artikel/30"]


def test_each_incident_shows_the_places_its_unit_comes_from() -> None:
    staphorst = {**_incident(1), "label": "Staphorst houdt KOZP-protest tegen", "units": ["RE02"],
                 "places": ["Staphorst"]}
    unknown = {**_incident(2), "label": "Agenten onder vuur in rapport", "units": [], "places": []}
    text = str(sb.signal_card(_signal(), [staphorst, unknown]))
    assert "Oost-Nederland — Staphorst" in text and "eenheid onbekend" in text
