"""`stames-sf load` end to end: a generated dataset through every stage, loaded into the local org
over HTTPS. Expected contents come from the sync tables (the data), never from the loader."""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from loaders.load.bulk import BulkSettings
from loaders.load.context import LoadSettings, SilentProgress
from loaders.load.http import Clock
from stames_sf.cli import app
from stames_sf.load_service import LoadOptions, run_load_stage
from tests.fixtures.load import LoadBed, kill_load_mid_files, ledger, sync_rows
from tests.fixtures.oauth import password_token
from tests.fixtures.salesforce import admin_call

COMPARED_OBJECTS = ("Account", "Contact", "Case", "EmailMessage", "Task", "ContentVersion", "ContentDocument")
PLAIN_FIELDS = {
    "sync_salesforce__accounts": ("Account", ("Name",)),
    "sync_salesforce__contacts": ("Contact", ("LastName", "FirstName", "Email")),
    "sync_salesforce__cases": (
        "Case",
        ("Subject", "Status", "Priority", "Origin", "OwnerId", "SuppliedEmail"),
    ),
    "sync_salesforce__email_messages": ("EmailMessage", ("Subject", "Incoming", "Status", "FromAddress")),
    "sync_salesforce__tasks": ("Task", ("Subject", "Status", "OwnerId")),
    "sync_salesforce__case_status_history": ("Stames_Status_Change__c", ("From_Status__c", "To_Status__c")),
}
PARENTS = {
    "sync_salesforce__contacts": ("Contact", "AccountId", "Account"),
    "sync_salesforce__cases": ("Case", "ContactId", "Contact"),
    "sync_salesforce__email_messages": ("EmailMessage", "ParentId", "Case"),
    "sync_salesforce__case_status_history": ("Stames_Status_Change__c", "Case__c", "Case"),
}


def load(bed: LoadBed, *extra: str) -> object:
    return CliRunner().invoke(app, ["load", "--work", str(bed.work.root), *extra])


def export(bed: LoadBed) -> dict[str, list[dict]]:
    return bed.org.org.export()


def by_stames_id(records: list[dict]) -> dict[str, dict]:
    keyed = [record for record in records if record.get("Stames_Id__c") and not record.get("IsDeleted")]
    counts = Counter(record["Stames_Id__c"] for record in keyed)
    assert not [key for key, count in counts.items() if count > 1], "a Stames id loaded twice"
    return {record["Stames_Id__c"]: record for record in keyed}


def assert_org_matches_sync_tables(bed: LoadBed, before: dict[str, list[dict]]) -> None:
    """Every sync row is one org record with its values and parents; what was there before is as it was."""
    after = export(bed)
    for table, (sobject, fields) in PLAIN_FIELDS.items():
        rows = sync_rows(bed.work, table)
        loaded = by_stames_id(after[sobject])
        assert set(loaded) == {row["Stames_Id__c"] for row in rows}, f"{sobject}: keys differ from {table}"
        for row in rows:
            for field in fields:
                if row[field] not in (None, ""):  # Salesforce stores an empty string as null
                    assert loaded[row["Stames_Id__c"]][field] == row[field], (
                        f"{sobject}.{field} of {row['Stames_Id__c']}"
                    )
    for table, (sobject, field, parent) in PARENTS.items():
        loaded = by_stames_id(after[sobject])
        parent_keys = {record["Id"]: key for key, record in by_stames_id(after[parent]).items()}
        for row in sync_rows(bed.work, table):
            assert parent_keys[loaded[row["Stames_Id__c"]][field]] == row[f"ref__{field}"]
    files = sync_rows(bed.work, "sync_salesforce__content_versions")
    versions = [record for record in after["ContentVersion"] if record.get("Stames_Id__c")]
    assert len(versions) == len({row["stames__sha256"] for row in files}), "each distinct file uploaded once"
    cases = {record["Stames_Id__c"]: record["Id"] for record in after["Case"] if record.get("Stames_Id__c")}
    linked = {(link["LinkedEntityId"], link["ContentDocumentId"]) for link in after["ContentDocumentLink"]}
    document_of = {version["Checksum"]: version["ContentDocumentId"] for version in versions}
    for row in files:
        assert any(
            cases[row["ref__FirstPublishLocationId"]] == entity
            for entity, _ in linked
            if _ in document_of.values()
        ), f"file {row['Stames_Id__c']} is not linked to its Case"
    for sobject in COMPARED_OBJECTS:
        untouched = {record["Id"]: record for record in before[sobject]}
        now = {record["Id"]: record for record in after[sobject]}
        for record_id, record in untouched.items():
            assert now[record_id] == record, f"pre-existing {sobject} {record_id} changed"


