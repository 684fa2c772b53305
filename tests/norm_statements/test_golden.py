"""Golden files pin every template combination; regenerate with CATBOT_UPDATE_GOLDEN=1 after a deliberate change."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from norm_statements.drafting import OUTCOMES, draft, list_combinations
from playbooks.vocabulary import Category, Channel, Phase

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden" / "norm_statements"
UPDATE = os.environ.get("CATBOT_UPDATE_GOLDEN") == "1"
FIXED_DAY = date(2026, 11, 29)


def _cases() -> list[tuple[Category, Phase, Channel, str | None]]:
    cases: list[tuple[Category, Phase, Channel, str | None]] = []
    for category, phase, channel in list_combinations():
        outcomes: tuple[str | None, ...] = OUTCOMES if phase is Phase.AFLOOP else (None,)
        cases += [(category, phase, channel, outcome) for outcome in outcomes]
    return cases


def _golden_path(category: Category, phase: Phase, channel: Channel, outcome: str | None) -> Path:
    suffix = f"__{outcome}" if outcome else ""
    return GOLDEN / category.value / f"{phase.value}__{channel.value}{suffix}.txt"


def _render(category: Category, phase: Phase, channel: Channel, outcome: str | None) -> str:
    variables = {"uitkomst": outcome} if outcome else None
    return draft(category, phase, channel, variables, today=FIXED_DAY).text + "\n"


@pytest.mark.parametrize(("category", "phase", "channel", "outcome"), _cases(), ids=lambda v: str(v))
def test_draft_matches_golden_file(category: Category, phase: Phase, channel: Channel, outcome: str | None) -> None:
    path = _golden_path(category, phase, channel, outcome)
    text = _render(category, phase, channel, outcome)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"golden file missing: {path}; run with CATBOT_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{path} differs; review and regenerate with CATBOT_UPDATE_GOLDEN=1"


def test_no_stale_golden_files() -> None:
    expected = {_golden_path(*case) for case in _cases()}
    present = set(GOLDEN.rglob("*.txt"))
    assert present - expected == set(), "golden files without a template combination; delete them"


def test_every_combination_renders_a_distinct_text() -> None:
    texts = [_render(*case) for case in _cases()]
    assert len(texts) == 4 * 4 * 5 + 4 * 5 * 2
    assert len(set(texts)) == len(texts)
