"""The shared vocabulary: moral-issue categories, trust building blocks and police units."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources


class Category(StrEnum):
    """Moral-issue categories (moreel issue); GEEN is 'no moral issue'."""

    GEWELD = "geweld"
    DISCRIMINATIE_INCLUSIE = "discriminatie_inclusie"
    ONPARTIJDIGHEID = "onpartijdigheid"
    INTEGRITEIT = "integriteit"
    GEEN = "geen"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]

    @classmethod
    def moral(cls) -> tuple[Category, ...]:
        """The four moral-issue categories, without GEEN."""
        return tuple(c for c in cls if c is not cls.GEEN)


CATEGORY_LABELS: dict[Category, str] = {
    Category.GEWELD: "geweld",
    Category.DISCRIMINATIE_INCLUSIE: "discriminatie en inclusie",
    Category.ONPARTIJDIGHEID: "onpartijdigheid",
    Category.INTEGRITEIT: "integriteit",
    Category.GEEN: "geen moreel issue",
}


class TrustBlock(StrEnum):
    """Bouwstenen van vertrouwen."""

    NABIJHEID = "nabijheid"
    RECHTVAARDIGHEID = "rechtvaardigheid"
    EFFECTIVITEIT = "effectiviteit"


def parse_category(text: str) -> Category:
    """Parse a category from its code or Dutch label; raise ValueError with the valid choices."""
    key = text.strip().lower().replace(" en ", "_").replace("&", "_").replace("-", "_").replace(" ", "_")
    key = "_".join(part for part in key.split("_") if part)
    for category in Category:
        if key in (category.value, category.label.replace(" ", "_")):
            return category
    if key == "discriminatie":
        return Category.DISCRIMINATIE_INCLUSIE
    choices = ", ".join(c.value for c in Category.moral())
    raise ValueError(f"onbekende categorie '{text}'; kies uit: {choices}")


@dataclass(frozen=True)
class Unit:
    """A police unit (eenheid): 10 regional units (RE01–RE10) and the national LX and LO."""

    code: str
    name: str
    official_name: str
    regional: bool


@cache
def units() -> dict[str, Unit]:
    """All twelve units by code, from the bundled politie_eenheden.json."""
    raw = json.loads(resources.files("playbooks").joinpath("data/politie_eenheden.json").read_text("utf-8"))
    result: dict[str, Unit] = {}
    for item in raw["regionale_eenheden"]:
        result[item["code_cbs"]] = Unit(item["code_cbs"], item["naam"], item["officiele_naam"], True)
    for item in raw["landelijke_eenheden"]:
        if "afkorting" in item and "OPGEHEVEN" not in item.get("status", ""):
            short = item["naam"].removeprefix("Eenheid ")
            result[item["afkorting"]] = Unit(item["afkorting"], short, item["naam"], False)
    return result


def _unit_key(text: str) -> str:
    return text.strip().lower().removeprefix("eenheid ").replace("-", " ").replace("  ", " ")


def find_unit(text: str) -> Unit | None:
    """Find a unit by code (RE07, LX) or by name (Rotterdam, 'Eenheid Den Haag'), case-insensitive."""
    wanted = _unit_key(text)
    for unit in units().values():
        if wanted in (unit.code.lower(), _unit_key(unit.name), _unit_key(unit.official_name)):
            return unit
    return None


def parse_unit(text: str) -> Unit:
    """Like find_unit, but raise ValueError naming the valid units."""
    unit = find_unit(text)
    if unit is None:
        known = ", ".join(f"{u.code} ({u.name})" for u in units().values())
        raise ValueError(f"onbekende eenheid '{text}'; bekende eenheden: {known}")
    return unit


class CoreValue(StrEnum):
    """Kernwaarden of the police (politie.nl, Beroepscode)."""

    INTEGER = "integer"
    BETROUWBAAR = "betrouwbaar"
    MOEDIG = "moedig"
    VERBINDEND = "verbindend"


class EscalationLevel(StrEnum):
    """Who carries the message (boegbeeld), in escalation order."""

    WOORDVOERDER = "woordvoerder"
    POLITIECHEF = "politiechef"
    KORPSLEIDING = "korpsleiding"


class Phase(StrEnum):
    """Phases of an incident for which a norm statement is drafted."""

    EERSTE_REACTIE = "eerste_reactie"
    TIJDENS_ONDERZOEK = "tijdens_onderzoek"
    AFLOOP = "afloop"
    INTERN_NA_INCIDENT = "intern_na_incident"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Channel(StrEnum):
    """Channels a norm statement is written for."""

    PERSVERKLARING = "persverklaring"
    SOCIAL = "social"
    INTRANETBERICHT = "intranetbericht"
    BRIEF_LEIDINGGEVENDEN = "brief_leidinggevenden"
    WOORDVOERINGSLIJN = "woordvoeringslijn"

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.PERSVERKLARING: "persverklaring",
    Channel.SOCIAL: "social-mediabericht",
    Channel.INTRANETBERICHT: "intranetbericht",
    Channel.BRIEF_LEIDINGGEVENDEN: "brief aan leidinggevenden",
    Channel.WOORDVOERINGSLIJN: "woordvoeringslijn met vragen en antwoorden",
}

GENERAL_PLAYBOOK = "algemeen"
"""Name of the playbook with the principles that hold for every moral issue."""


def _choice_key(text: str) -> str:
    return "_".join(part for part in text.strip().lower().replace("-", " ").replace("_", " ").split())


def parse_phase(text: str) -> Phase:
    """Parse a phase ('eerste_reactie', 'eerste reactie'); raise ValueError with the valid choices."""
    key = _choice_key(text)
    for phase in Phase:
        if key == phase.value:
            return phase
    raise ValueError(f"onbekende fase '{text}'; kies uit: {', '.join(p.value for p in Phase)}")


def parse_channel(text: str) -> Channel:
    """Parse a channel ('social', 'brief leidinggevenden'); raise ValueError with the valid choices."""
    key = _choice_key(text)
    for channel in Channel:
        if key == channel.value:
            return channel
    raise ValueError(f"onbekend kanaal '{text}'; kies uit: {', '.join(c.value for c in Channel)}")
