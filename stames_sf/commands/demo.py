"""`stames-sf demo`: the main job end to end on the embedded defaults."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from stames_sf.options import DEFAULT_WORK, LogFormat, LogFormatOption, QuietOption, WorkOption

if TYPE_CHECKING:
    from stames_sf.demo import DemoOutcome
    from stames_sf.run_output import RunOutput
    from stames_sf.workdir import WorkDir


def demo(
    work: WorkOption = DEFAULT_WORK,
    tickets: Annotated[int, typer.Option("--tickets", help="Size of the generated dataset.")] = 300,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the generated dataset.")] = 42,
    rollback: Annotated[
        bool,
        typer.Option(
            "--rollback",
            help="At the end, undo the demo's load runs (newest first) and show the org is as before.",
        ),
    ] = False,
    quiet: QuietOption = False,
    log_format: LogFormatOption = LogFormat.text,
) -> None:
    """Generate a dataset, serve it, and run every stage that exists against the local emulators;
    end with one summary table per object and the path of every report."""
    from loaders.load.http import Clock
    from stames_sf.demo import DemoSettings, run_demo
    from stames_sf.run_output import open_run_output
    from stames_sf.workdir import WorkDir

    work_dir = WorkDir.at(work)
    clock = Clock()
    with open_run_output(work_dir, "demo", quiet=quiet, log_format=log_format, clock=clock) as output:
        settings = DemoSettings(
            tickets=tickets, seed=seed, rollback=rollback, progress=output.stages_on_terminal
        )
        try:
            made = run_demo(work_dir, settings, output.console, output, clock)
        except demo_errors() as stopped:
            output.finish_stage()
            output.error(str(stopped))
            output.event("done", exit_code=1)
            raise typer.Exit(1) from None
        output.finish_stage()
        show_demo_summary(work_dir, made, output)
        output.event("done", exit_code=0)


def show_demo_summary(work: WorkDir, made: DemoOutcome, output: RunOutput) -> None:
    """The rollbacks' verdicts, then the summary table (as reconciled after the last run) and
    the path of every report: on the terminal, or as JSON events."""
    from stames_sf.run_summary import read_summary, show_summary
    from stames_sf.steps import Report

    for rolled in made.rollbacks:
        verdict = "the org is as the run found it" if rolled.succeeded else "the org still differs"
        output.event(
            "rollback",
            run_id=rolled.report.run_id,
            identical=rolled.report.identical,
            verdict=verdict,
            report=str(rolled.html_path),
        )
    notes = list(made.shortcuts)
    if made.rollbacks:
        notes.append(
            f"Rolled back, newest first: {', '.join(item.report.run_id for item in made.rollbacks)}; "
            "each rollback's proof found the org identical to its pre-run snapshot. The numbers "
            "above are the migration's, as reconciled before the rollback."
        )
    reports = [*made.reports, Report("log", output.log_path)]
    summary = read_summary(work.warehouse, made.last_run_id).with_reports(reports, notes)
    if output.is_json:
        output.event("summary", **summary.as_json())
    else:
        show_summary(summary, output.terminal)
    if output.console is not output.terminal:
        show_summary(summary, output.console)


def demo_errors() -> tuple[type[Exception], ...]:
    """What stops the demo with one line (exit 1) instead of a traceback."""
    from expectations.gate import ValidationGateError
    from loaders.agents import AgentGateError
    from loaders.automation import AutomationWouldFireError
    from loaders.load.runner import LoadRefusedError
    from loaders.reconcile.runs import NoRunToReconcileError
    from loaders.rollback.runner import RollbackRefusedError
    from mapping.document import MappingError
    from stames_sf.delta_service import DeltaStoppedError
    from stames_sf.handoff.run import NoRunToHandOffError
    from stames_sf.org_access import OrgUnreachableError
    from stames_sf.steps import StepStoppedError
    from stames_sf.transform_service import TransformFailedError, TransformRefusedError
    from stames_sf.workdir import WorkDirBusyError

    return (
        WorkDirBusyError,
        MappingError,
        TransformRefusedError,
        TransformFailedError,
        OrgUnreachableError,
        StepStoppedError,
        ValidationGateError,
        AgentGateError,
        AutomationWouldFireError,
        LoadRefusedError,
        NoRunToReconcileError,
        DeltaStoppedError,
        NoRunToHandOffError,
        RollbackRefusedError,
    )
