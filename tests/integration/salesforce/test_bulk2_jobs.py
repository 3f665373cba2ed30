"""The Bulk 2.0 job lifecycle over raw HTTP: JobInfo shape, the state machine, uploads, deletes,
listing, multipart create, gzip, limits and faults."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceRefusedRequest

from emulators.salesforce.http.server import RunningServer, running_server
from tests.fixtures.salesforce import trusting_session
from tests.fixtures.salesforce_bulk import BulkHttp, write_external_id_source

ACCOUNT_CSV = "Name\nOne\nTwo\n"


def test_create_returns_an_open_job_with_documented_fields(bulk_http: BulkHttp) -> None:
    job = bulk_http.create_ingest(object="account", operation="insert")
    assert re.fullmatch(r"750[0-9A-Za-z]{15}", job["id"])
    assert job["state"] == "Open"
    assert job["object"] == "Account"
    assert job["createdById"] == bulk_http.server.org.admin_user_id
    assert job["apiVersion"] == float(bulk_http.server.api_version)
    assert (job["concurrencyMode"], job["contentType"], job["lineEnding"], job["columnDelimiter"]) == (
        "Parallel",
        "CSV",
        "LF",
        "COMMA",
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000", job["createdDate"])
    assert job["contentUrl"].endswith(f"/jobs/ingest/{job['id']}/batches")


def test_full_lifecycle_through_content_url_and_trailing_slashes(bulk_http: BulkHttp) -> None:
    job = bulk_http.create_ingest(object="Account", operation="insert")
    upload = bulk_http.session.put(
        f"{bulk_http.server.instance_url}/{job['contentUrl']}",
        data=ACCOUNT_CSV.encode(),
        headers={"Authorization": f"Bearer {bulk_http.server.access_token}", "Content-Type": "text/csv"},
        timeout=30,
    )
    assert upload.status_code == 201
    assert upload.content == b""
    closed = bulk_http.call("PATCH", f"/jobs/ingest/{job['id']}/", json={"state": "UploadComplete"})
    assert closed.json()["state"] == "UploadComplete"
    info = bulk_http.wait("ingest", job["id"])
    assert info["state"] == "JobComplete"
    assert (info["jobType"], info["numberRecordsProcessed"], info["numberRecordsFailed"]) == (
        "V2Ingest",
        2,
        0,
    )
    for key in ("retries", "totalProcessingTime", "apiActiveProcessingTime", "apexProcessingTime"):
        assert isinstance(info[key], int)
    assert "contentUrl" not in info


def test_a_second_upload_is_refused(bulk_http: BulkHttp) -> None:
    job = bulk_http.create_ingest(object="Account", operation="insert")
    assert bulk_http.upload(job["id"], ACCOUNT_CSV).status_code == 201
    second = bulk_http.upload(job["id"], ACCOUNT_CSV)
    assert second.status_code >= 400
    assert second.json()[0]["errorCode"]


def test_upload_after_upload_complete_is_refused(bulk_http: BulkHttp) -> None:
    info = bulk_http.run_ingest(ACCOUNT_CSV, object="Account", operation="insert")
    again = bulk_http.upload(info["id"], ACCOUNT_CSV)
    assert again.status_code >= 400


def test_unknown_and_deleted_jobs_are_not_found(bulk_http: BulkHttp) -> None:
    missing = bulk_http.call("GET", "/jobs/ingest/750000000000000AAA")
    assert missing.status_code == 404
    assert missing.json() == [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]
    info = bulk_http.run_ingest(ACCOUNT_CSV, object="Account", operation="insert")
    assert bulk_http.call("DELETE", f"/jobs/ingest/{info['id']}").status_code == 204
    assert bulk_http.call("GET", f"/jobs/ingest/{info['id']}").status_code == 404
    assert bulk_http.call("GET", f"/jobs/ingest/{info['id']}/successfulResults").status_code == 404


def test_an_open_job_cannot_be_deleted_but_can_be_aborted(bulk_http: BulkHttp) -> None:
    job = bulk_http.create_ingest(object="Account", operation="insert")
    refused = bulk_http.call("DELETE", f"/jobs/ingest/{job['id']}")
    assert refused.status_code == 400
    assert refused.json()[0]["errorCode"] == "API_ERROR"
    aborted = bulk_http.set_state("ingest", job["id"], "Aborted")
    assert aborted.json()["state"] == "Aborted"
    assert bulk_http.call("DELETE", f"/jobs/ingest/{job['id']}").status_code == 204


def test_a_completed_job_cannot_be_aborted(bulk_http: BulkHttp) -> None:
    info = bulk_http.run_ingest(ACCOUNT_CSV, object="Account", operation="insert")
    refused = bulk_http.set_state("ingest", info["id"], "Aborted")
    assert refused.status_code == 400
    assert refused.json()[0]["errorCode"] == "INVALIDJOBSTATE"


def test_abort_during_a_slow_start_leaves_every_row_unprocessed(
    bulk_sf: Salesforce, bulk_http: BulkHttp
) -> None:
    bulk_http.toggles(fault_slow_jobs_seconds=30)
    job = bulk_http.create_ingest(object="Account", operation="insert")
    bulk_http.upload(job["id"], "Name\nSlow one\nSlow two\n")
    assert bulk_http.set_state("ingest", job["id"], "UploadComplete").json()["state"] == "UploadComplete"
    assert bulk_http.set_state("ingest", job["id"], "Aborted").json()["state"] == "Aborted"
    for name in ("unprocessedrecords", "unprocessedRecords"):
        assert [row["Name"] for row in bulk_http.results(job["id"], name)] == ["Slow one", "Slow two"]
    assert bulk_sf.query("SELECT Id FROM Account WHERE Name LIKE 'Slow%'")["totalSize"] == 0


def test_multipart_create_uploads_and_closes_in_one_call(bulk_http: BulkHttp) -> None:
    response = bulk_http.call(
        "POST",
        "/jobs/ingest/",
        files={
            "job": (None, '{"object":"Account","operation":"insert"}', "application/json"),
            "content": ("content", ACCOUNT_CSV, "text/csv"),
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "UploadComplete"
    info = bulk_http.wait("ingest", response.json()["id"])
    assert (info["state"], info["numberRecordsProcessed"]) == ("JobComplete", 2)


def test_results_are_gzipped_when_asked(bulk_http: BulkHttp) -> None:
    info = bulk_http.run_ingest(ACCOUNT_CSV, object="Account", operation="insert")
    path = f"{bulk_http.base}/jobs/ingest/{info['id']}/successfulResults"
    raw = bulk_http.session.get(
        path,
        headers={"Authorization": f"Bearer {bulk_http.server.access_token}", "Accept-Encoding": "gzip"},
        stream=True,
        timeout=30,
    )
    assert raw.headers["Content-Encoding"] == "gzip"
    text = gzip.decompress(raw.raw.read()).decode()
    assert text.splitlines()[0] == '"sf__Id","sf__Created",Name'
    assert len(text.splitlines()) == 3


def test_job_listing_contains_created_jobs(bulk_http: BulkHttp) -> None:
    created = {bulk_http.create_ingest(object="Account", operation="insert")["id"] for _ in range(2)}
    listing = bulk_http.call("GET", "/jobs/ingest").json()
    assert listing["done"] is True
    assert created <= {job["id"] for job in listing["records"]}
    assert all(job["jobType"] == "V2Ingest" for job in listing["records"])
    classic = bulk_http.call("GET", "/jobs/ingest", params={"jobType": "Classic"}).json()
    assert classic["records"] == []


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        ({"object": "Account", "operation": "merge"}, "INVALIDJOB"),
        ({"object": "No_Such__c", "operation": "insert"}, "INVALIDJOB"),
        ({"object": "Account", "operation": "upsert", "externalIdFieldName": "Website"}, "INVALIDJOB"),
        ({"object": "Account", "operation": "insert", "columnDelimiter": "COLON"}, "INVALIDJOB"),
    ],
)
def test_invalid_job_definitions_are_refused(bulk_http: BulkHttp, spec: dict[str, str], code: str) -> None:
    response = bulk_http.call("POST", "/jobs/ingest", json=spec)
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == code


def test_concurrent_job_limit_refuses_new_jobs(bulk_sf: Salesforce, bulk_http: BulkHttp) -> None:
    bulk_http.toggles(concurrent_job_limit=1)
    bulk_http.create_ingest(object="Account", operation="insert")
    # try/except rather than pytest.raises: a kept traceback would hold the client's connection open
    try:
        bulk_sf.bulk2.Account.insert(records=[{"Name": "Blocked"}], wait=0.05)
    except SalesforceRefusedRequest as refused:
        message = str(refused)
    else:
        pytest.fail("the job over the concurrent limit was accepted")
    assert "REQUEST_LIMIT_EXCEEDED" in message


def test_jobs_survive_a_restart(sf_state_dir: Path, tmp_path: Path) -> None:
    with running_server(sf_state_dir) as server, trusting_session(server) as session:
        server.org.deploy(write_external_id_source(tmp_path / "metadata"))
        http = BulkHttp(server, session)
        info = http.run_ingest(ACCOUNT_CSV, object="Account", operation="insert")
        opened = http.create_ingest(object="Account", operation="insert")
    with running_server(sf_state_dir) as server, trusting_session(server) as session:
        http = BulkHttp(server, session)
        again = http.call("GET", f"/jobs/ingest/{info['id']}").json()
        assert (again["state"], again["numberRecordsProcessed"]) == ("JobComplete", 2)
        assert len(http.results(info["id"], "successfulResults")) == 2
        assert http.call("GET", f"/jobs/ingest/{opened['id']}").json()["state"] == "Open"


def test_closing_a_job_without_data_fails_it(bulk_http: BulkHttp) -> None:
    job = bulk_http.create_ingest(object="Account", operation="insert")
    assert bulk_http.set_state("ingest", job["id"], "UploadComplete").status_code == 200
    info = bulk_http.wait("ingest", job["id"])
    assert info["state"] == "Failed"
    assert info["errorMessage"].startswith("InvalidBatch")


def test_hard_delete_needs_the_permission(bulk_server: RunningServer, bulk_http: BulkHttp) -> None:
    bulk_server.org.grant(bulk_server.org.admin_user_id, hard_delete=False)
    response = bulk_http.call("POST", "/jobs/ingest", json={"object": "Account", "operation": "hardDelete"})
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "FEATURENOTENABLED"
    assert bulk_http.call("POST", "/jobs/ingest", json={"object": "Account", "operation": "delete"}).ok


def test_gzip_compressed_upload_is_accepted(bulk_http: BulkHttp) -> None:
    job = bulk_http.create_ingest(object="Account", operation="insert")
    upload = bulk_http.call(
        "PUT",
        f"/jobs/ingest/{job['id']}/batches/",
        data=gzip.compress(ACCOUNT_CSV.encode()),
        headers={"Content-Type": "text/csv", "Content-Encoding": "gzip"},
    )
    assert upload.status_code == 201
    bulk_http.set_state("ingest", job["id"], "UploadComplete")
    info = bulk_http.wait("ingest", job["id"])
    assert (info["state"], info["numberRecordsProcessed"]) == ("JobComplete", 2)


def test_query_results_from_another_api_version_conflict(bulk_http: BulkHttp) -> None:
    job = bulk_http.call(
        "POST", "/jobs/query", json={"operation": "query", "query": "SELECT Id FROM Account"}
    )
    info = bulk_http.wait("query", job.json()["id"])
    other = f"{bulk_http.server.instance_url}/services/data/v61.0/jobs/query/{info['id']}/results"
    response = bulk_http.session.get(
        other, headers={"Authorization": f"Bearer {bulk_http.server.access_token}"}, timeout=30
    )
    assert response.status_code == 409
