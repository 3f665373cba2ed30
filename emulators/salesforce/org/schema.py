"""The org's objects: recorded describes (Account, Contact, Case), describes built from field flags
(the other standard objects), and custom objects added by metadata deploy."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from emulators.salesforce.describe import field_flags_text, recorded_json
from emulators.salesforce.org.fields import FieldSpec, ObjectSchema, master_record_type, object_template
from emulators.salesforce.org.ids import KEY_PREFIXES
from emulators.salesforce.org.standard_facts import (
    CASCADE_FIELDS,
    CLOSED_CASE_STATUSES,
    CLOSED_TASK_STATUSES,
    DEFAULT_LENGTHS,
    EXTRA_FLAGS,
    FIELD_FACTS,
    OBJECT_FACTS,
    POLYMORPHIC_TARGETS,
    child_relationships,
)

API_VERSION = "62.0"
"""Version written into describe `urls`; the server answers on any version it lists."""

RECORDED_OBJECTS = ("Account", "Contact", "Case")
_FLAG_ENTRY = re.compile(r"(\w+)\((\w+),([C-])([U-])([NR])\)")
_SYSTEM_DEFAULTED = frozenset(
    {
        "Id",
        "IsDeleted",
        "CreatedDate",
        "CreatedById",
        "LastModifiedDate",
        "LastModifiedById",
        "SystemModstamp",
    }
)


def humanise(api_name: str) -> str:
    """A label from an API name (`ParentId` → `Parent ID`), for built describes and messages."""
    base = api_name.removesuffix("__c")
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", base).replace("_", " ")
    return re.sub(r"\bId\b", "ID", words)


def parse_flags(text: str) -> dict[str, list[tuple[str, str, bool, bool, bool]]]:
    """`== Object` blocks of `Name(type,CUN)` entries → (name, type, createable, updateable, nillable)."""
    objects: dict[str, list[tuple[str, str, bool, bool, bool]]] = {}
    current: list[tuple[str, str, bool, bool, bool]] | None = None
    for line in text.splitlines():
        if line.startswith("== "):
            current = objects.setdefault(line[3:].strip(), [])
        elif current is not None and not line.startswith("#"):
            for name, type_, create, update, nil in _FLAG_ENTRY.findall(line):
                current.append((name, type_, create == "C", update == "U", nil == "N"))
    return objects


def flag_field_spec(sobject: str, entry: tuple[str, str, bool, bool, bool]) -> FieldSpec:
    """A field from its flags, completed by `FIELD_FACTS` and the type's usual shape."""
    name, type_, createable, updateable, nillable = entry
    defaulted = name in _SYSTEM_DEFAULTED or type_ == "boolean" or name == "OwnerId"
    spec = FieldSpec(
        name=name,
        type=type_,
        label=humanise(name),
        createable=createable,
        updateable=updateable,
        nillable=nillable,
        defaulted=defaulted,
        length=DEFAULT_LENGTHS.get(type_, 0),
        digits=9 if type_ == "int" else 0,
        precision=18 if type_ in ("double", "currency") else 0,
        scale=15 if type_ == "double" else 0,
        reference_to=("User",) if name in ("CreatedById", "LastModifiedById", "OwnerId") else (),
        relationship_name=name[:-2] if type_ == "reference" and name.endswith("Id") else None,
        default_value=False if type_ == "boolean" else None,
        name_field=name == "Name",
    )
    return replace(spec, **FIELD_FACTS.get(sobject, {}).get(name, {}))


def built_object(sobject: str, entries: list[tuple[str, str, bool, bool, bool]]) -> ObjectSchema:
    """A describe in the real shape for an object known only by its field flags."""
    facts = OBJECT_FACTS.get(sobject, {})
    described = object_template()
    described.update(
        name=sobject,
        label=facts.get("label", sobject),
        labelPlural=facts.get("labelPlural", sobject + "s"),
        keyPrefix=KEY_PREFIXES[sobject],
        custom=False,
        createable=facts.get("createable", True),
        updateable=facts.get("updateable", True),
        deletable=facts.get("deletable", True),
        undeletable=facts.get("undeletable", facts.get("deletable", True)),
        mergeable=False,
        feedEnabled=sobject in ("User", "Topic", "ContentDocument"),
        fields=[flag_field_spec(sobject, entry).to_describe() for entry in entries],
        childRelationships=child_relationships(sobject),
    )
    described["urls"] = object_urls(sobject)
    return ObjectSchema(described)


def recorded_object(sobject: str) -> ObjectSchema:
    """A recorded describe, with urls pointing at this org's version."""
    described = recorded_json(sobject)
    described["urls"] = object_urls(sobject)
    for record_type in described.get("recordTypeInfos", []):
        record_type["urls"] = {
            "layout": f"/services/data/v{API_VERSION}/sobjects/{sobject}/describe/layouts/"
            + record_type["recordTypeId"]
        }
    return ObjectSchema(described)


def object_urls(sobject: str) -> dict[str, str]:
    base = f"/services/data/v{API_VERSION}/sobjects/{sobject}"
    return {
        "compactLayouts": f"{base}/describe/compactLayouts",
        "rowTemplate": f"{base}/{{ID}}",
        "approvalLayouts": f"{base}/describe/approvalLayouts",
        "describe": f"{base}/describe",
        "quickActions": f"{base}/quickActions",
        "layouts": f"{base}/describe/layouts",
        "sobject": base,
    }


