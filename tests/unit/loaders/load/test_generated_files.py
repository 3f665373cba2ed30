"""Generated files are written once, where the sync table says, with the bytes it holds."""

from __future__ import annotations

from pathlib import Path

import duckdb

from loaders.load.generated_files import missing_generated_files, write_generated_files

ROWS = [
    # (Stames_Id__c, kind, path, content)
    ("att-1", "attachment", "files/aa/aa/attachment", None),
    ("body-1", "text_body", "files/bb/bb/body", "héllo, a body cut from its field"),
    ("body-2", "text_body", "files/bb/bb/body", "héllo, a body cut from its field"),
    ("img-1", "inline_image", "files/cc/cc/image", "aGVsbG8="),
    ("html-1", "html_body", "files/dd/dd/html", "<p>kept</p>"),
]


def _warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), config={"memory_limit": "64MB"})
    con.execute("CREATE SCHEMA salesforce")
    con.execute(
        'CREATE TABLE salesforce.sync_salesforce__content_versions ("Stames_Id__c" VARCHAR, '
        "stames__file_kind VARCHAR, stames__file_path VARCHAR, stames__inline_content VARCHAR)"
    )
    con.executemany("INSERT INTO salesforce.sync_salesforce__content_versions VALUES (?, ?, ?, ?)", ROWS)
    return con


def test_each_generated_file_is_written_once_with_its_bytes(tmp_path: Path) -> None:
    work = tmp_path / "work"
    (work / "files/dd/dd").mkdir(parents=True)
    (work / "files/dd/dd/html").write_bytes(b"<p>kept</p>")
    with _warehouse(tmp_path / "warehouse.duckdb") as con:
        written = write_generated_files(con, work)
        [(limit,)] = con.execute("SELECT current_setting('memory_limit')").fetchall()

    assert (written.written, written.already_there) == (2, 1)
    assert (work / "files/bb/bb/body").read_bytes() == "héllo, a body cut from its field".encode()
    assert (work / "files/cc/cc/image").read_bytes() == b"hello"
    assert not (work / "files/aa/aa/attachment").exists(), "attachments come from the extraction"
    assert not list(work.rglob("*.partial"))
    assert limit == "61.0 MiB", "the connection's own limit (64 MB, as DuckDB shows it) is back"


def test_nothing_is_read_again_once_every_file_is_there(tmp_path: Path) -> None:
    work = tmp_path / "work"
    with _warehouse(tmp_path / "warehouse.duckdb") as con:
        write_generated_files(con, work)
        (work / "files/cc/cc/image").unlink()
        assert missing_generated_files(con, work) == [(3, "files/cc/cc/image")]
        again = write_generated_files(con, work)
        assert missing_generated_files(con, work) == []
    assert (again.written, again.already_there) == (1, 2)
    assert (work / "files/cc/cc/image").read_bytes() == b"hello"


def test_a_warehouse_without_files_has_none_to_write(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        assert write_generated_files(con, tmp_path).written == 0
