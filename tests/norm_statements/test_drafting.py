"""Drafting: every combination is usable, variables land in the text, wrong input gives a clear Dutch error."""

from __future__ import annotations

from datetime import date

import pytest

from norm_statements.check import check
from norm_statements.drafting import DraftError, draft, list_combinations
from norm_statements.findings import Severity
from norm_statements.templates_loader import ResourceLoader
from playbooks.vocabulary import Category, Channel, Phase

FILLED = {
    "plaats": "Tilburg",
    "eenheid": "RE08",
    "datum": "3 december 2026",
    "wat_er_gebeurde": "Op beelden is te zien hoe een agent een man bij een aanhouding slaat.",
    "volgende_update": "vandaag om 17.00 uur",
}


@pytest.mark.parametrize(("category", "phase", "channel"), list_combinations(), ids=str)
def test_default_draft_passes_check_apart_from_placeholders(category: Category, phase: Phase, channel: Channel) -> None:
    result = draft(category, phase, channel, today=date(2026, 11, 29))
    problems = [
        f for f in check(result.text, channel, category)
        if f.severity is not Severity.INFO and f.code != "placeholder-open"
    ]
    assert problems == []
    assert {f.excerpt for f in check(result.text, channel, category) if f.code == "placeholder-open"} == set(
        result.placeholders
    )


@pytest.mark.parametrize(("category", "phase", "channel"), list_combinations(), ids=str)
@pytest.mark.parametrize("outcome", ["geen_verwijtbaar_handelen", "verwijtbaar"])
def test_filled_draft_has_no_errors(category: Category, phase: Phase, channel: Channel, outcome: str) -> None:
    result = draft(category, phase, channel, {**FILLED, "uitkomst": outcome})
    assert [f for f in check(result.text, channel, category) if f.severity is Severity.ERROR] == []
    assert result.placeholders == []
    if channel is Channel.SOCIAL:
        assert len(result.text) <= 280


def test_variables_appear_and_unit_code_becomes_its_name() -> None:
    result = draft("geweld", "eerste_reactie", "persverklaring", FILLED)
    assert "Tilburg, 3 december 2026" in result.text
    assert "eenheid Zeeland-West-Brabant" in result.text
    assert "de politiechef van eenheid Zeeland-West-Brabant" in result.text
    assert FILLED["wat_er_gebeurde"] in result.text


def test_boegbeeld_and_wat_we_doen_override_the_playbook_defaults() -> None:
    result = draft("integriteit", "tijdens_onderzoek", "persverklaring",
                   {"boegbeeld": "de plaatsvervangend korpschef", "wat_we_doen": "We stellen een extern onderzoek in."})
    assert "zegt de plaatsvervangend korpschef" in result.text
    assert "We stellen een extern onderzoek in." in result.text


def test_afloop_branches_on_the_outcome() -> None:
    cleared = draft("geweld", "afloop", "persverklaring", {"uitkomst": "geen_verwijtbaar_handelen"}).text
    culpable = draft("geweld", "afloop", "persverklaring", {"uitkomst": "verwijtbaar"}).text
    unknown = draft("geweld", "afloop", "persverklaring").text
    assert "binnen de regels bleef" in cleared and "kijken we wat we kunnen leren" in cleared
    assert "Dat had niet mogen gebeuren" in culpable and "maatregelen" in culpable
    assert "[[uitkomst in één zin, zonder namen]]" in unknown


def test_template_values_are_data_not_code() -> None:
    result = draft("geweld", "eerste_reactie", "persverklaring", {"wat_er_gebeurde": "{{ 7 * 7 }} {% if 1 %}x{% endif %}"})
    assert "{{ 7 * 7 }} {% if 1 %}x{% endif %}" in result.text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"category": "verkeer"}, "onbekende categorie 'verkeer'"),
        ({"category": "geen"}, "geen sjablonen voor 'geen'"),
        ({"phase": "nazorg"}, "onbekende fase 'nazorg'"),
        ({"channel": "fax"}, "onbekend kanaal 'fax'"),
        ({"variables": {"stad": "Utrecht"}}, "onbekende variabele(n): stad"),
        ({"variables": {"plaats": "  "}}, "variabele(n) zonder waarde: plaats"),
        ({"variables": {"eenheid": "Atlantis"}}, "onbekende eenheid 'Atlantis'"),
        ({"variables": {"uitkomst": "vrijspraak"}}, "onbekende uitkomst 'vrijspraak'"),
        ({"lang": "en"}, "Engelse sjablonen zijn er nog niet"),
        ({"lang": "fr"}, "onbekende taal 'fr'"),
    ],
)
def test_wrong_input_is_a_dutch_draft_error(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"category": "geweld", "phase": "afloop", "channel": "social", **kwargs}
    with pytest.raises(DraftError) as info:
        draft(**args)  # type: ignore[arg-type]
    assert message in str(info.value)


def test_social_over_280_characters_is_refused() -> None:
    with pytest.raises(DraftError, match="maximaal 280"):
        draft("integriteit", "tijdens_onderzoek", "social", {"plaats": "Capelle aan den IJssel " * 3})


def test_templates_ship_as_package_data() -> None:
    names = ResourceLoader().list_templates()
    leaves = [n for n in names if n.count("/") == 2]
    assert len(leaves) == len(Phase) * len(Channel)
    assert "nl/_macros.j2" in names
