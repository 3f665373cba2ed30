"""The demo: every stage that exists, end to end, on generated data and the two local emulators.

It is the main job on the embedded defaults: generate a Stames dataset into the work folder,
serve it with the local Stames API server, start the local Salesforce org and check the
connection with a real client, extract everything with dlt (attachments included), and write
the discovery scope document. Each later stage (map, transform, validate, load, reconcile)
extends `run_demo`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from stames_sf.workdir import WorkDir

DEMO_SEED = 42
DEMO_TICKETS = 300


@dataclass(frozen=True)
class DemoSettings:
    """What the demo runs on; every value has an embedded default."""

    tickets: int = DEMO_TICKETS
    seed: int = DEMO_SEED


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


def validate_step(work: WorkDir, console: Console) -> None:
    """Validate the sync tables against the local org, once the transform has written them."""
    from expectations.sync_tables import has_sync_tables

    if not has_sync_tables(work.warehouse):
        console.print("no sync tables yet (the transform has not run): validation skipped")
        return
    from datetime import UTC, datetime

    from emulators.salesforce.http.server import connection_path, running_server
    from stames_sf.validate_service import run_validation, show_result

    with running_server(work.salesforce_state) as org:
        result = run_validation(work, connection_path(org.state_dir), datetime.now(UTC))
    show_result(result, console)


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
    console.rule("5. validate")
    validate_step(work, console)
    console.rule("done")
    console.print(f"Warehouse: {work.warehouse} (schema raw_stames); files: {work.files}")