def test_clean_load_matches_the_sync_tables_and_a_rerun_creates_nothing(load_bed: LoadBed) -> None:
    before = export(load_bed)
    first = load(load_bed)
    assert first.exit_code == 0, first.output
    assert_org_matches_sync_tables(load_bed, before)
    assert ledger(load_bed.work, "SELECT count(*) FROM ops.load_records WHERE action = 'failed'") == [(0,)]
    after_first = export(load_bed)
    counts_after_first = {sobject: len(records) for sobject, records in after_first.items()}

    token = json.loads(load_bed.connection_file.read_text("utf-8"))["access_token"]
    ledger_text = repr(ledger(load_bed.work, "SELECT * FROM ops.load_runs")) + repr(
        ledger(load_bed.work, "SELECT * FROM ops.load_records")
    )
    assert token not in first.output and token not in ledger_text

    second = load(load_bed)
    assert second.exit_code == 0, second.output
    [(latest,)] = ledger(load_bed.work, "SELECT run_id FROM ops.load_runs ORDER BY started_at DESC LIMIT 1")
    created = ledger(
        load_bed.work,
        f"SELECT count(*) FROM ops.load_records WHERE run_id = '{latest}' AND action = 'created'",
    )
    assert created == [(0,)]
    after_second = export(load_bed)
    assert {sobject: len(records) for sobject, records in after_second.items()} == counts_after_first
    # Nothing differs from the sync tables, so nothing is written: every record keeps its stamp.
    assert ledger(
        load_bed.work,
        f"SELECT count(*) FROM ops.load_records WHERE run_id = '{latest}' "
        "AND action IN ('updated', 'linked')",
    ) == [(0,)]
    for sobject in ("Account", "Contact", "Case", "Stames_Status_Change__c"):
        stamps = {record["Id"]: record["SystemModstamp"] for record in after_first[sobject]}
        assert {record["Id"]: record["SystemModstamp"] for record in after_second[sobject]} == stamps, sobject


def test_service_faults_and_bulk_faults_end_in_the_same_org(load_bed: LoadBed) -> None:
    before = export(load_bed)
    load_bed.org.org.set_toggles(
        {"fault_503_rate": 0.15, "fault_lock_row_rate": 0.2, "fault_failed_job_rate": 0.3}
    )
    settings = LoadSettings(
        bulk_threshold=40,
        bulk=BulkSettings(max_rows_per_job=150, first_poll_s=0.02, max_poll_s=0.1),
        retry_backoff_s=0.0,
        max_attempts=12,
    )
    clock = Clock(sleep=lambda seconds: time.sleep(min(seconds, 0.02)))
    outcome = None
    for _ in range(
        3
    ):  # a phase can stop past its failure threshold under heavy faults: loading again resumes it
        outcome = run_load_stage(
            load_bed.work, load_bed.connection_file, LoadOptions(settings=settings), clock, SilentProgress()
        )
        if outcome.status == "completed":
            break
    assert outcome is not None and outcome.status == "completed", outcome
    load_bed.org.org.set_toggles(
        {"fault_503_rate": 0.0, "fault_lock_row_rate": 0.0, "fault_failed_job_rate": 0.0}
    )
    assert_org_matches_sync_tables(load_bed, before)
    [(retried,)] = ledger(load_bed.work, "SELECT count(*) FROM ops.load_records WHERE attempts > 1")
    assert retried > 0, "the faults never made a row go again"


