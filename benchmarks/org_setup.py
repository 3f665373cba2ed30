"""Org set-up shared by the benchmarks that drive `Org` directly: the `Case.Stames_Id__c` external id."""

from __future__ import annotations

from pathlib import Path

from emulators.salesforce.org.deploy import DeployResult
from emulators.salesforce.org.store import Org
from loaders.schema import write_stames_id_field


def deploy_external_id(org: Org, source: Path) -> DeployResult:
    """Write `Case.Stames_Id__c` as a source folder at `source` (which must not exist) and deploy it."""
    source.mkdir(parents=True)
    write_stames_id_field(source, "Case")
    return org.deploy(source)
