"""The CLI verb: refuses to run without a warehouse, writes both files with one."""

import subprocess
import sys

from typer.testing import CliRunner

from stames_sf.cli import app
from tests.fixtures.discovery_records import TICKETS


def test_discover_without_a_warehouse_says_to_extract_first(tmp_path):
    result = CliRunner().invoke(app, ["discover", "--work", str(tmp_path / "work")])
    assert result.exit_code == 1
    assert "stames-sf extract" in result.output
    assert not (tmp_path / "work" / "reports" / "scope.md").exists()


def test_discover_writes_the_scope_report(handwritten_work):
    result = CliRunner().invoke(app, ["discover", "--work", str(handwritten_work.root)])
    assert result.exit_code == 0, result.output
    assert f"{len(TICKETS)} tickets" in result.output
    assert (handwritten_work.reports / "scope.md").is_file()
    assert (handwritten_work.reports / "scope.html").is_file()


def test_discover_while_another_process_writes_the_warehouse(tmp_path):
    work = tmp_path / "work"
    (work).mkdir()
    warehouse = work / "warehouse.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE_LOCK, str(warehouse)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        result = CliRunner().invoke(app, ["discover", "--work", str(work)])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    assert "extraction running" in result.output


HOLD_WRITE_LOCK = """
import sys, time, duckdb
connection = duckdb.connect(sys.argv[1])
connection.execute("CREATE SCHEMA IF NOT EXISTS raw_stames")
print("locked", flush=True)
time.sleep(60)
"""
