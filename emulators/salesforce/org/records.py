"""The org's records as the write pipeline sees them: rows in SQLite, binary fields as files, the
schema registry, users, counters and switches. Implements `OrgRepository`; `Org` wraps it for the
transports."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from emulators.salesforce.org import objects, record_errors, writes
from emulators.salesforce.org.database import Database
from emulators.salesforce.org.deploy import DeployResult, deploy_folder, replay_deployments
from emulators.salesforce.org.fields import ObjectSchema
from emulators.salesforce.org.ids import mint, normalise
from emulators.salesforce.org.rules import DELETED_PREFIX, index_key
from emulators.salesforce.org.schema import API_VERSION, SchemaRegistry
from emulators.salesforce.org.setup_objects import SETUP_OBJECTS, SetupState, setup_rows
from emulators.salesforce.org.types import TOGGLES, OpContext
from emulators.salesforce.org.users import PERMISSION_KEY, PERMISSIONS, UserInfo, load_user
from emulators.salesforce.org.values import Rejected, coerce, format_datetime

FILES_DIR = "files"


class OrgRecords:
    """Records, schema, users and switches of one org persisted under `state_dir` (an `OrgRepository`)."""

    def __init__(self, state_dir: Path, database: Database) -> None:
        self.state_dir = state_dir
        self.database = database
        self._schema = SchemaRegistry.standard()
        self._users: dict[str, UserInfo] = {}
        self._counters: dict[str, int] = {}
        self._sequence = int(database.setting("sequence") or 0)
        self._toggles = self._load_toggles()
        replay_deployments(self._schema, database)

    def clear(self) -> None:
        """Drop every record, setting, file and deployed object; Ids keep counting so none is reused."""
        with self.database.transaction():
            self.database.clear()
        for stored in (self.state_dir / FILES_DIR).iterdir():
            stored.unlink()
        self._schema = SchemaRegistry.standard()
        self._users.clear()
        self._counters.clear()
        self._toggles = {}

    def deploy(self, source_dir: Path) -> DeployResult:
        with self.database.transaction():
            return deploy_folder(self._schema, self.database, source_dir)

    # ------------------------------------------------------------------ schema and org facts

    def sobject_names(self) -> list[str]:
        return self._schema.names()

    def schema(self, sobject: str) -> ObjectSchema:
        return self._schema.get(sobject)

    def find_object(self, sobject: str) -> ObjectSchema | None:
        return self._schema.find(sobject)

    def object_of(self, record_id: str) -> ObjectSchema | None:
        return self._schema.for_id(record_id)

    def cascade_fields(self) -> dict[str, set[str]]:
        return self._schema.cascade_fields

    def closed_values(self, sobject: str) -> set[str]:
        return self._schema.closed_values.get(sobject, set())

    def global_describe(self) -> dict[str, Any]:
        return self._schema.global_describe()

    def toggle(self, name: str) -> Any:
        if name not in TOGGLES:
            raise KeyError(name)
        return self._toggles.get(name, TOGGLES[name])

    def set_toggles(self, values: Mapping[str, Any]) -> None:
        unknown = [name for name in values if name not in TOGGLES]
        if unknown:
            raise KeyError(", ".join(unknown))
        with self.database.transaction():
            self._toggles.update(values)
            self.database.set_setting("toggles", json.dumps(self._toggles))

    def now(self) -> str:
        return format_datetime(datetime.now(UTC))

    @property
    def admin_user_id(self) -> str:
        return str(self.database.setting("admin_user_id"))

    @property
    def support_queue_id(self) -> str:
        return str(self.database.setting("support_queue_id"))

    # ------------------------------------------------------------------ users

    def user(self, user_id: str) -> UserInfo:
        cached = self._users.get(user_id)
        if cached is None:
            cached = load_user(self.database, user_id)
            self._users[user_id] = cached
        return cached

    def grant(self, user_id: str, **permissions: bool) -> None:
        unknown = [name for name in permissions if name not in PERMISSIONS]
        if unknown:
            raise KeyError(", ".join(unknown))
        canonical = normalise(user_id) or user_id
        granted = json.loads(self.database.setting(f"{PERMISSION_KEY}{canonical}") or "{}")
        granted.update(permissions)
        with self.database.transaction():
            self.database.set_setting(f"{PERMISSION_KEY}{canonical}", json.dumps(granted))
        self._users.clear()

    def audit_allowed(self, schema: ObjectSchema, user: UserInfo) -> bool:
        return (
            bool(self.toggle("audit_fields_enabled"))
            and user.set_audit_fields
            and (schema.custom or schema.name in record_errors.AUDIT_FIELD_OBJECTS)
        )

    # ------------------------------------------------------------------ reads

    def scan(self, sobject: str, *, include_deleted: bool = False) -> Iterator[dict[str, Any]]:
        schema = self._schema.get(sobject)
        if schema.name in SETUP_OBJECTS:
            for data in self._setup_rows(schema.name):
                yield self._expand(schema, data)
            return
        for data in self.database.scan(schema.name, include_deleted=include_deleted):
            yield self._expand(schema, json.loads(data))

    def get(self, record_id: str, *, include_deleted: bool = False) -> dict[str, Any] | None:
        canonical = normalise(record_id) if isinstance(record_id, str) else None
        row = self._fetch(canonical) if canonical else None
        if row is None or (row[1] and not include_deleted):
            return None
        schema = self._schema.get(row[0])
        record = self._expand(schema, json.loads(row[2]))
        url = f"/services/data/v{API_VERSION}/sobjects/{schema.name}/{canonical}"
        return {"attributes": {"type": schema.name, "url": url}, **record}

    def find_ids(self, sobject: str, field_name: str, value: str) -> list[str]:
        schema = self._schema.get(sobject)
        rule = schema.rule(field_name)
        if rule is None or value is None:
            return []
        if rule.type == "id":
            record = self.get(value)
            return [record["Id"]] if record and record["attributes"]["type"] == schema.name else []
        try:
            stored = coerce(rule, value, "csv")
        except Rejected:
            return []
        if stored is None:
            return []
        wanted = index_key(stored, case_sensitive=rule.case_sensitive)
        if rule.indexed and schema.name not in SETUP_OBJECTS:
            return self.database.lookup(schema.name, rule.name, wanted)
        return [
            record["Id"]
            for record in self.scan(schema.name)
            if record.get(rule.name) is not None
            and index_key(record[rule.name], case_sensitive=rule.case_sensitive) == wanted
        ]

    def version_data(self, record_id: str) -> bytes | None:
        canonical = normalise(record_id)
        path = self.state_dir / FILES_DIR / canonical if canonical else None
        return path.read_bytes() if path and path.is_file() else None

    def fetch_row(self, record_id: str) -> tuple[str, bool, dict[str, Any]] | None:
        row = self._fetch(record_id)
        return (row[0], row[1], json.loads(row[2])) if row else None

    def live_record(self, record_id: str) -> tuple[str, dict[str, Any]] | None:
        row = self._fetch(record_id)
        if row is None or row[1]:
            return None
        return row[0], json.loads(row[2])

    def live(self, schema: ObjectSchema, raw_id: str) -> tuple[str, dict[str, Any]]:
        canonical = normalise(raw_id) if isinstance(raw_id, str) else None
        if canonical is None or canonical[:3] != schema.key_prefix:
            raise Rejected(record_errors.wrong_object_id(schema.name, str(raw_id)))
        found = self.live_record(canonical)
        if found is None:
            raise Rejected(record_errors.entity_deleted())
        return canonical, found[1]

    def record_state(self, record_id: str) -> tuple[str, bool] | None:
        row = self._fetch(record_id)
        return (row[0], row[1]) if row else None

    def children(self, sobject: str, field_name: str, parent_id: str) -> list[str]:
        return self.database.lookup(sobject, field_name, parent_id)

    def indexed_ids(self, sobject: str, field_name: str, key: str) -> list[str]:
        return self.database.lookup(sobject, field_name, key)

    # ------------------------------------------------------------------ writes

    def next_number(self, counter: str, start: int) -> int:
        """A persisted counter (auto-number fields such as CaseNumber); like Salesforce's, it may skip
        numbers after a rollback but never repeats one."""
        current = self._counters.get(counter)
        if current is None:
            current = int(self.database.setting(f"counter:{counter}") or start - 1)
        current += 1
        self._counters[counter] = current
        self.database.set_setting(f"counter:{counter}", str(current))
        return current

    def mint(self, schema: ObjectSchema) -> str:
        self._sequence += 1
        self.database.set_setting("sequence", str(self._sequence))
        return mint(schema.key_prefix, self._sequence)

    def system_insert(self, sobject: str, values: Mapping[str, Any], user_id: str) -> str:
        """Insert as the platform does (seed data, records created by automation): no createable checks."""
        ctx = OpContext(user_id=user_id)
        return writes.insert_record(self, self._schema.get(sobject), values, ctx, system=True)

    def write_new(self, schema: ObjectSchema, record: dict[str, Any]) -> None:
        record_id = record["Id"]
        self.database.insert(record_id, schema.name, json.dumps(_compact(schema, record)))
        self.database.index(schema.name, self._index_entries(schema, record), record_id)

    def write_existing(self, schema: ObjectSchema, record: dict[str, Any]) -> None:
        record_id = record["Id"]
        self.database.replace(record_id, json.dumps(_compact(schema, record)), deleted=False)
        self.database.unindex(record_id)
        self.database.index(schema.name, self._index_entries(schema, record), record_id)
        if schema.name == "User":
            self._users.clear()

    def remove_record(self, record_id: str, *, hard: bool, deleted_with: str | None = None) -> None:
        """Soft-delete (IsDeleted, unindexed, in the Recycle Bin with the delete that took it) or
        hard-delete one record and its file."""
        row = self.database.fetch(record_id)
        if row is None:
            return
        if hard:
            self.database.remove(record_id)
            self.database.unbin(record_id)
            stored = self.state_dir / FILES_DIR / record_id
            stored.unlink(missing_ok=True)
            return
        data = json.loads(row[2])
        data.update(IsDeleted=True, SystemModstamp=self.now())
        data = _compact(self._schema.get(row[0]), data)
        self.database.replace(record_id, json.dumps(data), deleted=True)
        self.database.unindex(record_id)
        self.database.bin(record_id, deleted_with or record_id)
        if record_errors.UNIQUE_INCLUDES_RECYCLE_BIN:
            schema = self._schema.get(row[0])
            held = [
                (DELETED_PREFIX + rule.name, index_key(data[rule.name], case_sensitive=rule.case_sensitive))
                for rule in schema.indexed
                if rule.unique and data.get(rule.name) is not None
            ]
            self.database.index(schema.name, held, record_id)

    def binned_with(self, record_id: str) -> list[str]:
        return self.database.binned_with(record_id)

    def restore_record(self, record_id: str) -> None:
        """Take a soft-deleted record out of the Recycle Bin: live and indexed again."""
        row = self.database.fetch(record_id)
        if row is None or not row[1]:
            return
        schema = self._schema.get(row[0])
        data = json.loads(row[2])
        data.update(IsDeleted=False, SystemModstamp=self.now())
        data = _compact(schema, data)
        self.database.replace(record_id, json.dumps(data), deleted=False)
        self.database.unindex(record_id)
        self.database.index(schema.name, self._index_entries(schema, data), record_id)
        self.database.unbin(record_id)

    def store_file(self, record_id: str, content: bytes) -> None:
        """Keep a record's binary field (ContentVersion.VersionData) as a file in the state folder."""
        (self.state_dir / FILES_DIR / record_id).write_bytes(content)

    # ------------------------------------------------------------------ internals

    def _fetch(self, record_id: str) -> tuple[str, bool, str] | None:
        """(object name, deleted, stored JSON) of a stored record or of a setup object's row."""
        row = self.database.fetch(record_id)
        if row is not None:
            return row
        schema = self._schema.for_id(record_id)
        if schema is None or schema.name not in SETUP_OBJECTS:
            return None
        found = next((data for data in self._setup_rows(schema.name) if data["Id"] == record_id), None)
        return (schema.name, False, json.dumps(found)) if found else None

    def _setup_rows(self, sobject: str) -> list[dict[str, Any]]:
        """The rows of a setup object, derived from the switches and permissions (setup_objects.py)."""
        users = (json.loads(data)["Id"] for data in self.database.scan("User", include_deleted=False))
        bypassing = (
            tuple(user_id for user_id in users if self.user(user_id).bypass_automation)
            if sobject == "PermissionSetAssignment"
            else ()
        )
        state = SetupState(
            automation_enabled=bool(self.toggle("automation_enabled")),
            admin_user_id=self.admin_user_id,
            bypass_user_ids=bypassing,
            stamp=self.database.setting("seeded") or self.now(),
        )
        return setup_rows(sobject, state)

    def _index_entries(self, schema: ObjectSchema, record: Mapping[str, Any]) -> list[tuple[str, str]]:
        entries = [
            (rule.name, index_key(record[rule.name], case_sensitive=rule.case_sensitive))
            for rule in schema.indexed
            if record.get(rule.name) is not None
        ]
        cascading = tuple(self._schema.cascade_fields.get(schema.name, ()))
        linked = cascading + objects.RESTRICT_FIELDS.get(schema.name, ())
        entries += [(name, record[name]) for name in linked if record.get(name)]
        return entries

    def _expand(self, schema: ObjectSchema, data: dict[str, Any]) -> dict[str, Any]:
        record = dict.fromkeys(schema.field_order)
        record.update(data)
        for name in schema.blob_fields:
            if (self.state_dir / FILES_DIR / data["Id"]).is_file():
                record[name] = f"/services/data/v{API_VERSION}/sobjects/{schema.name}/{data['Id']}/{name}"
        return record

    def _load_toggles(self) -> dict[str, Any]:
        return dict(json.loads(self.database.setting("toggles") or "{}"))


def _compact(schema: ObjectSchema, record: Mapping[str, Any]) -> dict[str, Any]:
    """What is stored: non-null values of the object's fields (records are expanded on read; system
    fields an object lacks, such as User.IsDeleted, are dropped)."""
    return {
        name: value for name, value in record.items() if value is not None and name.lower() in schema.rules
    }
