"""Unit evidence beyond place names: adjectival forms, landmarks, national services, unit names and the outlet."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

DATA_DIR = Path(__file__).parent / "data" / "nl"
NATIONAL_UNIT = "LX"
NATIONAL_RE = re.compile(
    r"\b(?:Landelijke\s+Eenheid|Dienst\s+Landelijke\s+Informatieorganisatie|DLIO|Dienst\s+Bewaken\s+en\s+"
    r"Beveiligen|DBB|Dienst\s+Speciale\s+Interventies|DSI|Landelijke\s+Expertise\s+en\s+Operaties|"
    r"Landelijk\s+Operationele\s+Samenwerking)\b"
)
# Force-wide policy: the minister, parliament and the unions speak for the whole police, not one unit.
POLICY_RE = re.compile(
    r"\b(?:[Mm]inister|[Ss]taatssecretaris|Tweede Kamer|Kamerleden|Kamermeerderheid|Kamervragen|kabinet|"
    r"politievakbond\w*|politiebond\w*|NPB|ACP|korpsleiding|korpschef|Nationale\s+Politie|politietop|"
    # force-wide reports and figures: the inspectorate, watchdogs, the academy, yearly counts
    r"[Ii]nspectie|Amnesty(?:\s+International)?|Nationale\s+ombudsman|Politieacademie|politiecultuur|"
    r"wetsvoorstel|cao|discriminatiecijfers|meldingen\s+van\s+discriminatie|schietincidenten|zwartboek)\b"
)
# "de Haagse politie" names the police unit itself, a stronger clue than "een Haagse agent".
POLICE_AFTER_RE = re.compile(r"\s+(?:politie|recherche|politiekorps|zedenpolitie)\b")
UNIT_NAME_RE = re.compile(
    r"\b(?:(?:politie(?:eenheid)?|eenheid)\s+)?(Noord-Nederland|Oost-Nederland|Midden-Nederland|"
    r"Zeeland-West-Brabant|Oost-Brabant)\b"
)
UNIT_NAMES = {"Noord-Nederland": "RE01", "Oost-Nederland": "RE02", "Midden-Nederland": "RE03",
              "Zeeland-West-Brabant": "RE08", "Oost-Brabant": "RE09"}


@dataclass(frozen=True)
class Evidence:
    """One clue to a unit: what matched, what kind of clue, the unit(s) it points to and how sure."""

    matched: str
    kind: str  # bijvoeglijk | politienaam | herkenningspunt | functionaris | landelijk | beleid | eenheid | bron
    place: str
    units: tuple[str, ...]
    confidence: float
    start: int = -1  # offset in the text; -1 for the link


def _rows(name: str) -> list[list[str]]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def regular_adjectives() -> dict[str, tuple[str, str]]:
    """Inflected adjectives of one-word municipality names by the regular rule (ANS 12.4.2.3.3: name + -s,
    inflected -se; a name ending in -s takes only -e): Zwolle is irregular and is in the hand list."""
    forms: dict[str, tuple[str, str]] = {}
    with (DATA_DIR / "gemeenten_2025_vr_politie.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name, unit = row["gemeentenaam"], row["politie_eenheid_code"]
            if not re.fullmatch(r"[A-Z][a-z]{3,}", name) or name.endswith("e"):
                continue  # multi-word, hyphenated, 's-names and -e names (Almere → Almeers) are irregular
            form = name + ("e" if name.endswith("s") else "se")
            clash = form in forms and forms[form][1] != unit
            forms[form] = (name, "" if clash else unit)
    return {form: value for form, value in forms.items() if value[1]}


_Entry = tuple[str, str, tuple[str, ...]]
_WORD_RE = re.compile(r"(?<![\w-])[A-Z][\w-]*")


@cache
def _text_tables() -> tuple[dict[str, _Entry], re.Pattern[str], dict[str, _Entry]]:
    """One-word forms in a dict (looked up per capitalised word); multi-word landmarks in one regex."""
    words: dict[str, _Entry] = {
        form: ("bijvoeglijk", place, (unit,)) for form, (place, unit) in regular_adjectives().items()
    }
    for form, units, place in _rows("adjectives.tsv"):
        entry = ("bijvoeglijk", place, tuple(units.split("|")))
        words[form] = entry
        if form.endswith("s"):
            words[form + "e"] = entry
    phrases: dict[str, _Entry] = {}
    alternatives = []
    for index, (pattern, place, unit) in enumerate(_rows("landmarks.tsv")):
        if re.fullmatch(r"[\w-]+", pattern):
            words[pattern] = ("herkenningspunt", place, (unit,))
        else:
            alternatives.append(f"(?P<l{index}>{pattern})")
            phrases[f"l{index}"] = ("herkenningspunt", place, (unit,))
    return words, re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])"), phrases


@cache
def _outlets() -> list[tuple[str, str, tuple[str, ...], float]]:
    rows = [(host, name, tuple(units.split("|")), float(conf)) for host, name, units, conf in _rows("outlets.tsv")]
    return sorted(rows, key=lambda r: -len(r[0]))


@cache
def _officials() -> list[tuple[re.Pattern[str], str, str, str, str]]:
    rows = []
    for pattern, place, unit, start, end in (row + [""] * (5 - len(row)) for row in _rows("officials.tsv")):
        rows.append((re.compile(r"\b[Bb]urgemeester\s+(?:" + pattern + r")\b"), place, unit, start, end))
    return rows


def official_evidence(text: str, on: str | None = None) -> list[Evidence]:
    """A named mayor ("burgemeester Halsema"), only while in office on `on` (YYYY-MM-DD; None = today's holders)."""
    month = (on or "")[:7]
    found = []
    for pattern, place, unit, start, end in _officials():
        in_office = (start <= month and (not end or month <= end)) if month else not end
        match = pattern.search(text) if in_office else None
        if match:
            found.append(Evidence(match.group(), "functionaris", place, (unit,), 0.75, match.start()))
    return found


def text_evidence(text: str, on: str | None = None) -> list[Evidence]:
    """Adjectival/inhabitant forms, landmarks, national services and unit names (a dict lookup per word)."""
    words, pattern, phrases = _text_tables()
    found = []
    for m in _WORD_RE.finditer(text):
        if m.group() in words:
            kind, place, units = words[m.group()]
            if kind == "bijvoeglijk" and POLICE_AFTER_RE.match(text, m.end()):
                kind, place = "politienaam", f"{m.group()} politie ({place})"
            found.append(Evidence(m.group(), kind, place, units, 0.75 if len(units) == 1 else 0.4, m.start()))
    for m in pattern.finditer(text):
        kind, place, units = phrases[m.lastgroup or ""]
        found.append(Evidence(m.group(), kind, place, units, 0.75, m.start()))
    policy = POLICY_RE.search(text)
    if policy:
        found.append(Evidence(policy.group(), "beleid", "landelijk beleid", (NATIONAL_UNIT,), 0.6, policy.start()))
    if "urgemeester" in text:
        found += official_evidence(text, on)
    for match in NATIONAL_RE.finditer(text):
        found.append(Evidence(match.group(), "landelijk", "landelijke dienst", (NATIONAL_UNIT,), 0.7, match.start()))
    for match in UNIT_NAME_RE.finditer(text):
        found.append(Evidence(match.group(), "eenheid", match.group(1), (UNIT_NAMES[match.group(1)],), 0.9,
                              match.start()))
    return found


def link_evidence(link: str | None) -> Evidence | None:
    """The outlet behind a link (a regional broadcaster, a city edition, politie.nl's unit pages)."""
    if not link:
        return None
    parts = urlsplit(link.strip())
    host = parts.netloc.lower().removeprefix("www.")
    full = host + parts.path.lower()
    if host.endswith("politie.nl"):
        for name, unit in UNIT_NAMES.items():
            if name.lower() in full:
                return Evidence(link, "bron", f"politie.nl ({name})", (unit,), 0.6)
        return None
    for prefix, name, units, conf in _outlets():
        if full == prefix or full.startswith(prefix + "/") or full.startswith(prefix + ".") or (
            "/" not in prefix and host.endswith("." + prefix)) or host == prefix:
            return Evidence(name, "bron", name, units, conf)
    return None


def narrow(candidates: Iterable[str], evidence: Evidence | None) -> tuple[str, ...]:
    """Candidates an outlet's coverage allows (Omroep Brabant: RE08/RE09); all of them if it says nothing."""
    units = tuple(candidates)
    if evidence is None:
        return units
    kept = tuple(u for u in units if u in evidence.units)
    return kept or units
