"""Find Dutch place names in an article and map them to municipality and police unit(s)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from monitors.gazetteer import QUALIFIERS, TOKEN_RE, Gazetteer, Location, fold, load_gazetteer
from monitors.place_rules import (
    COMMON_WORD_PLACES,
    KMAR_NOTE,
    KMAR_PLACES,
    KMAR_RE,
    LOCATIVE_WORDS,
    LX_NOTE,
    MOTORWAY_RE,
    NOT_PLACES,
    RAIL_RE,
    WATER_RE,
)
from monitors.unit_evidence import UNIT_NAME_RE, Evidence, link_evidence, narrow, text_evidence

_SENTENCE_END = set(".!?:;\n\r\"“”'«»([—–|")


@dataclass(frozen=True)
class Token:
    """A word in the text with its folded key and offsets."""

    text: str
    key: str
    start: int
    end: int


@dataclass(frozen=True)
class Place:
    """One place found in the text, with its municipality and unit (None when unsettled or KMar)."""

    name: str
    matched: str
    kind: str
    municipality: str | None
    province: str | None
    unit: str | None
    confidence: float
    in_title: bool
    ambiguous: bool = False
    candidate_units: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class PlaceResult:
    """What the places step concludes about an article: places, municipality, units and why."""

    places: tuple[Place, ...]
    municipality: str | None
    units: tuple[str, ...]
    unit_scores: dict[str, float]
    confidence: float
    ambiguous: bool
    kmar: bool
    lx_infrastructure: bool
    explanation: str
    flags: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (for storage and `--json`)."""
        return asdict(self)


