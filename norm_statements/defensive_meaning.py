"""Defensiveness recognised by meaning: blame shifted, the facts played down, colleagues judged in advance.

Each sentence is compared (sentence embeddings, the same encoder as the norm) with a bank of defensive
formulations per error code and with a contrast bank of acceptable sentences on the same subjects; it counts when
it is closer to a defensive formulation than to every acceptable one by at least the code's margin. The patterns in
patterns.py still come first; this catches the wordings they do not know.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import yaml

Embed = Callable[[Sequence[str]], np.ndarray]
# Margin (cosine to the closest defensive formulation minus cosine to the closest acceptable sentence) per code.
# Tuned on the dev split of tests/data/statements/labelled.yaml so that no good dev statement gets an error (see
# docs/norm_check.md and bench/eval_norm_check.py's sweep); never on its test split.
THRESHOLDS: dict[str, float] = {
    "schuld-afschuiven": 0.015,
    "bagatelliseren": 0.015,
    "vooroordeel-collega": 0.015,
}
# What the finding says the sentence resembles, per form in the bank.
FORM_LABELS = {
    "beelden": "de beelden de schuld te geven",
    "betrokkene": "de schuld bij de betrokkene te leggen",
    "critici": "de schuld bij critici of actiegroepen te leggen",
    "organisatoren": "de schuld bij de organisatoren te leggen",
    "media": "de schuld bij de media te leggen",
    "druk": "druk of werklast als excuus aan te voeren",
    "verkleinen": "het voorval kleiner te maken dan het is",
    "onschuldig": "collega's vrij te pleiten voordat het onderzoek klaar is",
    "schuldig": "collega's schuldig te verklaren voordat het onderzoek klaar is",
}


@dataclass(frozen=True)
class DefensiveMatch:
    """A sentence read as defensive: the code, the form, the formulation it is closest to, and its margin."""

    code: str
    form: str
    sentence: str
    closest: str
    score: float


@cache
def _bank() -> dict[str, object]:
    text = resources.files("norm_statements").joinpath("defensive_bank.yaml").read_text("utf-8")
    return dict(yaml.safe_load(text))


def defensive_formulations() -> list[tuple[str, str, str]]:
    """(code, form, formulation) for every defensive formulation in the bank."""
    rows: list[tuple[str, str, str]] = []
    for code, forms in _bank().items():
        if code == "acceptabel":
            continue
        assert isinstance(forms, dict)
        for form, texts in forms.items():
            rows += [(code, form, t.strip()) for t in texts if t.strip()]
    return rows


def acceptable_sentences() -> tuple[str, ...]:
    """The contrast bank: acceptable sentences on the same subjects."""
    texts = _bank()["acceptabel"]
    assert isinstance(texts, list)
    return tuple(t.strip() for t in texts if t.strip())


class DefensiveDetector:
    """Scores sentences against the defensive bank; both banks are embedded once, on first use."""

    def __init__(self, embed: Embed, contrast: Sequence[str] = (), thresholds: dict[str, float] | None = None):
        self.embed = embed
        self.thresholds = dict(THRESHOLDS if thresholds is None else thresholds)
        self._contrast_texts = tuple(dict.fromkeys((*acceptable_sentences(), *contrast)))
        self._vectors: tuple[list[tuple[str, str, str]], np.ndarray, np.ndarray] | None = None

    def _banks(self) -> tuple[list[tuple[str, str, str]], np.ndarray, np.ndarray]:
        if self._vectors is None:
            rows = defensive_formulations()
            bank = np.asarray(self.embed([text for _, _, text in rows]), dtype=np.float32)
            contrast = np.asarray(self.embed(list(self._contrast_texts)), dtype=np.float32)
            self._vectors = (rows, bank, contrast)
        return self._vectors

    def scores(self, sentences: Sequence[str], vectors: np.ndarray) -> list[DefensiveMatch]:
        """Per sentence and code, the closest defensive formulation and the margin (threshold not applied)."""
        if not sentences:
            return []
        rows, bank, contrast = self._banks()
        to_bank = vectors @ bank.T
        baseline = (vectors @ contrast.T).max(axis=1)
        codes = sorted({code for code, _, _ in rows})
        out: list[DefensiveMatch] = []
        for code in codes:
            columns = np.array([i for i, row in enumerate(rows) if row[0] == code])
            sub = to_bank[:, columns]
            best = sub.argmax(axis=1)
            for i, sentence in enumerate(sentences):
                code_, form, closest = rows[int(columns[best[i]])]
                out.append(DefensiveMatch(code_, form, sentence, closest, float(sub[i, best[i]] - baseline[i])))
        return out

    def find(self, sentences: Sequence[str], vectors: np.ndarray,
             exclude: Callable[[str, str], bool] | None = None) -> dict[str, DefensiveMatch]:
        """Per code, the sentence with the largest margin at or above the code's threshold; `exclude(code,
        sentence)` drops sentences a pattern already clears (e.g. "werkdruk is geen excuus")."""
        found: dict[str, DefensiveMatch] = {}
        for match in self.scores(sentences, vectors):
            if match.score < self.thresholds.get(match.code, float("inf")):
                continue
            if exclude is not None and exclude(match.code, match.sentence):
                continue
            if match.code not in found or match.score > found[match.code].score:
                found[match.code] = match
        return found
