"""The confirmed mapping → the metadata the org must have, as an SFDX source-format project.

The project holds `Stames_Id__c` on every target object, every custom field the mapping creates
(`fields[].create`, the custom objects' lookups), the custom objects (the status history among
them), the standard value sets the value maps extend, and one permission set granting access to all
of it. An admin deploys it with `sf project deploy start` and assigns the permission set to the
integration user.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from loaders.schema import field_path
from loaders.schema.metadata import (
    PicklistChoice,
    custom_field_xml,
    custom_object_xml,
    permission_set_xml,
    standard_value_set_xml,
)
from mapping.model import CREATED_AT_CARRIERS, STAMES_CREATED_AT, STAMES_ID, CustomField, Mapping, ValueMap
from mapping.org import OrgSnapshot

PACKAGE_DIR = Path("force-app") / "main" / "default"
PERMISSION_SET = "Stames_Migration"

STANDARD_VALUE_SETS: dict[tuple[str, str], str] = {
    ("Case", "Status"): "CaseStatus",
    ("Case", "Priority"): "CasePriority",
    ("Case", "Origin"): "CaseOrigin",
    ("Case", "Type"): "CaseType",
    ("Case", "Reason"): "CaseReason",
    ("Task", "Status"): "TaskStatus",
    ("Task", "Priority"): "TaskPriority",
    ("Account", "Type"): "AccountType",
    ("Account", "Industry"): "Industry",
}
"""Standard picklists and the standard value set that defines each [doc: Metadata API,
StandardValueSet names]."""

DECLARED_ON = {"Task": "Activity", "Event": "Activity"}
"""Custom Task and Event fields are declared once, on Activity (`objects/Activity/fields/`); a
permission set still names them `Task.<Field>`."""

CLOSABLE_VALUE_SETS = frozenset({"CaseStatus", "TaskStatus"})
"""Value sets whose values carry `closed`."""


class PlanError(Exception):
    """The mapping asks for metadata that cannot be planned; the message is one line."""


@dataclass(frozen=True)
class PlannedField:
    sobject: str
    field: CustomField

    @property
    def target(self) -> str:
        return f"{self.sobject}.{self.field.api_name}"


@dataclass(frozen=True)
class PlannedObject:
    api_name: str
    label: str
    plural_label: str
    name_field: Literal["Text", "AutoNumber"]
    """Text when the mapping fills `Name`, otherwise an auto number."""


@dataclass(frozen=True)
class PlannedValueSet:
    name: str
    sobject: str
    field: str
    choices: tuple[PicklistChoice, ...]
    added: tuple[str, ...]
    """The values the org does not have yet."""


@dataclass(frozen=True)
class SchemaPlan:
    api_version: str
    objects: tuple[PlannedObject, ...]
    fields: tuple[PlannedField, ...]
    value_sets: tuple[PlannedValueSet, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)


def plan_schema(
    mapping: Mapping, org: OrgSnapshot, org_closed: MappingType[str, frozenset[str]] | None = None
) -> SchemaPlan:
    """What the org needs for `mapping`. `org` gives the current value sets, since a standard value
    set deploy replaces the whole set; `org_closed` the values the org treats as closed, per set
    (`CaseStatus`...), where it could be read: describes do not say it."""
    warnings: list[str] = []
    value_sets = tuple(_value_sets(mapping, org, org_closed or {}, warnings))
    return SchemaPlan(
        api_version=mapping.target.api_version or org.api_version,
        objects=tuple(planned_objects(mapping)),
        fields=tuple(planned_fields(mapping)),
        value_sets=value_sets,
        warnings=tuple(warnings),
    )


def planned_objects(mapping: Mapping) -> Iterator[PlannedObject]:
    """The custom objects: `custom_objects`, the status history object, and any other custom
    object a target names."""
    named_fields = {entry.target for entry in mapping.fields if entry.target}
    declared = {item.api_name: (item.label, item.plural_label) for item in mapping.custom_objects}
    wanted = [
        *declared,
        mapping.strategies.status_history_object,
        *(item.target for item in mapping.objects),
    ]
    for api_name in dict.fromkeys(name for name in wanted if name.endswith("__c")):
        label, plural = declared.get(api_name) or _default_labels(api_name)
        name_field: Literal["Text", "AutoNumber"] = (
            "Text" if f"{api_name}.Name" in named_fields else "AutoNumber"
        )
        yield PlannedObject(api_name, label, plural, name_field)


def planned_fields(mapping: Mapping) -> list[PlannedField]:
    """Every custom field the mapping needs, once per object, in mapping order: `Stames_Id__c` on
    each target object, then `fields[].create`, then the custom objects' lookups. A picklist a value
    map feeds also gets the map's target values."""
    by_target: dict[str, PlannedField] = {}
    candidates = [PlannedField(item.target, STAMES_ID) for item in mapping.objects]
    candidates += [
        PlannedField(item.target, STAMES_CREATED_AT)
        for item in mapping.objects
        if item.target in CREATED_AT_CARRIERS or item.target == mapping.strategies.status_history_object
    ]
    candidates += [
        PlannedField(str(entry.target_object), entry.create) for entry in mapping.fields if entry.create
    ]
    candidates += [
        PlannedField(item.api_name, lookup) for item in mapping.custom_objects for lookup in item.lookups
    ]
    for candidate in candidates:
        planned = _with_value_map_values(candidate, mapping.value_maps)
        known = by_target.get(planned.target)
        if known is not None and known.field != planned.field:
            raise PlanError(f"{planned.target} is defined twice in the mapping, differently: keep one.")
        by_target.setdefault(planned.target, planned)
    return list(by_target.values())


