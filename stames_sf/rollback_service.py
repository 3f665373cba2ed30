"""`stames-sf rollback`: undo one load run and prove the org is as the run found it."""

from __future__ import annotations

from pathlib import Path

from loaders.load.context import LoadProgress
from loaders.load.http import Clock
from loaders.rollback.runner import RollbackOutcome, RollbackRequest, run_rollback
from stames_sf.workdir import WorkDir, exclusive_run


def run_rollback_stage(
    work: WorkDir, connection_file: Path, run_id: str, dry_run: bool, clock: Clock, progress: LoadProgress
) -> RollbackOutcome:
    from stames_sf.org_access import org_http

    with exclusive_run(work), org_http(connection_file, clock) as http:
        request = RollbackRequest(work.warehouse, work.reports, run_id, http, dry_run=dry_run)
        return run_rollback(request, clock, progress)
