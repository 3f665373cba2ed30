"""Metadata documents checked against the Metadata API reference: the elements each field type
needs (CustomField), a custom object, a standard value set with `closed`, a permission set."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from loaders.schema.metadata import (
    PicklistChoice,
    custom_field_xml,
    custom_object_xml,
    permission_set_xml,
    standard_value_set_xml,
)
from mapping.model import CustomField

NS = {"md": "http://soap.sforce.com/2006/04/metadata"}


def _parse(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))  # noqa: S314 - our own rendering


def _children(element: ET.Element) -> dict[str, str]:
    return {child.tag.split("}", 1)[1]: (child.text or "") for child in element if len(child) == 0}


def _field(**values: object) -> dict[str, str]:
    root = _parse(custom_field_xml(CustomField.model_validate(values)))
    assert root.tag == "{http://soap.sforce.com/2006/04/metadata}CustomField"
    return _children(root)


def test_a_text_field_has_its_length_and_is_never_required() -> None:
    assert _field(api_name="Stames_Number__c", label="Stames Number", type="Text", length=32) == {
        "fullName": "Stames_Number__c",
        "externalId": "false",
        "label": "Stames Number",
        "length": "32",
        "required": "false",
        "type": "Text",
        "unique": "false",
    }


def test_a_number_has_precision_and_scale() -> None:
    field = _field(api_name="Mrr__c", label="MRR", type="Number", precision=18, scale=2)
    assert (field["precision"], field["scale"], field["type"]) == ("18", "2", "Number")
    assert "length" not in field


def test_a_long_text_area_has_length_and_visible_lines() -> None:
    field = _field(api_name="Pasos__c", label="Pasos", type="LongTextArea", length=32768, visible_lines=5)
    assert (field["length"], field["visibleLines"]) == ("32768", "5")


def test_a_checkbox_defaults_to_false() -> None:
    # the Metadata API refuses a Checkbox without defaultValue
    assert _field(api_name="Vip__c", label="VIP", type="Checkbox")["defaultValue"] == "false"


def test_a_lookup_names_its_parent_relationship_and_sets_null_on_delete() -> None:
    field = _field(
        api_name="Case__c",
        label="Case",
        type="Lookup",
        reference_to="Case",
        relationship_name="Stames_Warranties",
    )
    assert field["referenceTo"] == "Case"
    assert field["relationshipName"] == "Stames_Warranties"
    assert field["relationshipLabel"] == "Stames Warranties"
    assert field["deleteConstraint"] == "SetNull"
    assert field["required"] == "false"


def test_a_picklist_lists_its_values_in_a_restricted_value_set() -> None:
    root = _parse(
        custom_field_xml(
            CustomField(api_name="Plan__c", label="Plan", type="Picklist", picklist_values=["basic", "gold"])
        )
    )
    value_set = root.find("md:valueSet", NS)
    assert value_set is not None
    assert value_set.findtext("md:restricted", namespaces=NS) == "true"
    values = value_set.findall("md:valueSetDefinition/md:value", NS)
    assert [_children(value) for value in values] == [
        {"fullName": "basic", "default": "false", "label": "basic"},
        {"fullName": "gold", "default": "false", "label": "gold"},
    ]


def test_a_multiselect_picklist_gets_visible_lines_even_when_the_mapping_leaves_them_out() -> None:
    root = _parse(
        custom_field_xml(
            CustomField(api_name="Tags__c", label="Tags", type="MultiselectPicklist", picklist_values=["vip"])
        )
    )
    assert root.findtext("md:visibleLines", namespaces=NS) == "4"


def test_labels_and_values_are_escaped_by_the_xml_library() -> None:
    label = 'R&D <"beta"> Garantía'
    root = _parse(
        custom_field_xml(
            CustomField(api_name="Odd__c", label=label, type="Picklist", picklist_values=["a<b", "x & y"])
        )
    )
    assert root.findtext("md:label", namespaces=NS) == label
    values = root.findall("md:valueSet/md:valueSetDefinition/md:value/md:fullName", NS)
    assert [value.text for value in values] == ["a<b", "x & y"]


def test_a_custom_object_is_deployed_owned_and_named() -> None:
    root = _parse(custom_object_xml("Warranty", "Warranties", "Text"))
    assert root.tag == "{http://soap.sforce.com/2006/04/metadata}CustomObject"
    assert _children(root) == {
        "deploymentStatus": "Deployed",
        "label": "Warranty",
        "pluralLabel": "Warranties",
        "sharingModel": "ReadWrite",
    }
    name_field = root.find("md:nameField", NS)
    assert name_field is not None
    assert _children(name_field) == {"label": "Warranty Name", "type": "Text"}


def test_an_auto_number_name_field_has_a_display_format() -> None:
    name_field = _parse(custom_object_xml("Status Change", "Status Changes", "AutoNumber")).find(
        "md:nameField", NS
    )
    assert name_field is not None
    assert name_field.findtext("md:type", namespaces=NS) == "AutoNumber"
    assert "{0" in (name_field.findtext("md:displayFormat", namespaces=NS) or "")


def test_a_standard_value_set_lists_every_value_with_default_and_closed() -> None:
    root = _parse(
        standard_value_set_xml(
            [
                PicklistChoice("New", default=True, closed=False),
                PicklistChoice("Solved", closed=True),
            ]
        )
    )
    assert root.tag == "{http://soap.sforce.com/2006/04/metadata}StandardValueSet"
    assert root.findtext("md:sorted", namespaces=NS) == "false"
    assert [_children(value) for value in root.findall("md:standardValue", NS)] == [
        {"fullName": "New", "default": "true", "label": "New", "closed": "false"},
        {"fullName": "Solved", "default": "false", "label": "Solved", "closed": "true"},
    ]


def test_a_priority_value_set_carries_no_closed_flag() -> None:
    root = _parse(standard_value_set_xml([PicklistChoice("Urgent")]))
    value = root.find("md:standardValue", NS)
    assert value is not None
    assert value.find("md:closed", NS) is None


def test_the_permission_set_grants_the_fields_and_the_custom_objects() -> None:
    root = _parse(
        permission_set_xml("Stames Migration", "why", ["Case.Stames_Id__c"], ["Stames_Warranty__c"])
    )
    assert root.tag == "{http://soap.sforce.com/2006/04/metadata}PermissionSet"
    assert root.findtext("md:label", namespaces=NS) == "Stames Migration"
    [field] = root.findall("md:fieldPermissions", NS)
    assert _children(field) == {"editable": "true", "field": "Case.Stames_Id__c", "readable": "true"}
    [sobject] = root.findall("md:objectPermissions", NS)
    assert _children(sobject) == {
        "allowCreate": "true",
        "allowDelete": "true",
        "allowEdit": "true",
        "allowRead": "true",
        "modifyAllRecords": "true",
        "object": "Stames_Warranty__c",
        "viewAllRecords": "true",
    }
