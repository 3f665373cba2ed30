"""Bulk 2.0 query jobs: simple-salesforce paging, locators, column order and refusals."""

from __future__ import annotations

import csv
import io

import pytest
from simple_salesforce import Salesforce

from tests.fixtures.salesforce_bulk import BulkHttp

FAST = {"wait": 0.05}


def _load_accounts(sf: Salesforce, count: int) -> None:
    records = [{"Name": f"Q{n:03d}", "Stames_Id__c": f"Q-{n}"} for n in range(count)]
    [summary] = sf.bulk2.Account.insert(records=records, **FAST)
    assert summary["numberRecordsFailed"] == 0


def _rows(pages: list[str]) -> list[dict[str, str]]:
    return [row for page in pages for row in csv.DictReader(io.StringIO(page))]


def test_simple_salesforce_query_pages_through_every_record(bulk_sf: Salesforce) -> None:
    _load_accounts(bulk_sf, 7)
    soql = "SELECT Name, Id FROM Account WHERE Stames_Id__c != null"
    pages = list(bulk_sf.bulk2.Account.query(soql, max_records=3, **FAST))
    assert len(pages) == 3
    rows = _rows(pages)
    assert sorted(row["Name"] for row in rows) == [f"Q{n:03d}" for n in range(7)]
    assert all(page.splitlines()[0] == '"Name","Id"' for page in pages)


def test_locator_headers_and_the_literal_null(bulk_sf: Salesforce, bulk_http: BulkHttp) -> None:
    _load_accounts(bulk_sf, 5)
    soql = "SELECT Id FROM Account WHERE Name LIKE 'Q%'"
    job = bulk_http.call("POST", "/jobs/query", json={"operation": "query", "query": soql})
    assert job.status_code == 200
    assert (job.json()["state"], job.json()["object"]) == ("UploadComplete", "Account")
    info = bulk_http.wait("query", job.json()["id"])
    assert (info["state"], info["jobType"], info["numberRecordsProcessed"]) == ("JobComplete", "V2Query", 5)
    counts, locator = [], ""
    while locator != "null":
        params = {"maxRecords": 2, **({"locator": locator} if locator else {})}
        page = bulk_http.call("GET", f"/jobs/query/{info['id']}/results", params=params)
        counts.append(int(page.headers["Sforce-NumberOfRecords"]))
        locator = page.headers["Sforce-Locator"]
        assert page.headers["Content-Type"].startswith("text/csv")
    assert counts == [2, 2, 1]


def test_parent_columns_keep_soql_order_and_dotted_headers(bulk_sf: Salesforce, bulk_http: BulkHttp) -> None:
    bulk_sf.bulk2.Account.insert(records=[{"Name": "Parent", "Stames_Id__c": "QP"}], **FAST)
    data = "Subject,Account.Stames_Id__c\nChild,QP\n"
    bulk_http.run_ingest(data, object="Case", operation="insert")
    soql = "SELECT Subject, Account.Name, Id FROM Case WHERE Subject = 'Child'"
    pages = list(bulk_sf.bulk2.Case.query(soql, **FAST))
    assert pages[0].splitlines()[0] == '"Subject","Account.Name","Id"'
    assert [(row["Subject"], row["Account.Name"]) for row in _rows(pages)] == [("Child", "Parent")]


def test_query_all_includes_deleted_rows(bulk_sf: Salesforce) -> None:
    _load_accounts(bulk_sf, 2)
    record_id = bulk_sf.query("SELECT Id FROM Account WHERE Name = 'Q000'")["records"][0]["Id"]
    bulk_sf.Account.delete(record_id)
    live = _rows(list(bulk_sf.bulk2.Account.query("SELECT Id FROM Account", **FAST)))
    every = _rows(list(bulk_sf.bulk2.Account.query_all("SELECT Id, IsDeleted FROM Account", **FAST)))
    assert record_id not in {row["Id"] for row in live}
    assert {row["Id"]: row["IsDeleted"] for row in every}[record_id] == "true"


@pytest.mark.parametrize(
    "soql",
    [
        "SELECT COUNT() FROM Account",
        "SELECT Id FROM Account OFFSET 5",
        "SELECT Name FROM Account GROUP BY Name",
        "SELECT Id, (SELECT Id FROM Cases) FROM Account",
    ],
)
def test_soql_that_bulk_cannot_run_is_refused(bulk_http: BulkHttp, soql: str) -> None:
    response = bulk_http.call("POST", "/jobs/query", json={"operation": "query", "query": soql})
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "INVALIDJOB"


def test_completed_query_jobs_cannot_be_aborted_but_can_be_deleted(bulk_http: BulkHttp) -> None:
    job = bulk_http.call(
        "POST", "/jobs/query", json={"operation": "query", "query": "SELECT Id FROM Account"}
    )
    info = bulk_http.wait("query", job.json()["id"])
    refused = bulk_http.set_state("query", info["id"], "Aborted")
    assert refused.status_code == 400
    assert refused.json() == [
        {"errorCode": "INVALIDJOBSTATE", "message": "Aborting already Completed Job not allowed"}
    ]
    assert bulk_http.call("DELETE", f"/jobs/query/{info['id']}").status_code == 204
    assert bulk_http.call("GET", f"/jobs/query/{info['id']}").status_code == 404


@pytest.mark.parametrize(
    ("soql", "fragment"),
    [("SELECT Nope__c FROM Account", "Nope__c"), ("SELECT Id FROM No_Such__c", "No_Such__c")],
)
def test_soql_the_org_refuses_is_refused_at_creation(bulk_http: BulkHttp, soql: str, fragment: str) -> None:
    response = bulk_http.call("POST", "/jobs/query", json={"operation": "query", "query": soql})
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "INVALIDJOB"
    assert fragment in response.json()[0]["message"]
    assert bulk_http.call("GET", "/jobs/query").json()["records"] == []


def test_query_results_use_the_jobs_delimiter_and_line_ending(
    bulk_sf: Salesforce, bulk_http: BulkHttp
) -> None:
    _load_accounts(bulk_sf, 2)
    spec = {
        "operation": "query",
        "query": "SELECT Name, Stames_Id__c FROM Account WHERE Name LIKE 'Q%' ORDER BY Name",
        "columnDelimiter": "PIPE",
        "lineEnding": "CRLF",
    }
    info = bulk_http.wait("query", bulk_http.call("POST", "/jobs/query", json=spec).json()["id"])
    text = bulk_http.call("GET", f"/jobs/query/{info['id']}/results").text
    assert text == '"Name"|"Stames_Id__c"\r\n"Q000"|"Q-0"\r\n"Q001"|"Q-1"\r\n'


def test_result_pages_point_at_result_urls_that_work(bulk_sf: Salesforce, bulk_http: BulkHttp) -> None:
    _load_accounts(bulk_sf, 3)
    spec = {"operation": "query", "query": "SELECT Id FROM Account WHERE Name LIKE 'Q%'"}
    info = bulk_http.wait("query", bulk_http.call("POST", "/jobs/query", json=spec).json()["id"])
    pages = bulk_http.call("GET", f"/jobs/query/{info['id']}/resultPages").json()
    assert pages["done"] is True
    [page] = pages["resultPages"]
    response = bulk_http.session.get(
        bulk_http.server.instance_url + page["resultUrl"],
        headers={"Authorization": f"Bearer {bulk_http.server.access_token}"},
        timeout=30,
    )
    assert response.headers["Sforce-NumberOfRecords"] == "3"
    assert response.headers["Sforce-Locator"] == "null"
