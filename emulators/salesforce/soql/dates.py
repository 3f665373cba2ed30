"""SOQL date literals (TODAY, LAST_N_DAYS:n, ...) as half-open day ranges.

The org evaluates them in the running user's time zone; the emulator's users all live in UTC.
Weeks start on Sunday, as in the default (en_US) locale.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

DayRange = tuple[date, date]
"""First day included, last day excluded."""


def _month_start(day: date, months_later: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + months_later
    return date(index // 12, index % 12 + 1, 1)


def _week_start(day: date) -> date:
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _days(today: date, first: int, last_excluded: int) -> DayRange:
    return today + timedelta(days=first), today + timedelta(days=last_excluded)


def _weeks(today: date, first: int, count: int) -> DayRange:
    start = _week_start(today) + timedelta(weeks=first)
    return start, start + timedelta(weeks=count)


def _months(today: date, first: int, count: int) -> DayRange:
    return _month_start(today, first), _month_start(today, first + count)


def _quarters(today: date, first: int, count: int) -> DayRange:
    return _month_start(_quarter_start(today), 3 * first), _month_start(
        _quarter_start(today), 3 * (first + count)
    )


def _years(today: date, first: int, count: int) -> DayRange:
    return date(today.year + first, 1, 1), date(today.year + first + count, 1, 1)


DATE_LITERALS: dict[str, Callable[[date], DayRange]] = {
    "YESTERDAY": lambda t: _days(t, -1, 0),
    "TODAY": lambda t: _days(t, 0, 1),
    "TOMORROW": lambda t: _days(t, 1, 2),
    "LAST_WEEK": lambda t: _weeks(t, -1, 1),
    "THIS_WEEK": lambda t: _weeks(t, 0, 1),
    "NEXT_WEEK": lambda t: _weeks(t, 1, 1),
    "LAST_MONTH": lambda t: _months(t, -1, 1),
    "THIS_MONTH": lambda t: _months(t, 0, 1),
    "NEXT_MONTH": lambda t: _months(t, 1, 1),
    "LAST_90_DAYS": lambda t: _days(t, -90, 1),
    "NEXT_90_DAYS": lambda t: _days(t, 1, 91),
    "LAST_QUARTER": lambda t: _quarters(t, -1, 1),
    "THIS_QUARTER": lambda t: _quarters(t, 0, 1),
    "NEXT_QUARTER": lambda t: _quarters(t, 1, 1),
    "LAST_YEAR": lambda t: _years(t, -1, 1),
    "THIS_YEAR": lambda t: _years(t, 0, 1),
    "NEXT_YEAR": lambda t: _years(t, 1, 1),
}
"""Literals without a number, each mapping today's date to its range."""

DATE_LITERALS_WITH_N: dict[str, Callable[[date, int], DayRange]] = {
    "LAST_N_DAYS": lambda t, n: _days(t, -n, 1),  # includes today, as the SOQL guide describes
    "NEXT_N_DAYS": lambda t, n: _days(t, 1, n + 1),
    "N_DAYS_AGO": lambda t, n: _days(t, -n, -n + 1),
    "LAST_N_WEEKS": lambda t, n: _weeks(t, -n, n),
    "NEXT_N_WEEKS": lambda t, n: _weeks(t, 1, n),
    "LAST_N_MONTHS": lambda t, n: _months(t, -n, n),
    "NEXT_N_MONTHS": lambda t, n: _months(t, 1, n),
    "LAST_N_QUARTERS": lambda t, n: _quarters(t, -n, n),
    "NEXT_N_QUARTERS": lambda t, n: _quarters(t, 1, n),
    "LAST_N_YEARS": lambda t, n: _years(t, -n, n),
    "NEXT_N_YEARS": lambda t, n: _years(t, 1, n),
}
"""Literals written `NAME:n`."""


def day_range(name: str, n: int | None, today: date | None = None) -> DayRange:
    """The day range a date literal stands for, relative to `today` (default: today in UTC)."""
    today = today or datetime.now(UTC).date()
    if n is None:
        return DATE_LITERALS[name](today)
    return DATE_LITERALS_WITH_N[name](today, n)
