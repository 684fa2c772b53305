"""Places → units: aliases, Frisian names, ambiguous names, common words, KMar and LX infrastructure."""

from __future__ import annotations

import csv

import pytest

from monitors.gazetteer import DATA_DIR, base_name, load_gazetteer, name_key
from monitors.place_rules import COMMON_WORD_PLACES
from monitors.places import find_places


@pytest.mark.parametrize(
    ("text", "municipality", "unit"),
    [
        ("Schietpartij in Den Haag", "'s-Gravenhage", "RE06"),
        ("Raadsvergadering in 's-Gravenhage", "'s-Gravenhage", "RE06"),
        ("Vechtpartij in Den Bosch", "'s-Hertogenbosch", "RE09"),
        ("Carnaval in 's-Hertogenbosch", "'s-Hertogenbosch", "RE09"),
        ("Brand in Ljouwert", "Leeuwarden", "RE01"),
        ("Onrust in Snits", "Súdwest-Fryslân", "RE01"),
        ("Aanhouding in Harns", "Harlingen", "RE01"),
        ("Steekpartij in Sneek", "Súdwest-Fryslân", "RE01"),
        ("Demonstratie in Staphorst", "Staphorst", "RE02"),
        ("Kopstoot in Rotterdam-Zuid", "Rotterdam", "RE07"),
        ("Rellen in 2e Exloërmond", "Borger-Odoorn", "RE01"),
        ("Ongeluk in Alphen aan den Rijn", "Alphen aan den Rijn", "RE06"),
    ],
)
def test_aliases_and_frisian_names_reach_the_right_unit(text: str, municipality: str, unit: str) -> None:
    result = find_places(text)
    assert result.municipality == municipality
    assert result.units[0] == unit
    assert not result.ambiguous


@pytest.mark.parametrize(
    ("title", "text", "municipality", "unit"),
    [
        ("Inbraken in Hoorn (NH)", "", "Hoorn", "RE04"),
        ("Inbraken in Hoorn", "Ook elders op Terschelling werd ingebroken.", "Terschelling", "RE01"),
        ("Inbraken in Hoorn", "De politie in West-Friesland waarschuwt.", "Hoorn", "RE04"),
        ("Drukte in Valkenburg aan de Geul", "In Valkenburg was het druk.", "Valkenburg aan de Geul", "RE10"),
        ("Overval in Laren", "Laren in het Gooi schrikt op.", "Laren (NH.)", "RE03"),
        ("Overval in Laren", "De Achterhoekse gemeente Lochem reageert.", "Lochem", "RE02"),
        ("Storm in Zeeland", "Vooral in Vlissingen waaide het hard.", "Vlissingen", "RE08"),
        ("Feest in Zeeland", "Het Brabantse dorp Zeeland bij Uden viert feest.", "Maashorst", "RE09"),
        ("Brand in Bergen (L)", "", "Bergen (L.)", "RE10"),
        ("Brand in Velp", "Het vuur in Velp bij Arnhem was snel geblust.", "Rheden", "RE02"),
    ],
)
def test_ambiguous_names_settled_from_context(title: str, text: str, municipality: str, unit: str) -> None:
    result = find_places(title, text)
    assert result.municipality == municipality
    assert result.units[0] == unit
    assert not result.ambiguous
    assert "beslist door" in result.explanation


def test_unsettled_ambiguous_name_is_flagged_with_candidates() -> None:
    result = find_places("Brand in Bergen", "De brandweer was snel ter plaatse.")
    assert result.ambiguous and "ambiguous" in result.flags
    (place,) = result.places
    assert set(place.candidate_units) == {"RE04", "RE10"}
    assert result.units == ()
    assert "dubbelzinnig" in result.explanation


def test_unsettled_name_with_a_usual_reading_is_flagged_and_low_confidence() -> None:
    result = find_places("Inbraak in Hoorn", "")
    assert result.ambiguous
    assert result.units == ("RE04",)
    assert result.confidence < 0.5


def test_feed_unit_hint_settles_an_ambiguous_name() -> None:
    result = find_places("Brand in Bergen", "", unit_hint="RE10")
    assert result.units == ("RE10",) and not result.ambiguous


def test_every_listed_ambiguous_name_is_ambiguous_in_the_gazetteer() -> None:
    gazetteer = load_gazetteer()
    with (DATA_DIR / "dubbelzinnige_plaatsnamen.csv").open(encoding="utf-8") as handle:
        names = [row["naam_lowercase"] for row in csv.DictReader(handle)]
    assert len(names) >= 20
    for name in names:
        assert gazetteer.is_ambiguous(name_key(name)), name


