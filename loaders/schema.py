"""The Salesforce custom fields the load needs, as SFDX source metadata.

Every migrated record carries its Stames id in `Stames_Id__c`, an External ID: the loader upserts on
it, child rows name their parent through it (`Account.Stames_Id__c` in a Bulk 2.0 header, which the
contract requires to be an External ID or idLookup field), and reconcile and rollback find records
by it. This module is the one definition of that field; the schema plan stage, the tests and the
benchmarks all deploy what it renders.
"""

from __future__ import annotations

from pathlib import Path

from mapping.model import STAMES_ID

STAMES_ID_FIELD = STAMES_ID.api_name
STAMES_ID_LABEL = STAMES_ID.label

STAMES_ID_LENGTH = STAMES_ID.length
"""Text length of `Stames_Id__c`. Stames ids are integers for tickets, customers, agents, messages,
attachments and status changes (a 64-bit integer is at most 20 characters as text, sign included)
and strings for custom-object records (`wr_000981`), whose length the Stames API does not bound.
64 holds every integer id and leaves custom-object record ids several times the 9 characters of the
documented example, well under Text's 255. An id names one record of its object, so the field is
Unique as well as an External ID."""

STAMES_ID_CASE_SENSITIVE = STAMES_ID.case_sensitive
"""Stames ids are opaque source keys: two custom-object records `wr_a1` and `WR_A1` are two records,
so they must never collapse into one Salesforce record. Salesforce matches a custom field
case-insensitively only when it is Unique *and* case-insensitive (the default); marked case-sensitive,
`abc` and `ABC` are distinct values for uniqueness and for upsert matching, while a repeated `abc` is
still DUPLICATE_VALUE [doc: Apex Developer Guide, "Upserting Records"]."""

_METADATA_NAMESPACE = "http://soap.sforce.com/2006/04/metadata"


def stames_id_field_xml() -> str:
    """`Stames_Id__c` as a `CustomField` in SFDX source format (`<field>.field-meta.xml`)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<CustomField xmlns="{_METADATA_NAMESPACE}">\n'
        f"    <fullName>{STAMES_ID_FIELD}</fullName>\n"
        f"    <caseSensitive>{str(STAMES_ID_CASE_SENSITIVE).lower()}</caseSensitive>\n"
        "    <externalId>true</externalId>\n"
        f"    <label>{STAMES_ID_LABEL}</label>\n"
        f"    <length>{STAMES_ID_LENGTH}</length>\n"
        "    <required>false</required>\n"
        "    <type>Text</type>\n"
        "    <unique>true</unique>\n"
        "</CustomField>\n"
    )


def write_stames_id_field(package_dir: Path, sobject: str) -> Path:
    """Write `Stames_Id__c` on `sobject` into an SFDX package folder (the folder that holds
    `objects/`, e.g. `force-app/main/default`) and return the file written."""
    fields = package_dir / "objects" / sobject / "fields"
    fields.mkdir(parents=True, exist_ok=True)
    target = fields / f"{STAMES_ID_FIELD}.field-meta.xml"
    target.write_text(stames_id_field_xml(), encoding="utf-8")
    return target
