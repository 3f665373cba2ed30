"""`stames-sf validate` against the Salesforce emulator over HTTPS, on hand-written sync tables in a
work folder with a confirmed mapping; the loader's gate reads what it recorded."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from emulators.salesforce.http.server import RunningServer, connection_path
from expectations.gate import ValidationFailedError, require_passing_validation
from mapping.document import mapping_path
from mapping.model import Mapping
from stames_sf.cli import app
from tests.fixtures.expectations import MAPPING_FILE


def validate(work: Path, server: RunningServer) -> tuple[int, str]:
    arguments = ["validate", "--work", str(work), "--connection", str(connection_path(server.state_dir))]
    result = CliRunner().invoke(app, arguments, terminal_width=200)
    return result.exit_code, result.output


def write_mapping_text(mapping: Mapping | None, path: Path) -> None:
    """The hand-written mapping file, with `mapping`'s confirmation block appended when given.
    (`write_mapping` drops the `source: null` entry of a value map, which the reader then refuses.)"""
    text = MAPPING_FILE.read_text(encoding="utf-8")
    if mapping is not None and mapping.confirmation is not None:
        stamp = mapping.confirmation.model_dump(mode="json")
        text += "confirmation:\n" + "".join(f"  {key}: {json.dumps(value)}\n" for key, value in stamp.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def work(tmp_path: Path, sync_warehouse: Path, validated_mapping: Mapping) -> Path:
    """A work folder (the warehouse of `sync_warehouse`) with the confirmed mapping in place."""
    assert sync_warehouse.parent == tmp_path
    write_mapping_text(validated_mapping, mapping_path(tmp_path))
    return tmp_path


def test_clean_sync_tables_pass_and_open_the_gate(work, sf_server, validated_mapping) -> None:
    exit_code, output = validate(work, sf_server)
    assert exit_code == 0, output
    assert "Validation passed" in output
    html = (work / "reports" / "signoff.html").read_text(encoding="utf-8")
    assert "every expectation passed" in html
    assert (work / "reports" / "signoff.md").exists()
    assert (work / "reports" / "data-docs" / "index.html").exists()
    assert (
        require_passing_validation(work / "warehouse.duckdb", validated_mapping.confirmation.content_hash)
        is None
    )


def test_a_too_long_subject_fails_validate_and_keeps_the_gate_shut(
    work, sf_server, validated_mapping
) -> None:
    with duckdb.connect(str(work / "warehouse.duckdb")) as con:
        con.execute(
            "UPDATE salesforce.sync_salesforce__cases SET Subject = repeat('x', 300) "
            "WHERE Subject = 'Factura'"
        )
    exit_code, output = validate(work, sf_server)
    assert exit_code == 1
    assert "FAILED cases: Subject fits the org's limit of 255 characters: 1 row(s) (e.g. 300)" in output
    with pytest.raises(ValidationFailedError):
        require_passing_validation(work / "warehouse.duckdb", validated_mapping.confirmation.content_hash)


def test_an_unconfirmed_mapping_is_refused_before_anything_runs(work, sf_server) -> None:
    write_mapping_text(None, mapping_path(work))
    exit_code, output = validate(work, sf_server)
    assert exit_code == 1
    assert "is not confirmed" in output
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        recorded = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'ops'")
        assert recorded.fetchall() == [(0,)]


def test_a_warehouse_without_sync_tables_says_to_transform_first(work, sf_server) -> None:
    with duckdb.connect(str(work / "warehouse.duckdb")) as con:
        con.execute("DROP SCHEMA salesforce CASCADE")
    exit_code, output = validate(work, sf_server)
    assert exit_code == 1
    assert "run the transform (dbt build) first" in output


def test_an_org_that_does_not_answer_is_one_line(work, refused_port) -> None:
    connection = work / "unreachable.json"
    connection.write_text(
        json.dumps({"instance_url": f"https://127.0.0.1:{refused_port}", "access_token": "token"}),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["validate", "--work", str(work), "--connection", str(connection)], terminal_width=400
    )
    assert result.exit_code == 1
    assert result.output.startswith(f"Cannot read the org at https://127.0.0.1:{refused_port}: ")
    assert len(result.output.strip().splitlines()) == 1
