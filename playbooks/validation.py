"""Load YAML while keeping line numbers, and turn validation errors into findings that name their place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem in a configuration file, with its place (file, line, path) and a readable message."""

    file: str
    line: int | None
    path: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        level = "fout" if self.severity is Severity.ERROR else "waarschuwing"
        at = f" ({self.path})" if self.path else ""
        return f"{where}: {level}{at}: {self.message}"


class ConfigError(Exception):
    """A configuration file failed validation; carries every finding."""

    def __init__(self, findings: Sequence[Finding]):
        self.findings = list(findings)
        super().__init__("\n".join(str(f) for f in self.findings))


@dataclass
class PositionedYaml:
    """Parsed YAML data plus the line of every mapping key and sequence item."""

    file: str
    data: Any
    lines: dict[Loc, int]

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """The line of the deepest known node on the path (1-based)."""
        probe: Loc = tuple(loc)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), None)

    def finding(self, loc: Sequence[str | int], message: str, severity: Severity = Severity.ERROR) -> Finding:
        return Finding(self.file, self.line_of(loc), format_loc(loc), message, severity)


def format_loc(loc: Sequence[str | int]) -> str:
    """Render a path like people[3].roles[0]."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _DuplicateKey(Exception):
    def __init__(self, loc: Loc, line: int, first: int) -> None:
        self.loc, self.line, self.first = loc, line, first


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> Any:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = yaml.safe_load(yaml.serialize(key_node))
            if key in result:  # PyYAML would silently keep the last one
                raise _DuplicateKey(loc + (key,), key_node.start_mark.line + 1, lines[loc + (key,)])
            lines[loc + (key,)] = key_node.start_mark.line + 1
            result[key] = _walk(value_node, loc + (key,), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, loc + (i,), lines) for i, item in enumerate(node.value)]
    return yaml.safe_load(yaml.serialize(node))


def load_yaml(path: Path | str, text: str | None = None) -> PositionedYaml:
    """Parse a YAML file safely; syntax errors become a ConfigError with the line."""
    name = str(path)
    try:
        if text is None:
            text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([Finding(name, None, "", "bestand niet gevonden")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Finding(name, None, "", f"bestand niet leesbaar: {exc}")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ConfigError([Finding(name, line, "", f"geen geldige YAML: {exc.problem}")]) from None
    if node is None:
        raise ConfigError([Finding(name, None, "", "bestand is leeg")])
    lines: dict[Loc, int] = {}
    try:
        return PositionedYaml(name, _walk(node, (), lines), lines)
    except _DuplicateKey as dup:
        message = f"'{dup.loc[-1]}' staat dubbel (eerder op regel {dup.first}); de eerste waarde zou stil verdwijnen"
        raise ConfigError([Finding(name, dup.line, format_loc(dup.loc), message)]) from None


_PYDANTIC_MESSAGES = {
    "missing": "verplicht veld ontbreekt",
    "extra_forbidden": "onbekend veld",
    "string_type": "moet tekst zijn",
    "int_parsing": "moet een geheel getal zijn",
    "list_type": "moet een lijst zijn",
    "dict_type": "moet een mapping (sleutel: waarde) zijn",
    "model_type": "moet een mapping (sleutel: waarde) zijn",
    "bool_parsing": "moet true of false zijn",
    "datetime_from_date_parsing": "moet een datum/tijd zijn (bijv. 2026-12-01T08:00)",
    "datetime_parsing": "moet een datum/tijd zijn (bijv. 2026-12-01T08:00)",
    "enum": "ongeldige waarde",
    "literal_error": "ongeldige waarde",
}

# Messages that need the limit from the error's context (min_length, max_length, gt).
_PYDANTIC_CTX_MESSAGES = {
    "too_short": "te weinig items: minimaal {min_length}",
    "too_long": "te veel items: maximaal {max_length}",
    "string_too_short": "te kort: minimaal {min_length} teken(s)",
    "string_too_long": "te lang: maximaal {max_length} tekens",
    "greater_than": "moet groter zijn dan {gt}",
}


def findings_from_validation(doc: PositionedYaml, error: ValidationError) -> list[Finding]:
    """Translate pydantic errors into findings with a Dutch message and the line in the file."""
    findings = []
    for err in error.errors():
        loc = tuple(err["loc"])
        base = _PYDANTIC_MESSAGES.get(err["type"])
        if err["type"] in ("value_error", "assertion_error"):
            message = str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        elif err["type"] in _PYDANTIC_CTX_MESSAGES and "ctx" in err:
            message = _PYDANTIC_CTX_MESSAGES[err["type"]].format(**err["ctx"])
        elif base and err["type"] in ("enum", "literal_error"):
            message = f"{base}: {err.get('input')!r}; {err['msg'].split(' ', 2)[-1]}"
        elif base:
            message = base
        else:
            message = err["msg"]
        findings.append(doc.finding(loc, message))
    return findings


def validate_model(doc: PositionedYaml, model: type[M]) -> M:
    """Validate YAML data against a pydantic model; raise ConfigError with findings on failure."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise ConfigError(findings_from_validation(doc, exc)) from None
