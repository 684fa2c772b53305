"""Render norm-statement drafts from the playbooks and the Jinja2 templates (sandboxed, StrictUndefined)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from itertools import product
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from norm_statements.channels import CHANNEL_LIMITS
from norm_statements.templates_loader import ResourceLoader
from playbooks.loader import load_playbook
from playbooks.vocabulary import (
    Category,
    Channel,
    Phase,
    find_unit,
    parse_category,
    parse_channel,
    parse_phase,
)

VARIABLES: tuple[str, ...] = (
    "plaats", "eenheid", "datum", "wat_er_gebeurde", "wat_we_doen", "boegbeeld", "volgende_update", "uitkomst",
)
OUTCOMES: tuple[str, ...] = ("onbekend", "geen_verwijtbaar_handelen", "verwijtbaar")
LANGUAGES: tuple[str, ...] = ("nl",)
PLACEHOLDER = re.compile(r"\[\[[^\[\]]*\]\]")
_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


class DraftError(ValueError):
    """Input the drafting cannot use; the message is Dutch and meant for the user."""


@dataclass(frozen=True)
class Draft:
    """A rendered draft plus the [[…]] placeholders a person still has to fill in."""

    category: Category
    phase: Phase
    channel: Channel
    text: str
    placeholders: list[str] = field(default_factory=list)
    lang: str = "nl"
    variables: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return asdict(self)


def list_combinations() -> list[tuple[Category, Phase, Channel]]:
    """Every category × phase × channel a draft can be made for."""
    return list(product(Category.moral(), Phase, Channel))


def dutch_date(day: date) -> str:
    """Format a date the Dutch way: 29 november 2026."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _capfirst(value: str) -> str:
    return value[:1].upper() + value[1:]


def _lowerfirst(value: str) -> str:
    """Lower the first letter, for a sentence that continues after a colon or comma."""
    return value[:1].lower() + value[1:] if value[1:2].islower() else value


def _without_full_stop(value: str) -> str:
    """Drop the final full stop so a quotation can end in '”, zegt …' (Dutch style)."""
    return value.rstrip().removesuffix(".")


@cache
def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=ResourceLoader(),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["capfirst"] = _capfirst
    env.filters["lowerfirst"] = _lowerfirst
    env.filters["zonder_punt"] = _without_full_stop
    return env


def _parse(category: Category | str, phase: Phase | str, channel: Channel | str) -> tuple[Category, Phase, Channel]:
    try:
        cat = category if isinstance(category, Category) else parse_category(category)
        ph = phase if isinstance(phase, Phase) else parse_phase(phase)
        ch = channel if isinstance(channel, Channel) else parse_channel(channel)
    except ValueError as exc:
        raise DraftError(str(exc)) from None
    if cat not in Category.moral():
        raise DraftError(f"geen sjablonen voor '{cat.value}'; kies uit: {', '.join(c.value for c in Category.moral())}")
    return cat, ph, ch


def _context(category: Category, phase: Phase, given: dict[str, str], today: date) -> dict[str, Any]:
    unknown = sorted(set(given) - set(VARIABLES))
    if unknown:
        raise DraftError(f"onbekende variabele(n): {', '.join(unknown)}; bekend zijn: {', '.join(VARIABLES)}")
    values = {key: value.strip() for key, value in given.items()}
    empty = sorted(key for key, value in values.items() if not value)
    if empty:
        raise DraftError(f"variabele(n) zonder waarde: {', '.join(empty)}")
    playbook = load_playbook(category)
    assert playbook.teksten is not None  # the schema requires teksten for every category playbook
    texts = playbook.teksten.model_dump()
    if "eenheid" in values:
        unit = find_unit(values["eenheid"])
        if unit is None:
            raise DraftError(
                f"onbekende eenheid '{values['eenheid']}'; gebruik een naam of code, bijv. Rotterdam of RE07"
            )
        values["eenheid"] = unit.name
    uitkomst = values.get("uitkomst", "onbekend")
    if uitkomst not in OUTCOMES:
        raise DraftError(f"onbekende uitkomst '{uitkomst}'; kies uit: {', '.join(OUTCOMES)}")
    eenheid = values.get("eenheid", "[[eenheid]]")
    context: dict[str, Any] = {
        "plaats": "[[plaats]]",
        "datum": dutch_date(today),
        "wat_er_gebeurde": "[[wat er gebeurde: feitelijk, zonder namen]]",
        "wat_we_doen": texts["acties"][phase.value],
        "boegbeeld": f"de politiechef van eenheid {eenheid}",
        "volgende_update": "[[moment van de volgende update]]",
        **values,
        "eenheid": eenheid,
        "eenheid_tekst": f"eenheid {eenheid}",
        "uitkomst": uitkomst,
        "categorie_label": category.label,
        "pb": playbook.model_dump(),
        "t": texts,
    }
    return context


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def draft(
    category: Category | str,
    phase: Phase | str,
    channel: Channel | str,
    variables: dict[str, str] | None = None,
    lang: str = "nl",
    *,
    today: date | None = None,
) -> Draft:
    """Render the draft for one combination; DraftError (Dutch message) for input it cannot use."""
    cat, ph, ch = _parse(category, phase, channel)
    if lang == "en":
        raise DraftError("Engelse sjablonen zijn er nog niet; gebruik --lang nl")
    if lang not in LANGUAGES:
        raise DraftError(f"onbekende taal '{lang}'; kies uit: {', '.join(LANGUAGES)}")
    context = _context(cat, ph, dict(variables or {}), today or date.today())
    try:
        text = _tidy(_environment().get_template(f"{lang}/{ph.value}/{ch.value}.j2").render(context))
    except TemplateError as exc:  # a broken template is a bug, but say where it is
        raise DraftError(f"sjabloon {lang}/{ph.value}/{ch.value}.j2 kan niet worden gemaakt: {exc}") from exc
    limit = CHANNEL_LIMITS[ch]
    if len(text) > limit.max_chars:
        raise DraftError(
            f"het {ch.label} wordt {len(text)} tekens, maximaal {limit.max_chars}: "
            "maak de variabelen korter (bijvoorbeeld plaats of volgende_update)"
        )
    placeholders = list(dict.fromkeys(PLACEHOLDER.findall(text)))
    return Draft(cat, ph, ch, text, placeholders, lang, dict(variables or {}))