def write_project(plan: SchemaPlan, folder: Path) -> list[Path]:
    """Write the SFDX project into `folder` (its earlier metadata is replaced) and return the files."""
    package = folder / PACKAGE_DIR
    written = [_write(folder / "sfdx-project.json", _project_json(plan.api_version))]
    for stale in sorted(package.rglob("*-meta.xml")) if package.exists() else []:
        stale.unlink()
    for item in plan.objects:
        path = package / "objects" / item.api_name / f"{item.api_name}.object-meta.xml"
        written.append(_write(path, custom_object_xml(item.label, item.plural_label, item.name_field)))
    for planned in plan.fields:
        declared_on = DECLARED_ON.get(planned.sobject, planned.sobject)
        path = field_path(package, declared_on, planned.field.api_name)
        written.append(_write(path, custom_field_xml(planned.field)))
    for value_set in plan.value_sets:
        path = package / "standardValueSets" / f"{value_set.name}.standardValueSet-meta.xml"
        written.append(_write(path, standard_value_set_xml(value_set.choices)))
    permission_set = permission_set_xml(
        label="Stames Migration",
        description="Read and edit every field and object the Stames migration loads.",
        fields=[planned.target for planned in plan.fields],
        objects=[item.api_name for item in plan.objects],
    )
    path = package / "permissionsets" / f"{PERMISSION_SET}.permissionset-meta.xml"
    written.append(_write(path, permission_set))
    return written


def _with_value_map_values(planned: PlannedField, value_maps: list[ValueMap]) -> PlannedField:
    if planned.field.type not in ("Picklist", "MultiselectPicklist"):
        return planned
    values = list(planned.field.picklist_values)
    for value_map in value_maps:
        if value_map.target == planned.target:
            values += [entry.target for entry in value_map.entries if entry.target is not None]
    merged = list(dict.fromkeys(values))
    if merged == planned.field.picklist_values:
        return planned
    return PlannedField(planned.sobject, planned.field.model_copy(update={"picklist_values": merged}))


def _value_sets(
    mapping: Mapping, org: OrgSnapshot, org_closed: MappingType[str, frozenset[str]], warnings: list[str]
) -> Iterator[PlannedValueSet]:
    for value_map in mapping.value_maps:
        sobject, field_name = value_map.target.split(".", 1)
        set_name = STANDARD_VALUE_SETS.get((sobject, field_name))
        if set_name is None:
            continue
        described = org.field(sobject, field_name)
        org_values = (described or {}).get("picklistValues") or []
        existing = [item["value"] for item in org_values]
        defaults = {item["value"] for item in org_values if item.get("defaultValue")}
        wanted = [entry.target for entry in value_map.entries if entry.target is not None]
        added = [value for value in dict.fromkeys(wanted) if value not in existing]
        if not added:
            continue
        closed: dict[str, bool | None] = {}
        if set_name in org_closed:
            closed.update({value: value in org_closed[set_name] for value in existing})
        closed.update(
            {
                entry.target: entry.closed
                for entry in value_map.entries
                if entry.target is not None and entry.closed is not None
            }
        )
        if set_name in CLOSABLE_VALUE_SETS:
            unknown = [value for value in existing if closed.get(value) is None]
            if unknown:
                warnings.append(
                    f"{set_name}: neither the mapping nor the org says whether {', '.join(unknown)} "
                    "is closed; the plan writes open, check before deploying."
                )
        yield PlannedValueSet(
            name=set_name,
            sobject=sobject,
            field=field_name,
            choices=tuple(
                PicklistChoice(
                    name=value,
                    default=value in defaults,
                    closed=bool(closed.get(value)) if set_name in CLOSABLE_VALUE_SETS else None,
                )
                for value in [*existing, *added]
            ),
            added=tuple(added),
        )


def _default_labels(api_name: str) -> tuple[str, str]:
    label = api_name.removesuffix("__c").replace("_", " ")
    return label, f"{label}s"


def _project_json(api_version: str) -> str:
    project = {
        "packageDirectories": [{"path": "force-app", "default": True}],
        "name": "stames-sf-migration",
        "namespace": "",
        "sourceApiVersion": api_version,
    }
    return json.dumps(project, indent=2) + "\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
