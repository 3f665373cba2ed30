"""The generic profiler on small DuckDB tables built here, whose facts are known by construction."""

import duckdb
import pytest

from stames_sf.discovery.profile import list_columns, list_tables, profile_schema, profile_table


@pytest.fixture
def connection():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    con.execute(
        """
        CREATE TABLE raw.customers (
            id BIGINT, email VARCHAR, phone VARCHAR, score DOUBLE, created_at TIMESTAMP,
            _dlt_id VARCHAR, _dlt_load_id VARCHAR
        )
        """
    )
    rows = [
        (1, "ana.perez@example.com", "+34600111222", 1.5, "2021-01-01 10:00:00", "a", "l"),
        (2, "Ana.Perez@Example.com ", None, 9.0, "2024-06-01 12:00:00", "b", "l"),
        (3, "", "600 11 12 22", None, None, "c", "l"),
        (4, None, None, 3.0, "2022-03-04 00:00:00", "d", "l"),
        (5, "ana.perez@example.com", None, 3.0, "2023-01-01 00:00:00", "e", "l"),
    ]
    con.executemany("INSERT INTO raw.customers VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    con.execute("CREATE TABLE raw.customers__identities AS SELECT 'x' AS value, 'a' AS _dlt_parent_id")
    con.execute("CREATE TABLE raw._dlt_loads AS SELECT 1 AS load_id")
    con.execute("CREATE TABLE raw.empty_table (name VARCHAR)")
    yield con
    con.close()


def test_list_tables_skips_dlt_bookkeeping(connection):
    assert list_tables(connection, "raw") == ["customers", "customers__identities", "empty_table"]


def test_list_columns_skips_dlt_lineage_unless_asked(connection):
    assert [name for name, _ in list_columns(connection, "raw", "customers")] == [
        "id", "email", "phone", "score", "created_at",
    ]  # fmt: skip
    assert "_dlt_id" in [name for name, _ in list_columns(connection, "raw", "customers", include_dlt=True)]


def test_profile_counts_rows_fill_and_distinct(connection):
    profile = profile_table(connection, "raw", "customers")
    fields = {field.name: field for field in profile.fields}
    assert profile.rows == 5
    email = fields["email"]
    assert email.data_type == "VARCHAR"
    assert email.filled == 3  # null and "" are both missing
    assert email.empty_strings == 1
    assert email.distinct == 3  # two spellings plus the empty string
    assert email.fill_rate == pytest.approx(0.6)
    assert email.min_length == len("ana.perez@example.com")
    assert email.max_length == len("Ana.Perez@Example.com ")
    assert fields["score"].distinct == 3
    assert fields["score"].filled == 4


def test_profile_gives_ranges_for_numbers_and_timestamps(connection):
    fields = {field.name: field for field in profile_table(connection, "raw", "customers").fields}
    assert fields["id"].minimum == "1"
    assert fields["id"].maximum == "5"
    assert fields["created_at"].minimum.startswith("2021-01-01")
    assert fields["created_at"].maximum.startswith("2024-06-01")
    assert fields["email"].minimum is None  # text gets a length range instead


def test_profile_examples_are_masked(connection):
    fields = {field.name: field for field in profile_table(connection, "raw", "customers").fields}
    examples = fields["email"].examples + fields["phone"].examples
    assert examples
    assert not any(
        "ana.perez" in example or "600111222" in example or "11 12 22" in example for example in examples
    )
    assert "a***@e***.com" in fields["email"].examples
    assert "" not in fields["email"].examples


def test_profile_of_an_empty_table(connection):
    profile = profile_table(connection, "raw", "empty_table")
    assert profile.rows == 0
    assert profile.fields[0].fill_rate == 0.0
    assert profile.fields[0].examples == ()


def test_profile_schema_profiles_every_data_table(connection):
    assert [table.name for table in profile_schema(connection, "raw")] == [
        "customers", "customers__identities", "empty_table",
    ]  # fmt: skip
    assert profile_schema(connection, "no_such_schema") == []
