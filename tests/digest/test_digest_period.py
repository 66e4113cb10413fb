"""Weeks in the team's time zone: Monday 00:00 to Monday 00:00 there, whatever UTC says."""

from __future__ import annotations

from datetime import date, timedelta

from digest_helpers import utc

from bot.digest.period import last_week, previous, rolling, week_bounds, week_of

PARIS = "Europe/Paris"


def test_sunday_half_past_eleven_in_paris_belongs_to_that_week():
    sunday_night = utc(2024, 6, 9, 21, 30)  # 23:30 in Paris (CEST, UTC+2)
    assert week_bounds(sunday_night, PARIS) == (utc(2024, 6, 2, 22), utc(2024, 6, 9, 22))


def test_monday_half_past_midnight_in_paris_belongs_to_the_next_week():
    monday_early = utc(2024, 6, 9, 22, 30)  # still Sunday in UTC, 00:30 Monday in Paris
    assert week_bounds(monday_early, PARIS)[0] == utc(2024, 6, 9, 22)


def test_the_scheduled_run_reports_on_the_week_that_just_ended():
    monday_nine = utc(2024, 6, 10, 7)  # 09:00 in Paris
    assert last_week(monday_nine, PARIS) == (utc(2024, 6, 2, 22), utc(2024, 6, 9, 22))


def test_weeks_follow_the_calendar_across_daylight_saving_changes():
    since, until = week_bounds(utc(2024, 3, 28, 12), PARIS)  # clocks go forward on Sunday 31 March
    assert (since, until) == (utc(2024, 3, 24, 23), utc(2024, 3, 31, 22))
    assert until - since == timedelta(hours=167)
    assert previous(since, until, PARIS) == (utc(2024, 3, 17, 23), utc(2024, 3, 24, 23))  # a 168-hour week


def test_a_digest_is_recorded_under_the_week_it_mostly_covers():
    assert week_of(*week_bounds(utc(2024, 6, 5, 12), PARIS), PARIS) == date(2024, 6, 3)
    tuesday = utc(2024, 6, 11, 10)
    assert week_of(*rolling(tuesday, timedelta(days=7)), PARIS) == date(2024, 6, 3)  # last week: Monday's run
    friday = utc(2024, 6, 14, 10)
    assert week_of(*rolling(friday, timedelta(days=7)), PARIS) == date(2024, 6, 10)


def test_previous_period_of_a_rolling_window_has_the_same_length():
    since, until = rolling(utc(2024, 6, 12, 15), timedelta(days=3))
    assert previous(since, until, PARIS) == (since - timedelta(days=3), since)
