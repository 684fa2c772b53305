"""The norm recognised by meaning: each sentence compared with many ways of stating it, in one encoder call.

The encoder is passed in (`embed`: texts → L2-normalised vectors), so this package stays free of model code
and of the monitors; where no model can be loaded, the check falls back to the patterns alone and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import yaml

from playbooks.loader import load_general_playbook, load_playbook
from playbooks.vocabulary import Category

Embed = Callable[[Sequence[str]], np.ndarray]
# How much closer (cosine) a sentence must be to a norm formulation than to any non-norm sentence (facts,
# procedure, updates) to count as the norm: sentence embeddings of any two Dutch police sentences are close, so
# an absolute cut-off cannot separate them. Tuned on the dev split of tests/data/statements/labelled.yaml (see
# docs/norm_check.md), never on its test split.
THRESHOLD = 0.01
CHUNK = 16  # sentences embedded per encoder call


@dataclass(frozen=True)
class NormMatch:
    """The sentence read as the norm, the formulation it is closest to, and its margin over non-norm sentences."""

    sentence: str
    closest: str
    score: float


@cache
def _bank_texts() -> dict[str, tuple[str, ...]]:
    raw = yaml.safe_load(resources.files("norm_statements").joinpath("norm_bank.yaml").read_text("utf-8"))
    return {key: tuple(values) for key, values in raw.items()}


def formulations(category: Category) -> tuple[str, ...]:
    """The general formulations, the category's own, and the playbooks' norms (long and short)."""
    bank = _bank_texts()
    texts = list(bank["algemeen"]) + [load_general_playbook().norm_kort]
    if category in Category.moral():
        book = load_playbook(category)
        texts += list(bank.get(category.value, ())) + [book.norm_kort, book.norm]
    return tuple(dict.fromkeys(t.strip() for t in texts if t.strip()))


class NormDetector:
    """Finds the sentence that states the norm; the formulations are embedded once per category."""

    def __init__(self, embed: Embed, threshold: float = THRESHOLD):
        self.embed, self.threshold = embed, threshold
        self._bank: dict[Category, tuple[tuple[str, ...], np.ndarray]] = {}
        self._others: np.ndarray | None = None

    def _vectors(self, category: Category) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
        if category not in self._bank:
            texts = formulations(category)
            self._bank[category] = (texts, np.asarray(self.embed(list(texts)), dtype=np.float32))
        if self._others is None:
            self._others = np.asarray(self.embed(list(_bank_texts()["geen_norm"])), dtype=np.float32)
        return (*self._bank[category], self._others)

    def best(self, sentences: Sequence[str], category: Category) -> NormMatch | None:
        """The first sentence that passes the margin, else the closest one; sentences are embedded in order, a
        chunk at a time, so a norm stated early (where it belongs) spares embedding the rest of a long text."""
        if not sentences:
            return None
        texts, bank, others = self._vectors(category)
        best: NormMatch | None = None
        for start in range(0, len(sentences), CHUNK):
            chunk = list(sentences[start:start + CHUNK])
            vectors = np.asarray(self.embed(chunk), dtype=np.float32)
            to_norm = vectors @ bank.T
            margins = to_norm.max(axis=1) - (vectors @ others.T).max(axis=1)
            row = int(np.argmax(margins))
            if best is None or margins[row] > best.score:
                best = NormMatch(chunk[row], texts[int(np.argmax(to_norm[row]))], float(margins[row]))
            if best.score >= self.threshold:
                break
        return best

    def find(self, sentences: Sequence[str], category: Category) -> NormMatch | None:
        """The sentence read as the norm, or None when no sentence is close enough."""
        match = self.best(sentences, category)
        return match if match is not None and match.score >= self.threshold else None
