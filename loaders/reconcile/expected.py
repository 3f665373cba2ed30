"""What each sampled Case must look like in the org, read from the warehouse: the sync tables
(the confirmed mapping applied), lookups turned into the org's Ids through the run's ledger, file
digests from the bytes in the work folder, and the direct Stames facts from raw_stames."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from expectations.sync_tables import (
    CUSTOM_FIELD_TABLES,
    HELPER_PREFIX,
    QUARANTINE_TABLE,
    REFERENCE_PREFIX,
    STANDARD_TABLES,
    SYNC_SCHEMA,
)
from loaders.load.plan import AUDIT_FIELDS, CREATED_AT_FALLBACK, POLYMORPHIC_PARENTS
from loaders.reconcile.compare import ExpectedCase, ExpectedFile, ExpectedMessage
from loaders.reconcile.files import file_md5
from mapping.model import EXTERNAL_ID_FIELD as STAMES_ID

RAW_SCHEMA = "raw_stames"
EXCLUDED_MESSAGES = "intermediate.int_excluded__messages"


@dataclass(frozen=True)
class CaseDescribe:
    """What the reconciliation needs of the org's Case describe."""

    fields: Mapping[str, dict]

    @property
    def created_date_field(self) -> str | None:
        """Where the original creation time must be: CreatedDate when the loading user may set it,
        else the `Stames_Created_At__c` fallback, else nowhere (the load said so)."""
        if self.fields.get("CreatedDate", {}).get("createable"):
            return "CreatedDate"
        return CREATED_AT_FALLBACK if CREATED_AT_FALLBACK in self.fields else None

    def parent_of(self, name: str) -> str | None:
        targets = list(self.fields.get(name, {}).get("referenceTo") or [])
        if len(targets) > 1:
            return POLYMORPHIC_PARENTS.get(name)
        return targets[0] if targets else None

    def org_default(self, name: str) -> object:
        """The value the org gives a field left empty on create (a checkbox's false, a picklist's
        default): an empty sync value is expected to arrive as that."""
        item = self.fields.get(name, {})
        if not item.get("defaultedOnCreate"):
            return None
        if item.get("defaultValue") is not None:
            return item["defaultValue"]
        defaults = [entry["value"] for entry in item.get("picklistValues") or [] if entry.get("defaultValue")]
        return defaults[0] if defaults else None

    def multi_select(self) -> frozenset[str]:
        return frozenset(name for name, item in self.fields.items() if item.get("type") == "multipicklist")


@dataclass(frozen=True)
class ExpectedSources:
    """The run's ledger ids of every parent object: sobject → Stames id → Salesforce id."""

    loaded: Mapping[str, Mapping[str, str]]
    with_topics: bool


def expected_cases(
    con: duckdb.DuckDBPyConnection,
    sample: Sequence[str],
    describe: CaseDescribe,
    sources: ExpectedSources,
    work_root: Path,
) -> list[ExpectedCase]:
    fields = _case_fields(con, sample, describe, sources.loaded)
    messages = _messages(con, sample)
    notes = _keys_by_case(con, STANDARD_TABLES["Task"], "ref__WhatId", sample)
    files = _files(con, sample, work_root)
    topics = _topics(con, sample) if sources.with_topics else None
    subjects = _stames_subjects(con, sample)
    message_counts = _stames_message_counts(con, sample)
    return [
        ExpectedCase(
            stames_id=key,
            fields=fields.get(key, {}),
            multi_select=describe.multi_select(),
            messages=tuple(messages.get(key, ())),
            notes=frozenset(notes.get(key, ())),
            files=tuple(files.get(key, ())),
            topics=None if topics is None else frozenset(topics.get(key, ())),
            stames_subject=subjects.get(key),
            stames_messages=message_counts.get(key) if message_counts is not None else None,
        )
        for key in sample
    ]


def _case_fields(
    con: duckdb.DuckDBPyConnection,
    sample: Sequence[str],
    describe: CaseDescribe,
    loaded: Mapping[str, Mapping[str, str]],
) -> dict[str, dict[str, object]]:
    rows = _rows(con, STANDARD_TABLES["Case"], STAMES_ID, sample)
    extension = CUSTOM_FIELD_TABLES["Case"]
    extra = (
        {row[STAMES_ID]: row for row in _rows(con, extension, STAMES_ID, sample)}
        if _exists(con, extension)
        else {}
    )
    expected: dict[str, dict[str, object]] = {}
    for row in rows:
        key = row[STAMES_ID]
        values: dict[str, object] = {}
        for column, value in {**row, **extra.get(key, {})}.items():
            if column == STAMES_ID or column.startswith(HELPER_PREFIX) or column == "Id":
                continue
            if column in AUDIT_FIELDS:
                continue
            if column.startswith(REFERENCE_PREFIX):
                name = column.removeprefix(REFERENCE_PREFIX)
                if name in describe.fields:
                    values[name] = _resolved(value, describe.parent_of(name), loaded)
            elif column in describe.fields:
                values[column] = describe.org_default(column) if value is None else value
        created = describe.created_date_field
        if created is not None:
            values[created] = row.get("CreatedDate")
        expected[key] = values
    return expected


