"""#33: tickets whose `updated_at` cannot be the incremental cursor, counted on hand-made rows."""

from datetime import UTC, datetime

import duckdb
import pytest

from stames_sf.discovery.findings.tickets import unusable_cursors
from stames_sf.discovery.warehouse import RawWarehouse
from stames_sf.workdir import RAW_SCHEMA, WorkDir
from tests.fixtures.discovery import land_with_dlt

# As the extraction lands them: text, kept exactly as the API sent it.
TEXT_TICKETS = [
    {"id": 1, "updated_at": "2024-05-02T08:00:00.000Z"},  # the contract's form
    {"id": 2, "updated_at": None},  # missing
    {"id": 3, "updated_at": "not a date"},  # malformed
    {"id": 4, "updated_at": "2024-05-02 08:00:00"},  # no T, no milliseconds, no offset
    {"id": 5, "updated_at": "2024-13-02T08:00:00.000Z"},  # the contract's shape, but month 13
    {"id": 6, "updated_at": "2024-05-03T09:30:00.250Z"},
    {"id": 7, "updated_at": 1714636800},  # a number where a timestamp belongs
    {"id": 8, "status": "open"},  # no updated_at key at all: missing
]


def _open(path) -> RawWarehouse:
    return RawWarehouse.open(path, RAW_SCHEMA)


def test_missing_and_malformed_text_cursors_are_counted_with_the_smallest_id(tmp_path):
    work = WorkDir.at(tmp_path / "work")
    land_with_dlt(work, {"tickets": TEXT_TICKETS})
    warehouse = _open(work.warehouse)
    try:
        finding = unusable_cursors(warehouse)
    finally:
        warehouse.close()
    assert finding.number == 33
    assert finding.count == 6
    assert finding.parts == {"missing": 2, "malformed": 4}
    assert finding.example == "2"
    assert "cursor_rejects" not in finding.note  # the extraction logged nothing: no such table


def _typed_warehouse(path, updated_at: list[datetime | None], rejects: int | None) -> None:
    connection = duckdb.connect(str(path))
    connection.execute(f"CREATE SCHEMA {RAW_SCHEMA}")
    connection.execute(f"CREATE TABLE {RAW_SCHEMA}.tickets (id BIGINT, updated_at TIMESTAMPTZ)")
    connection.executemany(
        f"INSERT INTO {RAW_SCHEMA}.tickets VALUES (?, ?)",
        [(100 + index, value) for index, value in enumerate(updated_at)],
    )
    if rejects is not None:
        connection.execute(f"CREATE TABLE {RAW_SCHEMA}.cursor_rejects (resource VARCHAR, id BIGINT)")
        connection.executemany(
            f"INSERT INTO {RAW_SCHEMA}.cursor_rejects VALUES ('tickets', ?)", [(n,) for n in range(rejects)]
        )
    connection.close()


@pytest.mark.parametrize("rejects", [None, 3])
def test_a_timestamp_typed_column_can_only_miss_values_and_rejects_are_reported(tmp_path, rejects):
    path = tmp_path / "warehouse.duckdb"
    stamp = datetime(2024, 5, 2, 8, tzinfo=UTC)
    _typed_warehouse(path, [stamp, None, stamp, None, None], rejects)
    warehouse = _open(path)
    try:
        finding = unusable_cursors(warehouse)
    finally:
        warehouse.close()
    assert finding.count == 3
    assert finding.example == "101"
    assert finding.parts["malformed"] == 0
    assert finding.parts.get("cursor_rejects") == rejects
    if rejects is not None:
        assert "cursor_rejects (logged by the extraction): 3" in finding.note


def test_without_tickets_there_is_nothing_to_count(tmp_path):
    warehouse = _open(tmp_path / "absent.duckdb")
    try:
        finding = unusable_cursors(warehouse)
    finally:
        warehouse.close()
    assert finding.count is None
