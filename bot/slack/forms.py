"""Reading submitted modal state into plain values for the services."""

from __future__ import annotations

from typing import Any


def _element(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return dict(view["state"]["values"].get(block_id, {}).get(block_id, {}))


def text_value(view: dict[str, Any], block_id: str) -> str:
    return str(_element(view, block_id).get("value") or "").strip()


def selected_values(view: dict[str, Any], block_id: str) -> list[str]:
    element = _element(view, block_id)
    options = element.get("selected_options") or ([element["selected_option"]] if element.get("selected_option")
                                                  else [])
    return [str(o["value"]) for o in options]


def red_button_values(view: dict[str, Any]) -> dict[str, Any]:
    """The red-button form as keyword arguments for request_red_button."""
    return {
        "title": text_value(view, "title"),
        "reason": text_value(view, "what"),
        "units": selected_values(view, "units"),
        "categories": selected_values(view, "categories"),
        "links": [line for line in text_value(view, "links").splitlines() if line.strip()],
        "urgency": (selected_values(view, "urgency") or ["hoog"])[0],
    }


def field_for_error(message: str) -> str:
    """Which input block a domain error belongs to, so the modal shows it in the right place."""
    lowered = message.lower()
    for needle, block in (("eenhe", "units"), ("titel", "title"), ("link", "links"), ("categorie", "categories"),
                          ("urgentie", "urgency")):
        if needle in lowered:
            return block
    return "what"
