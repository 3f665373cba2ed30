"""The sync tables as SFDMU's CSV source: one `<Object>.csv` per object and an `export.json`.

SFDMU (`sf sfdmu run --sourceusername csvfile`) reads `<Object>.csv` beside `export.json` and
upserts each object on its `externalId` (`Stames_Id__c` here). Each file is laid out as SFDMU's own
CSV export is: an `Id` column, the fields, and per lookup the lookup column and the parent's
external id as `<Relationship>.<externalId>` (`Account.Stames_Id__c`, `Case__r.Stames_Id__c`); a
polymorphic lookup names its object in the query (`WhatId$Case`). The Ids are source Ids made up
from the object and the Stames id (`source_id`): they link child rows to parent rows inside the
source, and every target record is found through its external id, so no Id of the target org is
in the files except the Users'. Owners (`OwnerId`, User lookups) carry the User's Id and `Name`,
with the org's Users in `User.csv`: SFDMU adds User itself as a read-only object matched on Name.
[help.sfdmu.com: "Full export.json format", "CSV import-export examples"; the `$` separator and
the User/Group handling read in sfdmu 3.7.19 `lib/modules/models/script_models/script.js`.]

Why not `excludeIdsFromCSVFiles` with the external-id columns alone: SFDMU 3.7.19 then makes up
the Ids itself and leaves a Case's self lookup (`ParentId`) and a lookup into a circle (Case →
warranty → Case) empty, and without a User source with Ids it sets no owner (tried: 15 parents,
232 warranties and 619 owners lost at 1,000 tickets).

An object with a polymorphic lookup (Task: `WhatId`, `WhoId`) goes in with `Insert`, not `Upsert`:
to upsert, SFDMU first reads the target's records, and for a polymorphic lookup it asks with SOQL
`TYPEOF`, which the local org does not implement. On a fresh org both end the same; a second run
would insert those records again.

The rows and fields are the ones our loader sends, taken from its own load plan and source reader
(`loaders.load.plan`, `loaders.load.source`): the fields the org lets the loading user create, the
original CreatedDate where audit fields may be set (or in `Stames_Created_At__c` when not), a
custom object's fields from its JSON. Files (ContentVersion) and topics are out of SFDMU's CSV
scope and are left out; an EmailMessage body keeps its `stames-file:` image placeholders (our
loader points them at the uploaded file, which SFDMU does not upload).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from loaders.load.plan import AUDIT_FIELDS, CREATED_AT_FALLBACK, AuditFields, LoadPlan, Phase, PhaseKind
from loaders.load.records import ParentRef, api_text
from loaders.load.source import count_rows, read_batches
from mapping.model import EXTERNAL_ID_FIELD as STAMES_ID

SCRIPT_FILE = "export.json"
POLYMORPHIC_SEPARATOR = "$"
USER_OBJECTS = frozenset({"User", "Group"})
USER_EXTERNAL_ID = "Name"
"""SFDMU adds User (for a User or Group lookup) as a read-only object matched on `Name`."""
SCRIPT_SETTINGS: dict[str, object] = {
    "excludeIdsFromCSVFiles": False,  # source Ids link the rows; see `source_id`
    "bulkApiVersion": "2.0",  # the org speaks Bulk API 2.0 (the emulator has no Bulk 1.0)
    "promptOnMissingParentObjects": False,
    "promptOnIssuesInCSVFiles": False,
    "promptOnUpdateError": False,
}
NOT_IN_CSV_SCOPE = {
    PhaseKind.FILES: "files (binary VersionData) are outside SFDMU's CSV source",
    PhaseKind.TOPICS: "topics are loaded by name, with no external id to upsert on",
    PhaseKind.TOPIC_ASSIGNMENTS: "topic assignments have no external id to upsert on",
}


@dataclass
class ExportedObject:
    sobject: str
    operation: str
    rows: int
    fields: list[str]
    lookups: list[str]
    user_lookups: list[str] = field(default_factory=list)
    """Lookups to a User written as the User's Name (`Owner.Name`)."""
    unknown_users: int = 0
    """Values of those lookups naming no User of the org (left blank)."""
    left_out_fields: list[str] = field(default_factory=list)
    """Lookup fields holding a Salesforce Id of an object SFDMU cannot match (not exported)."""
    org_matched: int = 0
    """Rows the transform matched to a record already in the org (`Id` in the sync table): ours
    updates that record; SFDMU, matching on Stames_Id__c only, would create another."""


@dataclass
class SfdmuExport:
    folder: Path
    objects: list[ExportedObject] = field(default_factory=list)
    left_out: dict[str, str] = field(default_factory=dict)
    """Object → why it is not in the export."""

    @property
    def sobjects(self) -> list[str]:
        return [item.sobject for item in self.objects]


def insert_fields(phase: Phase) -> list[str]:
    """The fields our loader sends when it creates a record of `phase` (its audit-field rule included)."""
    fields = [name for name in phase.columns if name in phase.insertable]
    if phase.audit is AuditFields.KEPT:
        return fields
    fields = [name for name in fields if name not in AUDIT_FIELDS]
    return [*fields, CREATED_AT_FALLBACK] if phase.audit is AuditFields.FALLBACK else fields


def lookup_column(parent: ParentRef) -> str:
    """`Account.Stames_Id__c`: the relationship name, then the parent's external id."""
    return f"{parent.relationship}.{parent.external_id_field}"


def query_field(parent: ParentRef) -> str:
    """The lookup field as the SFDMU query names it: `WhatId$Case` for a polymorphic one."""
    if parent.polymorphic:
        return f"{parent.field}{POLYMORPHIC_SEPARATOR}{parent.parent_sobject}"
    return parent.field


