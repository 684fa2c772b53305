"""The feeds file (YAML): which feeds to watch, what kind, which unit, how often; validated with line numbers."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from playbooks.validation import ConfigError, load_yaml, validate_model
from playbooks.vocabulary import parse_unit

EXAMPLE_FEEDS_FILE = Path(__file__).parent / "data" / "feeds.example.yaml"


class FeedKind(StrEnum):
    """What kind of source a feed is."""

    LANDELIJK_NIEUWS = "landelijk_nieuws"
    REGIONAAL_NIEUWS = "regionaal_nieuws"
    POLITIE_NIEUWS = "politie_nieuws"
    OVERIG = "overig"


class FeedConfig(BaseModel):
    """One feed: name, URL (http(s), file:// or a local path), kind, optional unit hint, poll interval."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    url: str
    kind: FeedKind
    unit: str | None = None
    poll_minutes: int = 15
    enabled: bool = True

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not value or len(value) > 200:
            raise ValueError("naam moet 1 tot 200 tekens zijn")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        scheme = value.split("://", 1)[0].lower() if "://" in value else ""
        if scheme and scheme not in ("http", "https", "file"):
            raise ValueError(
                f"URL moet met http://, https:// of file:// beginnen (of een lokaal pad zijn): {value}"
            )
        if not value:
            raise ValueError("URL ontbreekt")
        return value

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str | None) -> str | None:
        return parse_unit(value).code if value else None

    @field_validator("poll_minutes")
    @classmethod
    def _interval(cls, value: int) -> int:
        if not 1 <= value <= 1440:
            raise ValueError("poll_minutes moet tussen 1 en 1440 (een dag) liggen")
        return value


class FeedsFile(BaseModel):
    """The whole file: a list under `feeds:`."""

    model_config = ConfigDict(extra="forbid")

    feeds: list[FeedConfig]


def load_feeds(path: Path | str) -> list[FeedConfig]:
    """Load and validate a feeds file; relative local paths are taken from the file's folder."""
    doc = load_yaml(path)
    parsed = validate_model(doc, FeedsFile)
    findings = []
    seen: dict[str, int] = {}
    for index, feed in enumerate(parsed.feeds):
        if feed.name.lower() in seen:
            first = doc.line_of(("feeds", seen[feed.name.lower()], "name"))
            findings.append(
                doc.finding(("feeds", index, "name"), f"naam '{feed.name}' komt al voor (regel {first})")
            )
        seen.setdefault(feed.name.lower(), index)
    if findings:
        raise ConfigError(findings)
    base = Path(path).resolve().parent
    return [_resolve_local(feed, base) for feed in parsed.feeds]


def _resolve_local(feed: FeedConfig, base: Path) -> FeedConfig:
    if "://" in feed.url or Path(feed.url).is_absolute():
        return feed
    return feed.model_copy(update={"url": str(base / feed.url)})
