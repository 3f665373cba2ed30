"""The demo: every stage that exists, end to end, on generated data and the two local emulators.

It is the main job on the embedded defaults: generate a Stames dataset into the work folder,
serve it with the local Stames API server, start the local Salesforce org and check the
connection with a real client, extract everything with dlt (attachments included), and write
the discovery scope document, then propose the mapping and confirm it without review (a demo
shortcut, printed as one), deploy the schema, transform, validate, resolve the agents (the demo
gives the unmatched ones to the fallback owner, printed as a shortcut), load, reconcile, and finally
a cutover delta: a few tickets change on the Stames server (its test hook) and `delta` brings
exactly those changes. Each later stage extends `run_demo`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from rich.console import Console
from rich.table import Table

from stames_sf.workdir import WorkDir

if TYPE_CHECKING:
    from emulators.salesforce.http.server import RunningServer
    from stames_sf.mapping_service import Proposer

DEMO_SEED = 42
DEMO_TICKETS = 300


@dataclass(frozen=True)
class DemoSettings:
    """What the demo runs on; every value has an embedded default."""

    tickets: int = DEMO_TICKETS
    seed: int = DEMO_SEED
    load: bool = True
    """False stops after the agent gate: a work folder ready to load (the load tests start there)."""


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
    console.print(
        "Demo shortcut: the mapping is confirmed without review (every confidence accepted). "
        "A migration runs `stames-sf map review` and `stames-sf map confirm` instead.",
        style="yellow",
    )
    confirm_mapping(
        work, proposal.mapping, by=DEMO_CONFIRMER, now=datetime.now(UTC), accept_above=0.0, org=proposal.org
    )
    console.print(f"Confirmed as {DEMO_CONFIRMER}; copied into the warehouse's `mapping` schema.")


def plan_and_deploy_schema(work: WorkDir, org: RunningServer, console: Console) -> None:
    """The schema step: plan the metadata of the confirmed mapping, deploy it to the local org as an
    admin would (`sf project deploy start`, plus the audit-field org preference), then the check.
    Skipped, with one line, while the work folder has no confirmed mapping."""
    from emulators.salesforce.http.server import connection_path
    from mapping.document import MappingError, mapping_path
    from stames_sf.schema_service import run_check, run_plan

    if not mapping_path(work.root).exists():
        console.print("no mapping in the work folder yet: schema step skipped")
        return
    connection_file = connection_path(org.state_dir)
    try:
        planned = run_plan(work, connection_file)
    except MappingError as error:
        console.print(f"schema step skipped: {error}", markup=False)
        return
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


def run_demo_transform(work: WorkDir, connection_file: Path, console: Console) -> None:
    """The transform step, when a confirmed mapping is there to run it on (the map step makes one)."""
    from mapping.document import MappingError, mapping_path, require_confirmed
    from stames_sf.transform_service import TransformFailedError, run_transform

    console.rule("7. transform")
    try:
        require_confirmed(mapping_path(work.root))
    except MappingError as missing:
        console.print(f"Skipped: {missing}")
        return
    result = run_transform(work, connection_file)
    console.print(result.summary())
    console.print(result.account_matching, markup=False)
    for line in result.reconciliation:
        console.print(line.line())
    if not result.succeeded:
        raise TransformFailedError(result)


class DemoValidationFailedError(Exception):
    """The demo's validation gate did not pass; the message is one line naming the report."""


def validate_step(work: WorkDir, connection_file: Path, console: Console) -> None:
    """Validate the sync tables against the local org, once the transform has written them."""
    from datetime import UTC, datetime

    from expectations.sync_tables import has_sync_tables
    from stames_sf.validate_service import run_validation, show_result

    console.rule("8. validate")
    if not has_sync_tables(work.warehouse):
        console.print("no sync tables yet (the transform has not run): validation skipped")
        return
    result = run_validation(work, connection_file, datetime.now(UTC))
    show_result(result, console)
    if not result.passed:
        raise DemoValidationFailedError(
            f"Validation failed {result.record.failed_expectations} expectation(s): "
            f"see {result.paths.signoff_html}"
        )


class DemoLoadFailedError(Exception):
    """The demo's load did not complete; the message is one line naming the run."""


def users_step(work: WorkDir, connection_file: Path, console: Console) -> None:
    """The agent gate, resolved the way the demo may: every unresolved agent to the fallback owner."""
    from datetime import UTC, datetime

    from stames_sf.users_service import run_users, show_result

    console.rule("9. agents (demo: unresolved agents go to the fallback owner, --accept-fallback)")
    show_result(run_users(work, connection_file, datetime.now(UTC), accept_fallback=True, by="demo"), console)


