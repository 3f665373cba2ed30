"""Metadata deploy: describe reflects it at once and the store enforces it."""

from __future__ import annotations

from pathlib import Path

from emulators.salesforce.org.store import Org
from emulators.salesforce.org.types import OpContext, SaveResult
from tests.fixtures.salesforce_org import sfdx_field, write_sfdx_source


def code_of(result: SaveResult) -> str:
    assert not result.success, result
    return result.errors[0].code


def described_field(org: Org, sobject: str, name: str) -> dict:
    return next(item for item in org.describe(sobject)["fields"] if item["name"] == name)


def test_deploy_reports_what_it_changed(org: Org, tmp_path: Path) -> None:
    result = org.deploy(write_sfdx_source(tmp_path / "src"))
    assert result.success
    assert result.objects == ["Ticket_Event__c"]
    assert "Case.Stames_Id__c" in result.fields
    assert "Ticket_Event__c.Kind__c" in result.fields
    assert result.picklists == ["Case.Status"]


def test_describe_shows_deployed_fields(deployed_org: Org) -> None:
    external = described_field(deployed_org, "Case", "Stames_Id__c")
    assert (external["type"], external["length"], external["externalId"], external["idLookup"]) == (
        "string",
        64,
        True,
        True,
    )
    assert external["custom"] is True
    kind = described_field(deployed_org, "Ticket_Event__c", "Kind__c")
    assert kind["restrictedPicklist"] is True
    assert [entry["value"] for entry in kind["picklistValues"]] == ["created", "status_changed"]
    assert (kind["nillable"], kind["createable"]) == (False, True)
    lookup = described_field(deployed_org, "Ticket_Event__c", "Case__c")
    assert (lookup["referenceTo"], lookup["relationshipName"]) == (["Case"], "Case__r")
    children = deployed_org.describe("Case")["childRelationships"]
    assert any(
        item["relationshipName"] == "Ticket_Events__r" and item["childSObject"] == "Ticket_Event__c"
        for item in children
    )
    status_values = [
        entry["value"] for entry in described_field(deployed_org, "Case", "Status")["picklistValues"]
    ]
    assert {"Solved", "Pending", "New"} <= set(status_values)


def test_deployed_rules_are_enforced(deployed_org: Org, admin: OpContext) -> None:
    org = deployed_org
    case = org.insert("Case", {"Subject": "s"}, admin)
    valid = {
        "Kind__c": "created",
        "Case__c": case.id,
        "Note__c": "short",
        "Score__c": 12.5,
        "Channels__c": "email;chat",
        "Stames_Id__c": "E-1",
    }
    created = org.insert("Ticket_Event__c", valid, admin)
    assert created.success, created
    assert created.id is not None and created.id.startswith("a")
    assert code_of(org.insert("Ticket_Event__c", {"Note__c": "x"}, admin)) == "REQUIRED_FIELD_MISSING"
    assert (
        code_of(org.insert("Ticket_Event__c", {**valid, "Stames_Id__c": "E-2", "Kind__c": "deleted"}, admin))
        == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    )
    assert (
        code_of(org.insert("Ticket_Event__c", {**valid, "Stames_Id__c": "E-3", "Note__c": "x" * 21}, admin))
        == "STRING_TOO_LONG"
    )
    assert (
        code_of(org.insert("Ticket_Event__c", {**valid, "Stames_Id__c": "E-4", "Score__c": 1000}, admin))
        == "NUMBER_OUTSIDE_VALID_RANGE"
    )
    assert (
        code_of(org.insert("Ticket_Event__c", {**valid, "Stames_Id__c": "E-5", "Channels__c": "fax"}, admin))
        == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    )
    assert (
        code_of(
            org.insert(
                "Ticket_Event__c", {**valid, "Stames_Id__c": "E-6", "Case__c": org.admin_user_id}, admin
            )
        )
        == "FIELD_INTEGRITY_EXCEPTION"
    )
    assert code_of(org.insert("Ticket_Event__c", valid, admin)) == "DUPLICATE_VALUE"


