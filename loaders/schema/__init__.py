"""The Salesforce side of the mapping as metadata: plan it, write it, check an org against it.

- `metadata`: Metadata API documents (CustomField, CustomObject, StandardValueSet, PermissionSet);
- `plan`: the confirmed mapping → an SFDX source-format project an admin deploys;
- `check`: the preflight of the mapping against an org's describes;
- `org_facts`: what the check reports that describes do not say (Case automation).

Every migrated record carries its Stames id in `Stames_Id__c` (`mapping.model.STAMES_ID`), an
External ID: the loader upserts on it, child rows name their parent through it
(`Account.Stames_Id__c` in a Bulk 2.0 header, which the contract requires to be an External ID or
idLookup field), and reconcile and rollback find records by it. The helpers below render that one
definition for the tests and benchmarks that deploy only it.
"""

from __future__ import annotations

from pathlib import Path

from loaders.schema.metadata import custom_field_xml
from mapping.model import STAMES_ID

STAMES_ID_FIELD = STAMES_ID.api_name


def stames_id_field_xml() -> str:
    """`Stames_Id__c` as a `CustomField` in SFDX source format (`<field>.field-meta.xml`)."""
    return custom_field_xml(STAMES_ID)


def field_path(package_dir: Path, sobject: str, field_name: str) -> Path:
    """Where SFDX source format keeps a field: `<package>/objects/<Object>/fields/<F>.field-meta.xml`."""
    return package_dir / "objects" / sobject / "fields" / f"{field_name}.field-meta.xml"


def write_stames_id_field(package_dir: Path, sobject: str) -> Path:
    """Write `Stames_Id__c` on `sobject` into an SFDX package folder (the folder that holds
    `objects/`, e.g. `force-app/main/default`) and return the file written."""
    target = field_path(package_dir, sobject, STAMES_ID_FIELD)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(stames_id_field_xml(), encoding="utf-8")
    return target
