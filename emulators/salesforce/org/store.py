"""The org: records in SQLite, every Salesforce rule enforced on every write path (REST, sObject
Collections and Bulk 2.0 all call `insert`/`update`/`upsert`/`delete` here).

`Org` is the façade the transports use; the records, schema, users and switches it fronts are
`OrgRecords` (records.py), which the write pipeline, object rules and seed see as an `OrgRepository`."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from emulators.salesforce.org import seed, writes
from emulators.salesforce.org.database import Database
from emulators.salesforce.org.deploy import DeployResult
from emulators.salesforce.org.fields import ObjectSchema
from emulators.salesforce.org.records import FILES_DIR, OrgRecords
from emulators.salesforce.org.rules import AUDIT_FIELDS
from emulators.salesforce.org.types import FieldError, OpContext, SaveResult
from emulators.salesforce.org.users import UserInfo
from emulators.salesforce.org.values import Rejected

DATABASE_FILE = "org.sqlite3"


class Org:
    """One emulated org, persisted under `state_dir`; thread-safe."""

    def __init__(self, state_dir: Path, database: Database) -> None:
        self.state_dir = state_dir
        self._db = database
        self._records = OrgRecords(state_dir, database)

    @classmethod
    def open(cls, state_dir: Path, agent_emails: list[str] | None = None) -> Org:
        """Open (or create and seed) the org stored in `state_dir`."""
        state_dir.mkdir(parents=True, exist_ok=True)
        (state_dir / FILES_DIR).mkdir(exist_ok=True)
        org = cls(state_dir, Database(state_dir / DATABASE_FILE))
        if org._db.setting("seeded") is None:
            org._seed(agent_emails)
        elif agent_emails:
            org.add_agent_users(agent_emails)
        return org

    def close(self) -> None:
        self._db.close()

    # ------------------------------------------------------------------ reads (RecordStore)

    def sobject_names(self) -> list[str]:
        return self._records.sobject_names()

    def schema(self, sobject: str) -> ObjectSchema:
        """The rules of one object (KeyError when unknown)."""
        return self._records.schema(sobject)

    def describe(self, sobject: str, *, user_id: str | None = None) -> dict[str, Any]:
        """Describe JSON; with `user_id`, audit fields show createable when that user may set them."""
        schema = self._records.schema(sobject)
        described = schema.describe_copy()
        if user_id is not None and self._records.audit_allowed(schema, self.user(user_id)):
            for described_field in described["fields"]:
                if described_field["name"] in AUDIT_FIELDS:
                    described_field["createable"] = True
        return described

    def closed_values(self, sobject: str) -> set[str]:
        """Status values that close a Case or Task (standard ones plus deployed)."""
        return self._records.closed_values(sobject)

    def global_describe(self) -> dict[str, Any]:
        return self._records.global_describe()

    def scan(self, sobject: str, *, include_deleted: bool = False) -> Iterator[dict[str, Any]]:
        return self._records.scan(sobject, include_deleted=include_deleted)

    def get(self, record_id: str, *, include_deleted: bool = False) -> dict[str, Any] | None:
        return self._records.get(record_id, include_deleted=include_deleted)

    def find_ids(self, sobject: str, field_name: str, value: str) -> list[str]:
        return self._records.find_ids(sobject, field_name, value)

    def version_data(self, record_id: str) -> bytes | None:
        """The bytes of a ContentVersion (`GET /sobjects/ContentVersion/{id}/VersionData`)."""
        return self._records.version_data(record_id)

    def export(self) -> dict[str, list[dict[str, Any]]]:
        """Every record of every object, deleted ones included, for comparing org states."""
        return {name: list(self.scan(name, include_deleted=True)) for name in self.sobject_names()}

    # ------------------------------------------------------------------ writes (OrgStore)

    def atomic(self) -> AbstractContextManager[None]:
        return self._db.transaction()

    def insert(self, sobject: str, values: Mapping[str, Any], ctx: OpContext) -> SaveResult:
        schema = self._records.find_object(sobject)
        if schema is None:
            return _failed(
                None, FieldError("INVALID_TYPE", f"sObject type '{sobject}' is not supported.", [])
            )
        return self._guarded(lambda: (writes.insert_record(self._records, schema, values, ctx), True))

    def update(self, sobject: str, record_id: str, values: Mapping[str, Any], ctx: OpContext) -> SaveResult:
        schema = self._records.find_object(sobject)
        if schema is None:
            return _failed(
                None, FieldError("INVALID_TYPE", f"sObject type '{sobject}' is not supported.", [])
            )
        return self._guarded(
            lambda: (writes.update_record(self._records, schema, record_id, values, ctx), False),
            failed_id=record_id,
        )

    def upsert(
        self, sobject: str, external_id_field: str, values: Mapping[str, Any], ctx: OpContext
    ) -> SaveResult:
        schema = self._records.find_object(sobject)
        if schema is None:
            return _failed(
                None, FieldError("INVALID_TYPE", f"sObject type '{sobject}' is not supported.", [])
            )
        return self._guarded(
            lambda: writes.upsert_record(self._records, schema, external_id_field, values, ctx)
        )

    def delete(self, record_id: str, ctx: OpContext, *, hard: bool = False) -> SaveResult:
        return self._guarded(
            lambda: (writes.delete_record(self._records, record_id, ctx, hard=hard), False),
            failed_id=record_id,
        )

    def undelete(self, record_id: str) -> SaveResult:
        return self._guarded(
            lambda: (writes.undelete_record(self._records, record_id), False), failed_id=record_id
        )

    def toggle(self, name: str) -> Any:
        return self._records.toggle(name)

    def set_toggles(self, values: Mapping[str, Any]) -> None:
        self._records.set_toggles(values)

    # ------------------------------------------------------------------ users and org admin

    @property
    def admin_user_id(self) -> str:
        return self._records.admin_user_id

    @property
    def integration_user_id(self) -> str:
        return str(self._db.setting("integration_user_id"))

    @property
    def org_id(self) -> str:
        return str(self._db.setting("org_id"))

    @property
    def support_queue_id(self) -> str:
        """The default support queue (Group Type=Queue) that automation assigns email cases to."""
        return self._records.support_queue_id

    def user(self, user_id: str) -> UserInfo:
        """The user's status and permissions; an unknown Id gives an inactive user with none."""
        return self._records.user(user_id)

    def grant(self, user_id: str, **permissions: bool) -> None:
        """Set permissions (`set_audit_fields`, `bypass_automation`, `hard_delete`) of a user."""
        self._records.grant(user_id, **permissions)

    def reset(self, agent_emails: list[str] | None = None) -> None:
        """Back to a freshly seeded org: records, toggles, deployed metadata and files all go."""
        self._records.clear()
        self._seed(agent_emails)

    def deploy(self, source_dir: Path) -> DeployResult:
        """Deploy an SFDX source folder (custom objects, fields, picklist values); describe reflects it."""
        return self._records.deploy(source_dir)

    def add_agent_users(self, agent_emails: list[str]) -> None:
        """Give an already seeded org the users of a dataset's agents (same gaps as the seed)."""
        with self._db.transaction():
            seed.seed_agent_users(self._records, agent_emails)

    # ------------------------------------------------------------------ internals

    def _guarded(self, work: Callable[[], tuple[str, bool]], failed_id: str | None = None) -> SaveResult:
        try:
            with self._db.transaction():
                record_id, created = work()
        except Rejected as rejected:
            return _failed(failed_id, rejected.error)
        return SaveResult(id=record_id, success=True, created=created)

    def _seed(self, agent_emails: list[str] | None) -> None:
        with self._db.transaction():
            seed.seed_org(self._records, self._db, agent_emails)
            self._db.set_setting("seeded", self._records.now())


def _failed(record_id: str | None, error: FieldError) -> SaveResult:
    return SaveResult(id=record_id, success=False, errors=[error])
