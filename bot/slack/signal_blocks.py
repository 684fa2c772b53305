"""Block Kit for pile-up signals: the card with its chart and buttons, the dismiss and link modals, the outcome."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.slack.blocks import Block, _input, _modal, _text_input, clip, context, header, option, plain, section
from bot.text import plural
from playbooks.vocabulary import Category, units

ACTION_SIGNAL_RODE_KNOP = "signal_rode_knop"
ACTION_SIGNAL_LINK = "signal_link"
ACTION_SIGNAL_DISMISS = "signal_dismiss"
SIGNAL_DISMISS_MODAL = "signal_dismiss_modal"
SIGNAL_LINK_MODAL = "signal_link_modal"
KIND_TITLES = {
    "categorie": "Incidenten stapelen zich op",
    "overstijgend": "Incidenten tellen op over categorieën heen",
    "piek": "Veel media op één incident",
}
MAX_INCIDENTS = 6
MAX_LINKS = 3


def signal_title(signal: dict[str, Any]) -> str:
    """The notification text and card header of a signal."""
    what = KIND_TITLES.get(signal["kind"], "Signaal")
    if signal.get("category"):
        what += f": {Category(signal['category']).label}"
    return f"📈 {what}"


def signal_links(incidents: Sequence[dict[str, Any]]) -> list[str]:
    """The first article link of each incident (for the red-button form)."""
    return [i["articles"][0]["url"] for i in incidents if i["articles"] and i["articles"][0]["url"]]


def signal_card(
    signal: dict[str, Any], incidents: Sequence[dict[str, Any]], *, chart_url: str | None = None
) -> list[Block]:
    """Why it fired, the incidents with their units and links, sources, and the three buttons."""
    unit_names = ", ".join(units()[u].name if u in units() else u for u in signal["units"])
    blocks = [header(signal_title(signal)), section(signal["reason"])]
    lines = []
    for incident in incidents[:MAX_INCIDENTS]:
        shown = [a for a in incident["articles"][:MAX_LINKS] if a["url"]]
        links = " · ".join(f"<{a['url']}|{clip(a['source'], 40)}>" for a in shown)
        where = ", ".join(units()[u].name if u in units() else u for u in incident["units"]) or "eenheid onbekend"
        if incident.get("places"):  # the evidence for the unit: the places the articles name
            where += f" — {', '.join(incident['places'][:3])}"
        count = plural(incident['article_count'], 'bericht', 'berichten')
        lines.append(f"• *{clip(incident['label'], 200)}* ({where}; {count}) {links}")
    if len(incidents) > MAX_INCIDENTS:
        lines.append(f"… en nog {len(incidents) - MAX_INCIDENTS} incidenten")
    if lines:
        blocks.append(section("\n".join(lines)))
    if chart_url:
        blocks.append(context(f"Grafiek: <{chart_url}|incidenten per eenheid per dag>"))
    facts = f"Eenheden: {unit_names} · bronnen: {', '.join(signal['sources'][:10]) or '-'}"
    if signal.get("trust_block"):
        facts += f" · bouwsteen: {signal['trust_block']}"
    blocks.append(context(facts + f" · signaal {signal['id']}"))
    value = str(signal["id"])
    blocks.append({"type": "actions", "block_id": f"signal_{value}", "elements": [
        {"type": "button", "action_id": ACTION_SIGNAL_RODE_KNOP, "text": plain("Rode knop aanvragen"),
         "style": "danger", "value": value},
        {"type": "button", "action_id": ACTION_SIGNAL_LINK, "text": plain("Koppel aan CAT"), "value": value},
        {"type": "button", "action_id": ACTION_SIGNAL_DISMISS, "text": plain("Negeren"), "value": value},
    ]})
    return blocks


def resolved_card(original: Sequence[Block], outcome: str) -> list[Block]:
    """The card without its buttons, with the outcome underneath."""
    return [b for b in original if b.get("type") != "actions"] + [context(outcome)]


def dismiss_modal(signal_id: int, *, channel: str, ts: str) -> dict[str, Any]:
    """Ask why the signal is dismissed; the reason is kept as feedback."""
    blocks = [
        section("Waarom is dit signaal niet relevant? De reden wordt bewaard om de monitor te verbeteren."),
        _input("reason", "Reden", _text_input("reason", multiline=True, max_length=1000)),
    ]
    return _modal(SIGNAL_DISMISS_MODAL, "Signaal negeren", blocks, submit="Negeren",
                  metadata={"signal_id": signal_id, "channel": channel, "ts": ts})


def link_modal(signal_id: int, cats: Sequence[tuple[str, str]], *, channel: str, ts: str) -> dict[str, Any]:
    """Choose the active CAT whose timeline gets the signal's articles."""
    options = [option(f"{number} — {title}", number) for number, title in cats[:100]]
    blocks = [
        section("De berichten van dit signaal komen op de tijdlijn van de gekozen CAT, met hun oorspronkelijke tijd."),
        _input("cat", "CAT", {"type": "static_select", "action_id": "cat", "options": options,
                              "placeholder": plain("Kies een actieve CAT")}),
    ]
    return _modal(SIGNAL_LINK_MODAL, "Koppel aan CAT", blocks, submit="Koppelen",
                  metadata={"signal_id": signal_id, "channel": channel, "ts": ts})
