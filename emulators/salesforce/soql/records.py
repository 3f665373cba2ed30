"""Reading values through lookups, and shaping rows into REST query records."""

from __future__ import annotations

from typing import Any

from emulators.salesforce.org.types import RecordStore
from emulators.salesforce.soql.schema import NAME_OBJECT_TYPE, Hop, ResolvedPath


class ParentCache:
    """Parent records fetched once per query: many rows share the same Account or Owner."""

    def __init__(self, store: RecordStore, *, include_deleted: bool) -> None:
        self.store = store
        self.include_deleted = include_deleted
        self._records: dict[str, dict[str, Any] | None] = {}
        self._name_fields: dict[str, str] = {}

    def get(self, record_id: str) -> dict[str, Any] | None:
        """The record with this Id (any object), or None."""
        if record_id not in self._records:
            self._records[record_id] = self.store.get(record_id, include_deleted=self.include_deleted)
        return self._records[record_id]

    def name_field(self, sobject: str) -> str:
        """The field the describe marks `nameField` (Case: CaseNumber), `Name` when none is marked."""
        if sobject not in self._name_fields:
            try:
                fields = self.store.describe(sobject)["fields"]
            except KeyError:
                fields = []
            marked = [str(field["name"]) for field in fields if field.get("nameField")]
            self._name_fields[sobject] = marked[0] if marked else "Name"
        return self._name_fields[sobject]


def record_type(record: dict[str, Any], default: str = "") -> str:
    """The sObject type a stored record says it is."""
    attributes = record.get("attributes") or {}
    return str(attributes.get("type") or default)


def leaf_value(record: dict[str, Any], path: ResolvedPath, parents: ParentCache) -> Any:
    """The leaf field of `path` on `record` (the last record reached), with the `Name` pseudo-object's
    computed fields filled in: `Name` is the target's name field (a Case's CaseNumber)."""
    name = path.leaf.name
    if path.hops and path.hops[-1].polymorphic:
        target = record_type(record)
        if name == "Type":
            return owner_type(record, target)
        if name in ("Name", "NameOrAlias"):
            shown = record.get(parents.name_field(target))
            return shown or record.get("Alias") if name == "NameOrAlias" else shown
    if name == "IsDeleted":
        return bool(record.get("IsDeleted", False))
    return record.get(name)


def owner_type(record: dict[str, Any], default: str) -> str:
    """`Name.Type`: the object type, except that a queue reads `Queue` (`WHERE Owner.Type = 'Queue'`
    is how queue-owned records are found). [recall]"""
    sobject = record_type(record, default)
    if sobject == "Group" and record.get("Type"):
        return str(record["Type"])
    return sobject


def follow(record: dict[str, Any], path: ResolvedPath, parents: ParentCache) -> dict[str, Any] | None:
    """The record at the end of `path`'s hops, or None where a lookup is empty."""
    current: dict[str, Any] | None = record
    for hop in path.hops:
        if current is None:
            return None
        parent_id = current.get(hop.reference_field)
        current = parents.get(str(parent_id)) if parent_id else None
    return current


def read(record: dict[str, Any], path: ResolvedPath, parents: ParentCache) -> Any:
    """The value `path` names, starting from `record`."""
    target = follow(record, path, parents)
    return None if target is None else leaf_value(target, path, parents)


def attributes(
    sobject: str, record_id: Any, api_version: str, shown_type: str | None = None
) -> dict[str, Any]:
    """The `attributes` element of a REST record; `shown_type` overrides the type (polymorphic)."""
    url = f"/services/data/v{api_version}/sobjects/{sobject}/{record_id}"
    return {"type": shown_type or sobject, "url": url}


def parent_attributes(hop: Hop, parent: dict[str, Any], api_version: str) -> dict[str, Any]:
    """`attributes` of a parent record nested under `hop`'s relationship name."""
    sobject = record_type(parent, (*hop.targets, "")[0])
    shown = NAME_OBJECT_TYPE if hop.polymorphic else None
    return attributes(sobject, parent.get("Id"), api_version, shown)


def project(
    record: dict[str, Any],
    sobject: str,
    columns: list[ResolvedPath],
    parents: ParentCache,
    api_version: str,
) -> dict[str, Any]:
    """One REST query record: `attributes`, then the selected fields in SELECT order, with parent
    fields nested under their relationship name (null when the lookup is empty)."""
    shaped: dict[str, Any] = {"attributes": attributes(sobject, record.get("Id"), api_version)}
    for column in columns:
        node: dict[str, Any] | None = shaped
        current: dict[str, Any] | None = record
        for hop in column.hops:
            if node is None or current is None:
                break
            parent_id = current.get(hop.reference_field)
            current = parents.get(str(parent_id)) if parent_id else None
            if hop.relationship not in node:
                shaped_parent = (
                    None if current is None else {"attributes": parent_attributes(hop, current, api_version)}
                )
                node[hop.relationship] = shaped_parent
            node = node[hop.relationship]
        if node is not None and current is not None:
            node[column.leaf.name] = leaf_value(current, column, parents)
    return shaped
