"""Turn a Bulk 2.0 header row into write targets: plain fields and one-level relationship columns.

Header names are matched case-insensitively against the object's describe, relationship columns
(`Account.Stames_Id__c`, `Parent__r.Ext__c`, `User:Owner.Username`) are checked the way the Bulk
guide describes, and anything that does not fit fails the whole job, as the header applies to
every row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from emulators.salesforce.bulk import messages
from emulators.salesforce.org.types import RecordStore

_RELATIONSHIP = re.compile(r"(?:(?P<prefix>[^.:]+):)?(?P<relationship>[^.:]+)\.(?P<field>[^.:]+)")


class JobFailedError(Exception):
    """The job cannot go on; the message becomes its `errorMessage`."""


@dataclass(frozen=True)
class Column:
    """One header cell and what it writes."""

    header: str
    field: str
    field_type: str
    parent_object: str | None = None
    parent_field: str | None = None

    @property
    def is_relationship(self) -> bool:
        return self.parent_object is not None


def fields_by_lower_name(describe: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(item["name"]).lower(): item for item in describe.get("fields", [])}


def is_lookup_key(field_describe: dict[str, Any]) -> bool:
    """Fields a relationship column or an upsert may match on: Id, External Id or idLookup."""
    return bool(
        field_describe.get("type") == "id"
        or field_describe.get("externalId")
        or field_describe.get("idLookup")
    )


def is_polymorphic(field_describe: dict[str, Any]) -> bool:
    return (
        bool(field_describe.get("polymorphicForeignKey")) or len(field_describe.get("referenceTo") or []) > 1
    )


def plan_columns(store: RecordStore, sobject: str, headers: list[str]) -> list[Column]:
    """Columns for insert/update/upsert; raises JobFailedError for a header Salesforce would refuse."""
    fields = fields_by_lower_name(store.describe(sobject))
    relationships = {
        str(item["relationshipName"]).lower(): item
        for item in fields.values()
        if item.get("relationshipName")
    }
    seen: set[str] = set()
    columns: list[Column] = []
    for header in headers:
        if header.lower() in seen:
            raise JobFailedError(messages.DUPLICATE_COLUMN.format(name=header))
        seen.add(header.lower())
        plain = fields.get(header.lower())
        if plain is not None:
            columns.append(Column(header, str(plain["name"]), str(plain.get("type", "string"))))
            continue
        columns.append(_relationship_column(store, header, relationships))
    return columns


def _relationship_column(store: RecordStore, header: str, relationships: dict[str, dict[str, Any]]) -> Column:
    match = _RELATIONSHIP.fullmatch(header)
    lookup = relationships.get(match["relationship"].lower()) if match else None
    if match is None or lookup is None:
        raise JobFailedError(messages.UNKNOWN_COLUMN.format(name=header))
    targets: list[str] = list(lookup.get("referenceTo") or [])
    prefix = match["prefix"]
    if is_polymorphic(lookup) and prefix is None:
        raise JobFailedError(messages.POLYMORPHIC_PREFIX_MISSING.format(name=header))
    if not is_polymorphic(lookup) and prefix is not None:
        raise JobFailedError(messages.PREFIX_ON_PLAIN.format(name=header))
    parent = _parent_object(prefix, targets, header)
    try:
        parent_describe = store.describe(parent)
    except KeyError as error:  # a target the field allows but this org does not have (Lead)
        raise JobFailedError(messages.UNKNOWN_COLUMN.format(name=header)) from error
    parent_field = fields_by_lower_name(parent_describe).get(match["field"].lower())
    if parent_field is None or not is_lookup_key(parent_field):
        raise JobFailedError(
            messages.NOT_INDEXED.format(field=match["field"], sobject=parent_describe["name"])
        )
    return Column(
        header,
        str(lookup["name"]),
        "reference",
        parent_object=str(parent_describe["name"]),
        parent_field=str(parent_field["name"]),
    )


def _parent_object(prefix: str | None, targets: list[str], header: str) -> str:
    if prefix is None:
        return targets[0]
    for target in targets:
        if target.lower() == prefix.lower():
            return target
    raise JobFailedError(messages.UNKNOWN_COLUMN.format(name=header))


def id_column_index(headers: list[str]) -> int:
    """Where the `Id` column is (delete, hardDelete and update need one)."""
    for index, header in enumerate(headers):
        if header.lower() == "id":
            return index
    raise JobFailedError(messages.DELETE_NEEDS_ID)
