"""Resolves field paths written in a query against the org's describe data.

Names are matched case-insensitively and reported back with the describe's spelling. A path such as
`Account.Owner.Username` becomes a list of hops (one per lookup) and a leaf field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from emulators.salesforce.org.types import RecordStore
from emulators.salesforce.soql import errors
from emulators.salesforce.soql.nodes import Path

ValueKind = Literal["text", "multi", "id", "boolean", "number", "date", "datetime", "other"]

_KIND_BY_TYPE: dict[str, ValueKind] = {
    "string": "text",
    "textarea": "text",
    "email": "text",
    "phone": "text",
    "url": "text",
    "picklist": "text",
    "combobox": "text",
    "encryptedstring": "text",
    "time": "text",
    "multipicklist": "multi",
    "id": "id",
    "reference": "id",
    "boolean": "boolean",
    "int": "number",
    "long": "number",
    "double": "number",
    "currency": "number",
    "percent": "number",
    "date": "date",
    "datetime": "datetime",
}

_SOAP_TYPES = {"boolean": "boolean", "datetime": "dateTime", "date": "date", "double": "double", "int": "int"}

NAME_OBJECT_FIELDS: dict[str, str] = {
    "Id": "id",
    "Name": "string",
    "FirstName": "string",
    "LastName": "string",
    "Alias": "string",
    "Email": "email",
    "Phone": "phone",
    "Title": "string",
    "Type": "picklist",
    "Username": "string",
    "IsActive": "boolean",
    "UserRoleId": "reference",
    "ProfileId": "reference",
    "RecordTypeId": "reference",
    "CommunityNickname": "string",
    "NameOrAlias": "string",
    "LastReferencedDate": "datetime",
    "LastViewedDate": "datetime",
    "SmallPhotoUrl": "url",
    "MediumPhotoUrl": "url",
    "FullPhotoUrl": "url",
}
"""[recall] Fields of the `Name` pseudo-object that a polymorphic lookup (Case.Owner, Task.Who,
Task.What) exposes in SOQL without TYPEOF. Anything else through such a lookup is refused."""


NAME_OBJECT_TYPE = "Name"
"""[recall] `attributes.type` of a record reached through a polymorphic lookup in REST query results;
its `url` still names the real object (`/sobjects/User/005...`)."""


@dataclass(frozen=True)
class FieldInfo:
    """What the evaluator needs to know about one field."""

    name: str
    type: str
    soap_type: str
    filterable: bool = True
    sortable: bool = True
    external_id: bool = False
    id_lookup: bool = False

    @property
    def kind(self) -> ValueKind:
        """How values of this field compare."""
        return _KIND_BY_TYPE.get(self.type, "other")


@dataclass(frozen=True)
class Hop:
    """One step through a lookup: the Id field on the current record and the relationship name."""

    reference_field: str
    relationship: str
    targets: tuple[str, ...]
    polymorphic: bool


@dataclass(frozen=True)
class ResolvedPath:
    """A checked field path: `hops` to follow from the row, then `leaf` on the last record."""

    written: str
    hops: tuple[Hop, ...]
    leaf: FieldInfo
    offset: int

    @property
    def canonical(self) -> str:
        """The path in describe spelling, e.g. `Account.Name`."""
        return ".".join([*(hop.relationship for hop in self.hops), self.leaf.name])


def _field_info(field: dict[str, Any]) -> FieldInfo:
    soap_type = str(field.get("soapType") or field.get("type") or "string").split(":")[-1]
    return FieldInfo(
        name=field["name"],
        type=str(field.get("type", "string")),
        soap_type="string" if soap_type in ("ID", "id") else soap_type,
        filterable=bool(field.get("filterable", True)),
        sortable=bool(field.get("sortable", True)),
        external_id=bool(field.get("externalId", False)),
        id_lookup=bool(field.get("idLookup", False)),
    )


class Schema:
    """Describe data of the objects a query touches, fetched once per query."""

    def __init__(self, store: RecordStore, soql: str) -> None:
        self.store = store
        self.soql = soql
        self._describes: dict[str, dict[str, Any]] = {}

    def describe(self, sobject: str) -> dict[str, Any] | None:
        """The describe of `sobject` (any case), or None if the org has no such object."""
        key = sobject.lower()
        if key not in self._describes:
            try:
                self._describes[key] = self.store.describe(sobject)
            except KeyError:
                return None
        return self._describes[key]

    def object_name(self, sobject: str, offset: int) -> str:
        """The canonical name of an object in FROM; INVALID_TYPE if the org has none."""
        described = self.describe(sobject)
        if described is None:
            raise errors.unsupported_type(self.soql, offset, sobject)
        return str(described["name"])

    def field(self, sobject: str, name: str) -> FieldInfo | None:
        """One field of `sobject` by case-insensitive name."""
        described = self.describe(sobject) or {"fields": []}
        for field in described["fields"]:
            if field["name"].lower() == name.lower():
                return _field_info(field)
        return None

    def field_names(self, sobject: str, group: str) -> list[str]:
        """Names of the fields `FIELDS(group)` selects: ALL, STANDARD (not custom) or CUSTOM."""
        described = self.describe(sobject) or {"fields": []}
        names = []
        for field in described["fields"]:
            custom = bool(field.get("custom")) or str(field["name"]).endswith("__c")
            if group == "ALL" or (group == "CUSTOM") == custom:
                names.append(str(field["name"]))
        return names

    def child_relationship(self, sobject: str, name: str) -> dict[str, Any] | None:
        """The describe's `childRelationships` entry called `name` (any case)."""
        described = self.describe(sobject) or {}
        for relationship in described.get("childRelationships") or []:
            if (relationship.get("relationshipName") or "").lower() == name.lower():
                return relationship
        return None

    def hop(self, sobject: str, relationship: str) -> Hop | None:
        """The lookup of `sobject` whose relationship name is `relationship` (any case)."""
        described = self.describe(sobject) or {"fields": []}
        for field in described["fields"]:
            if field.get("type") != "reference":
                continue
            name = field.get("relationshipName") or _implied_relationship(field["name"])
            if name and name.lower() == relationship.lower():
                targets = tuple(field.get("referenceTo") or ())
                polymorphic = bool(field.get("polymorphicForeignKey")) or len(targets) > 1
                return Hop(field["name"], name, targets, polymorphic)
        return None

    def resolve(self, sobject: str, path: Path) -> ResolvedPath:
        """Check `path` against `sobject` and return it with canonical names."""
        parts = path.parts
        if len(parts) > 1 and parts[0].lower() == sobject.lower() and self.hop(sobject, parts[0]) is None:
            parts = parts[1:]  # `SELECT Account.Name FROM Account` names the queried object itself
        hops: list[Hop] = []
        current = sobject
        for position, relationship in enumerate(parts[:-1]):
            hop = self.hop(current, relationship)
            if hop is None or (hops and hops[-1].polymorphic):
                raise errors.unknown_relationship(self.soql, path.offset, relationship)
            hops.append(hop)
            if not hop.polymorphic:
                current = hop.targets[0] if hop.targets else current
            elif position < len(parts) - 2:
                raise errors.unknown_relationship(self.soql, path.offset, parts[position + 1])
        leaf_name = parts[-1]
        leaf = self._leaf(current, hops, leaf_name)
        if leaf is None:
            entity = "Name" if hops and hops[-1].polymorphic else current
            raise errors.no_such_column(self.soql, path.offset, leaf_name, entity)
        return ResolvedPath(path.text, tuple(hops), leaf, path.offset)

    def _leaf(self, sobject: str, hops: list[Hop], name: str) -> FieldInfo | None:
        if hops and hops[-1].polymorphic:
            for field_name, field_type in NAME_OBJECT_FIELDS.items():
                if field_name.lower() == name.lower():
                    return FieldInfo(field_name, field_type, _SOAP_TYPES.get(field_type, "string"))
            return None
        return self.field(sobject, name)


def _implied_relationship(field_name: str) -> str | None:
    """Relationship name a describe without `relationshipName` implies: `ParentId` → `Parent`,
    `Foo__c` → `Foo__r`."""
    if field_name.endswith("__c"):
        return field_name[:-3] + "__r"
    if field_name.endswith("Id") and len(field_name) > 2:
        return field_name[:-2]
    return None
