import hashlib
from pathlib import Path

import dlt
import duckdb
import pytest

from dlt_pipelines.stames.attachment_store import (
    AttachmentLedger,
    AttachmentPaths,
    DownloadOutcome,
    DownloadStatus,
    blob_path,
    commit_blob,
    discard_partials,
    stream_to_temp,
)


def test_blob_path_comes_from_the_hash_only(tmp_path) -> None:
    digest = hashlib.sha256(b"x").hexdigest()
    path = blob_path(tmp_path, digest)
    assert path == tmp_path / digest[:2] / digest[2:4] / digest


@pytest.mark.parametrize("bad", ["../../x", "CON", "a" * 63, "g" * 64, ""])
def test_blob_path_refuses_anything_but_a_hex_digest(tmp_path, bad: str) -> None:
    with pytest.raises(ValueError):
        blob_path(tmp_path, bad)


def test_streamed_bytes_are_hashed_and_committed_once(tmp_path) -> None:
    chunks = [b"hello ", b"", b"world"]
    first = stream_to_temp(tmp_path, iter(chunks))
    assert first.size_bytes == 11
    assert first.sha256 == hashlib.sha256(b"hello world").hexdigest()
    stored = commit_blob(tmp_path, first)
    assert stored.read_bytes() == b"hello world"
    duplicate = stream_to_temp(tmp_path, iter(chunks))
    assert commit_blob(tmp_path, duplicate) == stored
    assert not duplicate.temp_path.exists()
    assert list((tmp_path / ".partial").iterdir()) == []


def test_zero_bytes_are_a_file_too(tmp_path) -> None:
    stored = commit_blob(tmp_path, stream_to_temp(tmp_path, iter([])))
    assert stored.is_file()
    assert stored.stat().st_size == 0
    assert stored.name == hashlib.sha256(b"").hexdigest()


def test_a_failing_stream_leaves_no_partial_file(tmp_path) -> None:
    def broken():
        yield b"abc"
        raise ConnectionError("dropped")

    with pytest.raises(ConnectionError):
        stream_to_temp(tmp_path, broken())
    assert list((tmp_path / ".partial").iterdir()) == []


def _paths(tmp_path: Path) -> AttachmentPaths:
    root = tmp_path / "work"
    return AttachmentPaths(
        files_dir=root / "files",
        duckdb_path=root / "warehouse.duckdb",
        pipelines_dir=root / "state" / "dlt",
        journal_path=root / "state" / "attachment-downloads.jsonl",
    )


