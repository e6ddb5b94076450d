"""The ISO week of the thank list: its two ends in a time zone, and the default week."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from retweetring.thanks.lists import Week, last_complete_week

LONDON = "Europe/London"


def test_utc_week_runs_from_monday_midnight_to_the_next_monday_midnight():
    week = Week.parse("2026-W46")
    assert week.label == "2026-W46"
    assert (week.start_utc, week.end_utc) == (datetime(2026, 11, 9), datetime(2026, 11, 16))


def test_london_week_in_summer_time_starts_at_23_00_utc_on_sunday():
    week = Week.parse("2026-W43", LONDON)  # 19-25 October 2026, British Summer Time (UTC+1)
    assert week.start == datetime(2026, 10, 19, tzinfo=ZoneInfo(LONDON))
    assert week.start_utc == datetime(2026, 10, 18, 23, 0)


def test_london_week_with_the_clock_change_lasts_one_hour_longer():
    week = Week.parse("2026-W43", LONDON)  # the clocks go back on Sunday 25 October
    assert week.end_utc == datetime(2026, 10, 26, 0, 0)  # Monday 00:00 GMT = 00:00 UTC
    assert week.end_utc - week.start_utc == timedelta(days=7, hours=1)


def test_consecutive_weeks_meet_without_gap_or_overlap():
    week = Week.parse("2026-W43", LONDON)
    assert week.end_utc == week.shift(1).start_utc
    assert week.shift(-1).end_utc == week.start_utc


def test_week_labels_round_the_year_follow_iso_8601():
    assert Week.parse("2026-W53").monday.isoformat() == "2026-12-28"
    assert Week.parse("2026-W53").shift(1).label == "2027-W01"
    assert Week.parse("2026w01").label == "2026-W01"


@pytest.mark.parametrize("label", ["2026-46", "W46", "2026-W", "last week", "2026-W00"])
def test_malformed_week_labels_are_refused(label):
    with pytest.raises(ValueError):
        Week.parse(label)


def test_week_53_exists_only_in_long_iso_years():
    with pytest.raises(ValueError, match="2025 has no ISO week 53"):
        Week.parse("2025-W53")


def test_unknown_time_zone_is_refused():
    with pytest.raises(ValueError, match="unknown time zone"):
        Week.parse("2026-W46", "Europe/Atlantis")


def test_last_complete_week_in_utc_changes_at_monday_midnight():
    sunday_night = datetime(2026, 11, 22, 23, 59, 59, tzinfo=timezone.utc)
    monday = datetime(2026, 11, 23, 0, 0, 0, tzinfo=timezone.utc)
    assert last_complete_week(sunday_night).label == "2026-W46"
    assert last_complete_week(monday).label == "2026-W47"


def test_last_complete_week_in_london_changes_at_local_monday_midnight():
    zone = ZoneInfo(LONDON)
    # Monday 19 October 00:00 BST is Sunday 18 October 23:00 UTC.
    before = datetime(2026, 10, 18, 23, 59, 59, tzinfo=zone)
    at = datetime(2026, 10, 19, 0, 0, 0, tzinfo=zone)
    assert last_complete_week(before, LONDON).label == "2026-W41"
    assert last_complete_week(at, LONDON).label == "2026-W42"
    # The same UTC moment, seen from UTC, is still Sunday: W42 is not over yet.
    assert last_complete_week(at.astimezone(timezone.utc), "UTC").label == "2026-W41"


def test_naive_now_is_taken_as_utc():
    assert last_complete_week(datetime(2026, 11, 23, 0, 0)).label == "2026-W47"
    assert last_complete_week(datetime(2026, 11, 22, 23, 59, 59)).label == "2026-W46"


def test_time_zones_load_without_an_operating_system_zone_database():
    import zoneinfo

    zoneinfo.reset_tzpath(to=[])  # as on Windows or a slim container: only the tzdata package
    ZoneInfo.clear_cache()
    try:
        week = Week.parse("2026-W43", LONDON)
        assert week.start_utc == datetime(2026, 10, 18, 23, 0)
    finally:
        zoneinfo.reset_tzpath()
        ZoneInfo.clear_cache()