def _values(phase: Phase, values: dict[str, object]) -> dict[str, object]:
    """The record's values as our loader inserts them (`record_phase._with_audit`)."""
    if phase.audit is AuditFields.KEPT:
        return values
    kept = {name: value for name, value in values.items() if name not in AUDIT_FIELDS}
    if phase.audit is AuditFields.FALLBACK and values.get("CreatedDate") is not None:
        kept[CREATED_AT_FALLBACK] = values["CreatedDate"]
    return kept


def _id_lookups(phase: Phase, describe: Mapping[str, object]) -> tuple[dict[str, str], list[str]]:
    """The phase's fields that hold a Salesforce Id themselves (an owner): those naming a User
    (field → relationship name), and the others, which SFDMU could not match."""
    described = {item["name"]: item for item in describe.get("fields", [])}  # type: ignore[union-attr]
    users: dict[str, str] = {}
    others: list[str] = []
    for name in insert_fields(phase):
        item = described.get(name) or {}
        if item.get("type") != "reference":
            continue
        if set(item.get("referenceTo") or ()) & USER_OBJECTS and item.get("relationshipName"):
            users[name] = str(item["relationshipName"])
        else:
            others.append(name)
    return users, others


def source_id(sobject: str, key: str) -> str:
    """A record's Id in the CSV source: 18 characters, the same for the same object and Stames id.

    SFDMU links a child row to its parent row in the source through these, and matches the target's
    records through the external id; no Salesforce Id of the target is written."""
    return hashlib.blake2b(f"{sobject}\0{key}".encode(), digest_size=9).hexdigest()


def _export_phase(
    con: duckdb.DuckDBPyConnection,
    phase: Phase,
    folder: Path,
    describe: Mapping[str, object],
    user_names: Mapping[str, str],
) -> ExportedObject:
    users, others = _id_lookups(phase, describe)
    fields = [STAMES_ID, *(name for name in insert_fields(phase) if name not in (STAMES_ID, *others))]
    plain = [name for name in fields if name not in users]
    parents = [lookup.parent for lookup in phase.lookups]
    user_columns = [f"{relationship}.{USER_EXTERNAL_ID}" for relationship in users.values()]
    header = ["Id", *plain, *users, *user_columns]
    header += [column for parent in parents for column in (parent.field, lookup_column(parent))]
    polymorphic = any(parent.polymorphic for parent in parents)
    exported = ExportedObject(
        phase.sobject,
        "Insert" if polymorphic else "Upsert",
        0,
        fields,
        [lookup_column(parent) for parent in parents],
        user_columns,
        left_out_fields=others,
    )
    with (folder / f"{phase.sobject}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for batch in read_batches(con, phase):
            for record, helpers in batch:
                exported.org_matched += bool(helpers.get("Id"))
                values = {**_values(phase, record.values), STAMES_ID: record.key}
                line = [source_id(phase.sobject, record.key)]
                line += [api_text(values.get(name)) for name in plain]
                owners = [str(values[name]) if values.get(name) else "" for name in users]
                exported.unknown_users += sum(1 for owner in owners if owner and owner not in user_names)
                line += [owner if owner in user_names else "" for owner in owners]
                line += [user_names.get(owner, "") for owner in owners]
                for parent in parents:
                    key = record.parent_keys.get(parent.field)
                    line += [source_id(parent.parent_sobject, key), key] if key else ["", ""]
                writer.writerow(line)
                exported.rows += 1
    return exported


def _write_users(folder: Path, user_names: Mapping[str, str]) -> None:
    """`User.csv`: the org's Users as the source of owner lookups (SFDMU matches them on Name)."""
    with (folder / "User.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["Id", USER_EXTERNAL_ID])
        writer.writerows(sorted(user_names.items()))


def _script_object(exported: ExportedObject, phase: Phase) -> dict[str, object]:
    selected = ["Id", *exported.fields, *(query_field(lookup.parent) for lookup in phase.lookups)]
    return {
        "query": f"SELECT {', '.join(selected)} FROM {phase.sobject}",
        "operation": exported.operation,
        "externalId": STAMES_ID,
    }


def export_for_sfdmu(
    con: duckdb.DuckDBPyConnection,
    plan: LoadPlan,
    describes: Mapping[str, Mapping[str, object]],
    user_names: Mapping[str, str],
    folder: Path,
    api_version: str,
) -> SfdmuExport:
    """Write `<Object>.csv` for every record phase of `plan` that has rows, and `export.json`.

    `describes` are the org's describes the plan was built from; `user_names` maps the org's User
    Ids to their Names (how SFDMU matches an owner)."""
    folder.mkdir(parents=True, exist_ok=True)
    export = SfdmuExport(folder)
    objects: list[dict[str, object]] = []
    for phase in plan.phases:
        if phase.kind is not PhaseKind.RECORDS:
            export.left_out[phase.sobject] = NOT_IN_CSV_SCOPE[phase.kind]
            continue
        if count_rows(con, phase) == 0:
            export.left_out[phase.sobject] = "no rows in the sync table"
            continue
        exported = _export_phase(con, phase, folder, describes.get(phase.sobject, {}), user_names)
        export.objects.append(exported)
        objects.append(_script_object(exported, phase))
    if any(item.user_lookups for item in export.objects):
        _write_users(folder, user_names)
    script = {"objects": objects, "apiVersion": api_version, **SCRIPT_SETTINGS}
    (folder / SCRIPT_FILE).write_text(json.dumps(script, indent=2) + "\n", encoding="utf-8")
    return export
