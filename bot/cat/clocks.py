"""The CAT's clocks: request → activation, activation → team complete, activation → first norm statement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.cat.models import Cat


@dataclass(frozen=True)
class Clock:
    name: str
    label: str
    started: datetime
    stopped: datetime | None

    def elapsed(self, now: datetime) -> timedelta:
        return (self.stopped or now) - self.started

    @property
    def running(self) -> bool:
        return self.stopped is None


def clocks(cat: Cat) -> list[Clock]:
    return [
        Clock("request_to_activation", "aanvraag → activatie", cat.requested_at, cat.activated_at),
        Clock("activation_to_team_complete", "activatie → team compleet", cat.activated_at, cat.team_complete_at),
        Clock("activation_to_first_statement", "activatie → eerste normstelling gepubliceerd", cat.activated_at,
              cat.first_statement_published_at),
    ]


def format_duration(delta: timedelta) -> str:
    """Human Dutch duration, e.g. '1 u 05 min', '42 min', '3 d 2 u'."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return f"{int(delta.total_seconds())} s"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} u"
    if hours:
        return f"{hours} u {mins:02d} min"
    return f"{mins} min"
