"""A finding of the statement quality check: code, severity, Dutch message, a concrete fix and the excerpt."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How serious a finding is: an error blocks publication, a warning needs a look, info is a hint."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "fout", "warning": "waarschuwing", "info": "tip"}[self.value]


@dataclass(frozen=True)
class Finding:
    """One thing the quality check noticed in a statement."""

    code: str
    severity: Severity
    message: str
    fix: str
    excerpt: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return asdict(self)

    def __str__(self) -> str:
        lines = [f"{self.severity.label} [{self.code}]: {self.message}"]
        if self.excerpt:
            lines.append(f"  tekst: “{self.excerpt}”")
        lines.append(f"  voorstel: {self.fix}")
        return "\n".join(lines)


def has_errors(findings: list[Finding]) -> bool:
    """True when any finding is an error (the statement should not be published as is)."""
    return any(f.severity is Severity.ERROR for f in findings)
