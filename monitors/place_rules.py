"""Curated rules for place matching: common-word names, KMar territory and LX infrastructure."""

from __future__ import annotations

import re

# Place names that are also ordinary words or names. They count only when capitalised, not at the
# start of a sentence, and right after a locative word ("in Best", "uit Goes") or before a qualifier.
COMMON_WORD_PLACES: dict[str, str] = {
    "best": "bijwoord ('best bizar')",
    "goes": "Engels werkwoord",
    "born": "Engels werkwoord",
    "echt": "bijwoord ('echt waar')",
    "een": "lidwoord en telwoord",
    "haren": "meervoud van haar",
    "hoek": "zelfstandig naamwoord",
    "loon": "salaris",
    "made": "Engels werkwoord; insectenlarve",
    "neer": "bijwoord",
    "veen": "grondsoort",
    "waal": "de rivier",
    "well": "Engels bijwoord",
    "heel": "bijwoord ('heel erg')",
    "hem": "voornaamwoord",
    "boer": "beroep en achternaam",
    "lies": "voornaam",
    "putten": "werkwoord en meervoud",
    "leek": "werkwoord ('het leek')",
    "lent": "Engels zelfstandig naamwoord",
    "mill": "Engels zelfstandig naamwoord",
    "horn": "Engels zelfstandig naamwoord",
    "spui": "straatnaam in Amsterdam en Den Haag",
    "kaag": "ook het meer",
    "noorden": "windrichting",
    "monster": "zelfstandig naamwoord",
    "vries": "achternaam (De Vries)",
    "linde": "boom en voornaam",
    "helden": "meervoud van held",
    "doorn": "zelfstandig naamwoord",
    "hall": "Engels zelfstandig naamwoord",
    "ens": "achternaam",
    "rijs": "werkwoordsvorm",
    "hoeven": "werkwoord",
    "sluis": "kunstwerk in een waterweg",
    "hoogland": "achternaam",
    "beek": "waterloop en achternaam",
    "grave": "Engels bijvoeglijk naamwoord; achternaam",
    "handel": "zelfstandig naamwoord ('handel in drugs')",
    "enter": "Engels werkwoord",
    "erica": "voornaam en plant",
    "winkel": "zelfstandig naamwoord",
    "heide": "landschap",
    "schijf": "zelfstandig naamwoord",
    "spier": "zelfstandig naamwoord",
    "anderen": "voornaamwoord",
    "halfweg": "bijwoord",
    "velden": "meervoud van veld",
    "wateren": "meervoud van water",
    "waarde": "zelfstandig naamwoord",
    "zegge": "plant; 'zegge en schrijve'",
    "graft": "Engels zelfstandig naamwoord",
    "dorst": "zelfstandig naamwoord",
    "amen": "gebedsslot",
    "balk": "zelfstandig naamwoord",
    "meppen": "werkwoord; Duitse stad",
    "halle": "Duitse en Belgische stad",
    "beets": "achternaam; Engels",
    "blije": "bijvoeglijk naamwoord",
    "buren": "meervoud van buur",
    "groet": "zelfstandig naamwoord",
    "zetten": "werkwoord",
    "petten": "meervoud van pet",
    "wedde": "werkwoordsvorm",
    "rien": "voornaam",
}
# Never places in news text, although the woonplaatsen list has them.
NOT_PLACES: dict[str, str] = {
    "nederland": "het land, niet de buurtschap in Steenwijkerland",
    "america": "in nieuws vrijwel altijd de VS, niet het dorp in Horst aan de Maas",
    "oranje": "het elftal of het koningshuis, niet het dorp in Midden-Drenthe",
    "bern": "de Zwitserse hoofdstad, niet het dorp in Maasdriel",
    "zurich": "de Zwitserse stad, niet het Friese dorp",
}
LOCATIVE_WORDS = frozenset(
    {
        "in", "uit", "te", "bij", "nabij", "naar", "rond", "richting", "via", "omgeving", "buurt",
        "gemeente", "dorp", "stad", "centrum", "inwoners", "inwoner", "bewoners", "regio",
        "woonplaats", "tussen", "vanuit",
    }
)

KMAR_NOTE = "KMar (Koninklijke Marechaussee) is bevoegd op Schiphol en bij grenstoezicht, niet de politie"
KMAR_PLACES = frozenset({("schiphol",), ("luchthaven", "schiphol")})
KMAR_RE = re.compile(
    r"\b(?:grenscontroles?|grensbewaking|grenstoezicht|grensovergang\w*|MTV-controles?|"
    r"(?:Koninklijke\s+)?[Mm]arechaussee|KMar)\b"
)

# Motorways: "op de A12", "snelweg A2", "A4 bij Leiden"; a bare "A4" (paper size) is not enough.
_MOTORWAYS = [
    str(n)
    for n in (1, 2, 4, 5, 6, 7, 8, 9, 10, 12, 13, 15, 16, 17, 18, 20, 22, 27, 28, 29, 30, 31, 32, 35, 37,
              38, 44, 50, 58, 59, 65, 67, 73, 74, 76, 77, 79, 200, 208, 256, 270, 325, 326, 348)
]
MOTORWAY_RE = re.compile(
    r"(?:\b(?i:op|over|langs|van|naar|via)\s+de\s+|\b(?i:snelweg|rijksweg|autosnelweg)\s+)"
    r"(A(?:" + "|".join(sorted(_MOTORWAYS, key=len, reverse=True)) + r"))\b"
    r"|\b(A(?:" + "|".join(sorted(_MOTORWAYS, key=len, reverse=True)) + r"))\s+"
    r"(?=(?i:bij|ter hoogte van|richting|tussen|afgesloten|dicht)\b)"
)
RAIL_RE = re.compile(
    r"\b(?:(?-i:NS-\w+|NS)|ProRail|spoorweg\w*|spoorlijn\w*|spoorbaan|spoorbrug|spoorpolitie|"
    r"(?:op|langs|over|naast)\s+het\s+spoor|trein\w*|intercity|sprinter|conducteurs?|perrons?|"
    r"(?:op|bij|in)\s+(?:het\s+)?station)\b",
    re.IGNORECASE,
)
WATER_RE = re.compile(
    r"\b(?:waterpolitie|IJsselmeer|Markermeer|Waddenzee|Noordzee|Westerschelde|Oosterschelde|"
    r"Noordzeekanaal|Amsterdam-Rijnkanaal|binnenvaart\w*|(?:op|in)\s+de\s+(?-i:Waal|Rijn|Maas|IJssel|Lek))\b",
    re.IGNORECASE,
)
LX_NOTE = "infrastructuur (snelweg, spoor, rijkswater) valt onder de Landelijke Expertise en Operaties (LX)"
