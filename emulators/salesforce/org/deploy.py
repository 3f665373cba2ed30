"""Metadata deploy from an SFDX source folder: custom objects, custom fields, picklist values.

Read: `objects/<Name__c>/<Name__c>.object-meta.xml`, `objects/<Object>/fields/<Field__c>.field-meta.xml`
(standard or custom object; `objects/Activity/fields/` lands on Task and Event),
`standardValueSets/<CaseStatus|…>.standardValueSet-meta.xml` (values added to
the standard picklist) and `globalValueSets/<Name>.globalValueSet-meta.xml` (used by `valueSetName`).
A deploy is parsed completely before anything changes, so a bad file changes nothing. Applied actions are
kept in the org's settings and replayed on open.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from emulators.salesforce.org.database import Database
from emulators.salesforce.org.fields import FieldSpec
from emulators.salesforce.org.ids import custom_prefix
from emulators.salesforce.org.schema import SchemaRegistry, custom_object_describe, humanise

_NS = "{http://soap.sforce.com/2006/04/metadata}"

STANDARD_VALUE_SETS: dict[str, tuple[str, str]] = {
    "CaseStatus": ("Case", "Status"),
    "CasePriority": ("Case", "Priority"),
    "CaseOrigin": ("Case", "Origin"),
    "CaseType": ("Case", "Type"),
    "CaseReason": ("Case", "Reason"),
    "TaskStatus": ("Task", "Status"),
    "TaskPriority": ("Task", "Priority"),
    "AccountType": ("Account", "Type"),
    "Industry": ("Account", "Industry"),
    "LeadSource": ("Contact", "LeadSource"),
}
"""Standard value set name → the field it feeds."""

ACTIVITY = "Activity"
ACTIVITY_OBJECTS = ("Task", "Event")
"""Custom activity fields are declared once, in `objects/Activity/fields/`, and appear on Task and
Event alike [src: SFDX projects as retrieved from orgs hold them in
`objects/Activity/fields/*.field-meta.xml`, none under Task]."""

_TEXT_LENGTHS = {"TextArea": 255, "Email": 80, "Phone": 40, "Url": 255, "Picklist": 255}
_TYPES = {
    "Text": "string",
    "TextArea": "textarea",
    "LongTextArea": "textarea",
    "Html": "textarea",
    "Number": "double",
    "Currency": "currency",
    "Percent": "percent",
    "Checkbox": "boolean",
    "Date": "date",
    "DateTime": "datetime",
    "Email": "email",
    "Phone": "phone",
    "Url": "url",
    "Picklist": "picklist",
    "MultiselectPicklist": "multipicklist",
    "Lookup": "reference",
    "MasterDetail": "reference",
}


class DeployError(Exception):
    """A source file the deploy cannot accept; nothing is applied."""


@dataclass
class DeployResult:
    """What a deploy changed, or why it failed."""

    success: bool
    objects: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    picklists: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def deploy_folder(registry: SchemaRegistry, database: Database, source_dir: Path) -> DeployResult:
    """Parse every metadata file under `source_dir`, then apply and remember them."""
    try:
        actions = parse_source(registry, source_dir)
    except (DeployError, ET.ParseError, ValueError) as exc:
        return DeployResult(success=False, errors=[str(exc)])
    if not actions:
        return DeployResult(
            success=False, errors=["no objects, fields or value sets found in the source folder"]
        )
    result = DeployResult(success=True)
    for action in actions:
        apply_action(registry, action)
        _report(result, action)
    stored = json.loads(database.setting("deployments") or "[]")
    database.set_setting("deployments", json.dumps(stored + actions))
    return result


def replay_deployments(registry: SchemaRegistry, database: Database) -> None:
    """Re-apply earlier deploys to a freshly built registry (org re-opened)."""
    for action in json.loads(database.setting("deployments") or "[]"):
        apply_action(registry, action)


def parse_source(registry: SchemaRegistry, source_dir: Path) -> list[dict[str, Any]]:
    """Deploy actions, objects first so fields can land on objects of the same deploy."""
    global_sets = {
        path.name.split(".")[0]: _values(_root(path), "customValue")
        for path in sorted(source_dir.rglob("*.globalValueSet-meta.xml"))
    }
    actions: list[dict[str, Any]] = []
    # objects by lower-case name (the org's and this deploy's), spelled as their describes spell them
    known = {name.lower(): name for name in registry.names()}
    next_prefix = len([name for name in registry.names() if name.endswith("__c")])
    for path in sorted(source_dir.rglob("*.object-meta.xml")):
        name = path.name.split(".")[0]
        if not name.endswith("__c") or name.lower() in known:
            continue
        actions.append(_object_action(name, _root(path), custom_prefix(next_prefix)))
        known[name.lower()] = name
        next_prefix += 1
    for path in sorted(source_dir.rglob("*.field-meta.xml")):
        declared_on = path.parent.parent.name
        if declared_on == ACTIVITY:
            sobjects = [known[name.lower()] for name in ACTIVITY_OBJECTS if name.lower() in known]
        elif declared_on.lower() in known:
            sobjects = [declared_on]
        else:
            raise DeployError(f"{path.name}: object {declared_on} does not exist in the org")
        if path.name.split(".")[0].endswith("__c"):
            for sobject in sobjects:
                actions += _field_actions(sobject, _root(path), global_sets, known)
    for path in sorted(source_dir.rglob("*.standardValueSet-meta.xml")):
        set_name = path.name.split(".")[0]
        if set_name not in STANDARD_VALUE_SETS:
            raise DeployError(f"{path.name}: standard value set {set_name} is not supported here")
        sobject, field_name = STANDARD_VALUE_SETS[set_name]
        root = _root(path)
        actions.append(
            {
                "kind": "values",
                "object": sobject,
                "field": field_name,
                "values": _values(root, "standardValue"),
                "closed": [
                    _text(node, "fullName")
                    for node in root.iter(f"{_NS}standardValue")
                    if _text(node, "closed") == "true"
                ],
            }
        )
    return actions


def apply_action(registry: SchemaRegistry, action: dict[str, Any]) -> None:
    kind = action["kind"]
    if kind == "object":
        registry.add(
            custom_object_describe(
                action["name"], action["label"], action["plural"], action["prefix"], owned=action["owned"]
            )
        )
        if action.get("name_field"):
            registry.get(action["name"]).add_field(FieldSpec(**action["name_field"]))
    elif kind == "field":
        spec = FieldSpec(
            **{
                **action["spec"],
                "reference_to": tuple(action["spec"]["reference_to"]),
                "picklist": tuple(action["spec"]["picklist"]),
            }
        )
        registry.get(action["object"]).add_field(spec)
        if action.get("child"):
            _add_child_relationship(registry, action["object"], spec, action["child"])
            if action["child"]["cascade"]:
                registry.cascade_fields.setdefault(registry.get(action["object"]).name, set()).add(spec.name)
    elif kind == "values":
        schema = registry.get(action["object"])
        described = next(item for item in schema.describe["fields"] if item["name"] == action["field"])
        present = {entry["value"] for entry in described["picklistValues"]}
        described["picklistValues"] += [
            {"active": True, "defaultValue": False, "label": value, "validFor": None, "value": value}
            for value in action["values"]
            if value not in present
        ]
        schema.refresh()
        registry.closed_values.setdefault(schema.name, set()).update(action.get("closed", []))


def _object_action(name: str, root: ET.Element, prefix: str) -> dict[str, Any]:
    label = _text(root, "label") or humanise(name)
    name_node = root.find(f"{_NS}nameField")
    action: dict[str, Any] = {
        "kind": "object",
        "name": name,
        "label": label,
        "plural": _text(root, "pluralLabel") or label + "s",
        "prefix": prefix,
        "owned": _text(root, "sharingModel") != "ControlledByParent",
    }
    if name_node is not None:
        auto = _text(name_node, "type") == "AutoNumber"
        action["name_field"] = asdict(
            FieldSpec(
                "Name",
                "string",
                _text(name_node, "label") or f"{label} Name",
                createable=not auto,
                updateable=not auto,
                nillable=auto,
                defaulted=True,
                length=80 if not auto else 30,
                name_field=True,
                id_lookup=True,
                auto_number=auto,
            )
        )
    return action


def _field_actions(
    sobject: str, root: ET.Element, global_sets: dict[str, list[str]], known: dict[str, str]
) -> list[dict[str, Any]]:
    name = _text(root, "fullName")
    meta_type = _text(root, "type")
    if not name or meta_type not in _TYPES:
        raise DeployError(f"{sobject}.{name}: field type {meta_type!r} is not supported")
    sf_type = _TYPES[meta_type]
    written_target = _text(root, "referenceTo")
    target = known.get(written_target.lower(), "")
    if sf_type == "reference" and not target:
        # describe's referenceTo is what lookups are checked against, so it must name a real object
        raise DeployError(f"{sobject}.{name}: referenceTo {written_target!r} is not an object of the org")
    required = _text(root, "required") == "true" or meta_type == "MasterDetail"
    picklist, restricted, default_choice = _picklist(root, global_sets)
    precision = int(_text(root, "precision") or (18 if sf_type in ("double", "currency", "percent") else 0))
    scale = int(_text(root, "scale") or 0)
    external = _text(root, "externalId") == "true"
    default_value = _text(root, "defaultValue")
    spec = FieldSpec(
        name=name,
        type=sf_type,
        label=_text(root, "label") or humanise(name),
        custom=True,
        createable=True,
        updateable=meta_type != "MasterDetail" or _text(root, "reparentableMasterDetail") == "true",
        nillable=not required and sf_type != "boolean",
        defaulted=sf_type == "boolean",
        length=int(_text(root, "length") or _TEXT_LENGTHS.get(meta_type, 0))
        if sf_type not in _NUMERIC
        else 0,
        precision=precision if sf_type in _NUMERIC else 0,
        scale=scale if sf_type in _NUMERIC else 0,
        reference_to=(target,) if sf_type == "reference" else (),
        relationship_name=name.removesuffix("__c") + "__r" if sf_type == "reference" else None,
        picklist=tuple(picklist),
        default_picklist=default_choice,
        restricted=restricted,
        unique=_text(root, "unique") == "true",
        external_id=external,
        id_lookup=external,
        case_sensitive=_text(root, "caseSensitive") == "true",
        default_value=(default_value == "true") if sf_type == "boolean" else None,
        html=meta_type == "Html",
        extra_type_info={
            "Html": "richtextarea",
            "TextArea": "plaintextarea",
            "LongTextArea": "plaintextarea",
        }.get(meta_type),
    )
    if sf_type == "multipicklist":
        spec = FieldSpec(**{**asdict(spec), "length": 4099})
    spec_json = asdict(spec)
    action: dict[str, Any] = {"kind": "field", "object": sobject, "spec": spec_json}
    if sf_type == "reference":
        action["child"] = {
            "name": (_text(root, "relationshipName") or sobject.removesuffix("__c")) + "__r",
            "cascade": meta_type == "MasterDetail",
        }
    return [action]


_NUMERIC = ("double", "currency", "percent")


def _picklist(root: ET.Element, global_sets: dict[str, list[str]]) -> tuple[list[str], bool, str | None]:
    value_set = root.find(f"{_NS}valueSet")
    if value_set is None:
        return [], False, None
    set_name = _text(value_set, "valueSetName")
    if set_name:
        if set_name not in global_sets:
            raise DeployError(f"global value set {set_name} is not in the deploy")
        return global_sets[set_name], True, None
    values = _values(value_set, "value")
    defaults = [
        _text(node, "fullName") for node in value_set.iter(f"{_NS}value") if _text(node, "default") == "true"
    ]
    return values, _text(value_set, "restricted") == "true", defaults[0] if defaults else None


def _add_child_relationship(
    registry: SchemaRegistry, child: str, spec: FieldSpec, info: dict[str, Any]
) -> None:
    parent = registry.find(spec.reference_to[0]) if spec.reference_to else None
    if parent is None:
        return
    relationships = parent.describe.setdefault("childRelationships", [])
    relationships[:] = [item for item in relationships if item.get("relationshipName") != info["name"]]
    relationships.append(
        {
            "cascadeDelete": info["cascade"],
            "childSObject": child,
            "deprecatedAndHidden": False,
            "field": spec.name,
            "junctionIdListNames": [],
            "junctionReferenceTo": [],
            "relationshipName": info["name"],
            "restrictedDelete": False,
        }
    )
    parent.refresh()


def _root(path: Path) -> ET.Element:
    return ET.fromstring(path.read_text(encoding="utf-8"))  # noqa: S314 - the user's own metadata files


def _text(node: ET.Element, tag: str) -> str:
    found = node.find(f"{_NS}{tag}")
    return (found.text or "").strip() if found is not None else ""


def _values(node: ET.Element, tag: str) -> list[str]:
    return [_text(item, "fullName") for item in node.iter(f"{_NS}{tag}") if _text(item, "fullName")]


def _report(result: DeployResult, action: dict[str, Any]) -> None:
    if action["kind"] == "object":
        result.objects.append(action["name"])
    elif action["kind"] == "field":
        result.fields.append(f"{action['object']}.{action['spec']['name']}")
    else:
        result.picklists.append(f"{action['object']}.{action['field']}")
