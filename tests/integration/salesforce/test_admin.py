"""Admin endpoints: export, reset, switches, metadata deploy, user permissions, and the CLI deploy."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from simple_salesforce import Salesforce
from typer.testing import CliRunner

from emulators.salesforce.http.server import RunningServer
from loaders.schema import write_stames_id_field
from stames_sf.cli import app as cli_app
from tests.fixtures.salesforce import admin_call


def _sfdx_folder(root: Path) -> Path:
    write_stames_id_field(root / "force-app" / "main" / "default", "Case")
    return root


def test_export_then_reset_returns_to_the_seeded_org(sf_server: RunningServer, sf: Salesforce) -> None:
    seeded = admin_call(sf_server, "GET", "/__admin/export").json()
    created = sf.Account.create({"Name": "Temporary"})
    exported = admin_call(sf_server, "GET", "/__admin/export").json()
    assert created["id"] in {record["Id"] for record in exported["Account"]}
    assert admin_call(sf_server, "POST", "/__admin/reset").status_code == 200
    after = admin_call(sf_server, "GET", "/__admin/export").json()
    assert created["id"] not in {record["Id"] for record in after["Account"]}
    assert len(after["User"]) == len(seeded["User"])
    assert sf.Account.create({"Name": "After reset"})["success"] is True  # the admin token still works


def test_toggles_read_and_write_and_refuse_unknown_names(sf_server: RunningServer) -> None:
    toggles = admin_call(sf_server, "GET", "/__admin/toggles").json()
    assert toggles["daily_api_limit"] == 15000
    changed = admin_call(sf_server, "POST", "/__admin/toggles", json={"fault_lock_row_rate": 0.5}).json()
    assert changed["fault_lock_row_rate"] == 0.5
    refused = admin_call(sf_server, "POST", "/__admin/toggles", json={"no_such_switch": 1})
    assert refused.status_code == 400
    assert admin_call(sf_server, "GET", "/__admin/toggles").json()["fault_lock_row_rate"] == 0.5


def test_deploy_zip_adds_the_field_to_describe(
    sf_server: RunningServer, sf: Salesforce, tmp_path: Path
) -> None:
    folder = _sfdx_folder(tmp_path / "src")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.rglob("*.xml"):
            archive.write(path, path.relative_to(folder).as_posix())
    response = admin_call(
        sf_server,
        "POST",
        "/__admin/deploy",
        data=buffer.getvalue(),
        headers={"Content-Type": "application/zip"},
    )
    assert response.status_code == 200, response.text
    fields = {field["name"]: field for field in sf.Case.describe()["fields"]}
    assert fields["Stames_Id__c"]["externalId"] is True
    assert fields["Stames_Id__c"]["unique"] is True


def test_an_archive_escaping_its_folder_is_refused(sf_server: RunningServer) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../outside.xml", "<x/>")
    response = admin_call(sf_server, "POST", "/__admin/deploy", data=buffer.getvalue())
    assert response.status_code == 400


def test_cli_deploy_reads_connection_json_and_deploys(
    sf_server: RunningServer, sf: Salesforce, tmp_path: Path
) -> None:
    folder = _sfdx_folder(tmp_path / "src")
    result = CliRunner().invoke(
        cli_app,
        [
            "salesforce",
            "deploy",
            str(folder),
            "--state",
            str(sf_server.state_dir),
            "--work",
            str(tmp_path / "work"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Stames_Id__c" in {field["name"] for field in sf.Case.describe()["fields"]}


def test_permissions_switch_changes_what_the_user_may_do(sf_server: RunningServer) -> None:
    admin = sf_server.org.admin_user_id
    before = admin_call(sf_server, "GET", f"/__admin/users/{admin}/permissions").json()
    granted = admin_call(
        sf_server,
        "POST",
        f"/__admin/users/{admin}/permissions",
        json={"hard_delete": not before["hard_delete"]},
    ).json()
    assert granted["hard_delete"] is (not before["hard_delete"])
    assert sf_server.org.user(admin).hard_delete is granted["hard_delete"]
    unknown = admin_call(sf_server, "POST", f"/__admin/users/{admin}/permissions", json={"fly": True})
    assert unknown.status_code == 400
