"""Dutch time for people, UTC for storage: every time a person types or reads is Europe/Amsterdam time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DUTCH = ZoneInfo("Europe/Amsterdam")
ZONE_NOTE = "Nederlandse tijd"
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})$")


class TimeInputError(ValueError):
    """A typed time that is not a valid Dutch moment; the message is Dutch and says what to type."""


def local(moment: datetime) -> datetime:
    """The moment in Dutch time (a naive value is taken as UTC, as the database returns it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(DUTCH)


def fmt(moment: datetime, *, seconds: bool = False, with_date: bool = True) -> str:
    """'05-12-2026 16:03' in Dutch time."""
    pattern = ("%d-%m-%Y " if with_date else "") + ("%H:%M:%S" if seconds else "%H:%M")
    return local(moment).strftime(pattern)


def fmt_day(moment: datetime) -> str:
    """'05-12-2026' (the Dutch calendar day of the moment)."""
    return local(moment).strftime("%d-%m-%Y")


def iso(moment: datetime) -> str:
    """ISO 8601 with the Dutch offset, e.g. 2026-07-01T09:00:00+02:00 (for JSON exports and reports)."""
    return local(moment).isoformat()


def from_local(naive: datetime) -> datetime:
    """A wall-clock Dutch time as UTC; refuses the hour that does not exist when summer time starts.

    In the hour that occurs twice when summer time ends, the first occurrence (summer time) is taken,
    unless an offset says otherwise.
    """
    aware = naive.replace(tzinfo=DUTCH, fold=0)
    roundtrip = aware.astimezone(UTC).astimezone(DUTCH)
    if roundtrip.replace(tzinfo=None) != naive:
        raise TimeInputError(
            f"{naive:%d-%m-%Y %H:%M} bestaat niet in Nederlandse tijd (de klok gaat dan een uur vooruit)"
        )
    return aware.astimezone(UTC)


def parse(text: str, *, now: datetime) -> datetime:
    """A typed time as UTC: ISO 8601 with or without an offset (without = Dutch time), or HH:MM for today.

    '09:00' on a day when it is 08:30 means 09:00 today, not yesterday; callers decide whether a future
    moment is allowed.
    """
    value = text.strip()
    clock = _CLOCK.match(value)
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        if hour > 23 or minute > 59:
            raise TimeInputError(f"'{text}' is geen tijd; gebruik bijvoorbeeld 09:05")
        today: date = local(now).date()
        return from_local(datetime.combine(today, time(hour, minute)))
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise TimeInputError(
            f"'{text}' is geen tijdstip; gebruik bijvoorbeeld 2026-11-29T14:05 of 14:05 (Nederlandse tijd)"
        ) from None
    if moment.tzinfo is None:
        return from_local(moment)
    return moment.astimezone(UTC)


def start_of_local_day(day: date) -> datetime:
    """Midnight Dutch time of a calendar day, as UTC."""
    return from_local(datetime.combine(day, time(0)))


def local_days_between(start: datetime, end: datetime) -> int:
    """Whole Dutch calendar days from start to end (for 'vandaag', 'gisteren')."""
    return (local(end).date() - local(start).date()) // timedelta(days=1)
