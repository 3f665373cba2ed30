"""The load stage as one call: every gate first (confirmed mapping, passing validation on these
exact sync tables, agents resolved, Case automation safe, production only after a signed-off
sandbox run), then the run itself over one HTTP channel to the org."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from expectations.gate import require_passing_validation
from expectations.record import data_hash
from loaders.load.context import LoadProgress, LoadSettings
from loaders.load.http import Clock
from loaders.load.runner import LoadOutcome, LoadRefusedError, LoadRequest, run_load
from mapping.document import content_hash
from stames_sf.mapping_service import require_mapping
from stames_sf.workdir import WorkDir, exclusive_run

TARGETS = ("sandbox", "production")


@dataclass(frozen=True)
class LoadOptions:
    target: str = "sandbox"
    retry_failed: bool = False
    new_run: bool = False
    accept_automation: bool = False
    settings: LoadSettings = LoadSettings()  # noqa: RUF009 - frozen, so one shared default is safe


def require_production_allowed(warehouse: Path, mapping_hash: str) -> None:
    """Production only after a sandbox run of this very mapping was loaded, reconciled and signed
    off: the reconcile stage records that in `ops.reconciliations` (passed, signed_off_by)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {
            name
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'ops'"
            ).fetchall()
        }
        if "reconciliations" not in tables:
            raise LoadRefusedError(
                "--target production needs a sandbox run of this mapping that was reconciled and signed "
                "off (`stames-sf reconcile` on the sandbox load); none is recorded"
            )
        [(count,)] = con.execute(
            "SELECT count(*) FROM ops.reconciliations r JOIN ops.load_runs l USING (run_id) "
            "WHERE l.target = 'sandbox' AND l.mapping_hash = ? AND r.passed AND r.signed_off_by IS NOT NULL",
            [mapping_hash],
        ).fetchall()
    if not count:
        raise LoadRefusedError(
            "--target production needs a sandbox run of this mapping that was reconciled and signed off; "
            "none is recorded for this mapping"
        )


def run_load_stage(
    work: WorkDir,
    connection_file: Path,
    options: LoadOptions,
    clock: Clock,
    progress: LoadProgress,
) -> LoadOutcome:
    """Check every gate, then load (or resume) a run; raises one-line errors for refusals."""
    from dlt_pipelines.stames.native_heap import bound_native_heap
    from stames_sf.org_access import org_http

    # Bulk CSVs and their results reach megabytes in several threads: without a fixed mmap
    # threshold glibc keeps the freed blocks mapped and the process grows with the data.
    bound_native_heap()

    mapping = require_mapping(work)
    mapping_hash = content_hash(mapping)
    require_passing_validation(work.warehouse, mapping_hash)
    if options.target not in TARGETS:
        raise LoadRefusedError(f"--target must be one of {', '.join(TARGETS)}")
    if options.target == "production":
        require_production_allowed(work.warehouse, mapping_hash)
    _require_agents(work, mapping_hash)
    _require_automation_safe(connection_file, options.accept_automation)
    with exclusive_run(work), org_http(connection_file, clock) as http:
        with duckdb.connect(str(work.warehouse), read_only=True) as con:
            fingerprint = data_hash(con)
        request = LoadRequest(
            warehouse=work.warehouse,
            work_root=work.root,
            mapping=mapping,
            mapping_hash=mapping_hash,
            data_hash=fingerprint,
            http=http,
            spill_dir=work.duckdb_spill,
            target=options.target,
            settings=options.settings,
            retry_failed=options.retry_failed,
            new_run=options.new_run,
        )
        return run_load(request, clock, progress)


def _require_agents(work: WorkDir, mapping_hash: str) -> None:
    """Every agent the records name has a decision for this mapping (`stames-sf users`)."""
    from loaders.agents import decisions_path, referenced_agent_ids, require_agents_resolved

    require_agents_resolved(decisions_path(work.root), mapping_hash, referenced_agent_ids(work.warehouse))


def _require_automation_safe(connection_file: Path, accept_automation: bool) -> None:
    """Case automation (triggers, assignment rules) would rewrite owners and add Tasks unless the
    loading user bypasses it: refuse unless it is bypassed or explicitly accepted."""
    from loaders.automation import check_case_automation, require_automation_safe
    from stames_sf.org_access import read_from_org

    require_automation_safe(read_from_org(connection_file, check_case_automation), accept_automation)
