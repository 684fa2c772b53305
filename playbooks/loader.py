"""Find, parse and validate the bundled playbooks; results are cached per process."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

from playbooks.schema import Playbook
from playbooks.validation import ConfigError, Finding, load_yaml, validate_model
from playbooks.vocabulary import GENERAL_PLAYBOOK, Category, parse_category

PLAYBOOK_NAMES: tuple[str, ...] = (*(c.value for c in Category.moral()), GENERAL_PLAYBOOK)


def _resolve_name(category: Category | str) -> str:
    if isinstance(category, Category):
        name = category.value
    elif category.strip().lower() == GENERAL_PLAYBOOK:
        name = GENERAL_PLAYBOOK
    else:
        name = parse_category(category).value
    if name not in PLAYBOOK_NAMES:
        raise ValueError(f"geen playbook voor '{category}'; kies uit: {', '.join(PLAYBOOK_NAMES)}")
    return name


def bundled_playbook_files() -> list[Path]:
    """The bundled playbook files, one per category plus 'algemeen'."""
    root = resources.files("playbooks")
    return [Path(str(root.joinpath(f"{name}.yaml"))) for name in PLAYBOOK_NAMES]


def parse_playbook(path: Path | str, text: str | None = None) -> Playbook:
    """Parse and validate one playbook file; raise ConfigError with findings that name their line."""
    doc = load_yaml(path, text)
    playbook = validate_model(doc, Playbook)
    stem = Path(str(path)).stem
    if stem in PLAYBOOK_NAMES and playbook.categorie != stem:
        message = f"categorie '{playbook.categorie}' past niet bij de bestandsnaam '{stem}.yaml'"
        raise ConfigError([doc.finding(("categorie",), message)])
    return playbook


def check_playbook_files(paths: Iterable[Path | str]) -> dict[str, list[Finding]]:
    """Validate files and return the findings per file (an empty list means the file is valid)."""
    results: dict[str, list[Finding]] = {}
    for path in paths:
        try:
            parse_playbook(path)
            results[str(path)] = []
        except ConfigError as exc:
            results[str(path)] = exc.findings
    return results


@cache
def _load(name: str) -> Playbook:
    resource = resources.files("playbooks").joinpath(f"{name}.yaml")
    return parse_playbook(str(resource), resource.read_text(encoding="utf-8"))


def load_playbook(category: Category | str) -> Playbook:
    """The validated playbook for a category (or 'algemeen'); ValueError for an unknown name."""
    return _load(_resolve_name(category))


def load_general_playbook() -> Playbook:
    """The playbook with principles that hold for every moral issue."""
    return _load(GENERAL_PLAYBOOK)


@cache
def load_playbooks() -> dict[Category, Playbook]:
    """The playbooks of the four moral-issue categories, keyed by category."""
    return {category: _load(category.value) for category in Category.moral()}
