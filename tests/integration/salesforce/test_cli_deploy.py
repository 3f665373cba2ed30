"""`stames-sf salesforce deploy` against a running emulator: its exit code tells a script whether
the org took the metadata."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from emulators.salesforce.http.server import RunningServer
from stames_sf.cli import app

FIELD_XML = """<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>{name}</fullName>
    <label>Field</label>
    <length>40</length>
    <type>{kind}</type>
</CustomField>
"""


def _source(folder: Path, name: str, kind: str) -> Path:
    fields = folder / "objects" / "Case" / "fields"
    fields.mkdir(parents=True)
    (fields / f"{name}.field-meta.xml").write_text(FIELD_XML.format(name=name, kind=kind), encoding="utf-8")
    return folder


def _deploy(source: Path, state: Path, work: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["salesforce", "deploy", str(source), "--state", str(state), "--work", str(work)]
    )
    return result.exit_code, result.output


def test_an_accepted_deploy_exits_zero(sf_server: RunningServer, sf_state_dir: Path, tmp_path: Path) -> None:
    code, output = _deploy(_source(tmp_path / "good", "Good__c", "Text"), sf_state_dir, tmp_path / "work")
    assert code == 0, output
    assert "Case.Good__c" in json.loads(output)["fields"]


def test_a_refused_deploy_exits_non_zero(
    sf_server: RunningServer, sf_state_dir: Path, tmp_path: Path
) -> None:
    code, output = _deploy(_source(tmp_path / "bad", "Bad__c", "NoSuchType"), sf_state_dir, tmp_path / "work")
    assert code == 1
    assert json.loads(output)["success"] is False
    assert "Bad__c" not in {field["name"] for field in sf_server.org.describe("Case")["fields"]}


def test_no_emulator_state_is_a_clean_error(tmp_path: Path) -> None:
    code, output = _deploy(
        _source(tmp_path / "src", "Any__c", "Text"), tmp_path / "missing", tmp_path / "work"
    )
    assert code == 1
    assert "salesforce serve" in output
    assert "Traceback" not in output
