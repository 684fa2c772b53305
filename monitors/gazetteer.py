"""Dutch gazetteer: municipalities, woonplaatsen and aliases → veiligheidsregio → police unit."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data" / "nl"

# Token = a word, or the article 's / 't that opens names like 's-Hertogenbosch and 't Harde.
TOKEN_RE = re.compile(r"(?i:['’‘][st])(?=[\s\-])|[^\W_]+")
_QUALIFIER_SUFFIX = re.compile(r"\s*\((?:L|NH|ZH|O|Z|Gld|GLD|NB)\.?\)$|\s+(?:Gn|L|NH|Gld)$|\s+gem\.\s.*$")

# Aliases beyond the CSV: Frisian names (Ljouwert = Leeuwarden …) and common short forms.
EXTRA_ALIASES: dict[str, str] = {
    "Ljouwert": "Leeuwarden",
    "Snits": "Sneek",
    "Harns": "Harlingen",
    "Frjentsjer": "Franeker",
    "Boalsert": "Bolsward",
    "Hearrenfean": "Heerenveen",
    "It Hearrenfean": "Heerenveen",
    "De Jouwer": "Joure",
    "Jouwer": "Joure",
    "De Lemmer": "Lemmer",
    "Starum": "Stavoren",
    "Hylpen": "Hindeloopen",
    "Sleat": "Sloten",
    "Warkum": "Workum",
    "Wolvegea": "Wolvega",
    "Easterwâlde": "Oosterwolde",
    "Gorredyk": "Gorredijk",
    "Drachten": "Drachten",
    "Den Haag": "'s-Gravenhage",
    "Den Bosch": "'s-Hertogenbosch",
    # City districts that the news names instead of the city (not woonplaatsen in the CBS list).
    "Hoogvliet": "Rotterdam",
    "Charlois": "Rotterdam",
    "Kralingen": "Rotterdam",
    "Delfshaven": "Rotterdam",
    "Scheveningen": "'s-Gravenhage",
    "Schilderswijk": "'s-Gravenhage",
    "Loosduinen": "'s-Gravenhage",
    "Bijlmer": "Amsterdam",
    "Bijlmermeer": "Amsterdam",
    "Slotervaart": "Amsterdam",
    "Osdorp": "Amsterdam",
    "Kanaleneiland": "Utrecht",
    "Overvecht": "Utrecht",
}
# Slang aliases in the CSV that are far more often something else.
EXCLUDED_ALIASES: dict[str, str] = {"Tilly": "voornaam", "Utca": "te zeldzaam; botst met namen"}

PROVINCES: dict[str, tuple[str, ...]] = {
    "Groningen": ("Groningen",),
    "Fryslân": ("Fryslân", "Friesland"),
    "Drenthe": ("Drenthe",),
    "Overijssel": ("Overijssel",),
    "Flevoland": ("Flevoland",),
    "Gelderland": ("Gelderland",),
    "Utrecht": ("Utrecht",),
    "Noord-Holland": ("Noord-Holland",),
    "Zuid-Holland": ("Zuid-Holland",),
    "Zeeland": ("Zeeland",),
    "Noord-Brabant": ("Noord-Brabant", "Brabant"),
    "Limburg": ("Limburg",),
}
# Abbreviations used right after a place name: "Hoorn (NH)", "Bergen L", "Hengelo (Gld)".
QUALIFIERS: dict[str, str] = {
    "nh": "Noord-Holland", "n h": "Noord-Holland", "zh": "Zuid-Holland", "z h": "Zuid-Holland",
    "l": "Limburg", "lb": "Limburg", "li": "Limburg", "gld": "Gelderland", "gl": "Gelderland",
    "gn": "Groningen", "gr": "Groningen", "fr": "Fryslân", "dr": "Drenthe", "ov": "Overijssel",
    "o": "Overijssel", "u": "Utrecht", "ut": "Utrecht", "fl": "Flevoland", "nb": "Noord-Brabant",
    "n b": "Noord-Brabant", "z": "Zeeland", "zl": "Zeeland",
}
# Regions that settle an ambiguous name ("Laren in het Gooi", "Valkenburg in Zuid-Limburg").
REGIONS: dict[str, str] = {
    "Gooi": "Noord-Holland", "Het Gooi": "Noord-Holland", "West-Friesland": "Noord-Holland",
    "Kennemerland": "Noord-Holland", "Zaanstreek": "Noord-Holland", "Achterhoek": "Gelderland",
    "Betuwe": "Gelderland", "Veluwe": "Gelderland", "Liemers": "Gelderland", "Twente": "Overijssel",
    "Salland": "Overijssel", "Zuid-Limburg": "Limburg", "Heuvelland": "Limburg",
    "Noord-Limburg": "Limburg", "Bollenstreek": "Zuid-Holland", "Haaglanden": "Zuid-Holland",
    "Rijnmond": "Zuid-Holland", "Westerkwartier": "Groningen", "Waddeneilanden": "Fryslân",
    "Peel": "Noord-Brabant", "Kempen": "Noord-Brabant", "Meierij": "Noord-Brabant",
    "Brabantse": "Noord-Brabant", "Limburgse": "Limburg", "Friese": "Fryslân", "Zeeuwse": "Zeeland",
    "Groningse": "Groningen", "Drentse": "Drenthe", "Gelderse": "Gelderland", "Twentse": "Overijssel",
    "Overijsselse": "Overijssel", "Utrechtse": "Utrecht", "Flevolandse": "Flevoland",
    "Noord-Hollandse": "Noord-Holland", "Zuid-Hollandse": "Zuid-Holland", "Gooise": "Noord-Holland",
}


def fold(word: str) -> str:
    """Lowercase without diacritics and with straight apostrophes (Fryslân → fryslan)."""
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("’", "'").replace("‘", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(name: str) -> tuple[str, ...]:
    """The token key of a name, as text tokens are looked up ('s-Gravenhage → ("'s", "gravenhage"))."""
    return tuple(fold(m.group()) for m in TOKEN_RE.finditer(name))


@dataclass(frozen=True)
class Location:
    """A place the gazetteer knows: woonplaats, municipality or province, with its police unit."""

    name: str
    kind: str
    municipality: str | None
    province: str
    region: str | None
    unit: str | None


@dataclass
class Gazetteer:
    """Name keys → candidate locations, plus context words that point to a province."""

    names: dict[tuple[str, ...], tuple[Location, ...]]
    context: dict[tuple[str, ...], str]
    preferred: dict[tuple[str, ...], Location] = field(default_factory=dict)
    max_tokens: int = 1
    municipalities: dict[str, Location] = field(default_factory=dict)

    def lookup(self, key: tuple[str, ...]) -> tuple[Location, ...]:
        """Candidates for a token key (empty when unknown)."""
        return self.names.get(key, ())

    def is_ambiguous(self, key: tuple[str, ...]) -> bool:
        """True when a name points to more than one police unit (or none) among its candidates."""
        return len({c.unit for c in self.lookup(key)}) > 1

    def unit_of_province(self, province: str) -> str | None:
        """The single unit covering a province, or None when it spans several (Noord-Holland)."""
        found = {m.unit for m in self.municipalities.values() if m.province == province}
        return found.pop() if len(found) == 1 else None


def base_name(name: str) -> str:
    """Strip the CBS qualifier: 'Beek (L.)' → 'Beek', 'Haren Gn' → 'Haren'."""
    return _QUALIFIER_SUFFIX.sub("", name).strip()


def _read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _variants(name: str) -> Iterable[str]:
    # Qualified forms ("Bergen (NH)") are not indexed: the matcher reads the qualifier after the name.
    name = base_name(name)
    yield name
    if "St." in name:
        yield name.replace("St.-", "Sint-").replace("St. ", "Sint ")


def _unique(locations: Iterable[Location]) -> tuple[Location, ...]:
    seen: dict[tuple[str | None, str | None], Location] = {}
    for loc in locations:
        key = (loc.municipality, loc.unit)
        # A municipality and its main woonplaats of the same name are one place; keep the woonplaats.
        if key not in seen or seen[key].kind == "gemeente":
            seen[key] = loc
    return tuple(seen.values())


@cache
def load_gazetteer() -> Gazetteer:
    """Build the gazetteer from the CSV files in monitors/data/nl (cached)."""
    index: dict[tuple[str, ...], list[Location]] = defaultdict(list)
    municipalities: dict[str, Location] = {}
    aliases: dict[str, str] = {}
    for row in _read("gemeenten_2025_vr_politie.csv"):
        loc = Location(
            row["gemeentenaam"], "gemeente", row["gemeentenaam"], row["provincie"],
            row["veiligheidsregio_naam"], row["politie_eenheid_code"],
        )
        municipalities[loc.name] = loc
        for variant in _variants(loc.name):
            index[name_key(variant)].append(loc)
        for alias in filter(None, (a.strip() for a in row["aliassen"].split("|"))):
            if alias not in EXCLUDED_ALIASES:
                aliases[alias] = loc.name
    for row in _read("woonplaatsen_2024_gemeente_politie.csv"):
        loc = Location(
            base_name(row["woonplaatsnaam"]), "woonplaats", row["gemeentenaam"], row["provincie"],
            row["veiligheidsregio_naam"], row["politie_eenheid_code"],
        )
        for variant in _variants(row["woonplaatsnaam"]):
            index[name_key(variant)].append(loc)
    for province in PROVINCES:
        unit = {m.unit for m in municipalities.values() if m.province == province}
        if len(unit) == 1:
            loc = Location(province, "provincie", None, province, None, unit.pop())
            for spelling in PROVINCES[province]:
                if spelling not in ("Groningen", "Utrecht", "Brabant"):
                    index[name_key(spelling)].append(loc)
    for alias, target in {**aliases, **EXTRA_ALIASES}.items():
        index[name_key(alias)].extend(index[name_key(target)])
    names = {key: _unique(locs) for key, locs in index.items() if key}
    context: dict[tuple[str, ...], str] = {}
    for province, spellings in PROVINCES.items():
        for spelling in spellings:
            context[name_key(spelling)] = province
    for region, province in REGIONS.items():
        context[name_key(region)] = province
    longest = max(len(k) for k in [*names, *context])
    gazetteer = Gazetteer(names, context, max_tokens=longest, municipalities=municipalities)
    gazetteer.preferred = _preferred(gazetteer)
    return gazetteer


# When context does not settle an ambiguous name, the reading most news means (and why).
PREFERRED_READING: dict[str, tuple[str, str]] = {
    "Valkenburg": ("Valkenburg aan de Geul", "het toeristenstadje in Zuid-Limburg is veel groter"),
    "Velp": ("Rheden", "Velp (Gld) is veel groter dan Velp in Land van Cuijk"),
    "Rozenburg": ("Rotterdam", "Rotterdams deelgebied; de buurtschap in Haarlemmermeer is klein"),
    "Zevenhuizen": ("Zuidplas", "Zevenhuizen (ZH) is groter"),
    "Haren": ("Groningen", "Haren (Gn) is veel groter dan Haren bij Oss"),
    "Zeeland": ("", "meestal de provincie, niet het dorp in Maashorst"),
    "Beek": ("Beek (L.)", "de Limburgse gemeente Beek"),
    "Hengelo": ("Hengelo (O.)", "de Twentse stad"),
    "Rijswijk": ("Rijswijk (ZH.)", "de gemeente bij Den Haag"),
    "Laren": ("Laren (NH.)", "de gemeente in het Gooi"),
}


def _preferred(gazetteer: Gazetteer) -> dict[tuple[str, ...], Location]:
    """Default readings: a candidate that is its own municipality, else the curated PREFERRED_READING."""
    result: dict[tuple[str, ...], Location] = {}
    for key, candidates in gazetteer.names.items():
        if len({c.unit for c in candidates}) < 2:
            continue
        own = [c for c in candidates if c.municipality and name_key(base_name(c.municipality)) == key]
        if len(own) == 1:
            result[key] = own[0]
    for name, (municipality, _reason) in PREFERRED_READING.items():
        for candidate in gazetteer.names.get(name_key(name), ()):
            if (municipality and candidate.municipality == municipality) or (
                not municipality and candidate.kind == "provincie"
            ):
                result[name_key(name)] = candidate
    return result
