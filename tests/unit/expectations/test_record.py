"""The sync tables' fingerprint: every row counts, a generated file's content through its checksum."""

from __future__ import annotations

from pathlib import Path

import duckdb

from expectations.record import data_hash


def _warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA salesforce")
    con.execute(
        "CREATE TABLE salesforce.sync_salesforce__content_versions AS SELECT * FROM (VALUES "
        "('m-1-image-1', 'image.png', 'aGVsbG8=', 'sha-a'), ('88001', 'a.pdf', NULL, 'sha-b')) "
        "AS t(Stames_Id__c, Title, stames__inline_content, stames__sha256)"
    )
    return con


def test_a_changed_title_or_checksum_changes_the_fingerprint(tmp_path: Path) -> None:
    with _warehouse(tmp_path / "w.duckdb") as con:
        before = data_hash(con)
        con.execute(
            "UPDATE salesforce.sync_salesforce__content_versions SET Title = 'b.pdf' WHERE Title = 'a.pdf'"
        )
        retitled = data_hash(con)
        con.execute(
            "UPDATE salesforce.sync_salesforce__content_versions SET stames__sha256 = 'sha-c' "
            "WHERE Title = 'image.png'"
        )
        rehashed = data_hash(con)
    assert len({before, retitled, rehashed}) == 3


def test_inline_content_counts_through_its_checksum_only(tmp_path: Path) -> None:
    # the content is left out of the scan (it runs to megabytes a row); the dbt model writes its
    # sha256 beside it, so new content always comes with a new checksum
    with _warehouse(tmp_path / "w.duckdb") as con:
        before = data_hash(con)
        con.execute(
            "UPDATE salesforce.sync_salesforce__content_versions SET stames__inline_content = 'b3RoZXI=' "
            "WHERE Title = 'image.png'"
        )
        assert data_hash(con) == before