def test_retry_failed_reloads_only_what_failed_in_the_same_run(load_bed: LoadBed) -> None:
    before = export(load_bed)
    load_bed.org.org.set_toggles({"fault_lock_row_rate": 0.3})
    settings = LoadSettings(
        bulk_threshold=10,
        bulk=BulkSettings(first_poll_s=0.02, max_poll_s=0.1),
        max_attempts=1,
        failure_threshold=1.0,
    )
    clock = Clock(sleep=lambda seconds: time.sleep(min(seconds, 0.02)))
    first = run_load_stage(
        load_bed.work, load_bed.connection_file, LoadOptions(settings=settings), clock, SilentProgress()
    )
    assert first.status == "completed"
    failed = ledger(load_bed.work, "SELECT phase, stames_id FROM ops.load_records WHERE action = 'failed'")
    assert failed, "the lock faults failed no row"
    loaded_before = ledger(load_bed.work, "SELECT count(*) FROM ops.load_records WHERE action <> 'failed'")

    load_bed.org.org.set_toggles({"fault_lock_row_rate": 0.0})
    retried = load(load_bed, "--retry-failed")
    assert retried.exit_code == 0, retried.output
    assert ledger(load_bed.work, "SELECT run_id FROM ops.load_runs") == [(first.run_id,)]
    assert ledger(load_bed.work, "SELECT count(*) FROM ops.load_records WHERE action = 'failed'") == [(0,)]
    now_loaded = set(
        ledger(load_bed.work, "SELECT phase, stames_id FROM ops.load_records WHERE action <> 'failed'")
    )
    assert set(failed) <= now_loaded
    # and nothing loaded before was lost; links of records that only loaded now came on top
    assert len(now_loaded) >= loaded_before[0][0] + len(failed)
    assert_org_matches_sync_tables(load_bed, before)


def test_daily_limit_running_out_pauses_and_a_later_load_resumes(load_bed: LoadBed) -> None:
    before = export(load_bed)
    daily = 15_000
    admin_call(load_bed.org, "POST", "/__admin/api-usage", json={"used": daily - 60})
    paused = load(load_bed)
    assert paused.exit_code == 3, paused.output
    assert "API budget" in paused.output or "daily API limit" in paused.output
    [(run_id, status)] = ledger(load_bed.work, "SELECT run_id, status FROM ops.load_runs")
    assert status == "paused"

    admin_call(load_bed.org, "POST", "/__admin/api-usage", json={"used": 0})
    resumed = load(load_bed)
    assert resumed.exit_code == 0, resumed.output
    assert ledger(load_bed.work, "SELECT run_id, status FROM ops.load_runs") == [(run_id, "completed")]
    assert_org_matches_sync_tables(load_bed, before)


def test_a_load_killed_mid_run_resumes_to_exactly_one_record_each(load_bed: LoadBed) -> None:
    before = export(load_bed)
    kill_load_mid_files(load_bed)
    resumed = load(load_bed)
    assert resumed.exit_code == 0, resumed.output
    assert "Resuming run" in resumed.output
    assert_org_matches_sync_tables(load_bed, before)
    rows = sync_rows(load_bed.work, "sync_salesforce__email_messages", '"Stames_Id__c"')
    recorded = ledger(
        load_bed.work,
        "SELECT count(*) FROM ops.load_records WHERE phase = 'EmailMessage' AND action = 'created'",
    )
    assert recorded == [(len(rows),)], "the ledger holds every message exactly once"