class SchemaRegistry:
    """Every object of the org by case-insensitive name and by key prefix."""

    def __init__(self, objects: list[ObjectSchema]) -> None:
        self._objects: dict[str, ObjectSchema] = {}
        self._by_prefix: dict[str, ObjectSchema] = {}
        self.closed_values: dict[str, set[str]] = {
            "Case": set(CLOSED_CASE_STATUSES),
            "Task": set(CLOSED_TASK_STATUSES),
        }
        """Picklist values that close a record (CaseStatus/TaskStatus IsClosed); deploys add more."""
        self.cascade_fields: dict[str, set[str]] = {
            child: set(fields) for child, fields in CASCADE_FIELDS.items()
        }
        """Child object → reference fields that cascade a parent's delete; master-detail deploys add more."""
        for schema in objects:
            self.add(schema)
        self._fill_polymorphic_targets()

    @classmethod
    def standard(cls) -> SchemaRegistry:
        """The standard objects of a fresh org."""
        flags = parse_flags(field_flags_text() + EXTRA_FLAGS)
        objects = [recorded_object(name) for name in RECORDED_OBJECTS]
        objects += [
            built_object(name, entries) for name, entries in flags.items() if name not in RECORDED_OBJECTS
        ]
        return cls(objects)

    def add(self, schema: ObjectSchema) -> None:
        self._objects[schema.name.lower()] = schema
        self._by_prefix[schema.key_prefix] = schema
        if schema.custom:
            self._fill_polymorphic_targets()

    def _fill_polymorphic_targets(self) -> None:
        """`referenceTo` of the polymorphic lookups: the allowed objects this org has, custom ones
        included where the field takes them (recomputed when a deploy adds an object)."""
        present = {schema.name for schema in self._objects.values()}
        custom = {schema.name for schema in self._objects.values() if schema.custom}
        for (sobject, field_name), targets in POLYMORPHIC_TARGETS.items():
            schema = self.find(sobject)
            if schema is None:
                continue
            allowed = (targets.standard & present) | (custom if targets.custom else set())
            described = next(item for item in schema.describe["fields"] if item["name"] == field_name)
            described.update(referenceTo=sorted(allowed), polymorphicForeignKey=True, namePointing=True)
            schema.refresh()

    def get(self, sobject: str) -> ObjectSchema:
        """The object by case-insensitive name; KeyError when the org has no such object."""
        return self._objects[sobject.lower()]

    def find(self, sobject: str) -> ObjectSchema | None:
        return self._objects.get(sobject.lower())

    def for_id(self, record_id: str) -> ObjectSchema | None:
        """The object a record Id belongs to, from its key prefix."""
        return self._by_prefix.get(record_id[:3])

    def names(self) -> list[str]:
        return [schema.name for schema in self._objects.values()]

    def prefixes(self) -> set[str]:
        return set(self._by_prefix)

    def global_describe(self) -> dict[str, Any]:
        """`GET /sobjects`: one entry per object, in the recorded entry shape."""
        template = recorded_json("Global")
        entry_keys = list(template["sobjects"][0])
        entries = []
        for schema in sorted(self._objects.values(), key=lambda item: item.name):
            described = schema.describe
            entry = {key: described.get(key) for key in entry_keys}
            entry["urls"] = {
                key: value
                for key, value in described["urls"].items()
                if key in ("describe", "rowTemplate", "sobject")
            }
            entries.append(entry)
        return {
            "encoding": template["encoding"],
            "maxBatchSize": template["maxBatchSize"],
            "sobjects": entries,
        }


def custom_object_describe(name: str, label: str, plural: str, prefix: str, *, owned: bool) -> ObjectSchema:
    """A new custom object with the standard fields every custom object has."""
    described = object_template()
    described.update(
        name=name,
        label=label,
        labelPlural=plural,
        keyPrefix=prefix,
        custom=True,
        mergeable=False,
        feedEnabled=False,
        recordTypeInfos=[master_record_type()],
    )
    described["urls"] = object_urls(name)
    described["childRelationships"] = child_relationships("*custom")
    system = [
        FieldSpec(
            "Id", "id", "Record ID", createable=False, updateable=False, nillable=False, defaulted=True
        ),
        FieldSpec(
            "IsDeleted",
            "boolean",
            "Deleted",
            createable=False,
            updateable=False,
            nillable=False,
            defaulted=True,
            default_value=False,
        ),
        FieldSpec(
            "Name",
            "string",
            f"{label} Name",
            nillable=True,
            defaulted=True,
            length=80,
            name_field=True,
            id_lookup=True,
        ),
        FieldSpec(
            "CreatedDate",
            "datetime",
            "Created Date",
            createable=False,
            updateable=False,
            nillable=False,
            defaulted=True,
        ),
        FieldSpec(
            "CreatedById",
            "reference",
            "Created By ID",
            createable=False,
            updateable=False,
            nillable=False,
            defaulted=True,
            reference_to=("User",),
            relationship_name="CreatedBy",
        ),
        FieldSpec(
            "LastModifiedDate",
            "datetime",
            "Last Modified Date",
            createable=False,
            updateable=False,
            nillable=False,
            defaulted=True,
        ),
        FieldSpec(
            "LastModifiedById",
            "reference",
            "Last Modified By ID",
            createable=False,
            updateable=False,
            nillable=False,
            defaulted=True,
            reference_to=("User",),
            relationship_name="LastModifiedBy",
        ),
        FieldSpec(
            "SystemModstamp",
            "datetime",
            "System Modstamp",
            createable=False,
            updateable=False,
            nillable=False,
            defaulted=True,
        ),
    ]
    if owned:
        system.insert(
            1,
            FieldSpec(
                "OwnerId",
                "reference",
                "Owner ID",
                nillable=False,
                defaulted=True,
                reference_to=("Group", "User"),
                relationship_name="Owner",
            ),
        )
    described["fields"] = [spec.to_describe() for spec in system]
    return ObjectSchema(described)
