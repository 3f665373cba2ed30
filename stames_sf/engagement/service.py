"""`stames-sf run --config FILE` as one call: the file's steps in pipeline order, through the same
step functions as the demo (`stames_sf/steps.py`) and the services behind each stage's command.

It stops at each human gate (`StoppedAtGateError`) with one line saying what to do next, the exact
command included: the mapping not confirmed or changed since, the schema not deployed, the
validation not passed (the sign-off report says why), agents without a decision, Case automation
that would fire, a production load without a signed-off sandbox reconciliation. A run stopped at
a gate and started again goes on from where it stopped: every stage is safe to rerun."""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from loaders.load.http import Clock
from stames_sf.engagement.config import EngagementConfig, Step
from stames_sf.options import connection_file as default_connection_file
from stames_sf.run_output import StageListener
from stames_sf.steps import PLAIN, Report
from stames_sf.workdir import WorkDir

AFTER_MAPPING: frozenset[Step] = frozenset(
    {"schema", "transform", "validate", "users", "load", "reconcile", "delta"}
)
"""Steps that read the confirmed mapping: the mapping gate is checked before the first of them."""


class StoppedAtGateError(Exception):
    """A person has to decide or do something before the run can go on."""

    def __init__(self, gate: str, problem: str, next_step: str) -> None:
        super().__init__(f"Stopped at the {gate} gate: {problem} Next: {next_step}")
        self.gate = gate
        self.problem = problem
        self.next_step = next_step


class EngagementFailedError(Exception):
    """A step failed; the message is one line saying what failed and where to read why."""


class LoadPausedError(Exception):
    """The load stopped at its API budget; running again later resumes it."""


@dataclass
class EngagementOutcome:
    reports: list[Report] = field(default_factory=list)
    run_id: str | None = None
    """The load run this invocation loaded, resumed or reconciled."""
    next_step: str | None = None
    """What a person does after a run that went through: one line with the command."""


