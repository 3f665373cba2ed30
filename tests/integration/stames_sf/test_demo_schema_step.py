"""The demo's schema step against a running local org: plan, deploy, check; skipped without a mapping."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from emulators.salesforce.http.server import RunningServer
from stames_sf.demo import plan_and_deploy_schema
from stames_sf.workdir import WorkDir


def test_the_step_deploys_the_plan_and_the_check_passes(sf_server: RunningServer, mapped_work: Path) -> None:
    console = Console(record=True, width=300)
    plan_and_deploy_schema(WorkDir.at(mapped_work), sf_server, console)
    output = console.export_text()
    assert "deployed" in output
    # 49 fields of the mapping, plus Stames_Created_At__c on Contact, Case, EmailMessage, Task and
    # the status-history object (where CreatedDate goes when audit fields cannot be set)
    assert "3 objects, 54 fields, 2 value sets" in output
    assert "schema check passed" in output
    assert (mapped_work / "reports" / "schema-check.md").is_file()
    fields = {field["name"] for field in sf_server.org.describe("Stames_Warranty__c")["fields"]}
    assert {"Stames_Id__c", "Case__c", "Contact__c", "Serial_Number__c"} <= fields


def test_without_a_mapping_the_step_copies_nothing(sf_server: RunningServer, tmp_path: Path) -> None:
    work = WorkDir.at(tmp_path / "work")
    console = Console(record=True, width=300)
    plan_and_deploy_schema(work, sf_server, console)
    assert "schema step skipped" in console.export_text()
    assert not (work.root / "salesforce-metadata").exists()