def test_deployed_closed_status_closes_cases(deployed_org: Org, admin: OpContext) -> None:
    solved = deployed_org.insert("Case", {"Subject": "s", "Status": "Solved"}, admin)
    pending = deployed_org.insert("Case", {"Subject": "s", "Status": "Pending"}, admin)
    assert (deployed_org.get(solved.id) or {})["IsClosed"] is True
    assert (deployed_org.get(pending.id) or {})["IsClosed"] is False


def test_a_bad_file_changes_nothing(org: Org, tmp_path: Path) -> None:
    fields = tmp_path / "src" / "objects" / "Case" / "fields"
    fields.mkdir(parents=True)
    (fields / "Good__c.field-meta.xml").write_text(
        sfdx_field("Good__c", "<label>Good</label><type>Text</type><length>10</length>"), encoding="utf-8"
    )
    (fields / "Odd__c.field-meta.xml").write_text(
        sfdx_field("Odd__c", "<label>Odd</label><type>Hologram</type>"), encoding="utf-8"
    )
    result = org.deploy(tmp_path / "src")
    assert not result.success
    assert "Hologram" in result.errors[0]
    assert org.schema("Case").rule("Good__c") is None


def test_fields_on_unknown_objects_are_refused(org: Org, tmp_path: Path) -> None:
    fields = tmp_path / "src" / "objects" / "Nothing__c" / "fields"
    fields.mkdir(parents=True)
    (fields / "A__c.field-meta.xml").write_text(
        sfdx_field("A__c", "<label>A</label><type>Text</type><length>10</length>"), encoding="utf-8"
    )
    result = org.deploy(tmp_path / "src")
    assert not result.success
    assert "Nothing__c" in result.errors[0]


def test_lookups_must_name_an_object_of_the_org(org: Org, tmp_path: Path) -> None:
    fields = tmp_path / "src" / "objects" / "Case" / "fields"
    fields.mkdir(parents=True)
    lookup = fields / "Buddy__c.field-meta.xml"
    for missing in ("", "<referenceTo>Nowhere__c</referenceTo>"):
        lookup.write_text(
            sfdx_field("Buddy__c", f"<label>Buddy</label><type>Lookup</type>{missing}"), "utf-8"
        )
        result = org.deploy(tmp_path / "src")
        assert not result.success
        assert "Case.Buddy__c" in result.errors[0]
        assert org.schema("Case").rule("Buddy__c") is None
    lookup.write_text(
        sfdx_field("Buddy__c", "<label>Buddy</label><type>Lookup</type><referenceTo>contact</referenceTo>"),
        "utf-8",
    )
    assert org.deploy(tmp_path / "src").success
    assert described_field(org, "Case", "Buddy__c")["referenceTo"] == ["Contact"]


def test_master_detail_child_has_no_owner_and_requires_parent(
    org: Org, admin: OpContext, tmp_path: Path
) -> None:
    source = tmp_path / "src" / "objects" / "Case_Note__c"
    (source / "fields").mkdir(parents=True)
    (source / "Case_Note__c.object-meta.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">'
        "<label>Case Note</label><pluralLabel>Case Notes</pluralLabel><sharingModel>ControlledByParent"
        "</sharingModel><nameField><label>Number</label><type>AutoNumber</type></nameField></CustomObject>",
        encoding="utf-8",
    )
    (source / "fields" / "Case__c.field-meta.xml").write_text(
        sfdx_field(
            "Case__c",
            "<label>Case</label><type>MasterDetail</type><referenceTo>Case</referenceTo>"
            "<relationshipName>Case_Notes</relationshipName>",
        ),
        encoding="utf-8",
    )
    assert org.deploy(tmp_path / "src").success
    assert org.schema("Case_Note__c").rule("OwnerId") is None
    assert code_of(org.insert("Case_Note__c", {}, admin)) == "REQUIRED_FIELD_MISSING"
    case = org.insert("Case", {"Subject": "s"}, admin)
    note = org.insert("Case_Note__c", {"Case__c": case.id}, admin)
    assert (org.get(note.id) or {})["Name"] == "00000001"
    assert org.delete(case.id, admin).success
    assert org.get(note.id) is None
    assert (org.get(note.id, include_deleted=True) or {})["IsDeleted"] is True
    assert code_of(org.insert("Case_Note__c", {"Case__c": case.id, "Name": "n"}, admin)) == (
        "INVALID_FIELD_FOR_INSERT_UPDATE"
    )


