"""The shape of a finding and the row-filter helper most findings are built from."""

from __future__ import annotations

from dataclasses import dataclass, field

from stames_sf.discovery.warehouse import RawWarehouse


@dataclass(frozen=True)
class Finding:
    """One edge-case class of API.md §3: how many records it touches and one id to look at."""

    number: int
    title: str
    count: int | None
    unit: str
    example: str | None
    note: str = ""
    # Sub-counts of a class that groups several symptoms (§3 #17: reopened, missed, disagrees).
    parts: dict[str, int] = field(default_factory=dict)


def rows_finding(
    warehouse: RawWarehouse,
    number: int,
    title: str,
    unit: str,
    table: str,
    columns: tuple[str, ...],
    where: str,
) -> Finding:
    """A finding that is a plain row filter on one table.

    A missing column means dlt never saw a value for it, so nothing matches: zero. A missing
    table means the collection is absent: no count at all.
    """
    if not warehouse.has(table):
        return Finding(number, title, None, unit, None, f"no {table} found")
    if not warehouse.has(table, "id", *columns):
        return Finding(number, title, 0, unit, None)
    # One scan for the count and the example: some filters run regexes over megabytes of bodies.
    matched, example = warehouse.rows(
        f"SELECT count(*), min(id) FROM {warehouse.table(table)} WHERE {where}"
    )[0]
    return Finding(number, title, int(matched), unit, None if example is None else str(example))


def absent(warehouse: RawWarehouse, number: int, title: str, unit: str, table: str) -> Finding:
    """The finding for a class whose table is missing (None) or lacks the needed columns (0)."""
    if not warehouse.has(table):
        return Finding(number, title, None, unit, None, f"no {table} found")
    return Finding(number, title, 0, unit, None)


def empty(column: str) -> str:
    """SQL: the column holds no value (null, empty or only whitespace)."""
    return f"({column} IS NULL OR trim(CAST({column} AS VARCHAR)) = '')"
