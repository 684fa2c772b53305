"""The real-reporting corpus (tests/data/monitors_corpus): feed-style items with gold labels and a fixed split."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Split = Literal["train", "dev", "test"]
UNIT_LABELS = ("landelijk", "KMar", "onbekend")


@dataclass(frozen=True)
class CorpusItem:
    """One feed item as an outlet's feed carries it, with its gold labels."""

    id: str
    title: str
    description: str
    link: str
    published: str
    outlet: str
    categories: tuple[str, ...]
    kind: str  # moral | police | other
    hard_negative: bool
    unit: str | None  # RE01…RE10, landelijk, KMar, onbekend; None for non-police news
    unit_evidence: str | None  # text | link | incident | none
    incident: str

    @property
    def split(self) -> Split:
        return split_of(self.incident)

    @property
    def text(self) -> str:
        """Title and description as the pipeline sees them."""
        return f"{self.title}. {self.description}".strip() if self.description else self.title


def split_of(incident: str) -> Split:
    """Train/dev/test (60/20/20) by a hash of the incident id, so all articles of one story share a split."""
    bucket = int(hashlib.sha256(incident.encode("utf-8")).hexdigest(), 16) % 10
    return "train" if bucket < 6 else "dev" if bucket < 8 else "test"


def load(paths: Iterable[Path]) -> list[CorpusItem]:
    """Items of the given JSONL files; a malformed line names its file and line."""
    return [item for path in paths for item in _read(path)]


def _read(path: Path) -> Iterator[CorpusItem]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            yield CorpusItem(
                id=raw["id"],
                title=raw["title"],
                description=raw.get("description") or "",
                link=raw["link"],
                published=raw["published"],
                outlet=raw["outlet"],
                categories=tuple(raw["categories"]),
                kind=raw["kind"],
                hard_negative=bool(raw.get("hard_negative", False)),
                unit=raw.get("unit"),
                unit_evidence=raw.get("unit_evidence"),
                incident=raw["incident"],
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path.name}:{number}: {exc}") from exc


def corpus_files(folder: Path) -> list[Path]:
    """The development corpus's item files (the memo week is kept apart: it is a scenario, not a split)."""
    return sorted(p for p in folder.glob("items_*.jsonl"))
