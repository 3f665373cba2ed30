"""The demo as automation runs it: one subprocess (`demo --rollback --log-format json`), a fresh work
folder, every stage. Expected numbers come from the dataset files, the warehouse's raw tables and
the org's own export, never from the code under test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from emulators.salesforce.http.server import running_server
from stames_sf.workdir import WorkDir
from tests.e2e.test_load import PARENTS, PLAIN_FIELDS, by_stames_id
from tests.e2e.test_rollback import MODIFIED_STAMPS
from tests.fixtures.load import sync_rows

TICKETS = 40
SEED = 3
CHILD_LOOKUPS = {"EmailMessage": "ParentId", "Task": "WhatId", "Stames_Status_Change__c": "Case__c"}
MESSAGE_OBJECTS = ("EmailMessage", "Task", "CaseComment")
"""Where the mapping's message routes send Stames messages."""
REPORTS = (
    "scope",
    "mapping",
    "schema check",
    "sign-off",
    "Data Docs",
    "agents",
    "reconciliation",
    "delta",
    "delta reconciliation",
    "handoff pack",
    "log",
)


def _run_demo(work: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "stames_sf.cli", "demo", "--work", str(work)]
    command += ["--tickets", str(TICKETS), "--seed", str(SEED), "--rollback", "--log-format", "json"]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _count(work: Path, sql: str) -> int:
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def _warehouse_counts(work: Path) -> dict[str, int]:
    tables = ("tickets", "messages", "customers", "attachment_downloads", "status_changes")
    return {t: _count(work, f"select count(*) from raw_stames.{t}") for t in tables}


def _json_values(export: dict) -> dict:
    """The export as JSON reads it back (what the demo wrote and what the org returns, alike)."""
    return json.loads(json.dumps(export, default=str))


def _live_without_stamps(export: dict) -> dict[str, dict[str, dict]]:
    return {
        sobject: {
            record["Id"]: {name: value for name, value in record.items() if name not in MODIFIED_STAMPS}
            for record in records
            if not record.get("IsDeleted")
        }
        for sobject, records in export.items()
    }


def _assert_org_holds_the_sync_tables(export: dict, work: WorkDir, gone_ticket: str) -> None:
    """Every sync row is one live org record with its values and parents; the only other records
    with a Stames id are the ticket deleted in Stames and its children (kept until --apply-deletes)."""
    live = {sobject: by_stames_id(records) for sobject, records in export.items()}
    gone_case = live["Case"][gone_ticket]["Id"]
    for table, (sobject, fields) in PLAIN_FIELDS.items():
        rows = {row["Stames_Id__c"]: row for row in sync_rows(work, table)}
        assert set(rows) <= set(live[sobject]), f"{sobject}: sync rows missing from the org"
        for key in set(live[sobject]) - set(rows):
            record = live[sobject][key]
            assert (
                key == gone_ticket
                if sobject == "Case"
                else record.get(CHILD_LOOKUPS.get(sobject)) == gone_case
            )
        for key, row in rows.items():
            for field in fields:
                if row[field] not in (None, ""):  # Salesforce stores an empty string as null
                    assert live[sobject][key][field] == row[field], f"{sobject}.{field} of {key}"
    for table, (sobject, field, parent) in PARENTS.items():
        parent_keys = {record["Id"]: key for key, record in live[parent].items()}
        for row in sync_rows(work, table):
            assert parent_keys[live[sobject][row["Stames_Id__c"]][field]] == row[f"ref__{field}"]
    files = sync_rows(work, "sync_salesforce__content_versions")
    versions = [record for record in export["ContentVersion"] if record.get("Stames_Id__c")]
    assert len(versions) >= len({row["stames__sha256"] for row in files}) > 0


