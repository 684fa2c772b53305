"""Dutch time for people, UTC for storage — across both summer-time switches."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot import localtime
from bot.localtime import TimeInputError

NOW = datetime(2026, 12, 5, 8, 7, tzinfo=UTC)  # 09:07 Dutch winter time


@pytest.mark.parametrize(("typed", "utc"), [
    ("2026-12-01T09:00", datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),    # winter: UTC+1
    ("2026-07-01T09:00", datetime(2026, 7, 1, 7, 0, tzinfo=UTC)),     # summer: UTC+2
    ("2026-03-29T01:59", datetime(2026, 3, 29, 0, 59, tzinfo=UTC)),   # just before the spring switch
    ("2026-03-29T03:00", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),    # just after it
    ("2026-10-25T02:30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # the doubled autumn hour: summer time first
    ("2026-10-25T02:30+01:00", datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),  # …unless the offset says otherwise
    ("2026-10-25T03:00", datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),   # after the autumn switch
    ("2026-12-01T09:00Z", datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),   # an explicit UTC stays UTC
    ("09:00", datetime(2026, 12, 5, 8, 0, tzinfo=UTC)),               # today, Dutch time
    ("8.45", datetime(2026, 12, 5, 7, 45, tzinfo=UTC)),
])
def test_typed_times_are_dutch_unless_they_carry_an_offset(typed: str, utc: datetime) -> None:
    assert localtime.parse(typed, now=NOW) == utc


def test_the_hour_skipped_in_spring_is_refused_in_dutch() -> None:
    with pytest.raises(TimeInputError, match="bestaat niet in Nederlandse tijd"):
        localtime.parse("2026-03-29T02:30", now=NOW)


@pytest.mark.parametrize("typed", ["gisteren", "25:00", "2026-13-01T09:00", ""])
def test_nonsense_gets_a_dutch_example(typed: str) -> None:
    with pytest.raises(TimeInputError, match="gebruik bijvoorbeeld"):
        localtime.parse(typed, now=NOW)


@pytest.mark.parametrize(("utc", "shown"), [
    (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "29-03-2026 01:59"),
    (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "29-03-2026 03:00"),
    (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "25-10-2026 02:30"),
    (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "25-10-2026 02:30"),
    (datetime(2026, 10, 25, 2, 0, tzinfo=UTC), "25-10-2026 03:00"),
    (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "01-01-2027 00:30"),
])
def test_stored_utc_is_shown_in_dutch_time(utc: datetime, shown: str) -> None:
    assert localtime.fmt(utc) == shown


def test_iso_keeps_the_instant_with_the_dutch_offset() -> None:
    assert localtime.iso(datetime(2026, 7, 1, 7, 0, tzinfo=UTC)) == "2026-07-01T09:00:00+02:00"
    assert localtime.iso(datetime(2026, 12, 1, 8, 0, tzinfo=UTC)) == "2026-12-01T09:00:00+01:00"
    assert datetime.fromisoformat(localtime.iso(NOW)) == NOW