def _rows(paths: AttachmentPaths) -> dict[int, dict[str, object]]:
    with duckdb.connect(str(paths.duckdb_path), read_only=True) as connection:
        cursor = connection.execute("SELECT * FROM raw_stames.attachment_downloads")
        names = [column[0] for column in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def test_ledger_keeps_one_row_per_attachment_and_settles_only_final_outcomes(tmp_path) -> None:
    paths = _paths(tmp_path)
    blob = commit_blob(paths.files_dir, stream_to_temp(paths.files_dir, iter([b"data"])))
    relative = blob.relative_to(tmp_path / "work").as_posix()
    with AttachmentLedger(paths) as ledger:
        ledger.record(DownloadOutcome(1, 10, 100, DownloadStatus.FAILED, last_error="503"))
        ledger.record(DownloadOutcome(2, 10, 100, DownloadStatus.PURGED))
        ledger.record(DownloadOutcome(3, 11, 100, DownloadStatus.QUARANTINED))
        ledger.record(DownloadOutcome(4, 11, 100, DownloadStatus.FAILED, last_error="boom"))
        ledger.record(DownloadOutcome(5, 11, 100, DownloadStatus.STORED, storage_path="files/aa/bb/gone"))
        assert ledger.flush() == 5
        ledger.record(DownloadOutcome(1, 10, 100, DownloadStatus.STORED, storage_path=relative))
        assert ledger.flush() == 1
        assert ledger.status_counts() == {"failed": 1, "purged": 1, "quarantined": 1, "stored": 2}
        assert ledger.settled_ids(ledger.known_outcomes()) == {1, 2}
        assert ledger.listed_attachments() == []
    rows = _rows(paths)
    assert rows[1]["storage_path"] == relative
    assert rows[4]["last_error"] == "boom"
    assert not paths.journal_path.exists()


def test_the_ledger_is_a_dlt_table_merged_on_the_attachment_id(tmp_path) -> None:
    paths = _paths(tmp_path)
    with AttachmentLedger(paths) as ledger:
        ledger.record(DownloadOutcome(7, None, None, DownloadStatus.PURGED))
        ledger.flush()
    schema = dlt.attach("stames_attachments", pipelines_dir=str(paths.pipelines_dir)).default_schema
    table = schema.tables["attachment_downloads"]
    assert table["write_disposition"] == "merge"
    assert table["columns"]["attachment_id"].get("primary_key") is True
    row = _rows(paths)[7]
    assert row["_dlt_load_id"]
    # Declared columns exist even when every value is null so far.
    assert row["last_error"] is None
    assert row["sha256"] is None


def test_a_long_step_loads_its_outcomes_every_few_thousand_instead_of_all_at_the_end(tmp_path) -> None:
    paths = _paths(tmp_path)
    with AttachmentLedger(paths, flush_every=3) as ledger:
        for attachment_id in range(1, 8):
            ledger.record(DownloadOutcome(attachment_id, 10, 100, DownloadStatus.PURGED))
        # 7 recorded: two loads of 3 happened on the way, the 7th waits in the journal.
        assert sorted(_rows(paths)) == [1, 2, 3, 4, 5, 6]
        assert ledger.flush() == 1
    assert sorted(_rows(paths)) == [1, 2, 3, 4, 5, 6, 7]
    assert not paths.journal_path.exists()


def test_a_file_name_with_a_lone_surrogate_is_kept_as_escape_text(tmp_path) -> None:
    paths = _paths(tmp_path)
    with AttachmentLedger(paths) as ledger:
        ledger.record(DownloadOutcome(8, None, None, DownloadStatus.PURGED, file_name="caf\ud83d.pdf"))
        ledger.flush()
    assert _rows(paths)[8]["file_name"] == "caf\\ud83d.pdf"


def test_outcomes_journalled_before_a_kill_are_loaded_by_the_next_run(tmp_path) -> None:
    paths = _paths(tmp_path)
    killed = AttachmentLedger(paths)
    killed.record(DownloadOutcome(1, 10, 100, DownloadStatus.PURGED))
    killed.record(DownloadOutcome(2, 10, 100, DownloadStatus.QUARANTINED, file_name="a.pdf"))
    killed.close()  # no flush: the process died here
    with paths.journal_path.open("a", encoding="utf-8") as journal:
        journal.write('{"attachment_id": 3, "status": "sto')  # torn by the kill
    with AttachmentLedger(paths) as next_run:
        assert next_run.flush() == 2
        assert next_run.status_counts() == {"purged": 1, "quarantined": 1}
        assert next_run.known_outcomes()[2].file_name == "a.pdf"
    assert not paths.journal_path.exists()


def test_a_ledger_table_made_before_dlt_owned_it_is_adopted_with_its_rows(tmp_path) -> None:
    paths = _paths(tmp_path)
    paths.duckdb_path.parent.mkdir(parents=True)
    with duckdb.connect(str(paths.duckdb_path)) as connection:
        connection.execute("CREATE SCHEMA raw_stames")
        connection.execute(
            "CREATE TABLE raw_stames.attachment_downloads (attachment_id BIGINT PRIMARY KEY, "
            "message_id BIGINT, ticket_id BIGINT, status VARCHAR NOT NULL, size_bytes BIGINT, "
            "declared_size_bytes BIGINT, sha256 VARCHAR, storage_path VARCHAR, file_name VARCHAR, "
            "content_type VARCHAR, attempts INTEGER, url_refreshes INTEGER, last_error VARCHAR, "
            "recorded_at TIMESTAMPTZ)"
        )
        connection.execute(
            "INSERT INTO raw_stames.attachment_downloads VALUES "
            "(1, 10, 100, 'quarantined', NULL, 27, 'ab', NULL, 'factura.pdf', 'application/pdf', 1, 0, "
            "'403 quarantined', '2024-06-01 12:00:00+00'), "
            "(2, 10, 100, 'failed', NULL, NULL, NULL, NULL, NULL, NULL, 6, 0, 'boom', "
            "'2024-06-01 12:00:00+00')"
        )
    with AttachmentLedger(paths) as ledger:
        ledger.record(DownloadOutcome(2, 10, 100, DownloadStatus.PURGED))
        ledger.flush()
    rows = _rows(paths)
    assert rows[1]["status"] == "quarantined"
    assert rows[1]["file_name"] == "factura.pdf"
    assert rows[1]["_dlt_id"]
    assert rows[2]["status"] == "purged"


def test_partials_of_a_killed_run_are_discarded_and_blobs_kept(tmp_path) -> None:
    kept = commit_blob(tmp_path, stream_to_temp(tmp_path, iter([b"kept"])))
    (tmp_path / ".partial" / "leftover").write_bytes(b"half a file")
    assert discard_partials(tmp_path) == 1
    assert list((tmp_path / ".partial").iterdir()) == []
    assert kept.read_bytes() == b"kept"
    assert discard_partials(tmp_path / "missing") == 0
