"""The validate stage as one call: the confirmed mapping, the target org's describes, the checks."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.console import Console

from expectations.checkpoint import Outcome
from expectations.sync_tables import sync_models
from expectations.validation import ReportPaths, ValidationResult, validate_warehouse
from mapping.document import mapping_path, require_confirmed
from mapping.org import OrgSnapshot
from stames_sf.org_access import read_from_org
from stames_sf.workdir import WorkDir, exclusive_run


def read_org(connection_file: Path, sobjects: list[str]) -> OrgSnapshot:
    """Describes, users and queues of the org in `connection_file` (standard objects plus `sobjects`)."""
    from loaders.org_snapshot import fetch_org_snapshot

    return read_from_org(connection_file, lambda client: fetch_org_snapshot(client, extra_objects=sobjects))


def run_validation(work: WorkDir, connection_file: Path, now: datetime) -> ValidationResult:
    """Validate the work folder's sync tables against the org; raises `MappingError` for a mapping
    that is missing, unconfirmed or changed, `NoSyncTablesError` before the transform ran."""
    mapping = require_confirmed(mapping_path(work.root))
    org = read_org(connection_file, [model.sobject for model in sync_models(mapping)])
    with exclusive_run(work):
        return validate_warehouse(work.warehouse, mapping, org, ReportPaths.under(work.reports), now)


def show_result(result: ValidationResult, console: Console) -> None:
    """One row per sync model (checks, failed), every failed expectation in words, the report paths."""
    from rich.table import Table

    table = Table(title="Validation of the sync tables")
    for column in ("sync model", "rows", "checks", "failed"):
        table.add_column(column, justify="left" if column == "sync model" else "right")
    suites: dict[str, list[Outcome]] = {}
    for outcome in result.outcomes:
        suites.setdefault(outcome.suite, []).append(outcome)
    for suite, outcomes in suites.items():
        failed = sum(1 for outcome in outcomes if not outcome.success)
        rows = max(outcome.row_count for outcome in outcomes)
        table.add_row(suite, f"{rows:,}", str(len(outcomes)), f"[red]{failed}[/red]" if failed else "0")
    console.print(table)
    for outcome in result.outcomes:
        if not outcome.success:
            examples = f" (e.g. {', '.join(outcome.examples)})" if outcome.examples else ""
            rows = f"{outcome.unexpected_count:,} row(s)"
            console.print(
                f"FAILED {outcome.suite}: {outcome.check.words}: {rows}{examples}",
                style="red",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
    verdict = "passed: the loader may run" if result.passed else f"failed {result.record.failed_expectations}"
    console.print(f"Validation {verdict}.", markup=False, highlight=False)
    console.print(f"Sign-off: {result.paths.signoff_html}", markup=False, highlight=False)
    console.print(f"          {result.paths.signoff_markdown}", markup=False, highlight=False)
    console.print(f"Data Docs: {result.paths.data_docs / 'index.html'}", markup=False, highlight=False)
