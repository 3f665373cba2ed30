"""The map stage against the local Salesforce org over HTTPS: propose reads the org's describe,
review and confirm check value maps against its picklists, the demo's shortcut confirms.

The proposer is handed in (it returns the hand-written mapping), so these tests cover the
stage's orchestration, not the proposer."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
import yaml
from rich.console import Console
from typer.testing import CliRunner

from emulators.salesforce.http.server import RunningServer, connection_path, running_server
from mapping.document import carries_confirmation, confirmation_state, mapping_path, read_mapping
from mapping.model import Mapping
from mapping.org import OrgSnapshot
from stames_sf.cli import app
from stames_sf.demo import DEMO_CONFIRMER, propose_and_auto_confirm
from stames_sf.mapping_service import MapStepError, confirm_mapping, propose, read_org, require_mapping
from stames_sf.workdir import WorkDir

GENERATED = Path(__file__).parents[2] / "fixtures" / "mappings" / "generated.yml"
NOW = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)
WIDE = {"COLUMNS": "220"}


class HandWrittenProposer:
    """Returns generated.yml and keeps the org it was given."""

    def __init__(self) -> None:
        self.orgs: list[OrgSnapshot] = []

    def __call__(self, warehouse: Path, org: OrgSnapshot) -> Mapping:
        self.orgs.append(org)
        return read_mapping(GENERATED)


@pytest.fixture
def work(tmp_path: Path) -> WorkDir:
    work_dir = WorkDir.at(tmp_path / "work")
    with duckdb.connect(str(work_dir.warehouse)) as con:
        con.execute("CREATE SCHEMA raw_stames")
        con.execute("CREATE TABLE raw_stames.tickets (id BIGINT)")
    return work_dir


@pytest.fixture
def connection(sf_server: RunningServer) -> Path:
    return connection_path(sf_server.state_dir)


def test_propose_reads_the_org_and_writes_the_mapping(work: WorkDir, connection: Path):
    proposer = HandWrittenProposer()
    proposal = propose(work, connection, now=NOW, proposer=proposer)
    org = proposer.orgs[0]
    # The emulator's Case describe (contract §4.2: Status New, Working, Escalated, Closed).
    assert org.picklist_values("Case", "Status") == ["New", "Working", "Escalated", "Closed"]
    assert org.integration_user_id is not None
    assert proposal.path == mapping_path(work.root)
    assert read_mapping(proposal.path) == read_mapping(GENERATED)
    assert proposal.backup is None


def test_propose_keeps_a_confirmed_mapping_unless_forced_and_then_a_copy(work: WorkDir, connection: Path):
    first = propose(work, connection, now=NOW, proposer=HandWrittenProposer())
    confirm_mapping(work, first.mapping, by="ana", now=NOW, accept_above=0.8, org=first.org)
    with pytest.raises(MapStepError, match="rerun with --force"):
        propose(work, connection, now=NOW, proposer=HandWrittenProposer())
    assert confirmation_state(read_mapping(first.path)) == "confirmed"

    second = propose(work, connection, now=NOW, force=True, proposer=HandWrittenProposer())
    assert second.backup == first.path.with_name("mapping.yml.20261202T110000Z.bak")
    assert carries_confirmation(second.backup)
    assert not carries_confirmation(second.path)


def test_review_checks_value_maps_against_the_org(work: WorkDir, connection: Path):
    propose(work, connection, now=NOW, proposer=HandWrittenProposer())
    path = mapping_path(work.root)
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    status_map = next(item for item in content["value_maps"] if item["name"] == "ticket_status")
    next(item for item in status_map["entries"] if item["source"] == "pending")["new_value"] = False
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")

    args = ["--work", str(work.root), "--connection", str(connection)]
    result = CliRunner().invoke(app, ["map", "review", *args], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "Not checked" not in result.stderr
    first_row = next(line for line in result.stdout.splitlines() if line.startswith("│"))
    assert "conflict" in first_row and "ticket_status: pending" in first_row
    assert "Case.Status has no value 'Pending' and new_value is not set" in first_row

    refused = CliRunner().invoke(app, ["map", "confirm", *args, "--yes", "--accept-above", "0"], env=WIDE)
    assert refused.exit_code == 1
    assert "1 entries need a decision (1 conflicts" in refused.stderr
    assert not carries_confirmation(path)


def test_a_connection_the_org_refuses_is_one_line(work: WorkDir, connection: Path, tmp_path: Path):
    wrong = tmp_path / "wrong-connection.json"
    settings = json.loads(connection.read_text(encoding="utf-8"))
    wrong.write_text(json.dumps(settings | {"access_token": "not-a-token"}), encoding="utf-8")
    result = CliRunner().invoke(app, ["map", "propose", "--work", str(work.root), "--connection", str(wrong)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"Cannot read the org at {settings['instance_url']}: ")
    assert f"the session in {wrong} is expired or invalid: renew its access_token" in result.stderr
    assert not mapping_path(work.root).exists()


def test_the_demo_step_confirms_as_a_shortcut_and_a_rerun_reuses_it(work: WorkDir, connection: Path):
    output = io.StringIO()
    console = Console(file=output, width=200)
    propose_and_auto_confirm(work, connection, console, proposer=HandWrittenProposer())
    mapping = require_mapping(work)
    assert mapping.confirmation is not None and mapping.confirmation.by == DEMO_CONFIRMER
    assert "Demo shortcut" in output.getvalue()
    written = mapping_path(work.root).read_text(encoding="utf-8")

    propose_and_auto_confirm(work, connection, console, proposer=HandWrittenProposer())
    assert "reusing the confirmed mapping" in output.getvalue()
    assert mapping_path(work.root).read_text(encoding="utf-8") == written


def test_an_org_that_is_not_running_is_one_line(tmp_path: Path):
    with running_server(tmp_path / "stopped-org") as server:
        stopped_connection = connection_path(server.state_dir)
    with pytest.raises(MapStepError, match="nothing answers there: is the org running"):
        read_org(stopped_connection)
