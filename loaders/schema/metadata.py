"""Metadata API documents in SFDX source format, built with `xml.etree` so every label and value
is escaped by the XML library, never by string concatenation.

Elements follow the Metadata API reference (CustomField, CustomObject, StandardValueSet,
PermissionSet) in the alphabetical order `sf project retrieve start` writes them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from mapping.model import CustomField

METADATA_NAMESPACE = "http://soap.sforce.com/2006/04/metadata"

DEFAULT_VISIBLE_LINES = {"LongTextArea": 5, "Html": 25, "MultiselectPicklist": 4}
"""Metadata requires visibleLines for these types; used when the mapping leaves it out."""


@dataclass(frozen=True)
class PicklistChoice:
    """One value of a standard value set, as the deploy must list it."""

    name: str
    default: bool = False
    closed: bool | None = None
    """Only for CaseStatus and TaskStatus, whose values are open or closed."""


def custom_field_xml(field: CustomField) -> str:
    """One `CustomField` (`<field>.field-meta.xml`).

    `required` is always false: a field that is required in metadata rejects every old record that
    lacks a value (a ticket from before the field existed), and the load must never lose those.
    Completeness is checked before the load by the expectations instead.
    """
    root = _root("CustomField")
    _add(root, "fullName", field.api_name)
    if field.type == "Text" and field.unique:
        _add(root, "caseSensitive", _bool(field.case_sensitive))
    if field.type == "Checkbox":
        _add(root, "defaultValue", "false")
    if field.type == "Lookup":
        # SetNull: deleting a Case during a rollback must not be blocked by its history rows.
        _add(root, "deleteConstraint", "SetNull")
    if field.description:
        _add(root, "description", field.description)
    _add(root, "externalId", _bool(field.external_id))
    _add(root, "label", field.label)
    if field.type in ("Text", "LongTextArea", "Html"):
        _add(root, "length", str(field.length))
    if field.type in ("Number", "Currency", "Percent"):
        _add(root, "precision", str(field.precision))
    if field.type == "Lookup":
        _add(root, "referenceTo", str(field.reference_to))
        # The related list's title on the parent, after the relationship (child) name.
        _add(root, "relationshipLabel", str(field.relationship_name).replace("_", " "))
        _add(root, "relationshipName", str(field.relationship_name))
    _add(root, "required", "false")
    if field.type in ("Number", "Currency", "Percent"):
        _add(root, "scale", str(field.scale or 0))
    _add(root, "type", field.type)
    if field.type in ("Text", "Number", "Email", "Phone"):
        _add(root, "unique", _bool(field.unique))
    if field.type in ("Picklist", "MultiselectPicklist"):
        root.append(_value_set(field.picklist_values))
    if field.type in DEFAULT_VISIBLE_LINES:
        _add(root, "visibleLines", str(field.visible_lines or DEFAULT_VISIBLE_LINES[field.type]))
    return _document(root)


def custom_object_xml(
    label: str, plural_label: str, name_field: Literal["Text", "AutoNumber"], description: str | None = None
) -> str:
    """One `CustomObject` (`<Object__c>.object-meta.xml`): deployed, owned records (ReadWrite)."""
    root = _root("CustomObject")
    _add(root, "deploymentStatus", "Deployed")
    if description:
        _add(root, "description", description)
    _add(root, "label", label)
    name = ET.SubElement(root, "nameField")
    if name_field == "AutoNumber":
        _add(name, "displayFormat", "{0000000000}")
    _add(name, "label", f"{label} Name")
    _add(name, "type", name_field)
    _add(root, "pluralLabel", plural_label)
    _add(root, "sharingModel", "ReadWrite")
    return _document(root)


def standard_value_set_xml(choices: Sequence[PicklistChoice]) -> str:
    """One `StandardValueSet`. A deploy replaces the whole set, so `choices` must hold the org's
    existing values as well as the new ones."""
    root = _root("StandardValueSet")
    _add(root, "sorted", "false")
    for choice in choices:
        value = ET.SubElement(root, "standardValue")
        _add(value, "fullName", choice.name)
        _add(value, "default", _bool(choice.default))
        _add(value, "label", choice.name)
        if choice.closed is not None:
            _add(value, "closed", _bool(choice.closed))
    return _document(root)


def permission_set_xml(label: str, description: str, fields: Iterable[str], objects: Iterable[str]) -> str:
    """One `PermissionSet` granting read and edit on `fields` (`Object.Field__c`) and full access
    to the custom `objects` the migration creates."""
    root = _root("PermissionSet")
    _add(root, "description", description)
    for name in fields:
        permission = ET.SubElement(root, "fieldPermissions")
        _add(permission, "editable", "true")
        _add(permission, "field", name)
        _add(permission, "readable", "true")
    _add(root, "hasActivationRequired", "false")
    _add(root, "label", label)
    for name in objects:
        permission = ET.SubElement(root, "objectPermissions")
        for flag in ("allowCreate", "allowDelete", "allowEdit", "allowRead"):
            _add(permission, flag, "true")
        # Rollback deletes records now owned by agents, and reconcile counts them all.
        _add(permission, "modifyAllRecords", "true")
        _add(permission, "object", name)
        _add(permission, "viewAllRecords", "true")
    return _document(root)


def _value_set(values: Sequence[str]) -> ET.Element:
    value_set = ET.Element("valueSet")
    # Restricted: a value outside the set fails its row with an error instead of widening the
    # picklist silently; the value maps' defaults cover what appears only at the cut-over delta.
    _add(value_set, "restricted", "true")
    definition = ET.SubElement(value_set, "valueSetDefinition")
    _add(definition, "sorted", "false")
    for name in values:
        value = ET.SubElement(definition, "value")
        _add(value, "fullName", name)
        _add(value, "default", "false")
        _add(value, "label", name)
    return value_set


def _root(tag: str) -> ET.Element:
    return ET.Element(tag, xmlns=METADATA_NAMESPACE)


def _add(parent: ET.Element, tag: str, text: str) -> ET.Element:
    child = ET.SubElement(parent, tag)
    child.text = text
    return child


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _document(root: ET.Element) -> str:
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
