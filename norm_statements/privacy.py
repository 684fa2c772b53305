"""Find personal names and other personal data in a statement; pragmatic rules tuned for precision."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from playbooks.vocabulary import units

_LOWER = "a-zà-ÿ"
_NAME = rf"[A-Z][{_LOWER}'’-]+"
_PARTICLE = r"(?:van der|van den|van de|van|de|der|den|ter|ten|el|al)"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)31[\s-]?(?:\(0\))?[\s-]?|0)[1-9](?:[\s-]?\d){8}(?!\d)")
POSTCODE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b")
STREET = re.compile(
    rf"\b[A-Z][{_LOWER}]+(?:straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|pad|dreef|hof|markt|baan|park|"
    r"plantsoen|ring|kanaal|wal|veld|erf|boulevard|allee|vaart|haven|hoek|poort|burgwal|dam|zijde|berg|straatweg)"
    r"\s+\d{1,4}(?:\s?[a-zA-Z](?![a-zA-Z]))?\b(?!-|\s+(?:keer|uur|jaar|minuten|mensen|personen|agenten|procent)\b)"
)
# "aan de Lange Voorhout 9", "op het Binnenhof 1": a capitalised name after 'aan/op de/het' and a house number that
# ends the phrase (not "op de Dam 200 mensen", not a year)
ADDRESS_AFTER_PREPOSITION = re.compile(
    rf"\b(?:aan|op) (?:de|het) ((?:[A-Z][{_LOWER}'’-]+\s+){{0,3}}[A-Z][{_LOWER}'’-]+)\s+(\d{{1,3}}[a-zA-Z]?)"
    r"(?=\s*(?:[,.;:)]|$|\s(?:in|te|op|bij|en|is|was|werd|wonen|woont|woonde)\b))"
)
# An age beside a person: "de 32-jarige man", "een 17-jarige", "de medewerker (45)", "een vrouw van 61 (jaar)".
_PERSON_NOUN = (
    r"(?:man|vrouw|jongen|meisje|jongeman|jonge vrouw|tiener|jongere|kind|baby|agent|agente|collega|medewerker|"
    r"medewerkster|verdachte|slachtoffer|arrestant|bestuurder|bestuurster|klager|klaagster|demonstrant|"
    r"demonstrante|bewoner|bewoonster|wethouder|burgemeester|vader|moeder|zoon|dochter|broer|zus|"
    r"buurman|buurvrouw|fietser|automobilist|voetganger|inwoner|inwoonster|student|studente|scholier|"
    r"hoofdagent|brigadier|wijkagent|inspecteur|rechercheur|betrokkene|aangehoudene|overledene|gewonde|patiënt)"
)
AGE_BY_PERSON = re.compile(
    r"\b\d{1,3}-jarige\b(?!\s+(?:bestaan|jubileum|organisatie|vereniging|samenwerking|traditie|geschiedenis|"
    r"loopbaan|carri[eè]re|dienstverband|ervaring|periode|looptijd|contract|relatie|huwelijk|strijd|oorlog|"
    r"onderzoek|programma|project|lidmaatschap)\b)"
    rf"|\b(?i:{_PERSON_NOUN})\s*\(\d{{1,3}}\)"
    rf"|\b(?i:{_PERSON_NOUN})\s+van\s+\d{{1,3}}(?:\s+jaar(?:\s+oud)?)?\b"
    r"(?![.,]\d|\s*(?:-|%|uur|minuten|seconden|procent|euro|meter|centimeter|cm|kilo|kg|km|dagen|weken|maanden|"
    r"keer|agenten|mensen|personen|man\b|stuks|graden))"
)
LICENSE_PLATE = re.compile(
    r"\b(?:[A-Z]{2}-\d{2}-\d{2}|\d{2}-\d{2}-[A-Z]{2}|\d{2}-[A-Z]{2}-\d{2}|[A-Z]{2}-\d{2}-[A-Z]{2}|"
    r"[A-Z]{2}-[A-Z]{2}-\d{2}|\d{2}-[A-Z]{2}-[A-Z]{2}|\d{2}-[A-Z]{3}-\d|\d-[A-Z]{3}-\d{2}|[A-Z]{2}-\d{3}-[A-Z]|"
    r"[A-Z]-\d{3}-[A-Z]{2}|[A-Z]{3}-\d{2}-[A-Z]|[A-Z]-\d{2}-[A-Z]{3}|\d-[A-Z]{2}-\d{3}|\d{3}-[A-Z]{2}-\d)\b"
)
BSN_CANDIDATE = re.compile(r"(?<![\d.,-])(\d{4}\.\d{2}\.\d{3}|\d{3}\.\d{3}\.\d{3}|\d{9})(?![\d])")
AGE_WITH_NAME = re.compile(rf"\b{_NAME}(?:\s+(?:{_PARTICLE}\s+)?(?:{_NAME}|[A-Z]\.))?\s*\(\d{{1,3}}\)")
TITLE_NAME = re.compile(
    r"(?:\b(?i:agente?|hoofdagent|brigadier|inspecteur|hoofdinspecteur|commissaris|wijkagent|rechercheur|"
    r"collega|de heer|meneer|mevrouw|verdachte|slachtoffer|arrestant)\b|\b(?i:mevr|mw|dhr|mr|dr)\.)"
    rf"\s+((?:[A-Z]\.\s?)*{_NAME}(?:\s+(?:{_PARTICLE}\s+)?{_NAME})?)"
)
INITIALS = re.compile(rf"\b(?:[A-Z]\.\s?){{1,3}}(?:{_PARTICLE}\s+)?({_NAME})")
SURNAME_INITIAL = re.compile(rf"\b({_NAME})\s+(?:{_PARTICLE}\s+)?[A-Z]\.(?=\s|$|[,;:)])")
NAME_PAIR = re.compile(rf"\b({_NAME})\s+(?:{_PARTICLE}\s+)?({_NAME})\b")
# Prepositions after which a capitalised pair is a place ('in Den Bosch', 'uit Nieuw Vennep').
PLACE_PREPOSITION = re.compile(r"\b(?:in|te|uit|naar|nabij|rond|gemeente|regio|eenheid)\s+$")
SENTENCE_START = re.compile(r"(?:^|[.!?:;“”\"'(\n]|^\s*[-•*]|\n\s*[-•*])\s*$")

# Capitalised words that are institutions, laws, places, months or ordinary sentence starters, not names.
_KNOWN_WORDS_TEXT = """
    Politie Nationale Nederland Nederlandse Openbaar Ministerie Rijksrecherche Koninklijke Marechaussee Directie
    Communicatie Korpsleiding Korpschef Politiechef Eenheid Landelijke Regionale Dienst Veiligheid Integriteit
    Klachten Grondwet Politiewet Ambtsinstructie Handelingskader Beroepscode Wetboek Strafrecht Wet Tweede Eerste
    Kamer Blauwe College Rechten Mens Raad State Hoge Minister Ministerie Justitie Burgemeester Gemeente Provincie
    Veiligheidsregio Kennemerland Haaglanden Twente Rijnmond Amstelland Hollands Midden Noord Oost Zuid West
    Controle Alt Delete Woordvoering Woordvoeringslijn Kernboodschap Rolverdeling Vragen Antwoorden Aan Van Datum
    Onderwerp Concept Reactie Stand Uitkomst Wat Wie Hoe Waarom Wanneer Waar Ook Maar En In Op Bij Uit Voor Na Er
    Die Dit Deze Dat De Het Een Wij We Zij Ze Hij Ik Je U Als Daarna Daarom Dus Toch Nu Vandaag Morgen Gisteren
    Collega Collega's Leidinggevenden Den
    Maandag Dinsdag Woensdag Donderdag Vrijdag Zaterdag Zondag Januari Februari Maart April Mei Juni Juli Augustus
    September Oktober November December Europese Unie Europees Hof Amnesty International Verenigde Naties
    Politieacademie Bureau Team Basisteam District Expertise Operaties Opsporing Interventies
