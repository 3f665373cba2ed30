"""What a person sees of a load: a progress bar per phase (records, rate, ETA), then the
reconciliation table of the run, one row per phase."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from loaders.load.runner import LoadOutcome


class RichLoadProgress:
    def __init__(self, console: Console) -> None:
        self.console = console
        self._progress = Progress(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RichLoadProgress:
        self._progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._progress.stop()

    def start(self, phase: str, total: int) -> None:
        self._tasks[phase] = self._progress.add_task(phase, total=total, rate="")

    def advance(self, phase: str, count: int) -> None:
        task = self._tasks.get(phase)
        if task is None:
            return
        self._progress.advance(task, count)
        speed = self._progress.tasks[task].speed
        self._progress.update(task, rate=f"{speed:,.0f}/s" if speed else "")

    def finish(self, phase: str) -> None:
        task = self._tasks.get(phase)
        if task is not None:
            total = self._progress.tasks[task].total or 0
            self._progress.update(task, completed=total)

    def note(self, message: str) -> None:
        self._progress.console.print(message, markup=False, highlight=False, soft_wrap=True)


def show_outcome(outcome: LoadOutcome, console: Console) -> None:
    table = Table(title=f"Load run {outcome.run_id}: {outcome.status}")
    for column in (
        "phase",
        "source",
        "quarantined",
        "attempted",
        "created",
        "updated",
        "linked",
        "unchanged",
        "failed",
    ):
        table.add_column(column, justify="left" if column == "phase" else "right")
    for summary in outcome.phases:
        counts = summary.counts
        failed = f"[red]{counts.failed:,}[/red]" if counts.failed else "0"
        table.add_row(
            summary.phase,
            f"{counts.source_rows:,}",
            f"{counts.quarantined:,}",
            f"{counts.attempted:,}",
            f"{counts.created:,}",
            f"{counts.updated:,}",
            f"{counts.linked:,}",
            f"{counts.unchanged:,}",
            failed,
        )
    console.print(table)
    for summary in outcome.phases:
        if summary.counts.failed_by_error:
            errors = ", ".join(f"{code} {count:,}" for code, count in summary.counts.failed_by_error.items())
            console.print(f"{summary.phase} failed: {errors}", markup=False, highlight=False, soft_wrap=True)
    kept = sorted(set(outcome.audit.values()))
    console.print(f"Original timestamps: {'; '.join(kept)}.", markup=False, highlight=False)
    console.print(
        f"API calls: {outcome.api_calls:,} (forecast {outcome.forecast_calls:,}). Ledger: ops.load_runs, "
        f"ops.load_phases, ops.load_records (run_id = '{outcome.run_id}').",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    if outcome.reason:
        console.print(
            f"Stopped: {outcome.reason}", style="yellow", markup=False, highlight=False, soft_wrap=True
        )
        if outcome.status == "paused":
            console.print("Run `stames-sf load` again to resume once calls are available.", markup=False)
