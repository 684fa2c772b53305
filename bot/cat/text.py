"""Texts people type, checked where they enter the domain: no NUL characters, no broken (lone surrogate) ones.

Neither can be stored faithfully (PostgreSQL refuses NUL in text; UTF-8 has no lone surrogates), so they are
refused with one clear Dutch message before anything is written.
"""

from __future__ import annotations

import re

from bot.errors import InvalidInput

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def require_storable(**texts: str | None) -> None:
    """Refuse texts with a NUL character or a lone surrogate; the keyword names the field in Dutch."""
    for field, value in texts.items():
        if value and _UNSTORABLE.search(value):
            raise InvalidInput(f"{field.replace('_', ' ')} bevat een ongeldig teken (een NUL-teken of een kapot "
                               "teken, bijvoorbeeld uit een kopie van een website of pdf); haal het weg en probeer "
                               "het opnieuw. Er is niets opgeslagen.")
