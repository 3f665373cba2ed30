"""Where each target object's rows wait for the loader: the dbt sync tables in schema `salesforce`.

Standard objects have a table each; every custom object of the mapping shares
`sync_salesforce__custom_object_records`, told apart by `stames__sobject`, and the status history
object has `sync_salesforce__case_status_history`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from mapping.model import Mapping

SYNC_SCHEMA = "salesforce"
SYNC_TABLE_PREFIX = "sync_salesforce__"
QUARANTINE_TABLE = "sync_salesforce__quarantine"
RECONCILIATION_TABLE = "sync_salesforce__reconciliation"
CUSTOM_OBJECT_RECORDS_TABLE = "sync_salesforce__custom_object_records"
STATUS_HISTORY_TABLE = "sync_salesforce__case_status_history"
SOBJECT_COLUMN = "stames__sobject"
"""In the shared custom-object table: the record's custom object API name."""
REFERENCE_PREFIX = "ref__"
"""`ref__<LookupField>` holds the parent's Stames_Id__c."""
HELPER_PREFIX = "stames__"

STANDARD_TABLES: dict[str, str] = {
    "Account": "sync_salesforce__accounts",
    "Contact": "sync_salesforce__contacts",
    "Case": "sync_salesforce__cases",
    "EmailMessage": "sync_salesforce__email_messages",
    "Task": "sync_salesforce__tasks",
    "ContentVersion": "sync_salesforce__content_versions",
    "CaseComment": "sync_salesforce__case_comments",
    "Topic": "sync_salesforce__topics",
    "TopicAssignment": "sync_salesforce__topic_assignments",
}

CUSTOM_FIELD_TABLES: dict[str, str] = {
    "Case": "sync_salesforce__case_custom_fields",
    "Contact": "sync_salesforce__contact_custom_fields",
}
"""The mapping's custom (`__c`) fields of a standard object sit in their own table beside it
(their columns depend on the org, so that table has no enforced contract); validated as the same object."""


@dataclass(frozen=True)
class SyncModel:
    """The rows of one target object in the warehouse."""

    sobject: str
    table: str
    shared: bool = False
    """True when the table holds several objects' rows (filtered on `stames__sobject`)."""
    extension: bool = False
    """True for a table of extra columns of another table's rows (the custom fields of Case or
    Contact): its object's required fields live in the main table, and it is no parent."""

    @property
    def name(self) -> str:
        """A short name for suites and reports: `cases`, `Stames_Warranty__c`."""
        return self.sobject if self.shared else self.table.removeprefix(SYNC_TABLE_PREFIX)

    def relation(self) -> str:
        """A SQL relation with exactly this object's rows."""
        qualified = f'{SYNC_SCHEMA}."{self.table}"'
        if not self.shared:
            return qualified
        sobject = self.sobject.replace("'", "''")
        return f"(SELECT * FROM {qualified} WHERE {SOBJECT_COLUMN} = '{sobject}')"


def sync_models(mapping: Mapping) -> list[SyncModel]:
    """One sync model per target object of the mapping, in load order (each object once), then the
    custom-field tables of the standard objects that have one."""
    models: dict[str, SyncModel] = {}
    for entry in sorted(mapping.objects, key=lambda item: item.load_order):
        target = entry.target
        if target in models:
            continue
        if target in STANDARD_TABLES:
            models[target] = SyncModel(target, STANDARD_TABLES[target])
        elif target == mapping.strategies.status_history_object:
            models[target] = SyncModel(target, STATUS_HISTORY_TABLE)
        else:
            models[target] = SyncModel(target, CUSTOM_OBJECT_RECORDS_TABLE, shared=True)
    custom_fields = [
        SyncModel(sobject, table, extension=True)
        for sobject, table in CUSTOM_FIELD_TABLES.items()
        if sobject in models
    ]
    return [*models.values(), *custom_fields]


def has_sync_tables(warehouse: Path) -> bool:
    """Whether the transform has written any `salesforce.sync_salesforce__*` table."""
    if not warehouse.exists():
        return False
    with duckdb.connect(str(warehouse), read_only=True) as con:
        [(count,)] = con.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = ? AND starts_with(table_name, ?)",
            [SYNC_SCHEMA, SYNC_TABLE_PREFIX],
        ).fetchall()
    return bool(count)