class EngagementRun:
    """One invocation of `run`: the steps, the commands it names, what it produced."""

    def __init__(
        self,
        config: EngagementConfig,
        config_file: Path,
        console: Console,
        listener: StageListener,
        clock: Clock,
        *,
        progress: bool = True,
    ) -> None:
        self.config = config
        self.config_file = config_file
        self.work = WorkDir.at(config.work)
        self.connection = default_connection_file(config.salesforce.connection, self.work)
        self.console = console
        self.listener = listener
        self.clock = clock
        self.progress = progress
        self.outcome = EngagementOutcome()
        self._mapping_checked = False

    def run(self) -> EngagementOutcome:
        steps: dict[Step, Callable[[], None]] = {
            "extract": self.extract,
            "discover": self.discover,
            "map": self.map,
            "schema": self.schema,
            "transform": self.transform,
            "validate": self.validate,
            "users": self.users,
            "load": self.load,
            "reconcile": self.reconcile,
            "delta": self.delta,
            "handoff": self.handoff,
        }
        for step in self.config.ordered_steps:
            self.listener.stage(step)
            self.console.rule(step)
            if step in AFTER_MAPPING and not self._mapping_checked:
                self.mapping_gate()
            steps[step]()
        return self.outcome

    # ------------------------------------------------------------------ commands it names

    def command(self, verb: str, *, connection: bool = False) -> str:
        """`stames-sf <verb> --work W [--connection C]` for this engagement, ready to paste."""
        words = ["stames-sf", *verb.split(), "--work", str(self.work.root)]
        if connection and self.config.salesforce.connection is not None:
            words += ["--connection", str(self.connection)]
        return shlex.join(words)

    @property
    def rerun(self) -> str:
        return shlex.join(["stames-sf", "run", "--config", str(self.config_file)])

    def _confirm_next(self) -> str:
        review = self.command("map review", connection=True)
        confirm = self.command("map confirm", connection=True)
        return f"`{review}`, then `{confirm}`, then `{self.rerun}`."

    # ------------------------------------------------------------------ steps

    def extract(self) -> None:
        from stames_sf.extraction import extraction_failure, run_extraction

        base_url, api_key = self.stames_source()
        try:
            result = run_extraction(
                self.work, base_url=base_url, api_key=api_key, console=self.console, progress=self.progress
            )
        except Exception as error:
            message = extraction_failure(error, base_url)
            if message is None:
                raise
            raise EngagementFailedError(f"Extraction stopped: {message}") from error
        if result.failed_files > self.config.thresholds.failed_files:
            raise EngagementFailedError(
                f"{result.failed_files:,} attachment(s) failed (thresholds.failed_files = "
                f"{self.config.thresholds.failed_files}): see raw_stames.attachment_downloads, then "
                f"`{self.rerun}` (a rerun asks for them again)."
            )

    def stames_source(self) -> tuple[str, str]:
        """The base URL and API key: the file's, else dlt's providers; the key never from the file."""
        from dlt_pipelines.stames.pipeline import resolve_connection

        source = self.config.stames
        api_key = None
        if source.api_key_env is not None:
            api_key = os.environ.get(source.api_key_env)
            if not api_key:
                raise EngagementFailedError(
                    f"The environment variable {source.api_key_env} (stames.api_key_env in "
                    f"{self.config_file}) is not set: export the Stames API key in it."
                )
        try:
            return resolve_connection(str(source.base_url) if source.base_url else None, api_key)
        except ValueError as missing:
            raise EngagementFailedError(f"{missing} (or set stames.base_url in {self.config_file})") from None

    def discover(self) -> None:
        from stames_sf.discovery.service import run_discovery

        if not self.work.warehouse.exists():
            raise EngagementFailedError(f"No warehouse in {self.work.root}: add the extract step first.")
        report = run_discovery(self.work)
        self.console.print(f"Scope document: {report.html_path}", **PLAIN)
        self.outcome.reports.append(Report("scope", report.html_path))

    def map(self) -> None:
        """Propose a mapping when there is none, then stop until a person has confirmed it."""
        from mapping.document import mapping_path
        from stames_sf.mapping_service import propose, publish_confirmed

        path = mapping_path(self.work.root)
        if not path.exists():
            proposal = propose(self.work, self.connection, now=self.clock.now())
            self.console.print(f"Proposed {proposal.path}", **PLAIN)
            raise StoppedAtGateError(
                "mapping",
                f"the mapping was proposed at {proposal.path} and is not confirmed.",
                self._confirm_next(),
            )
        self.mapping_gate()
        publish_confirmed(self.work)
        self.outcome.reports.append(Report("mapping", path))

    def mapping_gate(self) -> None:
        """The mapping every later stage reads: there, confirmed, and unchanged since."""
        from mapping.document import (
            MappingChangedError,
            MappingMissingError,
            MappingUnconfirmedError,
            mapping_path,
            require_confirmed,
        )

        path = mapping_path(self.work.root)
        try:
            require_confirmed(path)
        except MappingMissingError:
            propose_first = self.command("map propose", connection=True)
            raise StoppedAtGateError(
                "mapping",
                f"there is no mapping at {path}.",
                f"`{propose_first}`, then {self._confirm_next()}",
            ) from None
        except MappingUnconfirmedError:
            raise StoppedAtGateError(
                "mapping", f"the mapping at {path} is not confirmed.", self._confirm_next()
            ) from None
        except MappingChangedError:
            raise StoppedAtGateError(
                "mapping", f"the mapping at {path} changed after it was confirmed.", self._confirm_next()
            ) from None
        self._mapping_checked = True

    def schema(self) -> None:
        """Write the metadata the mapping needs, then check the org has it; deploying is an admin's."""
        from stames_sf.schema_service import run_check, run_plan

        planned = run_plan(self.work, self.connection)
        checked = run_check(self.work, self.connection)
        self.outcome.reports.append(Report("schema check", checked.report))
        if checked.result.gaps:
            gaps = len(checked.result.gaps)
            raise StoppedAtGateError(
                "schema",
                f"the org lacks {gaps} thing(s) the mapping needs (see {checked.report}).",
                f"deploy {planned.folder} to the org (`cd {shlex.quote(str(planned.folder))} && "
                f"sf project deploy start --target-org <org>`), then `{self.rerun}`.",
            )
        self.console.print(f"Schema check passed: {checked.result.checked} targets.", **PLAIN)

    def transform(self) -> None:
        from stames_sf import steps

        steps.transform_step(self.work, self.connection, self.console)

    def validate(self) -> None:
        from expectations.validation import ReportPaths
        from stames_sf import steps

        try:
            result = steps.validate_step(self.work, self.connection, self.console, self.clock)
        except steps.ValidationNotPassedError as failed:
            signoff = ReportPaths.under(self.work.reports).signoff_html
            raise StoppedAtGateError(
                "validation",
                f"{failed}.",
                f"read {signoff}, fix the mapping ({self._confirm_next().removesuffix('.')}) or the data "
                "in Stames, and run again.",
            ) from None
        self.outcome.reports += steps.validation_reports(result)

    def users(self) -> None:
        from stames_sf import steps

        try:
            result = steps.users_step(self.work, self.connection, self.console, self.clock)
        except steps.AgentsUnresolvedError as unresolved:
            raise StoppedAtGateError("agents", f"{unresolved}.", self._agents_next()) from None
        self.outcome.reports.append(Report("agents", result.csv_path))

    def _agents_next(self) -> str:
        fallback = self.command("users --accept-fallback --by NAME", connection=True)
        return (
            f"`{fallback}` gives them to the mapping's fallback owner (or give each an active user), "
            f"then `{self.rerun}`."
        )

    def load(self) -> None:
        from expectations.gate import ValidationGateError
        from loaders.agents import AgentGateError
        from loaders.automation import AutomationWouldFireError
        from stames_sf import steps

        self._require_signed_off_sandbox()
        try:
            outcome = steps.load_step(
                self.work, self.connection, self.console, self.clock, self._load_options()
            )
        except ValidationGateError as refused:
            raise StoppedAtGateError(
                "validation", f"{refused}.", f"add the validate step, then `{self.rerun}`."
            ) from None
        except AgentGateError as refused:
            raise StoppedAtGateError("agents", f"{refused}.", self._agents_next()) from None
        except AutomationWouldFireError as refused:
            raise StoppedAtGateError(
                "automation",
                f"{refused}.",
                "grant the loading user the Bypass_Automation custom permission, or set "
                f"salesforce.accept_automation = true in {self.config_file}, then `{self.rerun}`.",
            ) from None
        except steps.LoadNotCompletedError as stopped:
            self.outcome.run_id = stopped.run_id
            if stopped.status == "paused":
                raise LoadPausedError(
                    f"{stopped}. Next: `{self.rerun}` once API calls are available."
                ) from None
            raise EngagementFailedError(
                f"{stopped}: see ops.load_records, fix, then `{self.rerun}`."
            ) from None
        self.outcome.run_id = outcome.run_id

    def _load_options(self):  # noqa: ANN202 - LoadOptions, imported with the load stage
        from loaders.load.context import LoadSettings
        from stames_sf.load_service import LoadOptions

        thresholds = self.config.thresholds
        settings = LoadSettings(
            failure_threshold=thresholds.failure_threshold, budget_share=thresholds.budget_share
        )
        return LoadOptions(
            target=self.config.salesforce.target,
            accept_automation=self.config.salesforce.accept_automation,
            settings=settings,
        )

    def _require_signed_off_sandbox(self) -> None:
        """Production only after the customer signed off a sandbox reconciliation of this mapping."""
        from loaders.load.runner import LoadRefusedError
        from mapping.document import content_hash
        from stames_sf.load_service import require_production_allowed
        from stames_sf.mapping_service import require_mapping

        if self.config.salesforce.target != "production":
            return
        try:
            require_production_allowed(self.work.warehouse, content_hash(require_mapping(self.work)))
        except LoadRefusedError as refused:
            sign_off = self.command("reconcile --run RUN_ID --sign-off NAME")
            raise StoppedAtGateError(
                "sign-off",
                f"{refused}.",
                f"load and reconcile in a sandbox, have the customer sign it off (`{sign_off}` on the "
                f"sandbox's work folder), then `{self.rerun}`.",
            ) from None

    def reconcile(self) -> None:
        from stames_sf import steps
        from stames_sf.reconcile_service import ReconcileOptions

        options = ReconcileOptions(run_id=self.outcome.run_id, sample=self.config.thresholds.sample)
        outcome = steps.reconcile_step(self.work, self.connection, self.console, self.clock, options)
        run_id = outcome.reconciliation.run.run_id
        self.outcome.run_id = run_id
        self.outcome.reports.append(Report("reconciliation", outcome.report.html))
        if self.config.salesforce.target == "sandbox":
            sign_off = self.command(f"reconcile --run {run_id} --sign-off NAME", connection=True)
            self.outcome.next_step = (
                f"the customer reads {outcome.report.html} and signs it off: `{sign_off}`; a production "
                'load follows (salesforce.target = "production").'
            )

    def delta(self) -> None:
        from stames_sf import steps
        from stames_sf.delta_service import DeltaOptions
        from stames_sf.reconcile_service import ReconcileOptions

        base_url, api_key = self.stames_source()
        reconcile = ReconcileOptions(sample=self.config.thresholds.sample)
        options = DeltaOptions(base_url, api_key, reconcile=reconcile, progress=self.progress)
        outcome = steps.delta_step(self.work, self.connection, self.console, self.clock, options)
        self.outcome.run_id = outcome.load.run_id
        self.outcome.reports += [
            Report("delta", outcome.gone_report),
            Report("delta reconciliation", outcome.reconciliation.report.html),
        ]

    def handoff(self) -> None:
        from stames_sf import steps

        pack = steps.handoff_step(self.work, self.console, self.clock, self.outcome.run_id)
        self.outcome.run_id = pack.run.run_id
        self.outcome.reports.append(Report("handoff pack", pack.index))
