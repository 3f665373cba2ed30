"""Numbers as a person reads them: thousands separators, percentages, KB/MB/GB."""

from __future__ import annotations

BYTE_UNITS = ("bytes", "KB", "MB", "GB", "TB")


def count(number: int | float | None) -> str:
    """`1234567` → `1,234,567`; missing values print as a dash."""
    if number is None:
        return "–"
    if isinstance(number, float) and not number.is_integer():
        return f"{number:,.2f}"
    return f"{int(number):,}"


def percent(part: int | float, whole: int | float) -> str:
    """Share of `whole` with one decimal; `–` when there is nothing to divide by."""
    if not whole:
        return "–"
    return f"{100 * part / whole:.1f}%"


def size(byte_count: int | float | None) -> str:
    """Binary units as Salesforce counts storage: 1 MB = 1,024 KB."""
    if byte_count is None:
        return "–"
    value = float(byte_count)
    for unit in BYTE_UNITS:
        if abs(value) < 1024 or unit == BYTE_UNITS[-1]:
            return f"{int(value):,} {unit}" if unit == "bytes" else f"{value:,.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover
