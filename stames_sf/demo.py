"""The demo: every stage that exists, end to end, on generated data and the two local emulators.

It is the main job on the embedded defaults: generate a Stames dataset into the work folder,
serve it with the local Stames API server, start the local Salesforce org and check the
connection with a real client, extract everything with dlt (attachments included), and write
the discovery scope document, then propose the mapping and confirm it without review (a demo
shortcut, printed as one), deploy the schema, transform, validate, resolve the agents (the demo
gives the unmatched ones to the fallback owner, printed as a shortcut), load, reconcile, and finally
a cutover delta: a few tickets change on the Stames server (its test hook) and `delta` brings
exactly those changes; then the handoff pack. With `rollback`, the demo's load runs are undone,
newest first, and each rollback's proof (the org against the run's pre-run snapshot) is shown.
`run_demo` returns the reports it wrote and the runs it made; the command prints the summary.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from rich.console import Console
from rich.table import Table

from loaders.load.http import SYSTEM_CLOCK, Clock
from stames_sf.steps import (
    PLAIN,
    LoadNotCompletedError,
    ReconciliationNotPassedError,
    Report,
    ValidationNotPassedError,
    validation_reports,
)
from stames_sf.workdir import WorkDir

if TYPE_CHECKING:
    from emulators.salesforce.http.server import RunningServer
    from expectations.validation import ValidationResult
    from loaders.rollback.runner import RollbackOutcome
    from stames_sf.mapping_service import Proposer
    from stames_sf.run_output import StageListener

DEMO_SEED = 42
DEMO_TICKETS = 300


@dataclass(frozen=True)
class DemoSettings:
    """What the demo runs on; every value has an embedded default."""

    tickets: int = DEMO_TICKETS
    seed: int = DEMO_SEED
    load: bool = True
    """False stops after the agent gate: a work folder ready to load (the load tests start there)."""
    rollback: bool = False
    """After the runs and the handoff, undo the demo's load runs (newest first) and show the proof."""
    progress: bool = True
    """The extraction's live progress on the terminal (off when the stages print to the log file)."""


@dataclass
class DemoOutcome:
    """What a demo made: the reports a person reads, the load runs, the rollbacks, the shortcuts."""

    reports: list[Report] = field(default_factory=list)
    run_ids: list[str] = field(default_factory=list)
    """The load runs this demo made, oldest first (the load, then the delta's)."""
    rollbacks: list[RollbackOutcome] = field(default_factory=list)
    shortcuts: list[str] = field(default_factory=list)
    """Demo shortcuts a real migration does not take, said again in the summary."""
    org_exports: list[Path] = field(default_factory=list)

    @property
    def last_run_id(self) -> str | None:
        return self.run_ids[-1] if self.run_ids else None


@dataclass(frozen=True)
class StamesEndpoint:
    base_url: str
    api_key: str


def ensure_dataset(work: WorkDir, settings: DemoSettings, console: Console) -> Path:
    """Generate the demo dataset once; a rerun reuses it (generation is deterministic)."""
    from emulators.stames_api.generator import generate_dataset

    dataset = work.datasets / f"demo-n{settings.tickets}-s{settings.seed}"
    if (dataset / "manifest.json").exists():
        console.print(f"reusing dataset {dataset}")
        return dataset
    console.print(f"generating {settings.tickets:,} tickets (seed {settings.seed}) into {dataset}")
    generate_dataset(dataset, tickets=settings.tickets, seed=settings.seed)
    return dataset


@contextmanager
def stames_server(dataset: Path) -> Iterator[StamesEndpoint]:
    """The local Stames API serving `dataset`, with the contract's default rate limits."""
    from emulators.serving import serve_in_thread
    from emulators.stames_api.app import create_app
    from emulators.stames_api.settings import DEFAULT_API_KEY, StamesSettings

    with serve_in_thread(create_app(dataset, StamesSettings.from_env())) as port:
        yield StamesEndpoint(f"http://127.0.0.1:{port}/api/v1", DEFAULT_API_KEY)


def show_stames_account(endpoint: StamesEndpoint, console: Console) -> None:
    """Connection test: the account and the first page of a few endpoints."""
    headers = {"X-Stames-Api-Key": endpoint.api_key}
    with httpx.Client(base_url=endpoint.base_url, headers=headers, timeout=30) as client:
        account = client.get("/account").raise_for_status().json()
        table = Table(title=f"Stames: {account.get('name')} ({account.get('timezone')})")
        for column in ("endpoint", "first page", "more pages"):
            table.add_column(column)
        for name in ("agents", "customers", "tickets", "channels", "ticket_statuses", "custom_objects"):
            page = client.get(f"/{name}", params={"limit": 100}).raise_for_status().json()
            table.add_row(name, str(len(page["data"])), "yes" if page.get("has_more") else "no")
    console.print(table)


def agent_emails(dataset: Path) -> list[str]:
    """Emails of the dataset's agents, so the org is seeded with users that match some of them."""
    emails = []
    with (dataset / "agents.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            email = json.loads(line).get("email")
            if email:
                emails.append(email)
    return emails


def show_salesforce_org(connection_file: Path, emails: list[str], console: Console) -> None:
    """Connection test with simple-salesforce: org name, API usage and users matching agents."""
    from loaders.connection import SalesforceConnection, connect

    client = connect(SalesforceConnection.from_file(connection_file))
    org_name = client.query("SELECT Name FROM Organization")["records"][0]["Name"]
    users = client.query_all("SELECT Email, IsActive FROM User")["records"]
    user_emails = {str(user["Email"]).strip().lower() for user in users if user.get("Email")}
    matching = sum(1 for email in emails if email.strip().lower() in user_emails)
    console.print(
        f"Salesforce: {org_name} at {client.base_url.split('/services')[0]}; "
        f"{len(users)} users, {matching} of {len(emails)} Stames agent emails have one; "
        f"API usage {client.api_usage.get('api-usage')}"
    )
    client.session.close()


DEMO_CONFIRMER = "demo (auto-confirmed)"
MAPPING_SHORTCUT = (
    "Demo shortcut: the mapping is confirmed without review (every confidence accepted, confirmed by "
    f"{DEMO_CONFIRMER!r}). A migration runs `stames-sf map review` and `stames-sf map confirm` instead."
)
AGENTS_SHORTCUT = (
    "Demo shortcut: agents without an active Salesforce user went to the mapping's fallback owner "
    "(`stames-sf users --accept-fallback`); a migration decides each one."
)


def propose_and_auto_confirm(
    work: WorkDir, connection_file: Path, console: Console, proposer: Proposer | None = None
) -> None:
    """Propose the mapping and confirm it without review: a demo shortcut, never the default.

    A confirmed mapping that nobody changed is reused, so a rerun changes nothing."""
    from datetime import UTC, datetime

    from mapping.document import confirmation_state, mapping_path, read_mapping
    from stames_sf.mapping_service import confirm_mapping, propose, publish_confirmed

    path = mapping_path(work.root)
    if path.exists() and confirmation_state(read_mapping(path)) == "confirmed":
        publish_confirmed(work)
        console.print(f"reusing the confirmed mapping {path}")
        return
    proposal = propose(work, connection_file, now=datetime.now(UTC), force=True, proposer=proposer)
    console.print(f"Proposed {proposal.path}")
    console.print(MAPPING_SHORTCUT, style="yellow", **PLAIN)
    confirm_mapping(
        work, proposal.mapping, by=DEMO_CONFIRMER, now=datetime.now(UTC), accept_above=0.0, org=proposal.org
    )
    console.print(f"Confirmed as {DEMO_CONFIRMER}; copied into the warehouse's `mapping` schema.")


def plan_and_deploy_schema(work: WorkDir, org: RunningServer, console: Console) -> Path | None:
    """The schema step: plan the metadata of the confirmed mapping, deploy it to the local org as an
    admin would (`sf project deploy start`, plus the audit-field org preference), then the check.
    Skipped, with one line, while the work folder has no confirmed mapping. Returns the check's report."""
    from emulators.salesforce.http.server import connection_path
    from mapping.document import MappingError, mapping_path
    from stames_sf.schema_service import run_check, run_plan

    if not mapping_path(work.root).exists():
        console.print("no mapping in the work folder yet: schema step skipped")
        return None
    connection_file = connection_path(org.state_dir)
    try:
        planned = run_plan(work, connection_file)
    except MappingError as error:
        console.print(f"schema step skipped: {error}", markup=False)
        return None
    deployed = org.org.deploy(planned.folder)
    if not deployed.success:
        raise RuntimeError(f"the planned metadata did not deploy: {'; '.join(deployed.errors)}")
    console.print(
        f"deployed {planned.folder}: {len(deployed.objects)} objects, {len(deployed.fields)} fields, "
        f"{len(deployed.picklists)} value sets"
    )
    org.org.set_toggles({"audit_fields_enabled": True})
    checked = run_check(work, connection_file)
    verdict = "passed" if checked.result.passed else f"{len(checked.result.gaps)} gap(s)"
    console.print(f"schema check {verdict}: {checked.report}", markup=False)
    return checked.report


def run_demo_transform(work: WorkDir, connection_file: Path, console: Console) -> None:
    """The transform step, when a confirmed mapping is there to run it on (the map step makes one)."""
    from mapping.document import MappingError, mapping_path, require_confirmed
    from stames_sf.steps import transform_step

    console.rule("7. transform")
    try:
        require_confirmed(mapping_path(work.root))
    except MappingError as missing:
        console.print(f"Skipped: {missing}")
        return
    transform_step(work, connection_file, console)


DemoValidationFailedError = ValidationNotPassedError
"""The demo's validation gate did not pass; the message is one line naming the report."""


def validate_step(
    work: WorkDir, connection_file: Path, console: Console, clock: Clock = SYSTEM_CLOCK
) -> ValidationResult | None:
    """Validate the sync tables against the local org, once the transform has written them."""
    from expectations.sync_tables import has_sync_tables
    from stames_sf import steps

    console.rule("8. validate")
    if not has_sync_tables(work.warehouse):
        console.print("no sync tables yet (the transform has not run): validation skipped")
        return None
    return steps.validate_step(work, connection_file, console, clock)


DemoLoadFailedError = LoadNotCompletedError
"""The demo's load did not complete; the message is one line naming the run."""


def users_step(work: WorkDir, connection_file: Path, console: Console, clock: Clock = SYSTEM_CLOCK) -> Path:
    """The agent gate, resolved the way the demo may: every unresolved agent to the fallback owner.
    Returns the agent reconciliation's CSV."""
    from stames_sf import steps

    console.rule("9. agents (demo: unresolved agents go to the fallback owner, --accept-fallback)")
    result = steps.users_step(work, connection_file, console, clock, accept_fallback=True, by="demo")
    return result.csv_path


def load_step(work: WorkDir, connection_file: Path, console: Console, clock: Clock = SYSTEM_CLOCK) -> str:
    """Load the sync tables into the local org, every record in the run ledger; returns the run id."""
    from stames_sf import steps

    console.rule("10. load")
    return steps.load_step(work, connection_file, console, clock).run_id


DemoReconcileFailedError = ReconciliationNotPassedError
"""The demo's reconciliation found unexplained differences; the message names the report."""


def reconcile_step(
    work: WorkDir, connection_file: Path, console: Console, clock: Clock = SYSTEM_CLOCK
) -> Path:
    """Read the load back from the org: counts per phase, statuses, a seeded sample of Cases.
    Returns the report."""
    from stames_sf import steps
    from stames_sf.reconcile_service import ReconcileOptions

    console.rule("11. reconcile")
    outcome = steps.reconcile_step(work, connection_file, console, clock, ReconcileOptions(seed=DEMO_SEED))
    return outcome.report.html


DELTA_ACTIVITY = (
    ("change_status", "open", {"status": "closed"}),
    ("add_message", "closed", {}),
    ("delete", "closed", {}),
)
"""What the demo does on the Stames server after the load: (action, a ticket status to pick from, options)."""
SNAPSHOT_LAG_S = 120
"""Stames lists hide the last minute's changes (snapshot_at = now - 60 s); the demo moves the local
server's clock on rather than wait."""


DEMO_ACTIVITY_FILE = "demo-stames-activity.json"


def _stames_activity(work: WorkDir, stames: StamesEndpoint, console: Console) -> list[dict]:
    """Change a status, add a message and delete a ticket on the local Stames server (its test
    hook), then move its clock past the lists' snapshot lag; the actions applied, as JSON."""
    import duckdb

    root = stames.base_url.removesuffix("/api/v1")
    applied: list[dict] = []
    with duckdb.connect(str(work.warehouse), read_only=True) as con:
        for action, status, options in DELTA_ACTIVITY:
            used = {item["ticket_ids"][0] for item in applied}
            candidates = [
                ticket_id
                for (ticket_id,) in con.execute(
                    "SELECT t.id FROM raw_stames.tickets t JOIN salesforce.sync_salesforce__cases c "
                    'ON c."Stames_Id__c" = CAST(t.id AS VARCHAR) WHERE t.status = ? ORDER BY t.id',
                    [status],
                ).fetchall()
                if ticket_id not in used
            ]
            if not candidates:
                continue
            body = {"ticket_ids": [candidates[0]], "action": action, **options}
            httpx.post(f"{root}/__admin/mutate", json=body, timeout=30).raise_for_status()
            applied.append(body)
            console.print(f"Stames: {action} on ticket {candidates[0]}", markup=False)
    httpx.post(
        f"{root}/__admin/clock", json={"advance_seconds": SNAPSHOT_LAG_S}, timeout=30
    ).raise_for_status()
    return applied


def delta_step(
    work: WorkDir,
    connection_file: Path,
    stames: StamesEndpoint,
    console: Console,
    clock: Clock = SYSTEM_CLOCK,
    progress: bool = True,
) -> tuple[str, list[Report]]:
    """Activity on the Stames server after the load (once per work folder), then the cutover delta
    that brings it over. Returns the delta's run id and its reports."""
    from stames_sf import steps
    from stames_sf.delta_service import DeltaOptions
    from stames_sf.reconcile_service import ReconcileOptions

    console.rule("12. cutover delta (demo: tickets change on the local Stames server first)")
    marker = work.state / DEMO_ACTIVITY_FILE
    if marker.exists():
        # The local server restarts from the dataset files, so replaying the activity would write
        # the same message ids with other bodies: a rerun of the demo brings nothing new.
        console.print(f"The demo's Stames activity was applied by an earlier run ({marker}); not again.")
    else:
        applied = _stames_activity(work, stames, console)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(json.dumps(applied, indent=2) + "\n", encoding="utf-8")
    options = DeltaOptions(
        stames.base_url, stames.api_key, reconcile=ReconcileOptions(seed=DEMO_SEED), progress=progress
    )
    outcome = steps.delta_step(work, connection_file, console, clock, options)
    reports = [
        Report("delta", outcome.gone_report),
        Report("delta reconciliation", outcome.reconciliation.report.html),
    ]
    return outcome.load.run_id, reports


def handoff_step(work: WorkDir, console: Console, clock: Clock = SYSTEM_CLOCK) -> Path:
    """The handoff pack of the latest load run, as `stames-sf handoff` builds it; returns its index."""
    from stames_sf import steps

    console.rule("13. handoff pack")
    return steps.handoff_step(work, console, clock).index


ORG_EXPORTS = "exports"
"""Beside the local org's state: its full export (`/__admin/export`) before the load and before
the rollback, kept by `demo --rollback` so anyone can compare the org as it ends with both."""


def keep_org_export(org: RunningServer, name: str) -> Path:
    """Every record of the local org (deleted ones included), as JSON, in `exports/<name>.json`."""
    path = org.state_dir / ORG_EXPORTS / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(org.org.export(), default=str) + "\n", encoding="utf-8")
    return path


def rollback_step(
    work: WorkDir, connection_file: Path, run_ids: list[str], console: Console, clock: Clock = SYSTEM_CLOCK
) -> list[RollbackOutcome]:
    """Undo the demo's runs, newest first (a run with later live runs is refused), each proven
    against the snapshot its load took before it started."""
    from stames_sf import steps

    console.rule("14. rollback (the demo's runs, newest first)")
    outcomes = []
    for run_id in reversed(run_ids):
        outcome = steps.rollback_step(work, connection_file, run_id, console, clock)
        console.print(f"Run {run_id} is rolled back: the org is as the run found it.", **PLAIN)
        outcomes.append(outcome)
    return outcomes


def run_demo(
    work: WorkDir,
    settings: DemoSettings,
    console: Console,
    listener: StageListener | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> DemoOutcome:
    """Run every stage that exists, in order, against the local emulators; `listener` hears each
    stage start (the run's log and JSON events)."""
    from emulators.salesforce.http.server import connection_path, running_server
    from mapping.document import mapping_path
    from stames_sf.discovery.service import run_discovery
    from stames_sf.extraction import run_extraction

    def stage(name: str, title: str | None = None) -> None:
        """`name` starts; `title` is its heading when the step does not print its own."""
        if listener is not None:
            listener.stage(name)
        if title is not None:
            console.rule(title)

    made = DemoOutcome()
    stage("dataset", "1. dataset")
    dataset = ensure_dataset(work, settings, console)
    with ExitStack() as stack:
        stage("servers", "2. local servers")
        stames = stack.enter_context(stames_server(dataset))
        console.print(f"Stames API at {stames.base_url}")
        show_stames_account(stames, console)
        emails = agent_emails(dataset)
        org = stack.enter_context(running_server(work.salesforce_state, match_agent_emails=emails))
        connection_file = connection_path(org.state_dir)
        show_salesforce_org(connection_file, emails, console)

        stage("extract", "3. extract")
        run_extraction(
            work,
            base_url=stames.base_url,
            api_key=stames.api_key,
            console=console,
            progress=settings.progress,
        )

        stage("discover", "4. discover")
        report = run_discovery(work)
        console.print(f"Scope document: {report.markdown_path}")
        console.print(f"                {report.html_path}")
        made.reports.append(Report("scope", report.html_path))

        stage("map", "5. map")
        propose_and_auto_confirm(work, connection_file, console)
        made.reports.append(Report("mapping", mapping_path(work.root)))
        made.shortcuts.append(MAPPING_SHORTCUT)

        stage("schema", "6. schema")
        checked = plan_and_deploy_schema(work, org, console)
        if checked is not None:
            made.reports.append(Report("schema check", checked))

        stage("transform")
        run_demo_transform(work, connection_file, console)
        stage("validate")
        validated = validate_step(work, connection_file, console, clock)
        if validated is not None:
            made.reports += validation_reports(validated)
        stage("agents")
        made.reports.append(Report("agents", users_step(work, connection_file, console, clock)))
        made.shortcuts.append(AGENTS_SHORTCUT)
        if settings.load:
            _load_to_handoff(work, connection_file, org, stames, console, settings, listener, clock, made)
    console.rule("done")
    console.print(f"Warehouse: {work.warehouse} (schema raw_stames); files: {work.files}", **PLAIN)
    return made


def _load_to_handoff(
    work: WorkDir,
    connection_file: Path,
    org: RunningServer,
    stames: StamesEndpoint,
    console: Console,
    settings: DemoSettings,
    listener: StageListener | None,
    clock: Clock,
    made: DemoOutcome,
) -> None:
    """Load, reconcile, the cutover delta, the handoff pack, and with `settings.rollback` the
    rollback of the runs (the org's export kept before the load and before the rollback)."""

    def stage(name: str) -> None:
        if listener is not None:
            listener.stage(name)

    if settings.rollback:
        made.org_exports.append(keep_org_export(org, "before-load"))
    stage("load")
    made.run_ids.append(load_step(work, connection_file, console, clock))
    stage("reconcile")
    made.reports.append(Report("reconciliation", reconcile_step(work, connection_file, console, clock)))
    stage("delta")
    delta_run, delta_reports = delta_step(work, connection_file, stames, console, clock, settings.progress)
    made.run_ids.append(delta_run)
    made.reports += delta_reports
    stage("handoff")
    made.reports.append(Report("handoff pack", handoff_step(work, console, clock)))
    if settings.rollback:
        stage("rollback")
        made.org_exports.append(keep_org_export(org, "before-rollback"))
        made.rollbacks = rollback_step(work, connection_file, made.run_ids, console, clock)
        made.reports += [Report(f"rollback {item.report.run_id}", item.html_path) for item in made.rollbacks]
        made.reports += [Report(f"org export {path.stem}", path) for path in made.org_exports]
