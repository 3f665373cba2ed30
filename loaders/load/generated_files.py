"""The files the transform generates, written where the loader uploads them from.

A message body longer than its EmailMessage field and a `data:` image in an HTML body become
ContentVersions whose bytes no Stames download holds: the sync table carries them in
`stames__inline_content` beside the path (content-addressed, under `files/`) and sha256 they get.
DuckDB reads that column a whole stored vector at a time, whatever the filter: at 30,000 tickets
fetching 25 such rows by rowid took a process from 66 to 833 MB, and one row did not fit in
64 MB. So the transform writes them once, right after its build, with the memory it has anyway,
and the loader only reads files from disk. After a bare `dbt build` the loader writes the missing
ones itself (`write_generated_files` on its own connection), at that memory cost, and says so.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from expectations.sync_tables import SYNC_SCHEMA

CONTENT_VERSIONS = f'{SYNC_SCHEMA}."sync_salesforce__content_versions"'
INLINE_CONTENT = "stames__inline_content"
FILE_KIND = "stames__file_kind"
FILE_PATH = "stames__file_path"
STORED_FILE_KIND = "attachment"
"""Attachments are already on disk from the extraction; every other kind is generated."""
BASE64_KIND = "inline_image"
"""A `data:` image's content is base64 text; every other generated kind is UTF-8 text."""
ROWS_PER_READ = 25
READ_MEMORY_LIMIT = "4GB"
"""What DuckDB may take while the contents are read (see the module's docstring)."""


@dataclass(frozen=True)
class GeneratedFiles:
    written: int
    already_there: int

    def line(self) -> str:
        return (
            f"Generated files (over-long bodies, data: images): {self.written:,} written under files/, "
            f"{self.already_there:,} already there."
        )


def missing_generated_files(con: duckdb.DuckDBPyConnection, work_root: Path) -> list[tuple[int, str]]:
    """(rowid, relative path) of the generated files not on disk; reads narrow columns only."""
    return _missing(_generated_paths(con), work_root)


def write_generated_files(con: duckdb.DuckDBPyConnection, work_root: Path) -> GeneratedFiles:
    """Write every generated file not yet on disk (same content, same path: written once)."""
    generated = _generated_paths(con)
    missing = _missing(generated, work_root)
    with _memory_limit(con, READ_MEMORY_LIMIT):
        for start in range(0, len(missing), ROWS_PER_READ):
            listed = ", ".join(str(rowid) for rowid, _ in missing[start : start + ROWS_PER_READ])
            rows = con.execute(
                f'SELECT "{FILE_PATH}", "{FILE_KIND}", "{INLINE_CONTENT}" FROM {CONTENT_VERSIONS} '
                f"WHERE rowid IN ({listed})"
            ).fetchall()
            for path, kind, content in rows:
                if content is not None:
                    _write(work_root / str(path), _bytes_of(str(kind), str(content)))
    return GeneratedFiles(written=len(missing), already_there=len(generated) - len(missing))


def _bytes_of(kind: str, content: str) -> bytes:
    return base64.b64decode(content) if kind == BASE64_KIND else content.encode("utf-8")


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary name, so a killed run never leaves half a file at the real one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.partial")
    partial.write_bytes(data)
    partial.replace(path)


def _has_content_versions(con: duckdb.DuckDBPyConnection) -> bool:
    [(found,)] = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [SYNC_SCHEMA, "sync_salesforce__content_versions"],
    ).fetchall()
    return bool(found)


def _generated_paths(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Relative path → the first rowid that holds its content, for every generated file."""
    if not _has_content_versions(con):
        return {}
    rows = con.execute(
        f'SELECT rowid, "{FILE_PATH}" FROM {CONTENT_VERSIONS} WHERE "{FILE_KIND}" <> ?', [STORED_FILE_KIND]
    ).fetchall()
    paths: dict[str, int] = {}
    for rowid, path in rows:
        if path:
            paths.setdefault(str(path), int(rowid))
    return paths


def _missing(generated: dict[str, int], work_root: Path) -> list[tuple[int, str]]:
    return [(rowid, path) for path, rowid in generated.items() if not (work_root / path).is_file()]


@contextmanager
def _memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """DuckDB's memory limit raised to `limit` for the block, then set back."""
    [(previous,)] = con.execute("SELECT current_setting('memory_limit')").fetchall()
    con.execute(f"SET memory_limit = '{limit}'")
    try:
        yield
    finally:
        con.execute(f"SET memory_limit = '{previous}'")
