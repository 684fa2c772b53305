"""Dutch term matching for the classifier: word-boundary, stem-tolerant, plus the police-context signal."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Inflection endings stripped before matching, longest first; what is left must keep at least _MIN_STEM letters.
_SUFFIXES = ("ingen", "ing", "en", "e", "s")
_MIN_STEM = 4
_VOWELS = "aeiou"
# Tokens of a multi-word term may be joined by a space or hyphen, written as one word, or have one word between.
_JOIN = r"(?:[\s-]+(?:\w+\s+)?|-?)"

# Strong and irregular verb forms that stem matching cannot reach (sloeg, geschoten, …), per term token.
_IRREGULAR: dict[str, str] = {
    "slaat": r"sla(?:at|an)?|sloeg(?:en)?|geslagen",
    "schopt": r"(?:ge)?schop\w*",
    "schot": r"schot\w*|schoot|(?:ge)?schoten|schiet\w*",
    "gelost": r"gelost|lost(?:e|en)?|lossen",
    "klopt": r"klop\w*",
    "overleden": r"overl\w*|overlijd\w*|stierf|stierven|gestorven",
}

# Is the text about the police at all? Violence in a street fight is not a police moral issue.
_POLICE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("politie", r"politie\w*"),
    ("agent", r"(?:wijk|hoofd|politie|undercover|verkeers|motor)?agente?(?:n|s)?"),
    ("politieman", r"politie(?:man|mannen|vrouw|vrouwen|mensen|mens)"),
    ("ME", r"ME(?:'ers?)?"),
    ("mobiele eenheid", r"mobiele\s+eenheid"),
    ("marechaussee", r"(?:koninklijke\s+)?marechaussee"),
    ("KMar", r"KMar"),
    ("arrestatie", r"arrest(?:atie|aties|ant|anten|eerd|eren)"),
    ("aanhouding", r"aanhouding(?:en)?|aangehouden|houdt\s+\w+\s+aan|opgepakt"),
    ("staande gehouden", r"staande\s+(?:gehouden|houden|houding)|stilgezet|aan\s+de\s+kant\s+gezet"),
    ("korps", r"korps(?:chef|leiding)?|politiechef|teamchef|basisteam|districtschef"),
    ("Rijksrecherche", r"rijksrecherche"),
    ("bodycam", r"bodycam\w*|dienstwapen|dienstpistool|dienstauto|diensthond\w*|handboeien|geboeid\w*"),
    ("cel", r"(?:politie)?cel(?:len)?"),
    ("rechercheur", r"rechercheurs?|verbalisant\w*|infiltrant\w*|meldkamer\w*"),
    ("proces-verbaal", r"proces-verbaal|processen-verbaal"),
    # Police practice and equipment: the police is the subject even when the text does not name it.
    ("etnisch profileren", r"etnisch\w*\s+(?:ge)?profile\w*"),
    ("verkeerscontrole", r"verkeerscontroles?|bij\s+(?:een|de)\s+controle"),
    ("wapenstok", r"wapenstok\w*|taser\w*|stroomstootwapen\w*|pepperspray|waterwerpers?|waterkanon\w*|nekklem\w*"),
)
_CASE_SENSITIVE = {"ME", "KMar"}


def normalise(text: str) -> str:
    """Lower case, accents removed, typographic quotes and dashes made plain."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-").lower()


def _stem(token: str) -> str:
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= _MIN_STEM:
            token = token[: -len(suffix)]
            break
    if len(token) >= 2 and token[-1] == token[-2] and token[-1] not in _VOWELS:
        token = token[:-1]  # lekk(en) → lek, so lekt and gelekt match too
    return token


def _token_pattern(token: str) -> str:
    """A regex for one term token that tolerates Dutch inflection (ge-…, -en, -t, vowel doubling)."""
    if token in _IRREGULAR:
        return f"(?:{_IRREGULAR[token]})"
    stem = _stem(token)
    if len(token) <= _MIN_STEM - 1 or len(stem) < _MIN_STEM - 1:
        return re.escape(token) + r"(?:en|s|e|t|te|ten)?(?!\w)"
    if len(stem) < _MIN_STEM:
        return rf"(?:ge)?{re.escape(stem)}\w*"  # lek(ken): lekt, gelekt, lekte
    # Open/closed syllables double or single the last vowel: profileren/geprofileerd, slaan/slaat, schot/schoot.
    match = re.search(r"([aeiou])\1?([^aeiou]*)$", stem)
    if match and len(stem) >= 5:
        head = re.escape(stem[: match.start()])
        body = re.escape(match.group(1)) + "{1,2}" + re.escape(match.group(2))
        return rf"(?:ge)?{head}{body}\w*"
    return rf"(?:ge)?{re.escape(stem)}\w*"


def term_pattern(term: str) -> re.Pattern[str]:
    """Compile a playbook term: short all-caps terms (ME, VIK) match exactly and case-sensitively."""
    if term.isupper() and len(term) <= 4:
        return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)")
    tokens = [t for t in re.split(r"[\s-]+", normalise(term)) if t]
    return re.compile(r"(?<!\w)" + _JOIN.join(_token_pattern(t) for t in tokens))


@dataclass(frozen=True)
class TermHit:
    """A vocabulary term and the words in the text that matched it."""

    term: str
    matched: str


class TermMatcher:
    """Finds a category's playbook terms in a text."""

    def __init__(self, terms: Iterable[str]) -> None:
        self._patterns = [(term, term_pattern(term)) for term in dict.fromkeys(terms)]

    def find(self, text: str) -> list[TermHit]:
        """Distinct terms found in `text`, in playbook order, each with its first matching words."""
        plain = normalise(text)
        hits = []
        for term, pattern in self._patterns:
            match = pattern.search(text if term.isupper() and len(term) <= 4 else plain)
            if match:
                hits.append(TermHit(term, match.group(0).strip()))
        return hits


_POLICE = [
    (label, re.compile(rf"(?<!\w)(?:{regex})(?!\w)", 0 if label in _CASE_SENSITIVE else re.IGNORECASE))
    for label, regex in _POLICE_PATTERNS
]


def police_context(text: str) -> list[str]:
    """Words that show the text is about the police (politie, agent, ME, aanhouding, …); empty if none."""
    plain = normalise(text)
    found = []
    for label, pattern in _POLICE:
        match = pattern.search(text if label in _CASE_SENSITIVE else plain)
        if match and match.group(0) not in found:
            found.append(match.group(0))
    return found


def term_score(hits: Sequence[TermHit], cap: int = 2) -> float:
    """0, 0.5 or 1: how many distinct terms matched, capped (one term is a hint, two are a pattern)."""
    return min(len(hits), cap) / cap
