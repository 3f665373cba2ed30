"""sObject Collections: per-record results in input order, all-or-none rollback, the 200 cap."""

from __future__ import annotations

from typing import Any

import requests

from emulators.salesforce.http.server import RunningServer
from tests.fixtures.salesforce import admin_call, trusting_session


def _call(server: RunningServer, method: str, path: str, **kwargs: Any) -> requests.Response:
    return trusting_session(server).request(
        method,
        f"{server.instance_url}/services/data/v{server.api_version}/composite/sobjects{path}",
        headers={"Authorization": f"Bearer {server.access_token}"},
        timeout=60,
        **kwargs,
    )


def _accounts(server: RunningServer) -> list[dict[str, Any]]:
    exported = admin_call(server, "GET", "/__admin/export").json()
    return [record for record in exported["Account"] if not record["IsDeleted"]]


def test_create_mixed_types_keeps_input_order_and_reports_each_record(sf_server: RunningServer) -> None:
    records = [
        {"attributes": {"type": "Account"}, "Name": "One"},
        {"attributes": {"type": "Contact"}, "FirstName": "No last name"},
        {"attributes": {"type": "Contact"}, "LastName": "Two"},
    ]
    response = _call(sf_server, "POST", "", json={"allOrNone": False, "records": records})
    assert response.status_code == 200
    results = response.json()
    assert [result["success"] for result in results] == [True, False, True]
    assert results[0]["id"].startswith("001")
    assert results[2]["id"].startswith("003")
    assert results[1]["id"] is None
    assert results[1]["errors"][0]["statusCode"] == "REQUIRED_FIELD_MISSING"
    assert results[1]["errors"][0]["fields"] == ["LastName"]


def test_all_or_none_rolls_back_every_sibling(sf_server: RunningServer) -> None:
    records = [
        {"attributes": {"type": "Account"}, "Name": "Kept?"},
        {"attributes": {"type": "Account"}, "Name": "x" * 300},
        {"attributes": {"type": "Account"}, "Name": "Kept too?"},
    ]
    before = len(_accounts(sf_server))
    results = _call(sf_server, "POST", "", json={"allOrNone": True, "records": records}).json()
    assert [result["success"] for result in results] == [False, False, False]
    assert results[0]["errors"][0]["statusCode"] == "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    assert results[2]["errors"][0]["statusCode"] == "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    assert results[1]["errors"][0]["statusCode"] == "STRING_TOO_LONG"
    assert len(_accounts(sf_server)) == before


def test_more_than_200_records_is_a_400(sf_server: RunningServer) -> None:
    records = [{"attributes": {"type": "Account"}, "Name": f"A{index}"} for index in range(201)]
    response = _call(sf_server, "POST", "", json={"records": records})
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "EXCEEDED_ID_LIMIT"


def test_update_and_delete_by_ids(sf_server: RunningServer) -> None:
    created = _call(
        sf_server,
        "POST",
        "",
        json={"records": [{"attributes": {"type": "Account"}, "Name": f"N{index}"} for index in range(3)]},
    ).json()
    ids = [result["id"] for result in created]
    updates = [{"attributes": {"type": "Account"}, "Id": record_id, "Name": "Renamed"} for record_id in ids]
    updates.append({"attributes": {"type": "Account"}, "Name": "No Id"})
    results = _call(sf_server, "PATCH", "", json={"records": updates}).json()
    assert [result["success"] for result in results] == [True, True, True, False]
    assert results[3]["errors"][0]["statusCode"] == "MISSING_ARGUMENT"
    assert {record["Name"] for record in _accounts(sf_server) if record["Id"] in ids} == {"Renamed"}

    deleted = _call(sf_server, "DELETE", f"?ids={','.join(ids)}&allOrNone=false").json()
    assert [result["success"] for result in deleted] == [True, True, True]
    assert [result["id"] for result in deleted] == ids
    assert not [record for record in _accounts(sf_server) if record["Id"] in ids]


def test_upsert_collection_reports_created_per_record(sf_server: RunningServer) -> None:
    admin_username = next(iter(admin_call(sf_server, "GET", "/__admin/export").json()["User"]))["Username"]
    records = [
        {"attributes": {"type": "User"}, "Username": admin_username, "Title": "Org admin"},
    ]
    response = _call(sf_server, "PATCH", "/User/Username", json={"allOrNone": False, "records": records})
    assert response.status_code == 200
    results = response.json()
    assert results[0]["success"] is True, results
    assert results[0]["created"] is False
    unknown = _call(sf_server, "PATCH", "/Account/NoSuchKey__c", json={"records": []})
    assert unknown.status_code == 404


