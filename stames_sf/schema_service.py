"""`schema plan` and `schema check` as calls: the confirmed mapping, the org it goes to, the result.

Both refuse a mapping that is not confirmed or changed since (`require_confirmed`), and both read
the org through a connection file (`<work>/salesforce-org/connection.json` unless given).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simple_salesforce import Salesforce

from loaders.connection import connect
from loaders.org_snapshot import fetch_org_snapshot
from loaders.schema.check import SchemaCheck, check_schema, render_markdown
from loaders.schema.org_facts import closed_statuses, observe_case_automation
from loaders.schema.plan import SchemaPlan, plan_schema, write_project
from mapping.document import content_hash, mapping_path, require_confirmed
from mapping.model import Mapping
from mapping.org import OrgSnapshot
from stames_sf.options import connection_file as org_connection_file
from stames_sf.workdir import WorkDir

METADATA_FOLDER = "salesforce-metadata"
CHECK_REPORT = "schema-check.md"


class ConnectionMissingError(Exception):
    """No connection file; the message is one line saying what to do."""


@dataclass(frozen=True)
class PlanOutcome:
    plan: SchemaPlan
    folder: Path
    files: list[Path]


@dataclass(frozen=True)
class CheckOutcome:
    result: SchemaCheck
    report: Path


def metadata_folder(work: WorkDir) -> Path:
    return work.root / METADATA_FOLDER


def run_plan(work: WorkDir, connection_file: Path | None = None) -> PlanOutcome:
    """Write `<work>/salesforce-metadata/` for the confirmed mapping."""
    mapping = require_confirmed(mapping_path(work.root))
    client = _client(org_connection_file(connection_file, work))
    try:
        org = _snapshot(client, mapping)
        org_closed = closed_statuses(client)
    finally:
        client.session.close()
    plan = plan_schema(mapping, org, org_closed)
    folder = metadata_folder(work)
    return PlanOutcome(plan=plan, folder=folder, files=write_project(plan, folder))


def run_check(work: WorkDir, connection_file: Path | None = None) -> CheckOutcome:
    """Compare the confirmed mapping with the org; write `reports/schema-check.md`."""
    mapping = require_confirmed(mapping_path(work.root))
    client = _client(org_connection_file(connection_file, work))
    try:
        org = _snapshot(client, mapping)
        automation = observe_case_automation(client)
        org_closed = closed_statuses(client)
    finally:
        client.session.close()
    result = check_schema(mapping, org, automation, org_closed)
    report = work.reports / CHECK_REPORT
    report.write_text(render_markdown(result, content_hash(mapping)), encoding="utf-8")
    return CheckOutcome(result=result, report=report)


def _client(connection_file: Path) -> Salesforce:
    """A client kept for several reads: the connection file, or an OAuth login from the secrets."""
    from stames_sf.org_access import OrgUnreachableError, org_connection

    try:
        return connect(org_connection(connection_file))
    except OrgUnreachableError as error:
        raise ConnectionMissingError(str(error)) from None


def _snapshot(client: Salesforce, mapping: Mapping) -> OrgSnapshot:
    """The org's describes of every object the mapping writes (custom ones only when they exist)."""
    targets = [item.target for item in mapping.objects]
    targets += [str(entry.target_object) for entry in mapping.fields if entry.target]
    targets += [item.api_name for item in mapping.custom_objects]
    return fetch_org_snapshot(client, extra_objects=dict.fromkeys(targets))
