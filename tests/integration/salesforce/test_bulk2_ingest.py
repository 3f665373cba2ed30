"""Bulk 2.0 ingest through simple-salesforce and raw HTTP: loads that Salesforce accepts succeed,
rows it rejects fail with its error codes, and results parse in an unmodified client."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceOperationError

from tests.fixtures.salesforce_bulk import BulkHttp

FAST = {"wait": 0.05}


def _accounts(sf: Salesforce) -> dict[str, dict[str, Any]]:
    rows = sf.query_all("SELECT Id, Name, Stames_Id__c, Phone, NumberOfEmployees FROM Account")["records"]
    return {row["Stames_Id__c"]: row for row in rows if row["Stames_Id__c"]}


def test_insert_records_are_created_and_reported(bulk_sf: Salesforce) -> None:
    records = [{"Name": f"Acme {n}", "Stames_Id__c": f"A-{n}"} for n in range(25)]
    [summary] = bulk_sf.bulk2.Account.insert(records=records, **FAST)
    assert summary["numberRecordsProcessed"] == 25
    assert summary["numberRecordsFailed"] == 0
    stored = _accounts(bulk_sf)
    assert {key: row["Name"] for key, row in stored.items()} == {
        r["Stames_Id__c"]: r["Name"] for r in records
    }
    successful = bulk_sf.bulk2.Account.get_successful_records(summary["job_id"])
    rows = list(csv.DictReader(io.StringIO(successful)))
    assert {row["sf__Id"] for row in rows} == {row["Id"] for row in stored.values()}
    assert all(row["sf__Created"] == "true" for row in rows)


def test_result_csv_quotes_sf_columns_and_echoes_headers_as_spelled(bulk_http: BulkHttp) -> None:
    info = bulk_http.run_ingest(
        "name,NumberOfEmployees,AnnualRevenue\nLorem,2676,912260031\n", object="Account", operation="insert"
    )
    assert info["state"] == "JobComplete"
    text = bulk_http.call("GET", f"/jobs/ingest/{info['id']}/successfulResults/").text
    header, row = text.splitlines()
    assert header == '"sf__Id","sf__Created",name,NumberOfEmployees,AnnualRevenue'
    assert row.endswith(',"true","Lorem","2676","9.12260031E8"')
    assert row.startswith('"001')


def test_required_field_missing_lands_in_failed_results(bulk_sf: Salesforce) -> None:
    records = [{"Name": "Good", "Phone": "1"}, {"Name": "", "Phone": "2"}]
    [summary] = bulk_sf.bulk2.Account.insert(records=records, **FAST)
    assert (summary["numberRecordsProcessed"], summary["numberRecordsFailed"]) == (2, 1)
    failed = list(csv.DictReader(io.StringIO(bulk_sf.bulk2.Account.get_failed_records(summary["job_id"]))))
    assert len(failed) == 1
    assert failed[0]["sf__Id"] == ""
    assert failed[0]["sf__Error"].startswith("REQUIRED_FIELD_MISSING:")
    assert failed[0]["sf__Error"].endswith(":Name --")
    assert failed[0]["Phone"] == "2"


def test_upsert_creates_then_updates_by_external_id(bulk_sf: Salesforce) -> None:
    first = [{"Name": "One", "Stames_Id__c": "U-1"}, {"Name": "Two", "Stames_Id__c": "U-2"}]
    [created] = bulk_sf.bulk2.Account.upsert(records=first, external_id_field="Stames_Id__c", **FAST)
    second = [{"Name": "One again", "Stames_Id__c": "U-1"}, {"Name": "Three", "Stames_Id__c": "U-3"}]
    [mixed] = bulk_sf.bulk2.Account.upsert(records=second, external_id_field="Stames_Id__c", **FAST)
    assert created["numberRecordsFailed"] == mixed["numberRecordsFailed"] == 0
    rows = list(csv.DictReader(io.StringIO(bulk_sf.bulk2.Account.get_successful_records(mixed["job_id"]))))
    assert {row["Stames_Id__c"]: row["sf__Created"] for row in rows} == {"U-1": "false", "U-3": "true"}
    stored = _accounts(bulk_sf)
    assert {key: row["Name"] for key, row in stored.items()} == {
        "U-1": "One again",
        "U-2": "Two",
        "U-3": "Three",
    }


def test_upsert_repeating_an_external_id_in_one_chunk_fails_every_copy(
    bulk_sf: Salesforce, bulk_http: BulkHttp
) -> None:
    # Stames_Id__c is case-sensitive, so r-3 is not a repeat of R-3
    data = "Name,Stames_Id__c\nFirst,R-1\nSecond,R-1\nOther,R-2\nUpper,R-3\nLower,r-3\n"
    info = bulk_http.run_ingest(
        data, object="Account", operation="upsert", externalIdFieldName="Stames_Id__c"
    )
    assert (info["numberRecordsProcessed"], info["numberRecordsFailed"]) == (5, 2)
    failed = bulk_http.results(info["id"], "failedResults")
    assert [row["Name"] for row in failed] == ["First", "Second"]
    assert all(
        row["sf__Error"].startswith("DUPLICATE_VALUE:Duplicate external id specified: ") for row in failed
    )
    assert all(row["sf__Error"].endswith(":Stames_Id__c --") for row in failed)
    assert set(_accounts(bulk_sf)) == {"R-2", "R-3", "r-3"}


def test_upsert_repeats_in_different_chunks_update_the_same_record(
    bulk_sf: Salesforce, bulk_http: BulkHttp
) -> None:
    rows = [f"Row {n},C-{n}" for n in range(200)] + ["Row 200 again,C-0"]
    data = "Name,Stames_Id__c\n" + "\n".join(rows) + "\n"
    info = bulk_http.run_ingest(
        data, object="Account", operation="upsert", externalIdFieldName="Stames_Id__c"
    )
    assert (info["numberRecordsProcessed"], info["numberRecordsFailed"]) == (201, 0)
    assert _accounts(bulk_sf)["C-0"]["Name"] == "Row 200 again"


def test_update_leaves_empty_cells_alone_and_nulls_na(bulk_sf: Salesforce) -> None:
    [summary] = bulk_sf.bulk2.Account.insert(
        records=[{"Name": "Keep", "Phone": "111", "Stames_Id__c": "K-1"}], **FAST
    )
    record_id = _accounts(bulk_sf)["K-1"]["Id"]
    assert summary["numberRecordsFailed"] == 0
    [updated] = bulk_sf.bulk2.Account.update(records=[{"Id": record_id, "Name": "", "Phone": "#N/A"}], **FAST)
    assert updated["numberRecordsFailed"] == 0
    stored = _accounts(bulk_sf)["K-1"]
    assert stored["Name"] == "Keep"
    assert stored["Phone"] is None


def test_relationship_column_resolves_parent_by_external_id(bulk_sf: Salesforce, bulk_http: BulkHttp) -> None:
    bulk_sf.bulk2.Account.insert(records=[{"Name": "Parent", "Stames_Id__c": "P-1"}], **FAST)
    parent_id = _accounts(bulk_sf)["P-1"]["Id"]
    data = "Subject,Stames_Id__c,Account.Stames_Id__c\nLinked,C-1,P-1\nOrphan,C-2,P-404\n"
    info = bulk_http.run_ingest(data, object="Case", operation="upsert", externalIdFieldName="Stames_Id__c")
    assert (info["numberRecordsProcessed"], info["numberRecordsFailed"]) == (2, 1)
    [failed] = bulk_http.results(info["id"], "failedResults")
    assert failed["sf__Error"].startswith("INVALID_FIELD:Foreign key external ID: P-404 not found")
    cases = bulk_sf.query("SELECT AccountId, Account.Name FROM Case WHERE Stames_Id__c = 'C-1'")["records"]
    assert cases[0]["AccountId"] == parent_id
    assert cases[0]["Account"]["Name"] == "Parent"


def test_polymorphic_owner_needs_the_type_prefix(bulk_sf: Salesforce, bulk_http: BulkHttp) -> None:
    username = bulk_sf.query("SELECT Username FROM User LIMIT 1")["records"][0]["Username"]
    missing = bulk_http.run_ingest(
        f"Subject,Owner.Username\nNo prefix,{username}\n", object="Case", operation="insert"
    )
    assert missing["state"] == "Failed"
    assert "Owner.Username" in missing["errorMessage"]
    assert missing["numberRecordsProcessed"] == 0
    wrong = bulk_http.run_ingest(
        "Subject,User:Account.Name\nBad prefix,x\n", object="Case", operation="insert"
    )
    assert wrong["state"] == "Failed"
    good = bulk_http.run_ingest(
        f"Subject,User:Owner.Username\nPrefixed,{username}\n", object="Case", operation="insert"
    )
    assert (good["state"], good["numberRecordsFailed"]) == ("JobComplete", 0)
    owner = bulk_sf.query("SELECT Owner.Username FROM Case WHERE Subject = 'Prefixed'")["records"][0]
    assert owner["Owner"]["Username"] == username


def test_unknown_column_fails_the_job(bulk_http: BulkHttp) -> None:
    info = bulk_http.run_ingest("Name,No_Such_Field__c\nA,b\nC,d\n", object="Account", operation="insert")
    assert info["state"] == "Failed"
    assert info["errorMessage"] == "InvalidBatch : Field name not found : No_Such_Field__c"
    assert [row["Name"] for row in bulk_http.results(info["id"], "unprocessedrecords")] == ["A", "C"]
    assert bulk_http.results(info["id"], "successfulResults") == []


def test_header_names_are_case_insensitive(bulk_sf: Salesforce, bulk_http: BulkHttp) -> None:
    info = bulk_http.run_ingest("NAME,STAMES_ID__C\nUpper,UP-1\n", object="Account", operation="insert")
    assert (info["state"], info["numberRecordsFailed"]) == ("JobComplete", 0)
    assert _accounts(bulk_sf)["UP-1"]["Name"] == "Upper"


def test_space_next_to_a_quote_fails_only_that_row(bulk_sf: Salesforce, bulk_http: BulkHttp) -> None:
    data = 'Name,Stames_Id__c\n"Fine, quoted",Q-1\nBroken, "x"\n"Multi\nline",Q-3\n'
    info = bulk_http.run_ingest(data, object="Account", operation="insert")
    assert (info["numberRecordsProcessed"], info["numberRecordsFailed"]) == (3, 1)
    stored = _accounts(bulk_sf)
    assert stored["Q-1"]["Name"] == "Fine, quoted"
    assert stored["Q-3"]["Name"] == "Multi\nline"


@pytest.mark.parametrize(("delimiter", "line_ending"), [("PIPE", "CRLF"), ("TAB", "LF"), ("SEMICOLON", "LF")])
def test_delimiters_and_line_endings(bulk_sf: Salesforce, delimiter: str, line_ending: str) -> None:
    records = [{"Name": f"D;|{n}", "Stames_Id__c": f"{delimiter}-{n}"} for n in range(3)]
    [summary] = bulk_sf.bulk2.Account.insert(
        records=records, column_delimiter=delimiter, line_ending=line_ending, **FAST
    )
    assert summary["numberRecordsFailed"] == 0
    stored = _accounts(bulk_sf)
    assert [stored[f"{delimiter}-{n}"]["Name"] for n in range(3)] == [f"D;|{n}" for n in range(3)]


def test_crlf_data_in_an_lf_job_fails_the_job(bulk_http: BulkHttp) -> None:
    info = bulk_http.run_ingest("Name\r\nA\r\n", object="Account", operation="insert", lineEnding="LF")
    assert info["state"] == "Failed"
    assert "LineEnding" in info["errorMessage"]
    assert [row["Name"] for row in bulk_http.results(info["id"], "unprocessedrecords")] == ["A"]


def test_delete_then_hard_delete(bulk_sf: Salesforce) -> None:
    bulk_sf.bulk2.Account.insert(
        records=[{"Name": f"X{n}", "Stames_Id__c": f"X-{n}"} for n in range(4)], **FAST
    )
    ids = [row["Id"] for row in _accounts(bulk_sf).values()]
    [soft] = bulk_sf.bulk2.Account.delete(records=[{"Id": ids[0]}, {"Id": ids[1]}], **FAST)
    [hard] = bulk_sf.bulk2.Account.hard_delete(records=[{"Id": ids[2]}], **FAST)
    assert soft["numberRecordsFailed"] == hard["numberRecordsFailed"] == 0
    assert len(_accounts(bulk_sf)) == 1
    deleted = bulk_sf.query_all("SELECT Id FROM Account WHERE IsDeleted = true", include_deleted=True)
    assert {row["Id"] for row in deleted["records"]} == {ids[0], ids[1]}


def test_deleting_an_unknown_id_is_a_row_error(bulk_sf: Salesforce) -> None:
    [summary] = bulk_sf.bulk2.Account.delete(records=[{"Id": "001000000000000AAA"}], **FAST)
    assert summary["numberRecordsFailed"] == 1


def test_lock_row_fault_fails_rows(bulk_sf: Salesforce, bulk_http: BulkHttp) -> None:
    bulk_http.toggles(fault_lock_row_rate=1.0)
    [summary] = bulk_sf.bulk2.Account.insert(records=[{"Name": "Locked"}], **FAST)
    failed = list(csv.DictReader(io.StringIO(bulk_sf.bulk2.Account.get_failed_records(summary["job_id"]))))
    assert failed[0]["sf__Error"].startswith("UNABLE_TO_LOCK_ROW:")


def test_failed_job_fault_keeps_processed_rows(bulk_sf: Salesforce, bulk_http: BulkHttp) -> None:
    bulk_http.toggles(fault_failed_job_rate=1.0)
    with pytest.raises(SalesforceOperationError, match="Job failure"):
        bulk_sf.bulk2.Account.insert(records=[{"Name": "Kept", "Stames_Id__c": "F-1"}], **FAST)
    assert _accounts(bulk_sf)["F-1"]["Name"] == "Kept"


def test_parallel_jobs_from_one_client_all_land(bulk_sf: Salesforce) -> None:
    records = [{"Name": f"Par {n}", "Stames_Id__c": f"PAR-{n}"} for n in range(12)]
    summaries = bulk_sf.bulk2.Account.insert(records=records, batch_size=3, concurrency=4, **FAST)
    assert len(summaries) == 4
    assert len({summary["job_id"] for summary in summaries}) == 4
    assert sum(summary["numberRecordsProcessed"] for summary in summaries) == 12
    assert {key for key in _accounts(bulk_sf) if key.startswith("PAR-")} == {f"PAR-{n}" for n in range(12)}
