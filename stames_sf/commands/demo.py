"""`stames-sf demo`: the main job end to end on the embedded defaults."""

from __future__ import annotations

from typing import Annotated

import typer

from stames_sf.options import DEFAULT_WORK, WorkOption


def demo(
    work: WorkOption = DEFAULT_WORK,
    tickets: Annotated[int, typer.Option("--tickets", help="Size of the generated dataset.")] = 300,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the generated dataset.")] = 42,
) -> None:
    """Generate a dataset, serve it, and run every stage that exists against the local emulators."""
    from rich.console import Console

    from expectations.gate import ValidationGateError
    from loaders.agents import AgentGateError
    from loaders.automation import AutomationWouldFireError
    from loaders.load.runner import LoadRefusedError
    from loaders.reconcile.runs import NoRunToReconcileError
    from mapping.document import MappingError
    from stames_sf.delta_service import DeltaStoppedError
    from stames_sf.demo import (
        DemoLoadFailedError,
        DemoReconcileFailedError,
        DemoSettings,
        DemoValidationFailedError,
        run_demo,
    )
    from stames_sf.org_access import OrgUnreachableError
    from stames_sf.transform_service import TransformFailedError, TransformRefusedError
    from stames_sf.workdir import WorkDir, WorkDirBusyError

    try:
        run_demo(WorkDir.at(work), DemoSettings(tickets=tickets, seed=seed), Console())
    except (
        WorkDirBusyError,
        MappingError,
        TransformRefusedError,
        TransformFailedError,
        OrgUnreachableError,
        DemoValidationFailedError,
        ValidationGateError,
        AgentGateError,
        AutomationWouldFireError,
        LoadRefusedError,
        DemoLoadFailedError,
        DemoReconcileFailedError,
        NoRunToReconcileError,
        DeltaStoppedError,
    ) as busy:
        Console(stderr=True).print(str(busy), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from busy