def test_case_automation_without_bypass_is_refused(load_bed: LoadBed, tmp_path) -> None:
    token = password_token(load_bed.org)
    connection = tmp_path / "integration.json"
    settings = json.loads(load_bed.connection_file.read_text("utf-8"))
    connection.write_text(json.dumps({**settings, "access_token": token}), "utf-8")
    refused = load(load_bed, "--connection", str(connection))
    assert refused.exit_code == 1
    assert "CaseAutoResponse" in refused.output
    assert ledger(
        load_bed.work, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'load_runs'"
    ) == [(0,)]


def test_without_audit_permission_created_date_is_kept_in_stames_created_at(load_bed: LoadBed) -> None:
    load_bed.org.org.set_toggles({"audit_fields_enabled": False})
    loaded = load(load_bed)
    assert loaded.exit_code == 0, loaded.output
    assert "CreatedDate kept in Stames_Created_At__c" in loaded.output
    cases = by_stames_id(export(load_bed)["Case"])
    for row in sync_rows(load_bed.work, "sync_salesforce__cases", '"Stames_Id__c", "CreatedDate"'):
        created = row["CreatedDate"]
        expected = created.strftime("%Y-%m-%dT%H:%M:%S.") + f"{created.microsecond // 1000:03d}+0000"
        assert cases[row["Stames_Id__c"]]["Stames_Created_At__c"] == expected


def test_production_is_refused_without_a_signed_off_sandbox_run(load_bed: LoadBed) -> None:
    refused = load(load_bed, "--target", "production")
    assert refused.exit_code == 1
    assert "sandbox run of this mapping that was reconciled and signed off" in refused.output
    assert not [row for row in export(load_bed)["Case"] if row.get("Stames_Id__c")]


def test_unresolved_agents_are_refused(load_bed: LoadBed) -> None:
    (load_bed.work.root / "mapping" / "agent-decisions.yml").unlink()
    refused = load(load_bed)
    assert refused.exit_code == 1
    assert "unresolved" in refused.output
    assert not [row for row in export(load_bed)["Case"] if row.get("Stames_Id__c")]


__all__ = ["pytest", "replace"]


def test_a_load_out_of_duckdb_memory_stops_in_one_line_and_resumes(load_bed: LoadBed) -> None:
    starved = load(load_bed, "--duckdb-memory", "1MB")
    assert starved.exit_code == 1
    assert "Traceback" not in starved.output
    assert "higher --duckdb-memory to resume" in starved.output
    resumed = load(load_bed)
    assert resumed.exit_code == 0, resumed.output
    cases = [row for row in export(load_bed)["Case"] if row.get("Stames_Id__c")]
    assert len(cases) == len(sync_rows(load_bed.work, "sync_salesforce__cases", '"Stames_Id__c"'))


def test_generated_files_missing_after_a_bare_dbt_build_are_written_by_the_load(load_bed: LoadBed) -> None:
    columns = '"Stames_Id__c", stames__file_kind, stames__file_path, stames__sha256'
    rows = sync_rows(load_bed.work, "sync_salesforce__content_versions", columns)
    generated = [row for row in rows if row["stames__file_kind"] != "attachment"]
    assert generated, "the load bed's dataset should have over-long bodies or data: images"
    for row in generated:
        (load_bed.work.root / row["stames__file_path"]).unlink(missing_ok=True)

    loaded = load(load_bed)

    assert loaded.exit_code == 0, loaded.output
    assert "written now" in loaded.output
    for row in generated:
        written = (load_bed.work.root / row["stames__file_path"]).read_bytes()
        assert hashlib.sha256(written).hexdigest() == row["stames__sha256"]
    assert ledger(load_bed.work, "SELECT count(*) FROM ops.load_records WHERE action = 'failed'") == [(0,)]
    uploaded = {row["Stames_Id__c"] for row in export(load_bed)["ContentVersion"]}
    assert uploaded & {row["Stames_Id__c"] for row in generated}
