"""The reconcile stage as one call: choose the completed load run, read the org back, compare,
write the report and record the result (and a sign-off, only on a passed reconciliation)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import duckdb

from loaders.load.http import Clock
from loaders.reconcile.report import ReportPaths, render_report, report_paths
from loaders.reconcile.run import ReconcileRequest, Reconciliation, reconcile
from loaders.reconcile.runs import NoRunToReconcileError, choose_run
from loaders.reconcile.sample import DEFAULT_SAMPLE, check_sample_size
from loaders.reconcile.store import save_reconciliation
from stames_sf.mapping_service import require_mapping
from stames_sf.workdir import WorkDir, exclusive_run

SEED_RANGE = 1_000_000
"""A seed drawn when none is given: short enough to read out to a customer."""


@dataclass(frozen=True)
class ReconcileOptions:
    run_id: str | None = None
    sample: int = DEFAULT_SAMPLE
    seed: int | None = None
    sign_off: str | None = None


@dataclass(frozen=True)
class ReconcileOutcome:
    reconciliation: Reconciliation
    report: ReportPaths
    signed_off_by: str | None


def run_reconcile_stage(
    work: WorkDir, connection_file: Path, options: ReconcileOptions, clock: Clock
) -> ReconcileOutcome:
    """Raises one-line errors: `NoRunToReconcileError`, `SampleSizeError`, `MappingError`,
    `OrgUnreachableError`, `WorkDirBusyError`."""
    from stames_sf.org_access import org_http

    check_sample_size(options.sample)
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(SEED_RANGE)
    if not work.warehouse.is_file():
        raise NoRunToReconcileError(f"No warehouse in {work.root}: extract, transform and load first.")
    with exclusive_run(work):
        with duckdb.connect(str(work.warehouse), read_only=True) as con:
            run = choose_run(con, options.run_id)
        mapping = require_mapping(work)
        request = ReconcileRequest(run, mapping, work.root, options.sample, seed, clock.now())
        with (
            org_http(connection_file, clock) as http,
            duckdb.connect(str(work.warehouse), read_only=True) as con,
        ):
            reconciliation = reconcile(con, http, request)
        paths = report_paths(work.reports, run.run_id, request.now)
        render_report(reconciliation, paths)
        with duckdb.connect(str(work.warehouse)) as con:
            save_reconciliation(con, reconciliation, paths.html, options.sign_off)
    signer = options.sign_off if reconciliation.passed else None
    return ReconcileOutcome(reconciliation, paths, signer)
