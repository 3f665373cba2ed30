"""The reads and writes the write pipeline (`writes`, `references`), the object rules (`objects`,
`automation`) and the seed need from the org's records.

They are typed against this protocol, not against `Org`, so none of them imports the store: `OrgRecords`
(records.py) implements it, and `Org` (store.py), the façade the transports use, holds one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from emulators.salesforce.org.fields import ObjectSchema
from emulators.salesforce.org.users import UserInfo


class OrgRepository(Protocol):
    """Records of any object (live, deleted, by index), the org's schema, users and switches."""

    # -- schema and org facts

    def schema(self, sobject: str) -> ObjectSchema:
        """The rules of one object (KeyError when unknown)."""
        ...

    def find_object(self, sobject: str) -> ObjectSchema | None: ...

    def object_of(self, record_id: str) -> ObjectSchema | None:
        """The object an Id's key prefix belongs to."""
        ...

    def cascade_fields(self) -> dict[str, set[str]]:
        """Child object → reference fields whose parent's delete deletes the child."""
        ...

    def closed_values(self, sobject: str) -> set[str]:
        """Status values that close a Case or Task (standard ones plus deployed)."""
        ...

    def toggle(self, name: str) -> Any: ...

    def now(self) -> str:
        """The current instant in the stored datetime form."""
        ...

    @property
    def admin_user_id(self) -> str: ...

    @property
    def support_queue_id(self) -> str: ...

    # -- users

    def user(self, user_id: str) -> UserInfo: ...

    def grant(self, user_id: str, **permissions: bool) -> None: ...

    def audit_allowed(self, schema: ObjectSchema, user: UserInfo) -> bool:
        """Whether `user` may set the audit fields of `schema`'s records on insert."""
        ...

    # -- reads

    def scan(self, sobject: str, *, include_deleted: bool = False) -> Iterator[dict[str, Any]]: ...

    def find_ids(self, sobject: str, field_name: str, value: str) -> list[str]: ...

    def fetch_row(self, record_id: str) -> tuple[str, bool, dict[str, Any]] | None:
        """(object name, deleted, stored data) of any record, deleted ones included."""
        ...

    def live_record(self, record_id: str) -> tuple[str, dict[str, Any]] | None:
        """(object name, stored data) of a live record."""
        ...

    def live(self, schema: ObjectSchema, raw_id: str) -> tuple[str, dict[str, Any]]:
        """(canonical Id, stored data) of a live record of `schema`; raises `Rejected` otherwise."""
        ...

    def record_state(self, record_id: str) -> tuple[str, bool] | None:
        """(object name, deleted) of any record."""
        ...

    def children(self, sobject: str, field_name: str, parent_id: str) -> list[str]:
        """Live records of `sobject` whose indexed reference `field_name` is `parent_id`."""
        ...

    def indexed_ids(self, sobject: str, field_name: str, key: str) -> list[str]:
        """Live records whose indexed field holds `key` (already in `index_key` form)."""
        ...

    # -- writes (inside the caller's transaction)

    def next_number(self, counter: str, start: int) -> int: ...

    def mint(self, schema: ObjectSchema) -> str:
        """A new 18-char Id of `schema`."""
        ...

    def write_new(self, schema: ObjectSchema, record: dict[str, Any]) -> None: ...

    def write_existing(self, schema: ObjectSchema, record: dict[str, Any]) -> None: ...

    def remove_record(self, record_id: str, *, hard: bool, deleted_with: str | None = None) -> None: ...

    def binned_with(self, record_id: str) -> list[str]:
        """The records one delete put in the Recycle Bin (the deleted record and its cascade)."""
        ...

    def restore_record(self, record_id: str) -> None: ...

    def store_file(self, record_id: str, content: bytes) -> None: ...

    def system_insert(self, sobject: str, values: Mapping[str, Any], user_id: str) -> str:
        """Insert as the platform does (seed data, records created by automation)."""
        ...
