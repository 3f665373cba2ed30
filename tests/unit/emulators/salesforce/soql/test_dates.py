"""Date literals as day ranges."""

from datetime import date, timedelta

import pytest

from emulators.salesforce.soql.dates import day_range

TODAY = date(2024, 3, 13)  # a Wednesday


@pytest.mark.parametrize(
    ("name", "n", "expected"),
    [
        ("TODAY", None, (TODAY, TODAY + timedelta(days=1))),
        ("YESTERDAY", None, (TODAY - timedelta(days=1), TODAY)),
        ("TOMORROW", None, (TODAY + timedelta(days=1), TODAY + timedelta(days=2))),
        ("THIS_WEEK", None, (date(2024, 3, 10), date(2024, 3, 17))),
        ("LAST_MONTH", None, (date(2024, 2, 1), date(2024, 3, 1))),
        ("THIS_QUARTER", None, (date(2024, 1, 1), date(2024, 4, 1))),
        ("NEXT_YEAR", None, (date(2025, 1, 1), date(2026, 1, 1))),
        ("LAST_N_DAYS", 7, (TODAY - timedelta(days=7), TODAY + timedelta(days=1))),
        ("NEXT_N_DAYS", 2, (TODAY + timedelta(days=1), TODAY + timedelta(days=3))),
        ("N_DAYS_AGO", 3, (TODAY - timedelta(days=3), TODAY - timedelta(days=2))),
        ("LAST_N_MONTHS", 2, (date(2024, 1, 1), date(2024, 3, 1))),
    ],
)
def test_day_ranges(name: str, n: int | None, expected: tuple[date, date]) -> None:
    assert day_range(name, n, TODAY) == expected


def test_month_arithmetic_crosses_year_end() -> None:
    assert day_range("NEXT_MONTH", None, date(2024, 12, 31)) == (date(2025, 1, 1), date(2025, 2, 1))
