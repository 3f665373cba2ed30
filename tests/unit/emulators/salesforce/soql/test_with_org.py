"""SOQL over the real org store: records written through the org's rules come back as queries
expect, and the org's own describes drive the checks."""

from typing import Any

import pytest

from emulators.salesforce.org.types import OpContext
from emulators.salesforce.soql import SoqlError, csv_rows, execute
from emulators.salesforce.soql.values import parse_datetime


def insert(org: Any, sobject: str, **values: Any) -> str:
    result = org.insert(sobject, values, OpContext(org.admin_user_id))
    assert result.success, result.errors
    return str(result.id)


@pytest.fixture
def loaded(soql_org: Any) -> dict[str, str]:
    acme = insert(soql_org, "Account", Name="Acme Test", Stames_Id__c="org-1")
    first = insert(soql_org, "Case", Subject="First", AccountId=acme, Stames_Id__c="T-1", Status="New")
    second = insert(soql_org, "Case", Subject="Second", Stames_Id__c="T-2", Status="Working")
    return {"acme": acme, "first": first, "second": second}


def test_inserted_case_comes_back_with_parents(soql_org: Any, loaded: dict[str, str]) -> None:
    result = execute(
        soql_org,
        "SELECT Id, Subject, CaseNumber, Account.Name, Owner.Username FROM Case WHERE Stames_Id__c = 'T-1'",
    )
    (record,) = result.records
    stored = soql_org.get(loaded["first"])
    assert record["Id"] == loaded["first"]
    assert record["CaseNumber"] == stored["CaseNumber"]
    assert record["Account"]["Name"] == "Acme Test"
    owner = soql_org.get(stored["OwnerId"])
    assert record["Owner"]["Username"] == owner.get("Username")
    assert f"/sobjects/{owner['attributes']['type']}/{owner['Id']}" in record["Owner"]["attributes"]["url"]


def test_count_matches_the_store(soql_org: Any, loaded: dict[str, str]) -> None:
    live = sum(1 for _ in soql_org.scan("Case"))
    assert execute(soql_org, "SELECT COUNT() FROM Case").total_size == live
    assert execute(soql_org, "SELECT COUNT() FROM Case WHERE Stames_Id__c != null").total_size == 2


def test_deleted_case_needs_include_deleted(soql_org: Any, loaded: dict[str, str]) -> None:
    assert soql_org.delete(loaded["second"], OpContext(soql_org.admin_user_id)).success
    soql = "SELECT Id, IsDeleted FROM Case WHERE Stames_Id__c IN ('T-1', 'T-2') ORDER BY Subject"
    assert [r["Id"] for r in execute(soql_org, soql).records] == [loaded["first"]]
    everything = execute(soql_org, soql, include_deleted=True).records
    assert [(r["Id"], r["IsDeleted"]) for r in everything] == [
        (loaded["first"], False),
        (loaded["second"], True),
    ]


def test_lookup_by_case_number(soql_org: Any, loaded: dict[str, str]) -> None:
    number = soql_org.get(loaded["second"])["CaseNumber"]
    records = execute(soql_org, f"SELECT Id FROM Case WHERE CaseNumber = '{number}'").records
    assert [r["Id"] for r in records] == [loaded["second"]]


def test_child_subquery_over_org_relationships(soql_org: Any, loaded: dict[str, str]) -> None:
    soql = f"SELECT Name, (SELECT Subject FROM Cases) FROM Account WHERE Id = '{loaded['acme'][:15]}'"
    (record,) = execute(soql_org, soql).records
    assert [c["Subject"] for c in record["Cases"]["records"]] == ["First"]


def test_csv_datetimes_are_the_same_instant_in_utc(soql_org: Any, loaded: dict[str, str]) -> None:
    result = execute(soql_org, "SELECT Id, CreatedDate FROM Case WHERE Stames_Id__c = 'T-2'")
    header, row = list(csv_rows(result))
    assert header == ["Id", "CreatedDate"]
    assert row[1].endswith("Z")
    assert parse_datetime(row[1]) == parse_datetime(result.records[0]["CreatedDate"])


def test_fields_the_describe_marks_unfilterable_are_refused(soql_org: Any) -> None:
    fields = soql_org.describe("Case")["fields"]
    unfilterable = [f["name"] for f in fields if f.get("filterable") is False]
    assert unfilterable, "the org's Case describe has long text fields"
    for name in unfilterable:
        with pytest.raises(SoqlError) as raised:
            execute(soql_org, f"SELECT Id FROM Case WHERE {name} = 'x'")
        assert raised.value.code == "INVALID_FIELD"


def test_sf_cli_login_queries(soql_org: Any) -> None:
    """The queries `sf org login access-token` runs (contract §7)."""
    organization = execute(
        soql_org,
        "SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType "
        "FROM Organization",
    )
    assert organization.total_size == 1
    with pytest.raises(SoqlError) as raised:
        execute(soql_org, "SELECT Id FROM ScratchOrgInfo limit 1")
    assert raised.value.code == "INVALID_TYPE"


def test_polymorphic_name_is_the_targets_name_field(soql_org: Any, loaded: dict[str, str]) -> None:
    """Through a polymorphic lookup a Case's `Name` is its CaseNumber, the describe's name field."""
    link = insert(soql_org, "Task", Subject="Call back", WhatId=loaded["first"], Status="Not Started")
    (record,) = execute(soql_org, f"SELECT What.Name, What.Type FROM Task WHERE Id = '{link}'").records
    name_field = next(f["name"] for f in soql_org.describe("Case")["fields"] if f.get("nameField"))
    assert record["What"]["Name"] == soql_org.get(loaded["first"])[name_field]
    assert record["What"]["Type"] == "Case"


def test_content_document_links_as_a_child_subquery(soql_org: Any, loaded: dict[str, str]) -> None:
    """Links read through their parent need no filter of their own."""
    relationship = next(
        r["relationshipName"]
        for r in soql_org.describe("Case")["childRelationships"]
        if r["childSObject"] == "ContentDocumentLink"
    )
    version = insert(
        soql_org,
        "ContentVersion",
        Title="log",
        PathOnClient="log.txt",
        VersionData="aGk=",
        FirstPublishLocationId=loaded["first"],
    )
    document = soql_org.get(version)["ContentDocumentId"]
    soql = (
        f"SELECT Id, (SELECT ContentDocumentId FROM {relationship}) FROM Case WHERE Id = '{loaded['first']}'"
    )
    (record,) = execute(soql_org, soql).records
    assert [link["ContentDocumentId"] for link in record[relationship]["records"]] == [document]