def test_custom_record_names_default(deployed_org: Org, admin: OpContext) -> None:
    event = deployed_org.insert("Ticket_Event__c", {"Kind__c": "created"}, admin)
    named = deployed_org.insert("Ticket_Event__c", {"Kind__c": "created", "Name": "E-1"}, admin)
    assert (deployed_org.get(event.id) or {})["Name"] == event.id
    assert (deployed_org.get(named.id) or {})["Name"] == "E-1"


def test_redeploy_is_idempotent(deployed_org: Org, tmp_path: Path) -> None:
    names = deployed_org.sobject_names()
    prefix = deployed_org.schema("Ticket_Event__c").key_prefix
    again = deployed_org.deploy(write_sfdx_source(tmp_path / "again"))
    assert again.success
    assert again.objects == []
    assert deployed_org.sobject_names() == names
    assert deployed_org.schema("Ticket_Event__c").key_prefix == prefix


def test_global_value_set_feeds_a_restricted_picklist(org: Org, admin: OpContext, tmp_path: Path) -> None:
    sets = tmp_path / "src" / "globalValueSets"
    sets.mkdir(parents=True)
    (sets / "Channel.globalValueSet-meta.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><GlobalValueSet xmlns="http://soap.sforce.com/2006/04/metadata">'
        "<customValue><fullName>email</fullName><default>false</default><label>email</label></customValue>"
        "<customValue><fullName>chat</fullName><default>false</default><label>chat</label></customValue>"
        "<masterLabel>Channel</masterLabel><sorted>false</sorted></GlobalValueSet>",
        encoding="utf-8",
    )
    fields = tmp_path / "src" / "objects" / "Case" / "fields"
    fields.mkdir(parents=True)
    (fields / "Channel__c.field-meta.xml").write_text(
        sfdx_field(
            "Channel__c",
            "<label>Channel</label><type>Picklist</type><valueSet><valueSetName>Channel"
            "</valueSetName></valueSet>",
        ),
        encoding="utf-8",
    )
    assert org.deploy(tmp_path / "src").success
    assert org.insert("Case", {"Subject": "s", "Channel__c": "chat"}, admin).success
    assert code_of(org.insert("Case", {"Subject": "s", "Channel__c": "fax"}, admin)) == (
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    )


def test_activity_fields_land_on_task(org: Org, admin: OpContext, tmp_path: Path) -> None:
    # an SFDX project declares custom Task and Event fields once, under objects/Activity (this org
    # has no Event)
    fields = tmp_path / "src" / "objects" / "Activity" / "fields"
    fields.mkdir(parents=True)
    (fields / "Note_Ref__c.field-meta.xml").write_text(
        sfdx_field("Note_Ref__c", "<label>Note Ref</label><type>Text</type><length>12</length>"),
        encoding="utf-8",
    )
    result = org.deploy(tmp_path / "src")
    assert result.success, result.errors
    assert result.fields == ["Task.Note_Ref__c"]
    assert described_field(org, "Task", "Note_Ref__c")["length"] == 12
    task = org.insert("Task", {"Subject": "s", "Note_Ref__c": "n-1"}, admin)
    assert task.success, task
