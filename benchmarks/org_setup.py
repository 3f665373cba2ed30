"""Org set-up shared by the benchmarks that drive `Org` directly: the `Case.Stames_Id__c` external id."""

from __future__ import annotations

from pathlib import Path

from emulators.salesforce.org.deploy import DeployResult
from emulators.salesforce.org.store import Org

EXTERNAL_ID_FIELD = """<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>Stames_Id__c</fullName>
<label>Stames Id</label><type>Text</type><length>40</length><externalId>true</externalId><unique>true</unique>
</CustomField>
"""


def deploy_external_id(org: Org, source: Path) -> DeployResult:
    """Write `Case.Stames_Id__c` as a source folder at `source` (which must not exist) and deploy it."""
    fields = source / "objects" / "Case" / "fields"
    fields.mkdir(parents=True)
    (fields / "Stames_Id__c.field-meta.xml").write_text(EXTERNAL_ID_FIELD, encoding="utf-8")
    return org.deploy(source)