def test_every_municipality_mentioned_in_a_sentence_maps_to_its_unit() -> None:
    gazetteer = load_gazetteer()
    wrong = []
    for municipality in gazetteer.municipalities.values():
        result = find_places("", f"Er is een incident in {municipality.name}.")
        candidates = {u for p in result.places for u in p.candidate_units}
        if municipality.unit not in candidates:
            wrong.append(municipality.name)
    assert wrong == []


@pytest.mark.parametrize(
    "text",
    [
        "Echt waar, dit had niemand verwacht.",
        "Best bizar wat er gisteren gebeurde.",
        "Een man is aangehouden na een ruzie.",
        "Het ging heel snel, zegt een getuige.",
        "Jan de Vries werd bedankt voor zijn inzet.",
        "In heel Nederland was het onrustig.",
        "De kinderen moesten hun haren laten knippen.",
        "Hij print alles op A4-papier.",
        "Het loon van agenten stijgt volgend jaar.",
    ],
)
def test_common_words_are_not_places(text: str) -> None:
    result = find_places("", text)
    assert result.places == (), result.explanation
    assert result.units == ()


def test_common_word_place_counts_after_a_locative_word() -> None:
    result = find_places("Man uit Best aangehouden", "Een 34-jarige man uit Best is in Goes aangehouden.")
    assert {p.municipality for p in result.places} == {"Best", "Goes"}
    assert set(result.units) == {"RE08", "RE09"}


def test_common_word_list_names_real_places() -> None:
    gazetteer = load_gazetteer()
    for word in COMMON_WORD_PLACES:
        assert gazetteer.lookup((word,)), word


def test_schiphol_belongs_to_the_kmar_not_the_police() -> None:
    result = find_places("Man aangehouden op Schiphol met vals paspoort", "")
    assert result.kmar and "kmar" in result.flags
    assert result.units == ()
    assert "Koninklijke Marechaussee" in result.explanation


def test_border_checks_are_flagged_kmar() -> None:
    result = find_places("Grenscontrole bij Venlo", "Bij een grenscontrole bij Venlo werden drie mensen aangehouden.")
    assert result.kmar
    assert "RE10" in result.units


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Ongeluk op de A12 bij Gouda", "snelweg"),
        ("Rijksweg A2 urenlang dicht", "snelweg"),
        ("Conducteur mishandeld in NS-trein", "spoor"),
        ("Persoon aangereden langs het spoor", "spoor"),
        ("Waterpolitie controleert pleziervaart", "water"),
    ],
)
def test_motorways_rail_and_water_go_to_lx(text: str, kind: str) -> None:
    result = find_places(text)
    assert "LX" in result.units
    assert result.lx_infrastructure
    assert any(p.kind == kind and p.unit == "LX" for p in result.places)


def test_place_and_infrastructure_together_name_both_units() -> None:
    result = find_places("Ongeluk op de A12 bij Gouda", "")
    assert set(result.units) == {"RE06", "LX"}
    assert result.municipality == "Gouda"


def test_base_name_strips_cbs_qualifiers() -> None:
    assert base_name("Beek (L.)") == "Beek"
    assert base_name("Haren Gn") == "Haren"
    assert base_name("Spaarndam gem. Haarlem") == "Spaarndam"


@pytest.mark.parametrize(
    "text",
    [
        "Handel in verdovende middelen blijft een probleem.",
        "De buren hoorden een harde knal.",
        "Oranje speelt vanavond in Amsterdam tegen Duitsland.",
        "Bank of America meldt hogere winst.",
        "Waarde van de buit wordt geschat op duizenden euro's.",
    ],
)
def test_names_that_are_words_or_foreign_places_are_not_matched(text: str) -> None:
    result = find_places("", text)
    assert all(p.municipality in (None, "Amsterdam") for p in result.places), result.explanation


def test_short_names_do_not_match_through_diacritics() -> None:
    assert find_places("", "ÎÉ werd gezien.").places == ()


def test_a_qualifier_does_not_reach_across_a_full_stop() -> None:
    result = find_places("", "Brand in Bergen. L. de Vries zag de vlammen als eerste.")
    assert result.ambiguous and result.units == ()  # "L." is an initial, not the Limburg qualifier


def test_a_regional_feed_without_a_place_gives_a_weak_unit_guess() -> None:
    result = find_places("Politie zoekt getuigen van straatroof", "", unit_hint="RE07")
    assert result.units == ("RE07",) and result.confidence == 0.3
    assert "eenheid van de bron" in result.explanation
    with_place = find_places("Straatroof in Zwolle", "", unit_hint="RE07")
    assert with_place.units == ("RE02",)
