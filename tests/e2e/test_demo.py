"""The demo as a user runs it: a subprocess, a fresh work folder, every stage that exists."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

TICKETS = 40
SEED = 3


def _run_demo(work: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "stames_sf.cli", "demo", "--work", str(work)]
    command += ["--tickets", str(TICKETS), "--seed", str(SEED)]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _warehouse_counts(work: Path) -> dict[str, int]:
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        tables = ("tickets", "messages", "customers", "attachment_downloads")
        return {t: con.execute(f"select count(*) from raw_stames.{t}").fetchone()[0] for t in tables}


@pytest.mark.slow
def test_demo_runs_every_stage_and_accounts_for_every_record(tmp_path):
    # A rerun writing nothing is checked per stage (tests/e2e/test_load.py, test_delta.py): a
    # second demo here cost a 40-ticket pipeline's time for no check of its own.
    work = tmp_path / "engagement"
    first = _run_demo(work)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]

    dataset = work / "datasets" / f"demo-n{TICKETS}-s{SEED}"
    tickets = _jsonl(dataset / "tickets.jsonl")
    messages = _jsonl(dataset / "messages.jsonl")
    counts = _warehouse_counts(work)
    assert counts["tickets"] == len(tickets) == TICKETS
    # The API leaves out messages of soft-deleted tickets unless asked; the extractor asks. Before
    # its cutover delta the demo adds a message to a ticket and deletes another, and says so.
    added = first.stdout.count("Stames: add_message on ticket")
    deleted = first.stdout.count("Stames: delete on ticket")
    assert (added, deleted) == (1, 1)
    assert counts["messages"] == len(messages) + added
    attachment_ids = {a["id"] for m in messages for a in m.get("attachments") or []}
    assert counts["attachment_downloads"] == len(attachment_ids)

    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        by_status = "select status, count(*) from raw_stames.attachment_downloads group by 1"
        statuses = dict(con.execute(by_status).fetchall())
    assert "failed" not in statuses and statuses.get("stored", 0) > 0

    connection = json.loads((work / "salesforce-org" / "connection.json").read_text())
    assert connection["instance_url"].startswith("https://")
    assert Path(connection["ca_file"]).is_file()

    scope_md = (work / "reports" / "scope.md").read_text(encoding="utf-8")
    scope_html = (work / "reports" / "scope.html").read_text(encoding="utf-8")
    assert f"{TICKETS} tickets" in scope_md
    agent_emails = [a["email"] for a in _jsonl(dataset / "agents.jsonl") if a.get("email")]
    assert agent_emails and not any(email in scope_md or email in scope_html for email in agent_emails)

    # map, schema, transform, validate: a confirmed mapping, the schema checked, every ticket
    # accounted for in the sync tables, and a passing validation with its sign-off report
    mapping = yaml.safe_load((work / "mapping" / "mapping.yml").read_text(encoding="utf-8"))
    assert mapping["confirmation"]["by"]
    assert "passed" in (work / "reports" / "schema-check.md").read_text(encoding="utf-8").lower()
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        ticket_identity = con.execute(
            "select source_rows, synced, quarantined, excluded "
            "from salesforce.sync_salesforce__reconciliation where object = 'ticket'"
        ).fetchone()
        cases = con.execute("select count(*) from salesforce.sync_salesforce__cases").fetchone()[0]
        latest = con.execute(
            "select passed from ops.validations order by validated_at desc limit 1"
        ).fetchone()
    source_rows, synced, quarantined, excluded = ticket_identity
    assert source_rows == TICKETS == synced + quarantined + excluded
    assert synced == cases > 0
    assert latest == (True,)
    signoff = (work / "reports" / "signoff.html").read_text(encoding="utf-8")
    assert "<svg" in signoff and "<script" not in signoff
    assert "signoff.html" in first.stdout

    # users, load: every agent decided, one completed run that created a Case per synced ticket
    assert (work / "reports" / "agent-reconciliation.csv").is_file()
    assert (work / "mapping" / "agent-decisions.yml").is_file()
    loaded_cases = (
        "select count(*) from ops.load_records r join ops.load_runs l using (run_id) "
        "where l.status = 'completed' and r.phase = 'Case' and r.action = 'created'"
    )
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        # the load, then the delta's run
        assert con.execute("select status from ops.load_runs").fetchall() == [("completed",)] * 2
        assert con.execute(loaded_cases).fetchone() == (synced + deleted,)
        reconciliations = con.execute("select passed from ops.reconciliations").fetchall()
    assert reconciliations == [(True,), (True,)], "the load and the delta are reconciled, and pass"
    assert list((work / "reports").glob("reconciliation-*.html"))
    assert list((work / "reports").glob("delta-*-gone-tickets.md"))
