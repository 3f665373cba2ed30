"""`schema plan` → `salesforce deploy` → `schema check` against the local org over HTTPS, with the
hand-written mapping of the generated dataset, confirmed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from emulators.salesforce.http.server import RunningServer, connection_path
from stames_sf.cli import app
from stames_sf.schema_service import run_check
from stames_sf.workdir import WorkDir
from tests.fixtures.salesforce import admin_call

NS = "{http://soap.sforce.com/2006/04/metadata}"
CASE_FIELDS = Path("force-app/main/default/objects/Case/fields")


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def planned(sf_server: RunningServer, mapped_work: Path) -> Path:
    """The work folder after `schema plan` against the fresh org; returns the metadata folder."""
    connection = connection_path(sf_server.state_dir)
    code, output = _cli("schema", "plan", "--work", str(mapped_work), "--connection", str(connection))
    assert code == 0, output
    assert (
        "CaseStatus: adds Pending, On Hold, Awaiting Parts, Waiting on Third Party, Reopened, Solved"
        in output
    )
    return mapped_work / "salesforce-metadata"


def _deploy(folder: Path, sf_state_dir: Path, work: Path) -> None:
    code, output = _cli(
        "salesforce", "deploy", str(folder), "--state", str(sf_state_dir), "--work", str(work)
    )
    assert code == 0, output


def _enable_audit_fields(server: RunningServer) -> None:
    """What the admin does in Setup: the "Set Audit Fields upon Record Creation" org preference
    (the connection's admin user already holds the permission)."""
    admin_call(server, "POST", "/__admin/toggles", json={"audit_fields_enabled": True}).raise_for_status()


def _check(server: RunningServer, work: Path) -> tuple[int, str]:
    return _cli(
        "schema", "check", "--work", str(work), "--connection", str(connection_path(server.state_dir))
    )


def test_the_planned_folder_deploys_and_the_check_passes(
    sf_server: RunningServer, sf_state_dir: Path, mapped_work: Path, planned: Path
) -> None:
    _deploy(planned, sf_state_dir, mapped_work)
    _enable_audit_fields(sf_server)
    code, output = _check(sf_server, mapped_work)
    assert code == 0, output
    assert "Schema check passed" in output
    report = (mapped_work / "reports" / "schema-check.md").read_text(encoding="utf-8")
    assert "targets checked, passed." in report
    # the org's Case automation, as its setup objects answer (emulator: one trigger, no assignment rules)
    assert "Case assignment rules (active): none." in report
    assert "Case triggers (active): CaseAutoResponse." in report
    # the deploy extended Case Status with closed values the org now treats as closing
    assert "Solved" in sf_server.org.closed_values("Case")


def test_an_org_missing_a_field_or_with_a_too_short_one_lists_exactly_those(
    sf_server: RunningServer, sf_state_dir: Path, mapped_work: Path, planned: Path
) -> None:
    (planned / CASE_FIELDS / "Stames_Units__c.field-meta.xml").unlink()
    number = planned / CASE_FIELDS / "Stames_Number__c.field-meta.xml"
    root = ET.fromstring(number.read_text(encoding="utf-8"))  # noqa: S314 - the plan's own file
    length = root.find(f"{NS}length")
    assert length is not None and length.text == "32"
    length.text = "10"
    number.write_text(ET.tostring(root, encoding="unicode"), encoding="utf-8")
    _deploy(planned, sf_state_dir, mapped_work)
    _enable_audit_fields(sf_server)

    outcome = run_check(WorkDir.at(mapped_work), connection_path(sf_server.state_dir))
    assert [str(gap) for gap in outcome.result.gaps] == [
        "Case.Stames_Number__c: length 10, planned 32",
        "Case.Stames_Units__c: field missing",
    ]
    code, output = _check(sf_server, mapped_work)
    assert code == 1
    assert "2 gap(s)" in output
    report = (mapped_work / "reports" / "schema-check.md").read_text(encoding="utf-8")
    assert "| `Case.Stames_Units__c` | field missing |" in report


def test_without_the_audit_field_permission_the_mapped_audit_fields_are_gaps(
    sf_server: RunningServer, sf_state_dir: Path, mapped_work: Path, planned: Path
) -> None:
    _deploy(planned, sf_state_dir, mapped_work)
    outcome = run_check(WorkDir.at(mapped_work), connection_path(sf_server.state_dir))
    needs = (
        'not createable: needs "Set Audit Fields upon Record Creation" (org preference and user permission)'
    )
    assert [str(gap) for gap in outcome.result.gaps] == [
        f"Case.CreatedDate: {needs}",
        f"Case.LastModifiedDate: {needs}",
        f"Contact.CreatedDate: {needs}",
        f"Contact.LastModifiedDate: {needs}",
    ]


def test_before_the_deploy_the_check_names_the_missing_objects(
    sf_server: RunningServer, mapped_work: Path
) -> None:
    _enable_audit_fields(sf_server)
    gaps = [
        str(gap)
        for gap in run_check(WorkDir.at(mapped_work), connection_path(sf_server.state_dir)).result.gaps
    ]
    assert gaps[:3] == [
        "Stames_Status_Change__c: object missing",
        "Stames_Warranty__c: object missing",
        "Stames_Subscription__c: object missing",
    ]
    assert "Case.Stames_Id__c: field missing" in gaps
    new_statuses = "Pending, On Hold, Awaiting Parts, Waiting on Third Party, Reopened, Solved"
    assert f"Case.Status: picklist lacks {new_statuses}" in gaps
    assert not any(gap.startswith("Stames_Warranty__c.") for gap in gaps)