"""
KNOWN_WORDS = frozenset(_KNOWN_WORDS_TEXT.split())


@cache
def _known_words() -> frozenset[str]:
    words = set(KNOWN_WORDS)
    for unit in units().values():
        words.update(re.split(r"[\s-]+", unit.name + " " + unit.official_name))
    return frozenset(w for w in words if w)


def _bsn_valid(digits: str) -> bool:
    numbers = [int(d) for d in digits]
    total = sum(n * w for n, w in zip(numbers[:8], range(9, 1, -1), strict=True)) - numbers[8]
    return total % 11 == 0 and int(digits) != 0


def _at_sentence_start(text: str, start: int) -> bool:
    return bool(SENTENCE_START.search(text[max(0, start - 40) : start]))


_CAPITAL_PARTICLES = frozenset({"De", "Van", "Der", "Den", "Ter", "Ten", "El", "Al"})


def _allowed(candidate: str, allowed: set[str], known: frozenset[str]) -> bool:
    """Allowed names, or capitalised words that are all institutions/places ('De' in 'De Groot' is ignored)."""
    if candidate.lower() in allowed:
        return True
    words = [w for w in re.split(r"[\s.]+", candidate) if w and w[0].isupper() and len(w) > 1]
    significant = [w for w in words if w not in _CAPITAL_PARTICLES] or words
    return bool(significant) and all(w in known for w in significant)


def find_personal_data(text: str, allowed_names: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Return (kind, excerpt) pairs for personal data; kinds: naam, leeftijd, email, telefoon, adres, kenteken, bsn."""
    allowed = {name.strip().lower() for name in allowed_names if name.strip()}
    known = _known_words()
    found: list[tuple[str, str]] = []

    def add(kind: str, excerpt: str) -> None:
        if (kind, excerpt) not in found:
            found.append((kind, excerpt))

    for match in EMAIL.finditer(text):
        add("email", match.group(0))
    for match in PHONE.finditer(text):
        add("telefoon", match.group(0))
    addresses: list[tuple[int, int]] = []
    for match in STREET.finditer(text):
        add("adres", match.group(0))
        addresses.append(match.span())
    for match in ADDRESS_AFTER_PREPOSITION.finditer(text):
        if not any(start < match.end() and match.start() < end for start, end in addresses):
            add("adres", match.group(0))
        addresses.append(match.span())
    for match in POSTCODE.finditer(text):
        add("adres", match.group(0))
    for match in LICENSE_PLATE.finditer(text):
        add("kenteken", match.group(0))
    for match in BSN_CANDIDATE.finditer(text):
        if _bsn_valid(match.group(1).replace(".", "")):
            add("bsn", match.group(1))
    taken: list[tuple[int, int]] = list(addresses)  # a street name is not a person's name

    def claim(match: re.Match[str]) -> bool:
        """Claim the span unless an earlier, more specific rule already reported it."""
        span = match.span()
        if any(span[0] < end and start < span[1] for start, end in taken):
            return False
        taken.append(span)
        return True

    for match in AGE_WITH_NAME.finditer(text):
        name = match.group(0).split("(")[0].strip()
        if not _allowed(name, allowed, known) and claim(match):
            add("leeftijd", match.group(0))
    for match in AGE_BY_PERSON.finditer(text):
        if claim(match):
            add("leeftijd", match.group(0))
    for pattern in (TITLE_NAME, INITIALS, SURNAME_INITIAL):
        for match in pattern.finditer(text):
            if not _allowed(match.group(1), allowed, known) and claim(match):
                add("naam", match.group(0).strip())
    for match in NAME_PAIR.finditer(text):
        first, last = match.group(1), match.group(2)
        if first in known or last in known or _allowed(match.group(0), allowed, known):
            continue
        if _at_sentence_start(text, match.start()) or PLACE_PREPOSITION.search(text[: match.start()]):
            continue
        if claim(match):
            add("naam", match.group(0))
    return found
