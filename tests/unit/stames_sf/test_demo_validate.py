"""The demo's validate step runs only once the transform has written sync tables."""

from __future__ import annotations

import duckdb
from rich.console import Console

from stames_sf.demo import validate_step
from stames_sf.workdir import WorkDir


def test_without_sync_tables_the_step_is_skipped_and_records_nothing(tmp_path) -> None:
    work = WorkDir.at(tmp_path)
    with duckdb.connect(str(work.warehouse)) as con:
        con.execute("CREATE SCHEMA raw_stames; CREATE TABLE raw_stames.tickets (id BIGINT)")
    console = Console(record=True, width=200)
    validate_step(work, tmp_path / "no-org.json", console)
    assert "validation skipped" in console.export_text()
    with duckdb.connect(str(work.warehouse), read_only=True) as con:
        schemas = con.execute("SELECT schema_name FROM information_schema.schemata").fetchall()
    assert ("ops",) not in schemas
    assert not (work.reports / "signoff.html").exists()
