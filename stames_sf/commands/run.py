"""`stames-sf run --config FILE`: a real engagement, from one TOML file, up to the next human gate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stames_sf.options import LogFormat, LogFormatOption, QuietOption

if TYPE_CHECKING:
    from stames_sf.engagement.service import EngagementRun, StoppedAtGateError
    from stames_sf.run_output import RunOutput

EXIT_FAILED = 1
EXIT_GATE = 2
"""Stopped at a human gate: the last line says what to do, then run again."""
EXIT_PAUSED = 3
"""The load stopped at its API budget, as `stames-sf load`: run again later to resume."""


def run(
    config: Annotated[
        Path,
        typer.Option(
            "--config",
            help="The engagement file (TOML): work folder, Stames source, Salesforce connection, "
            "thresholds, steps. See examples/engagement.toml.",
            dir_okay=False,
        ),
    ],
    quiet: QuietOption = False,
    log_format: LogFormatOption = LogFormat.text,
) -> None:
    """Run the engagement file's steps in order (extract → discover → map → schema → transform →
    validate → users → load → reconcile → delta → handoff), stopping at each human gate with the
    command to run next. Exit 2 at a gate, 1 on an error, 3 when the load paused at its API budget."""
    from rich.console import Console

    from loaders.load.http import Clock
    from stames_sf.engagement.config import ConfigError, load_config
    from stames_sf.engagement.service import EngagementRun
    from stames_sf.run_output import open_run_output
    from stames_sf.workdir import WorkDir

    try:
        engagement = load_config(config)
    except ConfigError as invalid:
        Console(stderr=True).print(str(invalid), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_FAILED) from None
    clock = Clock()
    work = WorkDir.at(engagement.work)
    with open_run_output(work, "run", quiet=quiet, log_format=log_format, clock=clock) as output:
        steps = EngagementRun(
            engagement, config.resolve(), output.console, output, clock, progress=output.stages_on_terminal
        )
        stop = run_to_the_next_stop(steps)
        output.finish_stage()
        show_end(steps, stop, output)
    if stop.exit_code:
        raise typer.Exit(stop.exit_code)


@dataclass(frozen=True)
class Stop:
    exit_code: int
    line: str | None = None
    """The last line: the gate and the command to run next, or the error."""
    gate: StoppedAtGateError | None = None


def run_to_the_next_stop(steps: EngagementRun) -> Stop:
    """The steps, until they are done, a gate stops them, the load pauses, or a step fails."""
    from stames_sf.engagement.service import LoadPausedError, StoppedAtGateError

    try:
        steps.run()
    except StoppedAtGateError as gate:
        return Stop(EXIT_GATE, str(gate), gate)
    except LoadPausedError as paused:
        return Stop(EXIT_PAUSED, str(paused))
    except run_errors() as failed:
        return Stop(EXIT_FAILED, one_line(failed))
    return Stop(0)


def show_end(steps: EngagementRun, stop: Stop, output: RunOutput) -> None:
    """The summary, then the one line that matters: the gate and what to do, the error, or what
    comes next after a run that went through."""
    from stames_sf.run_summary import read_summary, show_summary
    from stames_sf.steps import Report

    made = steps.outcome
    reports = [*made.reports, Report("log", output.log_path)]
    summary = read_summary(steps.work.warehouse, made.run_id).with_reports(reports)
    if output.is_json:
        output.event("summary", **summary.as_json())
    else:
        show_summary(summary, output.terminal)
    if stop.gate is not None:
        gate = stop.gate
        output.event("gate", gate=gate.gate, problem=gate.problem, next=gate.next_step)
        if not output.is_json:
            output.errors.print(stop.line, style="yellow", markup=False, highlight=False, soft_wrap=True)
    elif stop.line is not None:
        output.error(stop.line)
    elif made.next_step:
        output.event("next", next=made.next_step)
        if not output.is_json:
            output.terminal.print(f"Next: {made.next_step}", markup=False, highlight=False, soft_wrap=True)
    output.event("done", exit_code=stop.exit_code)


def one_line(error: Exception) -> str:
    import requests

    if isinstance(error, requests.ConnectionError):
        return "The org does not answer at the connection file's instance URL: is it running?"
    return str(error)


def run_errors() -> tuple[type[Exception], ...]:
    """What stops a run with one line (exit 1) instead of a traceback."""
    import duckdb
    import requests
    from simple_salesforce.exceptions import SalesforceError

    from expectations.validation import NoSyncTablesError
    from loaders.load.runner import LoadRefusedError
    from loaders.reconcile.runs import NoRunToReconcileError
    from loaders.reconcile.sample import SampleSizeError
    from loaders.schema.plan import PlanError
    from mapping.document import MappingError
    from stames_sf.delta_service import DeltaStoppedError
    from stames_sf.engagement.service import EngagementFailedError
    from stames_sf.handoff.run import NoRunToHandOffError
    from stames_sf.org_access import OrgUnreachableError
    from stames_sf.schema_service import ConnectionMissingError
    from stames_sf.steps import StepStoppedError
    from stames_sf.transform_service import TransformFailedError, TransformRefusedError
    from stames_sf.workdir import WorkDirBusyError

    return (
        EngagementFailedError,
        StepStoppedError,
        WorkDirBusyError,
        MappingError,
        PlanError,
        ConnectionMissingError,
        TransformRefusedError,
        TransformFailedError,
        NoSyncTablesError,
        OrgUnreachableError,
        LoadRefusedError,
        NoRunToReconcileError,
        SampleSizeError,
        DeltaStoppedError,
        NoRunToHandOffError,
        SalesforceError,
        requests.ConnectionError,
        duckdb.IOException,
    )
