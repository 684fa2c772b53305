"""The norm recognised by meaning: each sentence compared with many ways of stating it, in one encoder call.

The encoder is passed in (`embed`: texts → L2-normalised vectors), so this package stays free of model code
and of the monitors; where no model can be loaded, the check falls back to the patterns alone and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import yaml

from norm_statements.defensive_meaning import DefensiveDetector, Embed
from playbooks.loader import load_general_playbook, load_playbook
from playbooks.vocabulary import Category

__all__ = ["THRESHOLD", "Embed", "NormDetector", "NormMatch", "formulations"]
# How much closer (cosine) a sentence must be to a norm formulation than to any non-norm sentence (facts,
# procedure, updates) to count as the norm: sentence embeddings of any two Dutch police sentences are close, so
# an absolute cut-off cannot separate them. Tuned on the dev split of tests/data/statements/labelled.yaml (see
# docs/norm_check.md), never on its test split.
THRESHOLD = 0.01


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
    """Finds the sentence that states the norm, and (`defensive`) defensive sentences, with one encoder; the banks
    are embedded once, and a statement's sentences once per check (embed_sentences) for both."""

    def __init__(self, embed: Embed, threshold: float = THRESHOLD):
        self.embed, self.threshold = embed, threshold
        self._bank: dict[Category, tuple[tuple[str, ...], np.ndarray]] = {}
        self._others: np.ndarray | None = None
        self._defensive: DefensiveDetector | None = None

    @property
    def defensive(self) -> DefensiveDetector:
        """The defensiveness detector on the same encoder; norm formulations and non-norm sentences are its
        contrast too, so a plain norm or fact is never read as defensive."""
        if self._defensive is None:
            bank = _bank_texts()
            contrast = [text for key, texts in bank.items() for text in texts]
            contrast += [t for category in Category.moral() for t in formulations(category)]
            self._defensive = DefensiveDetector(self.embed, contrast)
        return self._defensive

    def embed_sentences(self, sentences: Sequence[str]) -> np.ndarray:
        """One vector per sentence, in order; a sentence that occurs twice is embedded once, all in one call."""
        unique = list(dict.fromkeys(sentences))
        if not unique:
            return np.empty((0, 0), dtype=np.float32)
        vectors = np.asarray(self.embed(unique), dtype=np.float32)
        row = {sentence: i for i, sentence in enumerate(unique)}
        return vectors[[row[s] for s in sentences]]

    def _vectors(self, category: Category) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
        if category not in self._bank:
            texts = formulations(category)
            self._bank[category] = (texts, np.asarray(self.embed(list(texts)), dtype=np.float32))
        if self._others is None:
            self._others = np.asarray(self.embed(list(_bank_texts()["geen_norm"])), dtype=np.float32)
        return (*self._bank[category], self._others)

    def best(self, sentences: Sequence[str], category: Category, vectors: np.ndarray | None = None) -> NormMatch | None:
        """The sentence with the largest margin over non-norm sentences. `vectors` are the sentences' embeddings
        when the caller already has them (the check embeds each sentence once for the norm and defensiveness)."""
        if not sentences:
            return None
        texts, bank, others = self._vectors(category)
        if vectors is None:
            vectors = self.embed_sentences(sentences)
        to_norm = vectors @ bank.T
        margins = to_norm.max(axis=1) - (vectors @ others.T).max(axis=1)
        row = int(np.argmax(margins))
        return NormMatch(sentences[row], texts[int(np.argmax(to_norm[row]))], float(margins[row]))

    def find(self, sentences: Sequence[str], category: Category) -> NormMatch | None:
        """The sentence read as the norm, or None when no sentence is close enough."""
        match = self.best(sentences, category)
        return match if match is not None and match.score >= self.threshold else None
