"""Which posts a digest covers: weeks run Monday 00:00 to the next Monday 00:00 in the team's time zone.

Times in the store are UTC; the week is a local notion (a post at 23:30 on a Sunday in Paris is 21:30 or 22:30
UTC, and belongs to the week that ends an hour later). Weeks are computed on local dates, never as 7 × 24 hours,
so the weeks that hold a daylight-saving change are 167 or 169 hours long, as the calendar says.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


def _monday(moment: datetime, tz: str) -> date:
    local = moment.astimezone(ZoneInfo(tz))
    return local.date() - timedelta(days=local.weekday())


def _midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)


def week_bounds(moment: datetime, tz: str) -> tuple[datetime, datetime]:
    """The week holding `moment`: (Monday 00:00, next Monday 00:00) local, as UTC datetimes."""
    monday = _monday(moment, tz)
    return _midnight(monday, tz), _midnight(monday + timedelta(days=7), tz)


def last_week(now: datetime, tz: str) -> tuple[datetime, datetime]:
    """The last complete week before `now`: what the scheduled Monday digest reports on."""
    return week_bounds(week_bounds(now, tz)[0] - timedelta(hours=1), tz)


def rolling(now: datetime, length: timedelta) -> tuple[datetime, datetime]:
    """`--since 7d`: the `length` before `now` (so posts stored a minute ago are in the preview)."""
    return now - length, now


def week_of(since: datetime, until: datetime, tz: str) -> date:
    """The Monday (local date) of the week a digest is recorded under: the week holding the middle of its period.

    The scheduled digest covers exactly one week, so that is its week. A digest sent by hand for "the last 7
    days" lands on the week it mostly covers: sent on a Tuesday it counts as last week's digest (and is refused if
    that one went out on Monday); sent on a Friday it counts as this week's, and Monday's run will not repeat it."""
    return _monday(since + (until - since) / 2, tz)


def previous(since: datetime, until: datetime, tz: str) -> tuple[datetime, datetime]:
    """The period just before, for "how fit moved": the previous calendar week for a week, else the same length."""
    if (since, until) == week_bounds(since, tz):
        return last_week(since, tz)
    return since - (until - since), since
