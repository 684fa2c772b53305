"""The quality check against our own corpus of good and bad statements, and its individual rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from norm_statements.check import check
from norm_statements.findings import Severity, has_errors
from norm_statements.privacy import find_personal_data

STATEMENTS = Path(__file__).resolve().parents[1] / "data" / "statements"


def _cases() -> list[Any]:
    cases = []
    for path in (STATEMENTS / "goed.yaml", STATEMENTS / "fout.yaml"):  # labelled.yaml is the measured set
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.stem}: {case['naam']}"))
    return cases


def test_corpus_is_big_enough_and_mixed() -> None:
    cases = [p.values[0] for p in _cases()]
    assert len(cases) >= 20
    assert sum(not c["verwacht"] for c in cases) >= 8
    assert sum(bool(c["verwacht"]) for c in cases) >= 12


@pytest.mark.parametrize("case", _cases())
def test_statement_gives_exactly_the_expected_findings(case: dict[str, Any]) -> None:
    findings = check(case["tekst"], case["kanaal"], case["categorie"], allowed_names=case.get("toegestane_namen", []))
    assert sorted({f.code for f in findings}) == sorted(set(case["verwacht"]))
    for finding in findings:
        assert finding.message and finding.fix, "every finding says what is wrong and how to fix it"


def test_bad_statement_findings_point_at_the_offending_text() -> None:
    text = "Discriminatie past niet bij ons. De collega's wilden even stoom afblazen. We leren hiervan en zijn open."
    (finding,) = [f for f in check(text, "intranetbericht", "discriminatie_inclusie") if f.code == "bagatelliseren"]
    assert finding.severity is Severity.ERROR
    assert finding.excerpt == "De collega's wilden even stoom afblazen."
    assert "stoom afblazen" in finding.fix


def test_missing_norm_suggests_the_category_norm() -> None:
    findings = check("Er loopt een onderzoek.", "persverklaring", "onpartijdigheid")
    (norm,) = [f for f in findings if f.code == "norm-ontbreekt"]
    assert "De politie kiest geen partij." in norm.fix
    assert has_errors(findings)


def test_every_channel_has_a_length_limit_and_names_it() -> None:
    long_text = "Geweld mag alleen als het echt nodig is. We leren en leggen verantwoording af. " * 40
    social = {f.code: f for f in check(long_text[:281], "social", "geweld")}
    press = {f.code: f for f in check(long_text, "persverklaring", "geweld")}
    assert social["te-lang"].severity is Severity.ERROR and "hoogstens 280 tekens" in social["te-lang"].message
    assert press["te-lang"].severity is Severity.ERROR and "hoogstens 3000 tekens" in press["te-lang"].message
    assert "te-lang" not in {f.code for f in check(long_text[:280], "social", "geweld")}


def test_unknown_channel_or_category_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="onbekend kanaal 'krant'"):
        check("tekst", "krant", "geweld")
    with pytest.raises(ValueError, match="onbekende categorie 'sport'"):
        check("tekst", "social", "sport")


@pytest.mark.parametrize(
    ("text", "kind", "excerpt"),
    [
        ("Daarbij was hoofdagent Jansen betrokken.", "naam", "hoofdagent Jansen"),
        ("Volgens J.P. de Vries klopt dat niet.", "naam", "J.P. de Vries"),
        ("De verdachte, Mohammed B., is aangehouden.", "naam", "Mohammed B."),
        ("Daarna sprak mevrouw Yilmaz met de pers.", "naam", "mevrouw Yilmaz"),
        ("Het gaat om Sanne de Wit (19) uit Breda.", "leeftijd", "Sanne de Wit (19)"),
        ("Bel 010-1234567 voor informatie.", "telefoon", "010-1234567"),
        ("Mail naar iemand@example.org.", "email", "iemand@example.org"),
        ("De auto met kenteken GB-123-X stond er.", "kenteken", "GB-123-X"),
        ("Hij woont aan de Stationsweg 4a.", "adres", "Stationsweg 4a"),
        ("Een 19-jarige uit Venlo werd bij de controle geduwd.", "leeftijd", "19-jarige"),
        ("De agente (29) is met verlof.", "leeftijd", "agente (29)"),
        ("Een jongen van 16 jaar zat achterin.", "leeftijd", "jongen van 16 jaar"),
        ("Ze verzamelden zich bij zijn huis aan het Julianapark 8.", "adres", "Julianapark 8"),
        ("De bijeenkomst was bij haar thuis, aan de Lange Nieuwstraat 140b.", "adres", "Nieuwstraat 140b"),
        ("Zijn woning op de Oude Markt 3 werd beklad.", "adres", "op de Oude Markt 3"),
        ("Het BSN 123.456.782 hoort niet in een bericht.", "bsn", "123.456.782"),
    ],
)
def test_personal_data_is_found(text: str, kind: str, excerpt: str) -> None:
    assert (kind, excerpt) in find_personal_data(text)


@pytest.mark.parametrize(
    "text",
    [
        "Het Openbaar Ministerie en de Rijksrecherche doen onderzoek.",
        "De politiechef van eenheid Oost-Brabant en de Directie Communicatie stemmen af.",
        "Na de demonstratie in Den Haag stelde de Tweede Kamer vragen.",
        "Een man uit Amersfoort is aangehouden.",
        "Binnen 24 uur en in 2025 nog eens 48 uur lang kwamen er 300 meldingen.",
        "Het 25-jarige bestaan van het team vierden we niet.",
        "Een groep van 200 demonstranten en een agent van 2 meter lang.",
        "De demonstratie op het Malieveld duurde 3 uur; in de Stationsstraat bleef het rustig.",
        "De Grondwet en de Politiewet zijn duidelijk.",
        "Bel 0900-8844 voor contact met de politie.",
        "Het nummer 123456789 is geen geldig BSN.",
        "Op 12 maart 2026 om 16.00 uur volgt een update.",
    ],
)
def test_institutions_places_and_ordinary_numbers_are_not_personal_data(text: str) -> None:
    assert find_personal_data(text) == []


def test_allowed_names_are_not_flagged() -> None:
    text = "“Dit past niet bij ons”, zegt politiechef Anna Bakker."
    assert find_personal_data(text) != []
    assert find_personal_data(text, allowed_names=["Anna Bakker"]) == []


def test_minimising_words_that_are_rejected_are_not_flagged() -> None:
    text = "Discriminatie past niet bij ons. Werkdruk is nooit een excuus. We leren hiervan en zijn open."
    assert "bagatelliseren" not in {f.code for f in check(text, "intranetbericht", "discriminatie")}


def test_judgement_backed_by_an_investigation_is_not_premature() -> None:
    premature = "Geweld mag alleen als het echt nodig is. De agent heeft correct gehandeld. We leren en zijn open."
    backed = "Geweld mag alleen als het echt nodig is. Uit het onderzoek blijkt dat de agent correct heeft gehandeld. " \
        "We leren en zijn open."
    assert "vooroordeel-collega" in {f.code for f in check(premature, "persverklaring", "geweld")}
    assert "vooroordeel-collega" not in {f.code for f in check(backed, "persverklaring", "geweld")}


_FRAME = ("Geweld gebruiken we alleen als het echt nodig is. {} We kijken kritisch naar ons eigen optreden en leggen "
          "daarover verantwoording af.")


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("Het filmpje is door de maker geknipt.", "schuld-afschuiven"),
        ("De video is uit zijn context gehaald.", "schuld-afschuiven"),
        ("De opnames geven een eenzijdig beeld van de avond.", "schuld-afschuiven"),
        ("De organisatoren hebben de onrust zelf laten oplopen.", "schuld-afschuiven"),
        ("Dat het misging, lag vooral aan de organisatie van de mars.", "schuld-afschuiven"),
        ("Hij had het zelf in de hand om dit te voorkomen.", "schuld-afschuiven"),
        ("Activisten stoken de boel op sociale media op.", "schuld-afschuiven"),
        ("Na een lange dienst waren de collega's moe.", "schuld-afschuiven"),
        ("Door de onderbezetting stond er maar één team op straat.", "schuld-afschuiven"),
        ("In het uniform is verder niets mis mee.", "bagatelliseren"),
        ("Het ging om een kleine duw tegen de schouder.", "bagatelliseren"),
        ("De agenten zijn onschuldig.", "vooroordeel-collega"),
        ("De agenten zijn volkomen correct opgetreden.", "vooroordeel-collega"),
        ("Het staat vast dat de collega de gegevens heeft verkocht.", "vooroordeel-collega"),
        ("De agent die de man sloeg, heeft hem zonder twijfel met opzet geraakt.", "vooroordeel-collega"),
    ],
)
def test_defensive_forms_are_errors_without_a_model(sentence: str, code: str) -> None:
    findings = [f for f in check(_FRAME.format(sentence), "persverklaring", "geweld") if f.code == code]
    assert [(f.severity, f.excerpt) for f in findings] == [(Severity.ERROR, sentence)]


@pytest.mark.parametrize(
    "sentence",
    [
        "De video die rondgaat, duurt ongeveer een minuut.",
        "We spraken vooraf met de organisatoren over de route.",
        "Critici zeggen dat we te laat ingrepen, en daar hebben ze een punt.",
        "We weten dat de werkdruk hoog is, maar dat is nooit een excuus voor onnodig geweld.",
        "De agenten waren twaalf uur aan het werk, maar dat verandert niets aan wat we van hen verwachten.",
        "We oordelen niet over de collega's voordat het onderzoek klaar is.",
        "Journalist: is er dus niets aan de hand?",
        "De demonstratie in de Stationsstraat duurde 3 uur en trok 200 mensen.",
    ],
)
def test_hard_cases_near_the_defensive_forms_are_not_errors(sentence: str) -> None:
    assert [f.code for f in check(_FRAME.format(sentence), "persverklaring", "geweld")
            if f.severity is Severity.ERROR] == []


def test_an_age_beside_a_person_is_personal_data_with_a_fix_without_it() -> None:
    text = _FRAME.format("Een 23-jarige vrouw uit Deventer werd daarbij geduwd.")
    (finding,) = [f for f in check(text, "persverklaring", "geweld") if f.code == "persoonsgegevens"]
    assert finding.severity is Severity.ERROR and finding.excerpt == "23-jarige"
    assert "jarige" not in finding.fix  # the fix no longer suggests an age
