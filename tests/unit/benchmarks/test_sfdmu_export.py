"""The sync tables as SFDMU's CSV source, from a hand-made warehouse and hand-written describes:
one file per object with source Ids and external-id lookup columns, owners by User Id and Name,
an export.json that upserts on Stames_Id__c. No SFDMU, no org."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.sfdmu_export import SfdmuExport, export_for_sfdmu, source_id
from loaders.load.plan import LoadPlan, build_plan
from tests.fixtures.transform import confirmed_mapping

OWNER = "0058d0000000004AAA"


def _field(name: str, *, createable: bool = True, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": "string", "createable": createable, "updateable": createable, **extra}


def _lookup(name: str, relationship: str, *targets: str, polymorphic: bool = False) -> dict[str, Any]:
    return _field(
        name,
        type="reference",
        referenceTo=list(targets),
        relationshipName=relationship,
        polymorphicForeignKey=polymorphic,
    )


def _describes(*, audit: bool) -> dict[str, dict]:
    common = [_field("Stames_Id__c"), _field("CreatedDate", createable=audit)]
    if not audit:
        common.append(_field("Stames_Created_At__c"))
    return {
        "Account": {"fields": [*common, _field("Name")]},
        "Contact": {"fields": [*common, _field("LastName"), _lookup("AccountId", "Account", "Account")]},
        "Case": {
            "fields": [
                *common,
                _field("Subject"),
                _field("IsEscalated", type="boolean"),
                _lookup("OwnerId", "Owner", "Group", "User", polymorphic=True),
                _lookup("ContactId", "Contact", "Contact"),
                _lookup("ParentId", "Parent", "Case"),
                _lookup("Stames_Warranty_Record__c", "Stames_Warranty_Record__r", "Stames_Warranty__c"),
            ]
        },
        "Task": {
            "fields": [
                *common,
                _field("Subject"),
                _lookup("WhatId", "What", "Account", "Case", polymorphic=True),
            ]
        },
        "Stames_Warranty__c": {"fields": [*common, _field("Name"), _lookup("Case__c", "Case__r", "Case")]},
    }


TABLES = {
    "accounts": "Stames_Id__c VARCHAR, Id VARCHAR, Name VARCHAR",
    "contacts": "Stames_Id__c VARCHAR, LastName VARCHAR, ref__AccountId VARCHAR, CreatedDate TIMESTAMPTZ",
    "cases": "Stames_Id__c VARCHAR, Subject VARCHAR, IsEscalated BOOLEAN, OwnerId VARCHAR, "
    "ref__ContactId VARCHAR, ref__ParentId VARCHAR, CreatedDate TIMESTAMP",
    "case_custom_fields": "Stames_Id__c VARCHAR, ref__Stames_Warranty_Record__c VARCHAR",
    "tasks": "Stames_Id__c VARCHAR, Subject VARCHAR, ref__WhatId VARCHAR, stames__thread_position INTEGER",
    "custom_object_records": "Stames_Id__c VARCHAR, stames__sobject VARCHAR, ref__Case__c VARCHAR, "
    "stames__field_values VARCHAR",
}
ROWS = {
    "accounts": [("customer:1", None, "Acme, Inc.")],
    "contacts": [("1", "Ruiz", "customer:1", "2018-06-02 14:14:25+00")],
    "cases": [
        ("10", 'Broken "Nova 5"\nagain', True, OWNER, "1", None, "2018-06-02 14:14:25"),
        ("11", "Follow-up", False, "005000000000999AAA", None, "10", None),
    ],
    "case_custom_fields": [("10", "WR-1"), ("11", None)],
    "tasks": [("900", "Called back", "10", 1)],
    "custom_object_records": [("WR-1", "Stames_Warranty__c", "10", '{"Name": "WR-000001"}')],
}


def _warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA salesforce")
    for table, columns in TABLES.items():
        con.execute(f"CREATE TABLE salesforce.sync_salesforce__{table} ({columns})")
        for row in ROWS[table]:
            marks = ", ".join("?" for _ in row)
            con.execute(f"INSERT INTO salesforce.sync_salesforce__{table} VALUES ({marks})", list(row))
    return con


def _plan(describes: dict[str, dict], con: duckdb.DuckDBPyConnection) -> LoadPlan:
    wanted = {"Account", "Contact", "Case", "Task", "Stames_Warranty__c", "ContentVersion"}
    mapping = confirmed_mapping()
    mapping = mapping.model_copy(
        update={"objects": [entry for entry in mapping.objects if entry.target in wanted]}
    )
    columns: dict[str, tuple[str, ...]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'salesforce' ORDER BY ordinal_position"
    ).fetchall():
        columns[table] = (*columns.get(table, ()), column)
    describes = {**describes, "ContentVersion": {"fields": [_field("Stames_Id__c")]}}
    plan = build_plan(mapping, describes, columns, {"Stames_Warranty__c": ("Name",)})
    assert not [problem for problem in plan.problems if "ContentVersion" not in problem]
    return plan


def _export(tmp_path: Path, *, audit: bool = True) -> SfdmuExport:
    describes = _describes(audit=audit)
    with _warehouse(tmp_path / "warehouse.duckdb") as con:
        plan = _plan(describes, con)
        return export_for_sfdmu(con, plan, describes, {OWNER: "Admin"}, tmp_path / "sfdmu", "62.0")


def _csv(export: SfdmuExport, sobject: str) -> list[dict[str, str]]:
    with (export.folder / f"{sobject}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _script(export: SfdmuExport) -> dict[str, Any]:
    return json.loads((export.folder / "export.json").read_text(encoding="utf-8"))


def test_every_object_upserts_on_its_stames_id_with_parents_by_theirs(tmp_path: Path) -> None:
    export = _export(tmp_path)
    script = _script(export)
    assert script["excludeIdsFromCSVFiles"] is False
    assert script["bulkApiVersion"] == "2.0"
    assert script["apiVersion"] == "62.0"
    queries = {item["query"].rsplit(" FROM ", 1)[1]: item for item in script["objects"]}
    assert set(queries) == {"Account", "Contact", "Case", "Task", "Stames_Warranty__c"}
    assert queries["Contact"] == {
        "query": "SELECT Id, Stames_Id__c, LastName, CreatedDate, AccountId FROM Contact",
        "operation": "Upsert",
        "externalId": "Stames_Id__c",
    }
    assert _csv(export, "Contact") == [
        {
            "Id": source_id("Contact", "1"),
            "Stames_Id__c": "1",
            "LastName": "Ruiz",
            "CreatedDate": "2018-06-02T14:14:25.000Z",
            "AccountId": source_id("Account", "customer:1"),
            "Account.Stames_Id__c": "customer:1",
        }
    ]
    assert _csv(export, "Account") == [
        {"Id": source_id("Account", "customer:1"), "Stames_Id__c": "customer:1", "Name": "Acme, Inc."}
    ]


def test_source_ids_are_eighteen_characters_and_differ_per_object() -> None:
    assert len(source_id("Case", "10")) == 18
    assert source_id("Case", "10") == source_id("Case", "10")
    assert source_id("Case", "10") != source_id("Task", "10")


def test_case_rows_carry_custom_fields_owners_by_name_and_every_lookup(tmp_path: Path) -> None:
    export = _export(tmp_path)
    first, second = _csv(export, "Case")
    assert first["Subject"] == 'Broken "Nova 5"\nagain'  # quoted, newline kept
    assert (first["IsEscalated"], second["IsEscalated"]) == ("true", "false")
    assert (first["OwnerId"], first["Owner.Name"]) == (OWNER, "Admin")
    assert (second["OwnerId"], second["Owner.Name"]) == ("", "")
    assert first["Stames_Warranty_Record__r.Stames_Id__c"] == "WR-1"
    assert first["Stames_Warranty_Record__c"] == source_id("Stames_Warranty__c", "WR-1")
    assert (first["Contact.Stames_Id__c"], second["Parent.Stames_Id__c"]) == ("1", "10")
    assert (second["ParentId"], first["ParentId"]) == (source_id("Case", "10"), "")
    [case] = [item for item in export.objects if item.sobject == "Case"]
    assert case.user_lookups == ["Owner.Name"]
    assert case.unknown_users == 1  # 005…999 is no User of the org: SFDMU leaves the owner to the org
    query = next(item["query"] for item in _script(export)["objects"] if item["query"].endswith("FROM Case"))
    assert "OwnerId" in query
    assert "ParentId" in query
    users = (export.folder / "User.csv").read_text(encoding="utf-8").splitlines()
    assert users == ["Id,Name", f"{OWNER},Admin"]


def test_a_polymorphic_lookup_names_its_object_and_its_records_are_inserted(tmp_path: Path) -> None:
    export = _export(tmp_path)
    [task] = [item for item in _script(export)["objects"] if item["query"].endswith("FROM Task")]
    assert task["query"] == "SELECT Id, Stames_Id__c, Subject, WhatId$Case FROM Task"
    assert task["operation"] == "Insert"
    assert _csv(export, "Task") == [
        {
            "Id": source_id("Task", "900"),
            "Stames_Id__c": "900",
            "Subject": "Called back",
            "WhatId": source_id("Case", "10"),
            "What.Stames_Id__c": "10",
        }
    ]


def test_custom_object_fields_come_from_their_json(tmp_path: Path) -> None:
    export = _export(tmp_path)
    assert _csv(export, "Stames_Warranty__c") == [
        {
            "Id": source_id("Stames_Warranty__c", "WR-1"),
            "Stames_Id__c": "WR-1",
            "Name": "WR-000001",
            "Case__c": source_id("Case", "10"),
            "Case__r.Stames_Id__c": "10",
        }
    ]


def test_files_are_left_out_and_said_why(tmp_path: Path) -> None:
    export = _export(tmp_path)
    assert "ContentVersion" not in export.sobjects
    assert "outside SFDMU's CSV source" in export.left_out["ContentVersion"]
    assert not (export.folder / "ContentVersion.csv").exists()


def test_without_audit_fields_the_created_date_goes_to_stames_created_at(tmp_path: Path) -> None:
    export = _export(tmp_path, audit=False)
    [contact] = _csv(export, "Contact")
    assert "CreatedDate" not in contact
    assert contact["Stames_Created_At__c"] == "2018-06-02T14:14:25.000Z"
