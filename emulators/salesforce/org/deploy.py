"""Metadata deploy (SFDX source format): custom objects and fields, picklist values. Stub until the
parser lands; keeps the store's imports stable."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from emulators.salesforce.org.database import Database
from emulators.salesforce.org.schema import SchemaRegistry


@dataclass
class DeployResult:
    """What a deploy changed, or why it failed (REST answers it as JSON)."""

    success: bool
    objects: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def deploy_folder(registry: SchemaRegistry, database: Database, source_dir: Path) -> DeployResult:
    del registry, database
    return DeployResult(success=False, errors=[f"nothing to deploy in {source_dir.name}"])


def replay_deployments(registry: SchemaRegistry, database: Database) -> None:
    del registry, database
