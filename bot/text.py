"""Small Dutch text helpers for what people read."""

from __future__ import annotations


def plural(count: int, one: str, many: str) -> str:
    """'1 bericht', '3 berichten' (and '0 berichten')."""
    return f"{count} {one if count == 1 else many}"


def first_upper(text: str) -> str:
    """'politiechef Rotterdam' → 'Politiechef Rotterdam' (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]
