"""SOQL through simple-salesforce against the HTTPS emulator: result shapes a real client parses,
filters, queryAll, query_all_iter paging and the org's error bodies."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest

from emulators.salesforce.http.server import RunningServer
from emulators.salesforce.org.types import OpContext

PAGED_ROWS = 450


@pytest.fixture
def desk(soql_sf: Salesforce) -> dict[str, str]:
    """An account with two cases (one a child of the other) and a case owned by the support queue."""
    acme = soql_sf.Account.create({"Name": "Acme Query Test"})["id"]
    parent = soql_sf.Case.create({"Subject": "Printer on fire", "AccountId": acme, "Status": "New"})["id"]
    child = soql_sf.Case.create({"Subject": "Re: printer on fire", "AccountId": acme, "ParentId": parent})[
        "id"
    ]
    return {"acme": acme, "parent": parent, "child": child}


def test_parent_paths_nest_as_ordered_dicts(soql_sf: Salesforce, desk: dict[str, str]) -> None:
    result = soql_sf.query(
        f"SELECT Id, Subject, Account.Name, Parent.Subject FROM Case WHERE AccountId = '{desk['acme']}' "
        "ORDER BY Subject"
    )
    assert result["totalSize"] == 2
    assert result["done"] is True
    first, second = result["records"]
    assert first["attributes"]["type"] == "Case"
    assert (
        first["attributes"]["url"] == f"/services/data/v{soql_sf.sf_version}/sobjects/Case/{desk['parent']}"
    )
    assert first["Account"]["Name"] == "Acme Query Test"
    assert first["Parent"] is None
    assert second["Parent"]["Subject"] == "Printer on fire"
    assert list(first) == ["attributes", "Id", "Subject", "Account", "Parent"]


def test_polymorphic_owner_resolves_to_the_owning_record(soql_sf: Salesforce, desk: dict[str, str]) -> None:
    soql = f"SELECT Owner.Name, Owner.Username FROM Case WHERE Id = '{desk['parent']}'"
    (record,) = soql_sf.query(soql)["records"]
    owner_id = soql_sf.Case.get(desk["parent"])["OwnerId"]
    owner_url = record["Owner"]["attributes"]["url"]
    assert owner_url.endswith(f"/{owner_id}")
    if "/sobjects/User/" in owner_url:
        owner = soql_sf.User.get(owner_id)
        assert (record["Owner"]["Name"], record["Owner"]["Username"]) == (owner["Name"], owner["Username"])
    else:
        assert record["Owner"]["Username"] is None


def test_fifteen_char_id_and_case_insensitive_text(soql_sf: Salesforce, desk: dict[str, str]) -> None:
    soql = f"SELECT Id FROM Case WHERE Id = '{desk['child'][:15]}' AND Subject = 'RE: PRINTER ON FIRE'"
    assert [r["Id"] for r in soql_sf.query(soql)["records"]] == [desk["child"]]


def test_query_all_iter_pages_with_small_batches(soql_sf: Salesforce, sf_server: RunningServer) -> None:
    context = OpContext(sf_server.org.admin_user_id)
    for index in range(PAGED_ROWS):
        assert sf_server.org.insert("Account", {"Name": f"Iter {index:04d}"}, context).success
    headers = {"Sforce-Query-Options": "batchSize=200"}
    soql = "SELECT Name FROM Account WHERE Name LIKE 'Iter %' ORDER BY Name DESC"
    first_page = soql_sf.query(soql, headers=headers)
    assert (len(first_page["records"]), first_page["done"]) == (200, False)
    names = [record["Name"] for record in soql_sf.query_all_iter(soql, headers=headers)]
    assert names == [f"Iter {index:04d}" for index in reversed(range(PAGED_ROWS))]


def test_deleted_rows_only_through_query_all(soql_sf: Salesforce, desk: dict[str, str]) -> None:
    soql_sf.Case.delete(desk["child"])
    soql = f"SELECT Id, IsDeleted FROM Case WHERE AccountId = '{desk['acme']}' AND IsDeleted = true"
    assert soql_sf.query(soql)["totalSize"] == 0
    deleted = soql_sf.query_all(soql, include_deleted=True)
    assert [(r["Id"], r["IsDeleted"]) for r in deleted["records"]] == [(desk["child"], True)]


def test_date_literals_and_datetime_filters(soql_sf: Salesforce, desk: dict[str, str]) -> None:
    created = soql_sf.Case.get(desk["parent"])["CreatedDate"]  # e.g. 2026-01-01T10:00:00.000+0000
    literal = created[:19] + "Z"
    soql = f"SELECT Id FROM Case WHERE AccountId = '{desk['acme']}' AND CreatedDate >= {literal}"
    assert desk["parent"] in {r["Id"] for r in soql_sf.query(soql)["records"]}
    recent = soql_sf.query(
        f"SELECT COUNT() FROM Case WHERE AccountId = '{desk['acme']}' AND CreatedDate = LAST_N_DAYS:1"
    )
    assert recent["totalSize"] == 2


def first_error(client: Salesforce, soql: str) -> dict[str, Any]:
    """The first error element of a refused query. The exception is dropped here, so the response
    it references does not keep a connection open past the test."""
    try:
        client.query(soql)
    except SalesforceMalformedRequest as refused:
        return dict(refused.content[0])
    raise AssertionError(f"the emulator accepted: {soql}")


def test_errors_come_back_as_the_org_words_them(soql_sf: Salesforce) -> None:
    syntax = first_error(soql_sf, "SELECT Id FORM Account")
    assert syntax["errorCode"] == "MALFORMED_QUERY"
    assert syntax["message"].endswith("unexpected token: 'FORM'")
    mixed = first_error(
        soql_sf, "SELECT Id FROM Case WHERE Status = 'New' AND Subject = 'x' OR Origin = 'Email'"
    )
    assert mixed["message"].endswith("unexpected token: 'OR'")
    unfiltered = first_error(soql_sf, "SELECT Id FROM ContentDocumentLink")
    assert unfiltered["errorCode"] == "MALFORMED_QUERY"
    assert "ContentDocumentLink requires a filter" in unfiltered["message"]
    unknown = first_error(soql_sf, "SELECT Id, Stames_Id FROM Account")
    assert unknown["errorCode"] == "INVALID_FIELD"
    assert "No such column 'Stames_Id' on entity 'Account'" in unknown["message"]


def test_bulk_query_csv_matches_rest(soql_sf: Salesforce, desk: dict[str, str]) -> None:
    soql = f"SELECT Id, Subject, Account.Name, IsEscalated FROM Case WHERE AccountId = '{desk['acme']}'"
    pages = list(soql_sf.bulk2.Case.query(soql, wait=0.2))
    rows = [row for page in pages for row in csv.DictReader(io.StringIO(page))]
    assert {row["Id"] for row in rows} == {desk["parent"], desk["child"]}
    assert {row["Account.Name"] for row in rows} == {"Acme Query Test"}
    assert {row["IsEscalated"] for row in rows} == {"false"}
