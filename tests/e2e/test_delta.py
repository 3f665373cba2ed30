"""`stames-sf delta` end to end: a load, activity on the Stames server (`/__admin/mutate`), then the
delta over HTTP from both emulators. What changed is read from the org's own export, never from the
loader's ledger."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from typer.testing import CliRunner

from stames_sf.cli import app
from stames_sf.demo import StamesEndpoint, stames_server
from tests.fixtures.load import LoadBed, ledger

CHILD_LOOKUPS = {"EmailMessage": "ParentId", "Task": "WhatId", "Stames_Status_Change__c": "Case__c"}


@pytest.fixture
def stames(load_bed: LoadBed) -> Iterator[StamesEndpoint]:
    dataset = next(path for path in load_bed.work.datasets.iterdir() if path.is_dir())
    with stames_server(dataset) as endpoint:
        yield endpoint


def mutate(stames: StamesEndpoint, action: str, ticket_id: int, **options: object) -> None:
    root = stames.base_url.removesuffix("/api/v1")
    response = requests.post(
        f"{root}/__admin/mutate", json={"ticket_ids": [ticket_id], "action": action, **options}, timeout=30
    )
    response.raise_for_status()


def move_past_snapshot_lag(stames: StamesEndpoint) -> None:
    """Lists hide what changed in the last minute (snapshot_at = now - 60 s, API.md §2.3): move the
    server's clock on instead of waiting."""
    root = stames.base_url.removesuffix("/api/v1")
    requests.post(f"{root}/__admin/clock", json={"advance_seconds": 120}, timeout=30).raise_for_status()


def run_delta(bed: LoadBed, stames: StamesEndpoint, *extra: str) -> object:
    arguments = ["delta", "--work", str(bed.work.root), "--base-url", stames.base_url]
    return CliRunner().invoke(app, [*arguments, "--api-key", stames.api_key, *extra])


def live(bed: LoadBed) -> dict[str, dict[str, dict]]:
    return {
        sobject: {record["Id"]: record for record in records if not record.get("IsDeleted")}
        for sobject, records in bed.org.org.export().items()
    }


def written_since(
    before: dict[str, dict[str, dict]], after: dict[str, dict[str, dict]]
) -> set[tuple[str, str]]:
    """(object, Id) of every record created or modified between two exports."""
    return {
        (sobject, record_id)
        for sobject, records in after.items()
        for record_id, record in records.items()
        if record_id not in before.get(sobject, {})
        or before[sobject][record_id].get("SystemModstamp") != record.get("SystemModstamp")
    }


def loaded_tickets(bed: LoadBed, status: str) -> list[int]:
    rows = ledger(
        bed.work,
        "SELECT t.id FROM raw_stames.tickets t JOIN salesforce.sync_salesforce__cases c "
        f"ON c.\"Stames_Id__c\" = CAST(t.id AS VARCHAR) WHERE t.status = '{status}' ORDER BY t.id",
    )
    return [ticket_id for (ticket_id,) in rows]


def test_delta_brings_exactly_the_changes_a_rerun_writes_nothing_and_deletes_wait_for_a_decision(
    load_bed: LoadBed, stames: StamesEndpoint
) -> None:
    loaded = CliRunner().invoke(app, ["load", "--work", str(load_bed.work.root)])
    assert loaded.exit_code == 0, loaded.output
    status_changed, messaged, deleted = (
        loaded_tickets(load_bed, "open")[:2] + loaded_tickets(load_bed, "closed")[:1]
    )
    mutate(stames, "change_status", status_changed, status="closed")
    mutate(stames, "add_message", messaged)
    mutate(stames, "delete", deleted)
    move_past_snapshot_lag(stames)
    before = live(load_bed)
    case_of = {record["Stames_Id__c"]: record_id for record_id, record in before["Case"].items()}

    first = run_delta(load_bed, stames)
    assert first.exit_code == 0, first.output
    after = live(load_bed)
    touched_cases = {case_of[str(status_changed)], case_of[str(messaged)]}
    written = written_since(before, after)
    unrelated = {
        (sobject, record_id)
        for sobject, record_id in written
        if not (sobject == "Case" and record_id in touched_cases)
        and not (
            sobject in CHILD_LOOKUPS
            and after[sobject][record_id].get(CHILD_LOOKUPS[sobject]) in touched_cases
        )
    }
    assert unrelated == set(), "the delta wrote records of tickets that did not change"
    assert (
        after["Case"][case_of[str(status_changed)]]["Status"]
        != before["Case"][case_of[str(status_changed)]]["Status"]
    )
    new_history = [
        record
        for sobject, record_id in written
        if sobject == "Stames_Status_Change__c"
        for record in [after[sobject][record_id]]
    ]
    assert [(record["Case__c"], record["To_Status__c"]) for record in new_history] == [
        (case_of[str(status_changed)], "closed")
    ]
    new_messages = [
        after["EmailMessage"][record_id] for sobject, record_id in written if sobject == "EmailMessage"
    ]
    assert len(new_messages) == 1 and new_messages[0]["ParentId"] == case_of[str(messaged)]
    assert (new_messages[0]["TextBody"] or "").startswith("Follow-up added at")
    # The deleted ticket is listed for a decision, its Case kept until --apply-deletes.
    assert case_of[str(deleted)] in after["Case"]
    report = next(load_bed.work.reports.glob("delta-*-gone-tickets.md")).read_text(encoding="utf-8")
    assert f"| {deleted} | {case_of[str(deleted)]} | deleted | kept" in report

    # A rerun brings nothing new: it writes nothing, except the deletes it is now told to apply.
    applied = run_delta(load_bed, stames, "--apply-deletes")
    assert applied.exit_code == 0, applied.output
    final = live(load_bed)
    assert case_of[str(deleted)] not in final["Case"]
    assert written_since(after, final) == set(), "a rerun of the delta wrote to the org"
    assert len(final["Case"]) == len(after["Case"]) - 1
    assert ledger(load_bed.work, "SELECT stames_id FROM ops.load_records WHERE action = 'deleted'") == [
        (str(deleted),)
    ]

    # Rolling the delta back brings the deleted Case out of the Recycle Bin, with its messages.
    [(latest,)] = ledger(load_bed.work, "SELECT run_id FROM ops.load_runs ORDER BY started_at DESC LIMIT 1")
    rolled = CliRunner().invoke(app, ["rollback", "--run", latest, "--work", str(load_bed.work.root)])
    assert rolled.exit_code == 0, rolled.output
    restored = live(load_bed)
    for sobject in ("Case", *CHILD_LOOKUPS):
        assert restored[sobject].keys() == after[sobject].keys(), sobject
