"""`Stames_Id__c` as rendered for deploy, checked against the Salesforce and Stames contracts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from loaders.schema import stames_id_field_xml, write_stames_id_field

NS = {"md": "http://soap.sforce.com/2006/04/metadata"}


def _field() -> ET.Element:
    return ET.fromstring(stames_id_field_xml().encode("utf-8"))  # noqa: S314 - our own rendering


def _text(field: ET.Element, tag: str) -> str | None:
    return field.findtext(f"md:{tag}", namespaces=NS)


def test_the_field_is_a_unique_text_external_id() -> None:
    field = _field()
    assert field.tag == "{http://soap.sforce.com/2006/04/metadata}CustomField"
    assert _text(field, "fullName") == "Stames_Id__c"
    assert _text(field, "type") == "Text"
    # Bulk 2.0 relationship headers (Account.Stames_Id__c) need an External ID custom field.
    assert _text(field, "externalId") == "true"
    assert _text(field, "unique") == "true"
    assert _text(field, "caseSensitive") == "true"
    assert _text(field, "required") == "false"


def test_the_length_holds_every_stames_id_form() -> None:
    length = int(_text(_field(), "length") or 0)
    assert length == 64
    longest_integer_id = str(-(2**63))  # integer ids (tickets, customers, messages, ...)
    assert len(longest_integer_id) <= length
    assert len("wr_000981") <= length  # the documented custom-object record id
    assert length <= 255  # Text fields hold at most 255 characters


def test_the_field_lands_where_sfdx_source_format_expects_it(tmp_path: Path) -> None:
    package = tmp_path / "force-app" / "main" / "default"
    written = write_stames_id_field(package, "Case")
    assert written == package / "objects" / "Case" / "fields" / "Stames_Id__c.field-meta.xml"
    assert written.read_text(encoding="utf-8") == stames_id_field_xml()
    assert write_stames_id_field(package, "Account").parent.parent.name == "Account"