def load_step(work: WorkDir, connection_file: Path, console: Console) -> None:
    """Load the sync tables into the local org, every record in the run ledger."""
    from loaders.load.http import Clock
    from stames_sf.load_service import LoadOptions, run_load_stage
    from stames_sf.load_view import RichLoadProgress, show_outcome

    console.rule("10. load")
    with RichLoadProgress(console) as progress:
        outcome = run_load_stage(work, connection_file, LoadOptions(), Clock(), progress)
    show_outcome(outcome, console)
    if outcome.status != "completed":
        raise DemoLoadFailedError(f"Load run {outcome.run_id} {outcome.status}: {outcome.reason}")


class DemoReconcileFailedError(Exception):
    """The demo's reconciliation found unexplained differences; the message names the report."""


def reconcile_step(work: WorkDir, connection_file: Path, console: Console) -> None:
    """Read the load back from the org: counts per phase, statuses, a seeded sample of Cases."""
    from loaders.load.http import Clock
    from stames_sf.commands.reconcile import show_outcome
    from stames_sf.reconcile_service import ReconcileOptions, run_reconcile_stage

    console.rule("11. reconcile")
    outcome = run_reconcile_stage(work, connection_file, ReconcileOptions(seed=DEMO_SEED), Clock())
    show_outcome(outcome, console)
    if not outcome.reconciliation.passed:
        raise DemoReconcileFailedError(f"Reconciliation failed: see {outcome.report.html}")


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


def delta_step(work: WorkDir, connection_file: Path, stames: StamesEndpoint, console: Console) -> None:
    """Activity on the Stames server after the load (once per work folder), then the cutover delta
    that brings it over."""
    from loaders.load.http import Clock
    from stames_sf.commands.reconcile import show_outcome
    from stames_sf.delta_service import DeltaOptions, run_delta
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
    options = DeltaOptions(stames.base_url, stames.api_key, reconcile=ReconcileOptions(seed=DEMO_SEED))
    outcome = run_delta(work, connection_file, options, Clock(), console)
    for item in outcome.gone:
        console.print(f"ticket {item.stames_id} ({item.reason}): Case {item.case_id}", markup=False)
    console.print(f"Deleted and merged tickets, for a decision: {outcome.gone_report}", markup=False)
    show_outcome(outcome.reconciliation, console)
    if not outcome.reconciliation.reconciliation.passed:
        raise DemoReconcileFailedError(
            f"The delta's reconciliation failed: see {outcome.reconciliation.report.html}"
        )


def run_demo(work: WorkDir, settings: DemoSettings, console: Console) -> None:
    """Run every stage that exists, in order, against the local emulators."""
    from emulators.salesforce.http.server import connection_path, running_server
    from stames_sf.discovery.service import run_discovery
    from stames_sf.extraction import run_extraction

    console.rule("1. dataset")
    dataset = ensure_dataset(work, settings, console)
    with ExitStack() as stack:
        console.rule("2. local servers")
        stames = stack.enter_context(stames_server(dataset))
        console.print(f"Stames API at {stames.base_url}")
        show_stames_account(stames, console)
        emails = agent_emails(dataset)
        org = stack.enter_context(running_server(work.salesforce_state, match_agent_emails=emails))
        show_salesforce_org(connection_path(org.state_dir), emails, console)

        console.rule("3. extract")
        run_extraction(work, base_url=stames.base_url, api_key=stames.api_key, console=console)

        console.rule("4. discover")
        report = run_discovery(work)
        console.print(f"Scope document: {report.markdown_path}")
        console.print(f"                {report.html_path}")

        console.rule("5. map")
        propose_and_auto_confirm(work, connection_path(org.state_dir), console)

        console.rule("6. schema")
        plan_and_deploy_schema(work, org, console)

        run_demo_transform(work, connection_path(org.state_dir), console)
        validate_step(work, connection_path(org.state_dir), console)
        users_step(work, connection_path(org.state_dir), console)
        if settings.load:
            load_step(work, connection_path(org.state_dir), console)
            reconcile_step(work, connection_path(org.state_dir), console)
            delta_step(work, connection_path(org.state_dir), stames, console)
    console.rule("done")
    console.print(f"Warehouse: {work.warehouse} (schema raw_stames); files: {work.files}")
