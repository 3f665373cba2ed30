"""REST query paging: 2,000-row batches, root-relative `nextRecordsUrl`, `batchSize`, queryAll."""

from __future__ import annotations

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest

from emulators.salesforce.http.server import RunningServer
from tests.fixtures.salesforce import trusting_session

ROWS = 2345


def _load_accounts(server: RunningServer, count: int) -> None:
    session = trusting_session(server)
    url = f"{server.instance_url}/services/data/v{server.api_version}/composite/sobjects"
    for start in range(0, count, 200):
        records = [
            {"attributes": {"type": "Account"}, "Name": f"Paged {index:05d}"}
            for index in range(start, min(start + 200, count))
        ]
        response = session.post(
            url,
            json={"records": records},
            headers={"Authorization": f"Bearer {server.access_token}"},
            timeout=60,
        )
        assert all(result["success"] for result in response.json())


@pytest.fixture
def paged_server(sf_server: RunningServer) -> RunningServer:
    _load_accounts(sf_server, ROWS)
    return sf_server


def test_query_all_follows_next_records_url_past_2000(paged_server: RunningServer, sf: Salesforce) -> None:
    first = sf.query("SELECT Id, Name FROM Account WHERE Name LIKE 'Paged%'")
    assert first["done"] is False
    assert len(first["records"]) == 2000
    assert first["totalSize"] == ROWS
    assert first["nextRecordsUrl"].startswith(f"/services/data/v{sf.sf_version}/query/01g")
    everything = sf.query_all("SELECT Id, Name FROM Account WHERE Name LIKE 'Paged%'")
    names = [record["Name"] for record in everything["records"]]
    assert len(names) == ROWS
    assert len(set(names)) == ROWS


def test_batch_size_header_is_honoured_within_bounds(paged_server: RunningServer) -> None:
    session = trusting_session(paged_server)
    base = f"{paged_server.instance_url}/services/data/v{paged_server.api_version}/query/"
    headers = {
        "Authorization": f"Bearer {paged_server.access_token}",
        "Sforce-Query-Options": "batchSize=500",
    }
    page = session.get(base, params={"q": "SELECT Id FROM Account"}, headers=headers, timeout=60).json()
    assert len(page["records"]) == 500
    following = session.get(
        paged_server.instance_url + page["nextRecordsUrl"], headers=headers, timeout=60
    ).json()
    assert len(following["records"]) == 500
    assert not {record["Id"] for record in following["records"]} & {
        record["Id"] for record in page["records"]
    }
    headers["Sforce-Query-Options"] = "batchSize=5"
    small = session.get(base, params={"q": "SELECT Id FROM Account"}, headers=headers, timeout=60).json()
    assert len(small["records"]) == 200


def test_query_all_includes_deleted_rows(sf: Salesforce) -> None:
    created = sf.Account.create({"Name": "Soon deleted"})
    sf.Account.delete(created["id"])
    soql = f"SELECT Id, IsDeleted FROM Account WHERE Id = '{created['id']}'"
    assert sf.query(soql)["totalSize"] == 0
    deleted = sf.query_all(soql, include_deleted=True)
    assert deleted["totalSize"] == 1
    assert deleted["records"][0]["IsDeleted"] is True


def test_bad_soql_is_400_with_the_soql_error_code(sf: Salesforce) -> None:
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.query("SELECT Nope__c FROM Account")
    assert raised.value.content[0]["errorCode"] == "INVALID_FIELD"
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.query("SELECT Id FROM NoSuchObject__c")
    assert raised.value.content[0]["errorCode"] == "INVALID_TYPE"
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.query("SELEKT Id FROM Account")
    assert raised.value.content[0]["errorCode"] == "MALFORMED_QUERY"


def test_count_query_reports_total_size_only(sf: Salesforce) -> None:
    sf.Account.create({"Name": "Counted"})
    result = sf.query("SELECT COUNT() FROM Account WHERE Name = 'Counted'")
    assert (result["totalSize"], result["records"], result["done"]) == (1, [], True)


def test_an_unknown_cursor_is_invalid_query_locator(sf_server: RunningServer) -> None:
    response: requests.Response = trusting_session(sf_server).get(
        f"{sf_server.instance_url}/services/data/v{sf_server.api_version}/query/01g8d000000000AAAA-2000",
        headers={"Authorization": f"Bearer {sf_server.access_token}"},
        timeout=30,
    )
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "INVALID_QUERY_LOCATOR"