def tokenize(text: str) -> list[Token]:
    """Split text into word tokens, keeping offsets."""
    return [Token(m.group(), fold(m.group()), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def _sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t'\"‘“(":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END or (text[i] == "-" and i > 0 and text[i - 1] == " ")


_QUALIFIER_GAP = re.compile(r"\s*[(,]?\s*")


def _qualifier_after(text: str, tokens: list[Token], j: int) -> str | None:
    """A province abbreviation right after a name: 'Hoorn (NH)', 'Bergen L', 'Velp (N-B)', not across a full stop."""
    if j >= len(tokens) or not _QUALIFIER_GAP.fullmatch(text[tokens[j - 1].end : tokens[j].start]):
        return None
    for width in (2, 1):
        words = tokens[j : j + width]
        if len(words) == width and all(t.text[:1].isupper() and len(t.text) <= 3 for t in words):
            province = QUALIFIERS.get(" ".join(t.key for t in words))
            if province:
                return province
    return None


@dataclass
class _Hit:
    key: tuple[str, ...]
    matched: str
    candidates: tuple[Location, ...]
    in_title: bool
    qualifier: str | None
    common_word: bool
    start: int


_Context = tuple[str, bool, int]


def _scan(gaz: Gazetteer, text: str, in_title: bool, hits: list[_Hit], context: list[_Context]) -> None:
    tokens = tokenize(text)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        for width in range(min(gaz.max_tokens, len(tokens) - i), 0, -1):
            key = tuple(t.key for t in tokens[i : i + width])
            candidates = gaz.lookup(key)
            if key in gaz.context and tok.text[:1].isupper() and not gaz.is_ambiguous(key):
                # A region word ("West-Friesland") is context, and its parts are not places.
                context.append((gaz.context[key], in_title, tok.start))
                if not candidates:
                    i += width - 1
                    break
            if not candidates or key[0] in NOT_PLACES or not _capitalised(tok):
                continue
            if width == 1 and len(key[0]) <= 3 and tok.text.lower() != key[0]:
                continue  # short names must match exactly: "ÎÉ" is not Ie, "Eé" is not Ee
            common = width == 1 and key[0] in COMMON_WORD_PLACES
            qualifier = _qualifier_after(text, tokens, i + width)
            if common and not qualifier and (
                _sentence_start(text, tok.start) or i == 0 or tokens[i - 1].key not in LOCATIVE_WORDS
            ):
                continue
            matched = text[tok.start : tokens[i + width - 1].end]
            hits.append(_Hit(key, matched, candidates, in_title, qualifier, common, tok.start))
            i += width - 1
            break
        i += 1


def _capitalised(tok: Token) -> bool:
    first = tok.text.lstrip("'’‘")
    return tok.text[:1] in "'’‘" or first[:1].isupper() or first[:1].isdigit()


def _settle(
    gaz: Gazetteer, hit: _Hit, all_context: list[_Context], sure: list[Location], hint: str | None
) -> Place:
    """Pick one candidate for a hit, from qualifier, region words, other places or the feed's unit."""
    context = {prov for prov, title, start in all_context if (title, start) != (hit.in_title, hit.start)}
    units = tuple(sorted({c.unit or "" for c in hit.candidates} - {""}))
    base = (0.95 if hit.in_title else 0.9) - (0.15 if hit.common_word else 0.0)
    if len(units) <= 1:
        municipalities = {c.municipality for c in hit.candidates}
        loc = hit.candidates[0]
        return _place(hit, loc, base if loc.kind != "provincie" else 0.5, municipalities)

    def score(loc: Location) -> float:
        s = 3.0 if hit.qualifier == loc.province else 0.0
        s += 2.0 if loc.province in context else 0.0
        s += sum(1.0 for other in sure if other.province == loc.province)
        s += sum(0.5 for other in sure if other.unit == loc.unit)
        s += 1.0 if hint and loc.unit == hint else 0.0
        return s

    ranked = sorted(hit.candidates, key=score, reverse=True)
    best, runner_up = score(ranked[0]), score(ranked[1])
    if best > 0 and best > runner_up:
        why = "kwalificatie" if hit.qualifier == ranked[0].province else "context"
        conf = 0.85 if why == "kwalificatie" else 0.7
        note = f"dubbelzinnig, beslist door {why}"
        return _place(hit, ranked[0], conf, {ranked[0].municipality}, note=note)
    default = gaz.preferred.get(hit.key)
    note = "dubbelzinnig: " + ", ".join(f"{c.municipality or c.name} ({c.unit})" for c in hit.candidates)
    if default is None:
        return Place(hit.matched, hit.matched, "onbeslist", None, None, None, 0.2, hit.in_title,
                     True, units, note)
    return _place(hit, default, 0.4, {default.municipality}, ambiguous=True, units=units,
                  note=note + f"; aangenomen {default.municipality or default.name}")


def _place(
    hit: _Hit, loc: Location, conf: float, municipalities: set[str | None], *, ambiguous: bool = False,
    units: tuple[str, ...] = (), note: str = "",
) -> Place:
    municipality = loc.municipality if len(municipalities) == 1 else None
    return Place(loc.name, hit.matched, loc.kind, municipality, loc.province, loc.unit, round(conf, 2),
                 hit.in_title, ambiguous, units or ((loc.unit,) if loc.unit else ()), note)


def find_places(
    title: str, text: str = "", *, unit_hint: str | None = None, gazetteer: Gazetteer | None = None,
    link: str | None = None, published: str | None = None,
) -> PlaceResult:
    """Find places and other unit clues in title, text and link; settle ambiguous names; flag KMar and LX."""
    gaz = gazetteer or load_gazetteer()
    hits: list[_Hit] = []
    context: list[_Context] = []
    # A unit's name ("eenheid Zeeland-West-Brabant") is a clue of its own, not the village Zeeland.
    _scan(gaz, _mask_unit_names(title), True, hits, context)
    _scan(gaz, _mask_unit_names(text), False, hits, context)
    places: list[Place] = []
    kmar = False
    sure = [
        h.candidates[0]
        for h in hits
        if len({c.unit for c in h.candidates}) == 1 and h.key not in KMAR_PLACES
        and h.candidates[0].kind != "provincie"
    ]
    for hit in hits:
        if hit.key in KMAR_PLACES:
            kmar = True
            places.append(Place("Schiphol", hit.matched, "luchthaven", "Haarlemmermeer", "Noord-Holland",
                                None, 0.9, hit.in_title, note=KMAR_NOTE))
            continue
        places.append(_settle(gaz, hit, context, sure, unit_hint))
    _share_settled(hits, places)
    full = f"{title}\n{text}"
    kmar = kmar or bool(KMAR_RE.search(full))
    infra = _infrastructure(full)
    places.extend(infra)
    source = link_evidence(link)
    clues = [_evidence_place(e, source, len(title)) for e in text_evidence(full, published)]
    regional = [p for p in places + clues if p.unit and p.unit.startswith("RE")]
    if any(p.in_title for p in regional) or regional and not any(c.kind == "beleid" and c.in_title for c in clues):
        clues = [c for c in clues if c.kind != "beleid"]  # policy talk in a local story is not a national story
    if regional:  # a motorway in the body beside a named place is where it happened; in the headline, the story
        places = [p for p in places if p not in infra or p.matched in title]
    known = {p.unit for p in places + clues if p.unit}
    # An unsettled clue ("Brabantse") adds nothing when a settled place already names one of its units.
    places.extend(c for c in clues if c.unit or not known & set(c.candidate_units))
    places = [_narrowed(p, source) for p in places]
    if source and not any(p.unit and p.kind not in ("snelweg", "spoor", "water") for p in places):
        places.append(_evidence_place(source, None, 0))
    if unit_hint and unit_hint.startswith("RE") and not any(p.unit and p.unit.startswith("RE") for p in places):
        # A regional outlet mostly reports on its own region; a weak guess, and it says so.
        places.append(Place("bron", "", "bron", None, None, unit_hint, 0.3, False,
                            note=f"geen plaats gevonden; eenheid van de bron ({unit_hint})"))
    return _summarise(places, kmar, bool(infra))


def _mask_unit_names(text: str) -> str:
    return UNIT_NAME_RE.sub(lambda m: " " * len(m.group()), text) if "-" in text else text


def _evidence_place(ev: Evidence, source: Evidence | None, title_length: int) -> Place:
    units = narrow(ev.units, source) if ev.kind != "bron" else ev.units
    unit = units[0] if len(units) == 1 else None
    conf = ev.confidence if len(units) == len(ev.units) else 0.6
    labels = {"bijvoeglijk": "bijvoeglijke vorm", "herkenningspunt": "herkenningspunt",
              "functionaris": "burgemeester", "landelijk": "landelijke dienst", "politienaam": "politie genoemd",
              "beleid": "landelijk beleid (minister, Kamer, bonden)",
              "eenheid": "naam van de eenheid", "bron": "bron van het bericht"}
    named = ev.kind in ("bijvoeglijk", "herkenningspunt", "functionaris")
    note = f"{labels[ev.kind]} van {ev.place}" if named else labels[ev.kind]
    if unit is None:
        note += ": " + " of ".join(units)
    elif len(ev.units) > 1:
        note += f", beperkt door de bron tot {unit}"
    return Place(ev.place, ev.matched if ev.kind != "bron" else "", ev.kind, None, None, unit, conf,
                 0 <= ev.start < title_length,
                 unit is None, units, note)


def _narrowed(place: Place, source: Evidence | None) -> Place:
    """An unsettled name whose candidates the outlet's coverage settles."""
    if place.unit or not source or len(place.candidate_units) < 2:
        return place
    units = narrow(place.candidate_units, source)
    if len(units) != 1:
        return place
    return replace(place, unit=units[0], confidence=0.6, ambiguous=False,
                   note=place.note + f"; bron ({source.place}) dekt {units[0]}")


def _share_settled(hits: list[_Hit], places: list[Place]) -> None:
    """A name settled in one mention ("Bergen (NH)") settles its other mentions in the same article."""
    pairs = list(zip(hits, places, strict=True))
    settled = {hit.key: place for hit, place in pairs if place.unit and not place.ambiguous}
    for index, (hit, place) in enumerate(pairs):
        if place.ambiguous and hit.key in settled:
            source = settled[hit.key]
            places[index] = replace(source, matched=hit.matched, in_title=hit.in_title)


def _infrastructure(full: str) -> list[Place]:
    found: list[Place] = []
    roads = {m.group(1) or m.group(2) for m in MOTORWAY_RE.finditer(full)}
    for road in sorted(roads):
        found.append(Place(road, road, "snelweg", None, None, "LX", 0.7, False, note=LX_NOTE))
    rail = RAIL_RE.search(full)
    if rail:
        found.append(Place("spoor", rail.group(), "spoor", None, None, "LX", 0.6, False, note=LX_NOTE))
    water = WATER_RE.search(full)
    if water:
        found.append(Place(water.group(), water.group(), "water", None, None, "LX", 0.6, False, note=LX_NOTE))
    return found


_NAMES_UNIT = frozenset({"politienaam", "eenheid"})


def _summarise(places: list[Place], kmar: bool, infra: bool) -> PlaceResult:
    unit_scores: dict[str, float] = defaultdict(float)
    municipality_scores: dict[str, float] = defaultdict(float)
    missing: dict[str, float] = defaultdict(lambda: 1.0)
    for place in places:
        # A clue that names the police unit itself ("de Haagse politie", "eenheid Oost-Nederland") counts double.
        weight = place.confidence * (1.5 if place.in_title else 1.0) * (2.0 if place.kind in _NAMES_UNIT else 1.0)
        if place.unit:
            unit_scores[place.unit] += weight
            missing[place.unit] *= 1.0 - place.confidence
        if place.municipality and place.kind != "luchthaven":
            municipality_scores[place.municipality] += weight
    units = tuple(sorted(unit_scores, key=lambda u: (-unit_scores[u], u)))
    confidence = round(1.0 - missing[units[0]], 2) if units else 0.0
    municipality = max(municipality_scores, key=municipality_scores.__getitem__, default=None)
    ambiguous = any(p.ambiguous for p in places)
    named = (("ambiguous", ambiguous), ("kmar", kmar), ("lx_infrastructure", infra))
    flags = tuple(name for name, on in named if on)
    return PlaceResult(tuple(places), municipality, units, {u: round(unit_scores[u], 2) for u in units},
                       confidence, ambiguous, kmar, infra, _explain(places, kmar), flags)


def _explain(places: list[Place], kmar: bool) -> str:
    if not places and not kmar:
        return "geen Nederlandse plaats of andere aanwijzing gevonden; eenheid onbekend"
    parts = []
    for p in places:
        target = p.unit or "geen eenheid"
        where = f"{p.municipality}, " if p.municipality and p.municipality != p.name else ""
        head = f"{p.matched} → {p.name}" if p.matched else p.name
        parts.append(f"{head} ({where}{target})" + (f": {p.note}" if p.note else ""))
    if kmar and not any(p.kind == "luchthaven" for p in places):
        parts.append(KMAR_NOTE)
    return "; ".join(dict.fromkeys(parts))
