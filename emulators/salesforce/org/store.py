"""The org: records in SQLite, every Salesforce rule enforced on every write path (REST, sObject
Collections and Bulk 2.0 all call `insert`/`update`/`upsert`/`delete` here)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from emulators.salesforce.org import objects, record_errors, writes
from emulators.salesforce.org.database import Database
from emulators.salesforce.org.deploy import DeployResult, deploy_folder, replay_deployments
from emulators.salesforce.org.fields import ObjectSchema
from emulators.salesforce.org.ids import mint, normalise
from emulators.salesforce.org.rules import (
    AUDIT_FIELDS,
    DELETED_PREFIX,
    index_key,
)
from emulators.salesforce.org.schema import API_VERSION, SchemaRegistry
from emulators.salesforce.org.types import TOGGLES, FieldError, OpContext, SaveResult
from emulators.salesforce.org.users import PERMISSION_KEY, PERMISSIONS, UserInfo, load_user
from emulators.salesforce.org.values import Rejected, coerce, format_datetime

DATABASE_FILE = "org.sqlite3"
FILES_DIR = "files"


class Org:
    """One emulated org, persisted under `state_dir`; thread-safe."""

    def __init__(self, state_dir: Path, database: Database) -> None:
        self.state_dir = state_dir
        self._db = database
        self._schema = SchemaRegistry.standard()
        self._users: dict[str, UserInfo] = {}
        self._counters: dict[str, int] = {}
        self._sequence = int(database.setting("sequence") or 0)
        self._toggles = self._load_toggles()

    @classmethod
    def open(cls, state_dir: Path, agent_emails: list[str] | None = None) -> Org:
        """Open (or create and seed) the org stored in `state_dir`."""
        state_dir.mkdir(parents=True, exist_ok=True)
        (state_dir / FILES_DIR).mkdir(exist_ok=True)
        org = cls(state_dir, Database(state_dir / DATABASE_FILE))
        replay_deployments(org._schema, org._db)
        if org._db.setting("seeded") is None:
            org._seed(agent_emails)
        elif agent_emails:
            org.add_agent_users(agent_emails)
        return org

    def close(self) -> None:
        self._db.close()

    # ------------------------------------------------------------------ reads (RecordStore)

    def sobject_names(self) -> list[str]:
        return self._schema.names()

    def schema(self, sobject: str) -> ObjectSchema:
        """The rules of one object (KeyError when unknown)."""
        return self._schema.get(sobject)

    def describe(self, sobject: str, *, user_id: str | None = None) -> dict[str, Any]:
        """Describe JSON; with `user_id`, audit fields show createable when that user may set them."""
        schema = self._schema.get(sobject)
        described = schema.describe_copy()
        if user_id is not None and self.audit_allowed(schema, self.user(user_id)):
            for described_field in described["fields"]:
                if described_field["name"] in AUDIT_FIELDS:
                    described_field["createable"] = True
        return described

    def cascade_fields(self) -> dict[str, set[str]]:
        """Child object → reference fields whose parent's delete deletes the child (standard ones plus
        deployed master-detail fields)."""
        return self._schema.cascade_fields

    def closed_values(self, sobject: str) -> set[str]:
        """Status values that close a Case or Task (standard ones plus deployed)."""
        return self._schema.closed_values.get(sobject, set())

    def global_describe(self) -> dict[str, Any]:
        return self._schema.global_describe()

    def scan(self, sobject: str, *, include_deleted: bool = False) -> Iterator[dict[str, Any]]:
        schema = self._schema.get(sobject)
        for data in self._db.scan(schema.name, include_deleted=include_deleted):
            yield self._expand(schema, json.loads(data))

    def get(self, record_id: str, *, include_deleted: bool = False) -> dict[str, Any] | None:
        canonical = normalise(record_id) if isinstance(record_id, str) else None
        row = self._db.fetch(canonical) if canonical else None
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
        if rule.indexed:
            return self._db.lookup(schema.name, rule.name, wanted)
        return [
            record["Id"]
            for record in self.scan(schema.name)
            if record.get(rule.name) is not None
            and index_key(record[rule.name], case_sensitive=rule.case_sensitive) == wanted
        ]

    def version_data(self, record_id: str) -> bytes | None:
        """The bytes of a ContentVersion (`GET /sobjects/ContentVersion/{id}/VersionData`)."""
        canonical = normalise(record_id)
        path = self.state_dir / FILES_DIR / canonical if canonical else None
        return path.read_bytes() if path and path.is_file() else None

    def export(self) -> dict[str, list[dict[str, Any]]]:
        """Every record of every object, deleted ones included, for comparing org states."""
        return {name: list(self.scan(name, include_deleted=True)) for name in self._schema.names()}

    # ------------------------------------------------------------------ writes (OrgStore)

    def atomic(self) -> AbstractContextManager[None]:
        return self._db.transaction()

    def insert(self, sobject: str, values: Mapping[str, Any], ctx: OpContext) -> SaveResult:
        schema = self._schema.find(sobject)
        if schema is None:
            return _failed(
                None, FieldError("INVALID_TYPE", f"sObject type '{sobject}' is not supported.", [])
            )
        return self._guarded(lambda: (writes.insert_record(self, schema, values, ctx), True))

    def update(self, sobject: str, record_id: str, values: Mapping[str, Any], ctx: OpContext) -> SaveResult:
        schema = self._schema.find(sobject)
        if schema is None:
            return _failed(
                None, FieldError("INVALID_TYPE", f"sObject type '{sobject}' is not supported.", [])
            )
        return self._guarded(
            lambda: (writes.update_record(self, schema, record_id, values, ctx), False), failed_id=record_id
        )

    def upsert(
        self, sobject: str, external_id_field: str, values: Mapping[str, Any], ctx: OpContext
    ) -> SaveResult:
        schema = self._schema.find(sobject)
        if schema is None:
            return _failed(
                None, FieldError("INVALID_TYPE", f"sObject type '{sobject}' is not supported.", [])
            )
        return self._guarded(lambda: writes.upsert_record(self, schema, external_id_field, values, ctx))

    def delete(self, record_id: str, ctx: OpContext, *, hard: bool = False) -> SaveResult:
        return self._guarded(
            lambda: (writes.delete_record(self, record_id, ctx, hard=hard), False), failed_id=record_id
        )

    def toggle(self, name: str) -> Any:
        if name not in TOGGLES:
            raise KeyError(name)
        return self._toggles.get(name, TOGGLES[name])

    def set_toggles(self, values: Mapping[str, Any]) -> None:
        unknown = [name for name in values if name not in TOGGLES]
        if unknown:
            raise KeyError(", ".join(unknown))
        with self._db.transaction():
            self._toggles.update(values)
            self._db.set_setting("toggles", json.dumps(self._toggles))

    # ------------------------------------------------------------------ users and org admin

    @property
    def admin_user_id(self) -> str:
        return str(self._db.setting("admin_user_id"))

    @property
    def integration_user_id(self) -> str:
        return str(self._db.setting("integration_user_id"))

    @property
    def org_id(self) -> str:
        return str(self._db.setting("org_id"))

    @property
    def support_queue_id(self) -> str:
        """The default support queue (Group Type=Queue) that automation assigns email cases to."""
        return str(self._db.setting("support_queue_id"))

    def user(self, user_id: str) -> UserInfo:
        """The user's status and permissions; an unknown Id gives an inactive user with none."""
        cached = self._users.get(user_id)
        if cached is None:
            cached = load_user(self._db, user_id)
            self._users[user_id] = cached
        return cached

    def grant(self, user_id: str, **permissions: bool) -> None:
        """Set permissions (`set_audit_fields`, `bypass_automation`, `hard_delete`) of a user."""
        unknown = [name for name in permissions if name not in PERMISSIONS]
        if unknown:
            raise KeyError(", ".join(unknown))
        canonical = normalise(user_id) or user_id
        granted = json.loads(self._db.setting(f"{PERMISSION_KEY}{canonical}") or "{}")
        granted.update(permissions)
        with self._db.transaction():
            self._db.set_setting(f"{PERMISSION_KEY}{canonical}", json.dumps(granted))
        self._users.clear()

    def reset(self, agent_emails: list[str] | None = None) -> None:
        """Back to a freshly seeded org: records, toggles, deployed metadata and files all go."""
        with self._db.transaction():
            self._db.clear()
        for stored in (self.state_dir / FILES_DIR).iterdir():
            stored.unlink()
        self._schema = SchemaRegistry.standard()
        self._users.clear()
        self._counters.clear()
        self._toggles = {}
        self._seed(agent_emails)

    def deploy(self, source_dir: Path) -> DeployResult:
        """Deploy an SFDX source folder (custom objects, fields, picklist values); describe reflects it."""
        with self._db.transaction():
            return deploy_folder(self._schema, self._db, source_dir)

    # ------------------------------------------------------------------ write internals

    def _guarded(self, work: Callable[[], tuple[str, bool]], failed_id: str | None = None) -> SaveResult:
        try:
            with self._db.transaction():
                record_id, created = work()
        except Rejected as rejected:
            return _failed(failed_id, rejected.error)
        return SaveResult(id=record_id, success=True, created=created)

    def remove_record(self, record_id: str, *, hard: bool) -> None:
        """Soft-delete (IsDeleted, unindexed) or hard-delete one record and its file."""
        row = self._db.fetch(record_id)
        if row is None:
            return
        if hard:
            self._db.remove(record_id)
            stored = self.state_dir / FILES_DIR / record_id
            stored.unlink(missing_ok=True)
            return
        data = json.loads(row[2])
        data.update(IsDeleted=True, SystemModstamp=self.now())
        data = _compact(self._schema.get(row[0]), data)
        self._db.replace(record_id, json.dumps(data), deleted=True)
        self._db.unindex(record_id)
        if record_errors.UNIQUE_INCLUDES_RECYCLE_BIN:
            schema = self._schema.get(row[0])
            held = [
                (DELETED_PREFIX + rule.name, index_key(data[rule.name], case_sensitive=rule.case_sensitive))
                for rule in schema.indexed
                if rule.unique and data.get(rule.name) is not None
            ]
            self._db.index(schema.name, held, record_id)

    # ------------------------------------------------------------------ helpers used by objects.py

    def store_file(self, record_id: str, content: bytes) -> None:
        """Keep a record's binary field (ContentVersion.VersionData) as a file in the state folder."""
        (self.state_dir / FILES_DIR / record_id).write_bytes(content)

    def fetch_row(self, record_id: str) -> tuple[str, bool, dict[str, Any]] | None:
        """(object name, deleted, stored data) of any record, deleted ones included."""
        row = self._db.fetch(record_id)
        return (row[0], row[1], json.loads(row[2])) if row else None

    def now(self) -> str:
        return format_datetime(datetime.now(UTC))

    def live_record(self, record_id: str) -> tuple[str, dict[str, Any]] | None:
        """(object name, stored data) of a live record, without expanding it."""
        row = self._db.fetch(record_id)
        if row is None or row[1]:
            return None
        return row[0], json.loads(row[2])

    def children(self, sobject: str, field_name: str, parent_id: str) -> list[str]:
        """Live records of `sobject` whose indexed reference `field_name` is `parent_id`."""
        return self._db.lookup(sobject, field_name, parent_id)

    def indexed_ids(self, sobject: str, field_name: str, key: str) -> list[str]:
        """Live records whose indexed field holds `key` (already in `index_key` form)."""
        return self._db.lookup(sobject, field_name, key)

    def record_state(self, record_id: str) -> tuple[str, bool] | None:
        """(object name, deleted) of a record in the org, deleted ones included."""
        row = self._db.fetch(record_id)
        return (row[0], row[1]) if row else None

    def object_of(self, record_id: str) -> ObjectSchema | None:
        """The object an Id's key prefix belongs to."""
        return self._schema.for_id(record_id)

    def find_object(self, sobject: str) -> ObjectSchema | None:
        return self._schema.find(sobject)

    def next_number(self, counter: str, start: int) -> int:
        """A persisted counter (auto-number fields such as CaseNumber); like Salesforce's, it may skip
        numbers after a rollback but never repeats one."""
        current = self._counters.get(counter)
        if current is None:
            current = int(self._db.setting(f"counter:{counter}") or start - 1)
        current += 1
        self._counters[counter] = current
        self._db.set_setting(f"counter:{counter}", str(current))
        return current

    def system_insert(self, sobject: str, values: Mapping[str, Any], user_id: str) -> str:
        """Insert as the platform does (seed data, records created by automation): no createable checks."""
        ctx = OpContext(user_id=user_id)
        return writes.insert_record(self, self._schema.get(sobject), values, ctx, system=True)

    def write_existing(self, schema: ObjectSchema, record: dict[str, Any]) -> None:
        record_id = record["Id"]
        self._db.replace(record_id, json.dumps(_compact(schema, record)), deleted=False)
        self._db.unindex(record_id)
        self._db.index(schema.name, self._index_entries(schema, record), record_id)
        if schema.name == "User":
            self._users.clear()

    def write_new(self, schema: ObjectSchema, record: dict[str, Any]) -> None:
        record_id = record["Id"]
        self._db.insert(record_id, schema.name, json.dumps(_compact(schema, record)))
        self._db.index(schema.name, self._index_entries(schema, record), record_id)

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

    def mint(self, schema: ObjectSchema) -> str:
        self._sequence += 1
        self._db.set_setting("sequence", str(self._sequence))
        return mint(schema.key_prefix, self._sequence)

    def live(self, schema: ObjectSchema, raw_id: str) -> tuple[str, dict[str, Any]]:
        canonical = normalise(raw_id) if isinstance(raw_id, str) else None
        if canonical is None or canonical[:3] != schema.key_prefix:
            raise Rejected(record_errors.wrong_object_id(schema.name, str(raw_id)))
        found = self.live_record(canonical)
        if found is None:
            raise Rejected(record_errors.entity_deleted())
        return canonical, found[1]

    def audit_allowed(self, schema: ObjectSchema, user: UserInfo) -> bool:
        return (
            bool(self.toggle("audit_fields_enabled"))
            and user.set_audit_fields
            and (schema.custom or schema.name in record_errors.AUDIT_FIELD_OBJECTS)
        )

    def _expand(self, schema: ObjectSchema, data: dict[str, Any]) -> dict[str, Any]:
        record = dict.fromkeys(schema.field_order)
        record.update(data)
        for name in schema.blob_fields:
            if (self.state_dir / FILES_DIR / data["Id"]).is_file():
                record[name] = f"/services/data/v{API_VERSION}/sobjects/{schema.name}/{data['Id']}/{name}"
        return record

    def _load_toggles(self) -> dict[str, Any]:
        return dict(json.loads(self._db.setting("toggles") or "{}"))

    def add_agent_users(self, agent_emails: list[str]) -> None:
        """Give an already seeded org the users of a dataset's agents (same gaps as the seed)."""
        from emulators.salesforce.org.seed import seed_agent_users  # seed builds on the whole Org

        with self._db.transaction():
            seed_agent_users(self, agent_emails)

    def _seed(self, agent_emails: list[str] | None) -> None:
        from emulators.salesforce.org.seed import seed_org  # seed builds on the whole Org

        with self._db.transaction():
            seed_org(self, self._db, agent_emails)
            self._db.set_setting("seeded", self.now())


def _failed(record_id: str | None, error: FieldError) -> SaveResult:
    return SaveResult(id=record_id, success=False, errors=[error])


def _compact(schema: ObjectSchema, record: Mapping[str, Any]) -> dict[str, Any]:
    """What is stored: non-null values of the object's fields (records are expanded on read; system
    fields an object lacks, such as User.IsDeleted, are dropped)."""
    return {
        name: value for name, value in record.items() if value is not None and name.lower() in schema.rules
    }
