"""The stages as steps of a longer run (the demo, `stames-sf run`): each calls its stage's service,
shows the result the way the stage's own command does, and raises a one-line `StepStoppedError`
when the stage ran and did not pass. The caller decides what that is: the demo fails, `run` stops
at a gate and says what to do next."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from loaders.load.http import Clock
from stames_sf.workdir import WorkDir

if TYPE_CHECKING:
    from expectations.validation import ValidationResult
    from loaders.load.runner import LoadOutcome
    from loaders.rollback.runner import RollbackOutcome
    from stames_sf.delta_service import DeltaOptions, DeltaOutcome
    from stames_sf.handoff.service import HandoffPack
    from stames_sf.load_service import LoadOptions
    from stames_sf.reconcile_service import ReconcileOptions, ReconcileOutcome
    from stames_sf.transform_service import TransformResult
    from stames_sf.users_service import UsersResult

PLAIN = {"markup": False, "highlight": False, "soft_wrap": True}
"""How a line of data (paths, ids, messages) is printed: never read as rich markup, never wrapped."""


class StepStoppedError(Exception):
    """A stage ran and did not pass; the message is one line naming what to read."""


class ValidationNotPassedError(StepStoppedError):
    """The expectations failed on the sync tables: the load may not run."""


class AgentsUnresolvedError(StepStoppedError):
    """Agents the records name have no decision yet: the load may not run."""


class LoadNotCompletedError(StepStoppedError):
    """The load run stopped (a phase past its failure threshold) or paused at the API budget."""

    def __init__(self, outcome: LoadOutcome) -> None:
        super().__init__(f"Load run {outcome.run_id} {outcome.status}: {outcome.reason}")
        self.run_id = outcome.run_id
        self.status = outcome.status


class ReconciliationNotPassedError(StepStoppedError):
    """The org does not hold what the run says it loaded, or the sample differs."""


class RollbackNotProvenError(StepStoppedError):
    """After the rollback the org still differs from the run's pre-run snapshot."""


@dataclass(frozen=True)
class Report:
    """One file a person reads after a run, under the name the summary lists it by."""

    what: str
    path: Path


def transform_step(work: WorkDir, connection_file: Path, console: Console) -> TransformResult:
    """`dbt build`; raises `TransformRefusedError` before it starts, `TransformFailedError` after."""
    from stames_sf.transform_service import TransformFailedError, run_transform

    result = run_transform(work, connection_file)
    console.print(result.summary())
    console.print(result.account_matching, **PLAIN)
    if result.generated_files:
        console.print(result.generated_files, **PLAIN)
    for line in result.reconciliation:
        console.print(line.line())
    if not result.succeeded:
        raise TransformFailedError(result)
    return result


def validate_step(work: WorkDir, connection_file: Path, console: Console, clock: Clock) -> ValidationResult:
    from stames_sf.validate_service import run_validation, show_result

    result = run_validation(work, connection_file, clock.now())
    show_result(result, console)
    if not result.passed:
        raise ValidationNotPassedError(
            f"Validation failed {result.record.failed_expectations} expectation(s): "
            f"see {result.paths.signoff_html}"
        )
    return result


def validation_reports(result: ValidationResult) -> list[Report]:
    return [
        Report("sign-off", result.paths.signoff_html),
        Report("Data Docs", result.paths.data_docs / "index.html"),
    ]


def users_step(
    work: WorkDir,
    connection_file: Path,
    console: Console,
    clock: Clock,
    *,
    accept_fallback: bool = False,
    by: str | None = None,
) -> UsersResult:
    """The agent gate; with `accept_fallback`, every agent without an active user goes to the
    mapping's fallback owner (recorded as decided `by`)."""
    from stames_sf.users_service import run_users, show_result

    result = run_users(work, connection_file, clock.now(), accept_fallback=accept_fallback, by=by)
    show_result(result, console)
    if not result.resolved:
        raise AgentsUnresolvedError(
            f"{len(result.unresolved)} agent(s) need a decision: see {result.csv_path}"
        )
    return result


def load_step(
    work: WorkDir, connection_file: Path, console: Console, clock: Clock, options: LoadOptions | None = None
) -> LoadOutcome:
    """Load (or resume) a run with a progress bar per phase; raises the load's one-line refusals
    before it starts and `LoadNotCompletedError` unless it completed."""
    from stames_sf.load_service import LoadOptions, run_load_stage
    from stames_sf.load_view import RichLoadProgress, show_outcome

    with RichLoadProgress(console) as progress:
        outcome = run_load_stage(work, connection_file, options or LoadOptions(), clock, progress)
    show_outcome(outcome, console)
    if outcome.status != "completed":
        raise LoadNotCompletedError(outcome)
    return outcome


def reconcile_step(
    work: WorkDir, connection_file: Path, console: Console, clock: Clock, options: ReconcileOptions
) -> ReconcileOutcome:
    from stames_sf.commands.reconcile import show_outcome
    from stames_sf.reconcile_service import run_reconcile_stage

    outcome = run_reconcile_stage(work, connection_file, options, clock)
    show_outcome(outcome, console)
    if not outcome.reconciliation.passed:
        raise ReconciliationNotPassedError(f"Reconciliation failed: see {outcome.report.html}")
    return outcome


def delta_step(
    work: WorkDir, connection_file: Path, console: Console, clock: Clock, options: DeltaOptions
) -> DeltaOutcome:
    """The cutover delta, its deleted and merged tickets listed, and its own reconciliation."""
    from stames_sf.commands.reconcile import show_outcome
    from stames_sf.delta_service import run_delta

    outcome = run_delta(work, connection_file, options, clock, console)
    for item in outcome.gone:
        console.print(f"ticket {item.stames_id} ({item.reason}): Case {item.case_id}", **PLAIN)
    console.print(f"Deleted and merged tickets, for a decision: {outcome.gone_report}", **PLAIN)
    show_outcome(outcome.reconciliation, console)
    if not outcome.reconciliation.reconciliation.passed:
        raise ReconciliationNotPassedError(
            f"The delta's reconciliation failed: see {outcome.reconciliation.report.html}"
        )
    return outcome


def handoff_step(work: WorkDir, console: Console, clock: Clock, run_id: str | None = None) -> HandoffPack:
    """The handoff pack of `run_id` (default: the latest load run), as `stames-sf handoff` builds it."""
    from stames_sf.handoff.service import build_handoff

    pack = build_handoff(work, run_id, clock.now())
    console.print(f"Handoff pack of load run {pack.run.run_id}: {pack.files} files.", **PLAIN)
    for item in pack.missing:
        console.print(f"Not produced yet: {item.what} (run `{item.command}`).", **PLAIN)
    console.print(f"Index: {pack.index}", **PLAIN)
    return pack


def rollback_step(
    work: WorkDir, connection_file: Path, run_id: str, console: Console, clock: Clock
) -> RollbackOutcome:
    """Undo one run and prove the org equals the run's pre-run snapshot, as `stames-sf rollback`."""
    from stames_sf.commands.rollback import show_outcome
    from stames_sf.load_view import RichLoadProgress
    from stames_sf.rollback_service import run_rollback_stage

    with RichLoadProgress(console) as progress:
        outcome = run_rollback_stage(work, connection_file, run_id, False, clock, progress)
    show_outcome(outcome, console)
    if not outcome.succeeded:
        raise RollbackNotProvenError(
            f"After the rollback of {run_id} the org still differs from its snapshot: see {outcome.html_path}"
        )
    return outcome