def test_retrieve_many_returns_records_in_order_and_null_for_unknown_ids(sf_server: RunningServer) -> None:
    created = _call(
        sf_server,
        "POST",
        "",
        json={"records": [{"attributes": {"type": "Account"}, "Name": f"R{index}"} for index in range(2)]},
    ).json()
    ids = [result["id"] for result in created]
    missing = "001000000000000AAA"
    got = _call(sf_server, "GET", f"/Account?ids={ids[1]},{missing},{ids[0]}&fields=Name").json()
    assert [record["Name"] if record else None for record in got] == ["R1", None, "R0"]
    posted = _call(sf_server, "POST", "/Account", json={"ids": ids, "fields": ["Id", "Name"]}).json()
    assert [record["Id"] for record in posted] == ids


def test_upsert_collection_fails_every_record_repeating_an_external_id(bulk_server: RunningServer) -> None:
    records = [
        {"attributes": {"type": "Account"}, "Name": "First", "Stames_Id__c": "K-1"},
        {"attributes": {"type": "Account"}, "Name": "Second", "Stames_Id__c": "K-1"},
        {"attributes": {"type": "Account"}, "Name": "Other", "Stames_Id__c": "K-2"},
        # Stames_Id__c is case-sensitive, so k-3 is not a repeat of K-3
        {"attributes": {"type": "Account"}, "Name": "Upper", "Stames_Id__c": "K-3"},
        {"attributes": {"type": "Account"}, "Name": "Lower", "Stames_Id__c": "k-3"},
    ]
    response = _call(
        bulk_server, "PATCH", "/Account/Stames_Id__c", json={"allOrNone": False, "records": records}
    )
    assert response.status_code == 200
    results = response.json()
    assert [result["success"] for result in results] == [False, False, True, True, True]
    for result in results[:2]:
        assert result["id"] is None
        assert result["errors"][0]["statusCode"] == "DUPLICATE_VALUE"
        assert result["errors"][0]["message"].startswith("Duplicate external id specified: ")
        assert result["errors"][0]["fields"] == ["Stames_Id__c"]
    keys = [account["Stames_Id__c"] for account in _accounts(bulk_server) if account["Stames_Id__c"]]
    assert sorted(keys) == ["K-2", "K-3", "k-3"]


def _alternating(count: int) -> list[dict[str, Any]]:
    """Account, Contact, Account, …: every record starts a new type chunk."""
    return [
        {"attributes": {"type": "Account"}, "Name": f"Chunk {n}"}
        if n % 2 == 0
        else {"attributes": {"type": "Contact"}, "LastName": f"Chunk {n}"}
        for n in range(count)
    ]


def test_more_than_ten_type_chunks_is_refused_and_writes_nothing(sf_server: RunningServer) -> None:
    before = len(_accounts(sf_server))
    response = _call(sf_server, "POST", "", json={"allOrNone": False, "records": _alternating(24)})
    assert response.status_code == 400
    assert "10 chunks" in response.json()[0]["message"]
    assert len(_accounts(sf_server)) == before


def test_ten_type_chunks_are_accepted(sf_server: RunningServer) -> None:
    response = _call(sf_server, "POST", "", json={"allOrNone": False, "records": _alternating(10)})
    assert response.status_code == 200
    assert all(result["success"] for result in response.json())


def test_same_type_records_grouped_make_few_chunks(sf_server: RunningServer) -> None:
    records = sorted(_alternating(24), key=lambda record: record["attributes"]["type"])
    response = _call(sf_server, "POST", "", json={"allOrNone": False, "records": records})
    assert response.status_code == 200
    assert len(response.json()) == 24


def test_updates_are_chunked_by_type_too(sf_server: RunningServer) -> None:
    created = _call(sf_server, "POST", "", json={"records": _alternating(10)}).json()
    updates = [
        {"attributes": record["attributes"], "Id": result["id"], "Description": "edited"}
        for record, result in zip(_alternating(12), created + created[:2], strict=True)
    ]
    response = _call(sf_server, "PATCH", "", json={"records": updates})
    assert response.status_code == 400
    assert "10 chunks" in response.json()[0]["message"]
