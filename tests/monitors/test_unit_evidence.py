"""Units from all the evidence a feed item carries: adjectives, landmarks, services, outlet, incident."""

from __future__ import annotations

from monitors.corpus import CorpusItem
from monitors.incident_units import inherit_incident_unit, share_incident_units
from monitors.models import Article, Incident
from monitors.places import find_places
from monitors.unit_eval import predict_units, unit_accuracy


def _item(id_: str, title: str, link: str, incident: str, unit: str, evidence: str = "text") -> CorpusItem:
    return CorpusItem(id_, title, "", link, "2024-03-01", "NOS", ("geweld",), "moral", False, unit, evidence, incident)


def test_adjectival_and_inhabitant_forms_give_the_unit() -> None:
    assert find_places("Rotterdamse agent geschorst na klap tegen verdachte").units == ("RE07",)
    assert find_places("Haagse politie onder vuur na inval").units == ("RE06",)
    assert find_places("Zeeuwse agenten gewond bij aanhouding").units == ("RE08",)
    assert find_places("Bossche wijkagent vertelt over zijn werk").units == ("RE09",)
    assert find_places("Twentse agent krijgt berisping").units == ("RE02",)


def test_brabant_is_ambiguous_until_the_outlet_narrows_nothing_and_stays_onbekend() -> None:
    result = find_places("Brabantse politie stopt met proef", link="https://nos.nl/artikel/1")
    assert result.units == () and result.confidence == 0.0
    assert "RE08 of RE09" in result.explanation


def test_landmarks_and_national_services() -> None:
    assert find_places("Politie voert demonstranten af van het Malieveld").units == ("RE06",)
    assert find_places("Agent slaat man op de Coolsingel").units == ("RE07",)
    assert find_places("Medewerker DLIO verdacht van lekken").units == ("LX",)
    assert "landelijke dienst" in find_places("Dienst Bewaken en Beveiligen krijgt meer mensen").explanation


def test_outlet_link_gives_a_weak_unit_and_names_the_source() -> None:
    result = find_places("Politie houdt man aan na achtervolging", link="https://www.rtvoost.nl/nieuws/2210")
    assert result.units == ("RE02",) and result.confidence < 0.7
    assert "RTV Oost" in result.explanation and "bron" in result.explanation


def test_text_beats_the_outlet() -> None:
    result = find_places("Amsterdamse agent ontslagen", link="https://www.rtvoost.nl/nieuws/1")
    assert result.units[0] == "RE05"


def test_nothing_known_is_onbekend_with_low_confidence() -> None:
    result = find_places("Agent ontslagen na appgroep", link="https://nos.nl/artikel/9")
    assert result.units == () and result.confidence == 0.0
    assert "onbekend" in result.explanation


def test_articles_of_one_incident_share_their_unit() -> None:
    shared = share_incident_units(
        {"a": ("RE02",), "b": (), "c": ()}, {"a": 0.9, "b": 0.0, "c": 0.0}, {"a": "i1", "b": "i1", "c": "i2"}
    )
    assert shared["b"][0] == ("RE02",) and shared["b"][1] < 0.9
    assert shared["c"] == ((), 0.0)


def test_unit_accuracy_counts_knowable_items_and_uses_the_incident() -> None:
    items = [
        _item("x1", "Agent in Staphorst aangevallen bij protest", "https://nos.nl/1", "inc1", "RE02"),
        _item("x2", "Rechter spreekt zich uit over rellen", "https://nos.nl/2", "inc1", "RE02", "incident"),
        _item("x3", "Agent ontslagen", "https://nos.nl/3", "inc2", "onbekend", "none"),
    ]
    assert predict_units(items) == {"x1": "RE02", "x2": "RE02", "x3": "onbekend"}
    scores = unit_accuracy(items)
    assert scores["knowable"] == {"n": 2.0, "accuracy": 1.0}
    assert scores["all"]["accuracy"] == 1.0


def test_regular_adjectives_come_from_the_municipality_list() -> None:
    assert find_places("Staphorster ophef: Staphorstse agenten belaagd bij intocht").units == ("RE02",)
    assert find_places("Meppelse politie zoekt getuigen van steekpartij").units == ("RE01",)


def test_a_named_mayor_counts_only_in_office() -> None:
    during = find_places("Burgemeester Aboutaleb verdedigt optreden ME", published="2021-01-25")
    assert during.units == ("RE07",) and "burgemeester" in during.explanation
    assert find_places("Burgemeester Aboutaleb verdedigt optreden ME", published="2025-03-01").units == ()
    assert find_places("Halsema wil meer agenten", published="2023-05-01").units == ()  # no role word


def test_an_article_without_place_takes_its_incidents_single_unit_and_says_so() -> None:
    later = Article(units=[], places={"units": [], "explanation": "geen plaats"}, place_confidence=0.0)
    assert inherit_incident_unit(later, Incident(units=["RE02"]))
    assert later.units == ["RE02"] and later.place_confidence < 0.75
    assert "eenheid van het incident (RE02)" in later.places["explanation"]
    other = Article(units=[], places={}, place_confidence=0.0)
    assert not inherit_incident_unit(other, Incident(units=["RE01", "RE02"])) and other.units == []


def test_a_units_name_is_not_the_village_inside_it() -> None:
    result = find_places("Agent aangehouden", "Het gaat om een agent van de eenheid Zeeland-West-Brabant.")
    assert result.units == ("RE08",) and "naam van de eenheid" in result.explanation


def test_the_police_named_by_adjective_outweighs_a_place_and_policy_is_national() -> None:
    result = find_places("Inbrekers opgepakt in Uithoorn", "De Haagse politie volgde de groep al maanden.")
    assert result.units[0] == "RE06" and "politie genoemd" in result.explanation
    policy = find_places("Minister houdt vast aan neutraal uniform", "Een Rotterdamse agente had geklaagd.",
                         link="https://www.rijnmond.nl/nieuws/1")
    assert policy.units[0] == "LX"


def test_weak_outlet_evidence_yields_to_the_incident() -> None:
    shared = share_incident_units(
        {"a": ("RE09",), "b": ("RE09",), "c": ("RE08",)}, {"a": 0.9, "b": 0.75, "c": 0.45},
        {"a": "i1", "b": "i1", "c": "i1"},
    )
    assert shared["c"][0] == ("RE09",) and shared["a"] == (("RE09",), 0.9)