def _resolved(stames_id: object, parent: str | None, loaded: Mapping[str, Mapping[str, str]]) -> str | None:
    if stames_id is None:
        return None
    found = loaded.get(parent or "", {}).get(str(stames_id))
    return found or f"{parent} with Stames id {stames_id} (not loaded in this run)"


def _messages(con: duckdb.DuckDBPyConnection, sample: Sequence[str]) -> dict[str, list[ExpectedMessage]]:
    found: dict[str, list[ExpectedMessage]] = {}
    rows = _rows(
        con,
        STANDARD_TABLES["EmailMessage"],
        "ref__ParentId",
        sample,
        'stames__thread_position, "MessageDate"',
    )
    for row in rows:
        message = ExpectedMessage(
            row[STAMES_ID], row.get("Incoming"), row.get("MessageDate"), row.get("TextBody")
        )
        found.setdefault(row["ref__ParentId"], []).append(message)
    return found


def _keys_by_case(
    con: duckdb.DuckDBPyConnection, table: str, column: str, sample: Sequence[str]
) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    if _exists(con, table):
        for row in _rows(con, table, column, sample):
            found.setdefault(row[column], set()).add(row[STAMES_ID])
    return found


def _files(
    con: duckdb.DuckDBPyConnection, sample: Sequence[str], work_root: Path
) -> dict[str, list[ExpectedFile]]:
    declared = dict(
        con.execute(f"SELECT id::varchar, size FROM {RAW_SCHEMA}.messages__attachments").fetchall()
    )
    found: dict[str, list[ExpectedFile]] = {}
    for row in _rows(con, STANDARD_TABLES["ContentVersion"], "ref__FirstPublishLocationId", sample):
        path = work_root / str(row.get("stames__file_path") or "")
        md5 = file_md5(path) if row.get("stames__file_path") and path.is_file() else None
        stames_size = declared.get(row[STAMES_ID]) if row.get("stames__file_kind") == "attachment" else None
        file = ExpectedFile(row[STAMES_ID], row.get("stames__size_bytes"), md5, stames_size)
        found.setdefault(row["ref__FirstPublishLocationId"], []).append(file)
    return found


def _topics(con: duckdb.DuckDBPyConnection, sample: Sequence[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in _rows(con, STANDARD_TABLES["TopicAssignment"], "ref__EntityId", sample):
        found.setdefault(row["ref__EntityId"], set()).add(row["stames__topic_name"])
    return found


def _stames_subjects(con: duckdb.DuckDBPyConnection, sample: Sequence[str]) -> dict[str, str]:
    """The ticket's subject as Stames has it, where the transform passed it on unchanged (a subject
    the transform had to cut is checked against the sync table only)."""
    rows = con.execute(
        f"SELECT t.id::varchar, t.subject FROM {RAW_SCHEMA}.tickets t "
        f'JOIN {SYNC_SCHEMA}."{STANDARD_TABLES["Case"]}" c '
        'ON c."Stames_Id__c" = t.id::varchar WHERE t.id::varchar IN (SELECT unnest(?)) '
        'AND c."Subject" IS NOT DISTINCT FROM t.subject',
        [list(sample)],
    ).fetchall()
    return dict(rows)


def _stames_message_counts(con: duckdb.DuckDBPyConnection, sample: Sequence[str]) -> dict[str, int] | None:
    """Messages raw_stames has per ticket, less those quarantined, excluded by a rule or routed to
    CaseComment: what the org must hold as EmailMessages and Tasks."""
    if not _exists_qualified(con, "intermediate", "int_excluded__messages"):
        return None
    comments = STANDARD_TABLES["CaseComment"]
    not_in_org = [
        f"SELECT stames_id FROM {EXCLUDED_MESSAGES}",
        f"SELECT stames_id FROM {SYNC_SCHEMA}.\"{QUARANTINE_TABLE}\" WHERE object = 'message'",
    ]
    if _exists(con, comments):
        not_in_org.append(f'SELECT "Stames_Id__c" FROM {SYNC_SCHEMA}."{comments}"')
    rows = con.execute(
        f"SELECT ticket_id::varchar, count(*) FROM {RAW_SCHEMA}.messages "
        "WHERE ticket_id::varchar IN (SELECT unnest(?)) "
        f"AND id::varchar NOT IN ({' UNION ALL '.join(not_in_org)}) "
        "GROUP BY 1",
        [list(sample)],
    ).fetchall()
    counts = dict.fromkeys(sample, 0)
    counts.update({key: int(count) for key, count in rows})
    return counts


def _rows(
    con: duckdb.DuckDBPyConnection, table: str, column: str, keys: Sequence[str], order: str | None = None
) -> list[dict]:
    cursor = con.execute(
        f'SELECT * FROM {SYNC_SCHEMA}."{table}" WHERE "{column}" IN (SELECT unnest(?))'
        + (f" ORDER BY {order}" if order else ""),
        [list(keys)],
    )
    names = [item[0] for item in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return _exists_qualified(con, SYNC_SCHEMA, table)


def _exists_qualified(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    [(count,)] = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchall()
    return bool(count)
