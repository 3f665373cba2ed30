"""The preflight: does the org hold every target the confirmed mapping writes, as the plan made it?

Each target is checked against the org's describe: it exists, the loader's user may set it on
insert (createable), its type is one the planned type loads into, its length, precision and
picklist values hold what the plan asks for, and every External ID is External ID, Unique and
case-sensitive as planned. Every problem is one `Gap`; any gap stops the load.

Audit fields (CreatedDate, LastModifiedDate...) are createable only with "Set Audit Fields upon
Record Creation" (org preference and user permission) and can never be set afterwards, on update
(contract §4.3): a mapping that targets them without the permission is a gap, not a warning,
since loading anyway would lose the original dates for good.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping as MappingType
from dataclasses import dataclass
from typing import Any

from loaders.schema.org_facts import CaseAutomation, Observation
from loaders.schema.plan import (
    CLOSABLE_VALUE_SETS,
    STANDARD_VALUE_SETS,
    PlannedField,
    planned_fields,
    planned_objects,
)
from mapping.model import STAMES_ID, Mapping, ValueMap
from mapping.org import OrgSnapshot

AUDIT_PERMISSION = '"Set Audit Fields upon Record Creation"'
AUDIT_FIELDS = frozenset({"CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById"})

COMPATIBLE_TYPES: dict[str, frozenset[str]] = {
    "Text": frozenset({"string", "textarea"}),
    "TextArea": frozenset({"textarea"}),
    "LongTextArea": frozenset({"textarea"}),
    "Html": frozenset({"textarea"}),
    "Number": frozenset({"double", "int"}),
    "Currency": frozenset({"currency", "double"}),
    "Percent": frozenset({"percent", "double"}),
    "Checkbox": frozenset({"boolean"}),
    "Date": frozenset({"date"}),
    "DateTime": frozenset({"datetime"}),
    "Email": frozenset({"email", "string"}),
    "Phone": frozenset({"phone", "string"}),
    "Url": frozenset({"url", "string"}),
    "Picklist": frozenset({"picklist"}),
    "MultiselectPicklist": frozenset({"multipicklist"}),
    "Lookup": frozenset({"reference"}),
}
"""Metadata type planned → describe types whose fields take the same values unchanged. A date is
not loaded into a datetime (it would gain a time zone), nor a number into text."""

LENGTH_TYPES = frozenset({"Text", "TextArea", "LongTextArea", "Html"})
NUMBER_TYPES = frozenset({"Number", "Currency", "Percent"})
PICKLIST_TYPES = frozenset({"picklist", "multipicklist"})


@dataclass(frozen=True)
class Gap:
    target: str
    problem: str

    def __str__(self) -> str:
        return f"{self.target}: {self.problem}"


@dataclass(frozen=True)
class SchemaCheck:
    gaps: tuple[Gap, ...]
    checked: int
    """How many targets were compared."""
    notes: tuple[str, ...]
    """What the org does that the load must know of (audit fields, Case automation)."""

    @property
    def passed(self) -> bool:
        return not self.gaps


def check_schema(
    mapping: Mapping,
    org: OrgSnapshot,
    automation: CaseAutomation | None = None,
    org_closed: MappingType[str, frozenset[str]] | None = None,
) -> SchemaCheck:
    """`org_closed`: the closed values per closable value set (`CaseStatus`...) where the org let
    them be read; a status the mapping calls closed must close a record there, and the reverse."""
    gaps: list[Gap] = []
    missing_objects = _missing_objects(mapping, org)
    gaps += [Gap(name, "object missing") for name in missing_objects]
    targets = [item for item in _targets(mapping) if item[0] not in missing_objects]
    for sobject, name, planned in targets:
        described = org.field(sobject, name)
        target = f"{sobject}.{name}"
        if described is None:
            gaps.append(Gap(target, "field missing"))
            continue
        gaps += [Gap(target, problem) for problem in _field_problems(described, planned)]
    planned_targets = {planned.target for planned in planned_fields(mapping)}
    gaps += _value_map_gaps(mapping, org, planned_targets, missing_objects)
    gaps += _upsert_key_gaps(mapping, org, missing_objects)
    gaps += _closed_gaps(mapping, org, org_closed or {})
    return SchemaCheck(
        gaps=tuple(gaps),
        checked=len(targets),
        notes=(_audit_note(org), *_closed_notes(mapping, org_closed or {}), *_automation_notes(automation)),
    )


def render_markdown(result: SchemaCheck, mapping_hash: str) -> str:
    """`reports/schema-check.md`: the verdict, every gap, then the notes."""
    verdict = "passed" if result.passed else f"{len(result.gaps)} gap(s)"
    lines = [
        "# Schema check",
        "",
        f"Mapping {mapping_hash}: {result.checked} targets checked, {verdict}.",
        "",
    ]
    if result.gaps:
        lines += ["| target | gap |", "|---|---|"]
        lines += [f"| `{gap.target}` | {_cell(gap.problem)} |" for gap in result.gaps]
        lines.append("")
    lines += ["## The org", ""]
    lines += [f"- {note}" for note in result.notes]
    return "\n".join(lines) + "\n"


def _targets(mapping: Mapping) -> Iterator[tuple[str, str, PlannedField | None]]:
    """(object, field, plan) of every target once, planned fields first."""
    planned = {item.target: item for item in planned_fields(mapping)}
    seen: set[str] = set()
    for item in planned.values():
        seen.add(item.target)
        yield item.sobject, item.field.api_name, item
    for entry in mapping.fields:
        if entry.target and entry.target not in seen:
            seen.add(entry.target)
            yield str(entry.target_object), str(entry.target_field), None


def _missing_objects(mapping: Mapping, org: OrgSnapshot) -> list[str]:
    wanted = [item.target for item in mapping.objects]
    wanted += [item.api_name for item in planned_objects(mapping)]
    wanted += [str(entry.target_object) for entry in mapping.fields if entry.target]
    return [name for name in dict.fromkeys(wanted) if not org.has_object(name)]


def _field_problems(described: dict[str, Any], planned: PlannedField | None) -> Iterator[str]:
    name = described["name"]
    if not described.get("createable"):
        if name in AUDIT_FIELDS:
            yield f"not createable: needs {AUDIT_PERMISSION} (org preference and user permission)"
        else:
            yield "not createable"
    if planned is None:
        return
    wanted = planned.field
    described_type = described.get("type")
    if described_type not in COMPATIBLE_TYPES[wanted.type]:
        yield f"type {described_type}, planned {wanted.type}"
        return
    if wanted.type in LENGTH_TYPES and wanted.length and (described.get("length") or 0) < wanted.length:
        yield f"length {described.get('length')}, planned {wanted.length}"
    if wanted.type in NUMBER_TYPES:
        if (described.get("precision") or 0) < (wanted.precision or 0):
            yield f"precision {described.get('precision')}, planned {wanted.precision}"
        if (described.get("scale") or 0) < (wanted.scale or 0):
            yield f"scale {described.get('scale')}, planned {wanted.scale}"
    if wanted.type == "Lookup" and wanted.reference_to not in (described.get("referenceTo") or []):
        referenced = ", ".join(described.get("referenceTo") or []) or "nothing"
        yield f"refers to {referenced}, planned {wanted.reference_to}"
    if wanted.picklist_values:
        lacking = _lacking(described, wanted.picklist_values)
        if lacking:
            yield f"picklist lacks {', '.join(lacking)}"
    if wanted.external_id and not described.get("externalId"):
        yield "not an External ID"
    if wanted.unique and not described.get("unique"):
        yield "not unique"
    if wanted.case_sensitive and not described.get("caseSensitive"):
        yield "not case-sensitive"


def _upsert_key_gaps(mapping: Mapping, org: OrgSnapshot, missing_objects: list[str]) -> Iterator[Gap]:
    """An object upserted on a key other than Stames_Id__c needs that key External ID and Unique."""
    for item in mapping.objects:
        if item.external_id == STAMES_ID.api_name or item.target in missing_objects:
            continue
        target = f"{item.target}.{item.external_id}"
        described = org.field(item.target, item.external_id)
        if described is None:
            yield Gap(target, "upsert key missing")
            continue
        if not described.get("externalId"):
            yield Gap(target, "upsert key is not an External ID")
        if not described.get("unique"):
            yield Gap(target, "upsert key is not unique")


def _value_map_gaps(
    mapping: Mapping, org: OrgSnapshot, planned_targets: set[str], missing_objects: list[str]
) -> Iterator[Gap]:
    """Values the maps write into existing picklists (Case.Status...) that the org lacks."""
    for value_map in mapping.value_maps:
        sobject, name = value_map.target.split(".", 1)
        if value_map.target in planned_targets or sobject in missing_objects:
            continue
        described = org.field(sobject, name)
        if described is None or described.get("type") not in PICKLIST_TYPES:
            continue
        wanted = [entry.target for entry in value_map.entries if entry.target is not None]
        lacking = _lacking(described, wanted)
        if lacking:
            yield Gap(value_map.target, f"picklist lacks {', '.join(lacking)}")


def _closable_maps(mapping: Mapping) -> Iterator[tuple[str, ValueMap]]:
    for value_map in mapping.value_maps:
        sobject, name = value_map.target.split(".", 1)
        set_name = STANDARD_VALUE_SETS.get((sobject, name))
        if set_name is not None and set_name in CLOSABLE_VALUE_SETS:
            yield set_name, value_map


def _closed_gaps(
    mapping: Mapping, org: OrgSnapshot, org_closed: MappingType[str, frozenset[str]]
) -> Iterator[Gap]:
    for set_name, value_map in _closable_maps(mapping):
        if set_name not in org_closed:
            continue
        sobject, name = value_map.target.split(".", 1)
        present = set(org.picklist_values(sobject, name))
        for entry in value_map.entries:
            if entry.target is None or entry.closed is None or entry.target not in present:
                continue
            closed_in_org = entry.target in org_closed[set_name]
            if entry.closed != closed_in_org:
                state = "closed" if closed_in_org else "open"
                wanted = "closed" if entry.closed else "open"
                yield Gap(
                    value_map.target, f"{entry.target} is {state} in the org, the mapping says {wanted}"
                )


def _closed_notes(mapping: Mapping, org_closed: MappingType[str, frozenset[str]]) -> Iterator[str]:
    for set_name, value_map in _closable_maps(mapping):
        if set_name not in org_closed:
            yield (
                f"{set_name}: which values are closed is not readable through the API; "
                f"confirm that {value_map.target} closes on what the mapping calls closed."
            )


def _lacking(described: dict[str, Any], wanted: list[str]) -> list[str]:
    present = {item["value"] for item in described.get("picklistValues") or [] if item.get("active", True)}
    return [value for value in dict.fromkeys(wanted) if value not in present]


def _audit_note(org: OrgSnapshot) -> str:
    created = org.field("Case", "CreatedDate")
    if created is not None and created.get("createable"):
        return f"Audit fields: {AUDIT_PERMISSION} is active for the connected user."
    return (
        f"Audit fields: {AUDIT_PERMISSION} is not active for the connected user; "
        "records would get the load's date, and audit fields cannot be set afterwards."
    )


def _automation_notes(automation: CaseAutomation | None) -> Iterator[str]:
    if automation is None:
        return
    yield f"Case assignment rules (active): {_observed(automation.assignment_rules)}."
    yield f"Case triggers (active): {_observed(automation.triggers)}."
    yield (
        "Flows and validation rules are not readable through the data API: the admin confirms they "
        "are off or bypassed for the loading user. `stames-sf load` checks the triggers and the "
        "user's Bypass_Automation custom permission itself and refuses while they would fire."
    )


def _observed(observation: Observation) -> str:
    if observation.unreadable is not None:
        return f"not readable through the API ({observation.unreadable})"
    return ", ".join(observation.names) if observation.names else "none"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