@pytest.mark.slow
def test_demo_accounts_for_every_record_fills_the_org_and_rolls_it_back(tmp_path):
    # One demo run for every check: a rerun writing nothing is checked per stage (test_load,
    # test_delta), and --rollback here undoes the demo's own runs.
    root = tmp_path / "engagement"
    demo = _run_demo(root)
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    work = WorkDir(root)

    # automation's view: stdout is one JSON object per line; library chatter went to the log file
    events = [json.loads(line) for line in demo.stdout.splitlines()]
    assert demo.stderr.strip() == "", demo.stderr[-3000:]
    assert events[0]["event"] == "start" and events[-1] == {**events[-1], "event": "done", "exit_code": 0}
    [summary] = [event for event in events if event["event"] == "summary"]
    [log_file] = (root / "logs").glob("demo-*.log")
    assert Path(summary["reports"]["log"]) == log_file.resolve()
    log = log_file.read_text(encoding="utf-8")
    started = [
        event["stage"] for event in events if event["event"] == "stage" and event["status"] == "started"
    ]
    assert started[-4:] == ["reconcile", "delta", "handoff", "rollback"]

    dataset = root / "datasets" / f"demo-n{TICKETS}-s{SEED}"
    tickets = _jsonl(dataset / "tickets.jsonl")
    messages = _jsonl(dataset / "messages.jsonl")
    counts = _warehouse_counts(root)
    assert counts["tickets"] == len(tickets) == TICKETS
    # The API leaves out messages of soft-deleted tickets unless asked; the extractor asks. Before
    # its cutover delta the demo adds a message to a ticket and deletes another, and says so.
    assert (log.count("Stames: add_message on ticket"), log.count("Stames: delete on ticket")) == (1, 1)
    gone_ticket = log.split("Stames: delete on ticket ")[1].split()[0]
    assert counts["messages"] == len(messages) + 1
    attachment_ids = {a["id"] for m in messages for a in m.get("attachments") or []}
    assert counts["attachment_downloads"] == len(attachment_ids)
    statuses = "select count(*) from raw_stames.attachment_downloads where status = '{}'"
    assert _count(root, statuses.format("failed")) == 0 and _count(root, statuses.format("stored")) > 0

    connection = json.loads((root / "salesforce-org" / "connection.json").read_text())
    assert connection["instance_url"].startswith("https://")
    assert Path(connection["ca_file"]).is_file()

    scope_md = (root / "reports" / "scope.md").read_text(encoding="utf-8")
    scope_html = (root / "reports" / "scope.html").read_text(encoding="utf-8")
    assert f"{TICKETS} tickets" in scope_md
    agent_emails = [a["email"] for a in _jsonl(dataset / "agents.jsonl") if a.get("email")]
    assert agent_emails and not any(email in scope_md or email in scope_html for email in agent_emails)

    # map, schema, validate: a confirmed mapping (a shortcut the summary says), the schema checked,
    # a passing validation with its sign-off report; every report the summary names is there
    mapping = yaml.safe_load((root / "mapping" / "mapping.yml").read_text(encoding="utf-8"))
    assert mapping["confirmation"]["by"]
    assert any(
        note.startswith("Demo shortcut: the mapping is confirmed without review") for note in summary["notes"]
    )
    assert "passed" in (root / "reports" / "schema-check.md").read_text(encoding="utf-8").lower()
    assert _count(root, "select passed from ops.validations order by validated_at desc limit 1")
    assert set(REPORTS) <= set(summary["reports"]), summary["reports"]
    assert all(Path(path).exists() for path in summary["reports"].values())
    assert summary["reports"]["sign-off"].endswith("signoff.html")
    signoff = Path(summary["reports"]["sign-off"]).read_text(encoding="utf-8")
    assert "<svg" in signoff and "<script" not in signoff
    assert Path(summary["reports"]["handoff pack"]).name == "index.html"

    # the summary: every source record loaded, failed, quarantined or excluded, by the raw counts
    rows = {row["name"]: row for row in summary["objects"]}
    assert summary["passed"] is True and summary["unexplained"] == 0
    assert summary["accounted_records"] == summary["source_records"]
    expected_sources = {
        "Case": TICKETS,
        "Contact": len(_jsonl(dataset / "customers.jsonl")),
        "Stames_Status_Change__c": counts["status_changes"],
        "Stames message": counts["messages"],
        "Stames attachment": len(attachment_ids),
    }
    assert {name: rows[name]["source"] for name in expected_sources} == expected_sources
    for name in ("Case", "Contact", "Stames_Status_Change__c"):
        row = rows[name]
        assert row["loaded"] + row["failed"] + row["quarantined"] + row["excluded"] == row["source"], row
    assert rows["Case"]["excluded"] == _count(root, "select count(deleted_at) from raw_stames.tickets") == 1
    assert rows["Contact"]["excluded"] == _count(
        root, "select count(merged_into_id) from raw_stames.customers"
    )
    message = rows["Stames message"]
    routed = sum(rows[name]["loaded"] + rows[name]["failed"] for name in MESSAGE_OBJECTS if name in rows)
    assert routed + message["quarantined"] + message["excluded"] == message["source"]
    assert all(row["failed"] in (0, None) for row in summary["objects"])

    # the org after the runs (its export before the rollback) holds what the sync tables hold
    exports = root / "salesforce-org" / "exports"
    before_load = _json_values(json.loads((exports / "before-load.json").read_text(encoding="utf-8")))
    before_rollback = _json_values(json.loads((exports / "before-rollback.json").read_text(encoding="utf-8")))
    assert not any(record.get("Stames_Id__c") for records in before_load.values() for record in records)
    _assert_org_holds_the_sync_tables(before_rollback, work, gone_ticket)
    for name in ("Case", "Contact", "Stames_Status_Change__c"):
        table = {"Case": "cases", "Contact": "contacts", "Stames_Status_Change__c": "case_status_history"}[
            name
        ]
        keys = {row["Stames_Id__c"] for row in sync_rows(work, f"sync_salesforce__{table}")}
        assert rows[name]["loaded"] == len(keys & set(by_stames_id(before_rollback[name]))), name

    # --rollback: newest run first, each proven, and the org as its own export said before the load
    rollbacks = [event for event in events if event["event"] == "rollback"]
    with duckdb.connect(str(work.warehouse), read_only=True) as con:
        runs = [
            run_id
            for (run_id,) in con.execute("select run_id from ops.load_runs order by started_at").fetchall()
        ]
        statuses_after = {status for (status,) in con.execute("select status from ops.load_runs").fetchall()}
        assert con.execute("select passed from ops.reconciliations").fetchall() == [(True,), (True,)]
    assert len(runs) == 2 and [event["run_id"] for event in rollbacks] == runs[::-1]
    assert all(event["identical"] for event in rollbacks) and statuses_after == {"rolled_back"}
    with running_server(work.salesforce_state) as org:
        now = _json_values(org.org.export())
    assert _live_without_stamps(now) == _live_without_stamps(before_load)
