import hashlib

import pytest

from dlt_pipelines.stames.attachment_store import (
    AttachmentLedger,
    DownloadOutcome,
    DownloadStatus,
    blob_path,
    commit_blob,
    discard_partials,
    stream_to_temp,
)
from stames_sf.workdir import WorkDir


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


def test_ledger_keeps_one_row_per_attachment_and_settles_only_final_outcomes(tmp_path) -> None:
    work = WorkDir.at(tmp_path / "work")
    blob = commit_blob(work.files, stream_to_temp(work.files, iter([b"data"])))
    relative = blob.relative_to(work.root).as_posix()
    with AttachmentLedger(work) as ledger:
        ledger.record(DownloadOutcome(1, 10, 100, DownloadStatus.FAILED, last_error="503"))
        ledger.record(DownloadOutcome(1, 10, 100, DownloadStatus.STORED, storage_path=relative))
        ledger.record(DownloadOutcome(2, 10, 100, DownloadStatus.PURGED))
        ledger.record(DownloadOutcome(3, 11, 100, DownloadStatus.QUARANTINED))
        ledger.record(DownloadOutcome(4, 11, 100, DownloadStatus.FAILED, last_error="boom"))
        ledger.record(DownloadOutcome(5, 11, 100, DownloadStatus.STORED, storage_path="files/aa/bb/gone"))
        assert ledger.status_counts() == {"failed": 1, "purged": 1, "quarantined": 1, "stored": 2}
        assert ledger.settled_ids() == {1, 2}
        assert ledger.listed_attachments() == []


def test_partials_of_a_killed_run_are_discarded_and_blobs_kept(tmp_path) -> None:
    kept = commit_blob(tmp_path, stream_to_temp(tmp_path, iter([b"kept"])))
    (tmp_path / ".partial" / "leftover").write_bytes(b"half a file")
    assert discard_partials(tmp_path) == 1
    assert list((tmp_path / ".partial").iterdir()) == []
    assert kept.read_bytes() == b"kept"
    assert discard_partials(tmp_path / "missing") == 0
