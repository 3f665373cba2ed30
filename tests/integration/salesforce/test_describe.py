"""Versions and describe resources: shapes that simple-salesforce and the loader read."""

from __future__ import annotations

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceResourceNotFound

from emulators.salesforce.http.server import RunningServer
from tests.fixtures.salesforce import trusting_session

FIELD_KEYS = {
    "name",
    "type",
    "length",
    "createable",
    "updateable",
    "nillable",
    "defaultedOnCreate",
    "externalId",
    "unique",
    "picklistValues",
    "referenceTo",
    "relationshipName",
}


@pytest.mark.parametrize("path", ["/services/data", "/services/data/"])
def test_versions_are_open_and_carry_no_usage_header(sf_server: RunningServer, path: str) -> None:
    response = trusting_session(sf_server).get(sf_server.instance_url + path, timeout=30)
    assert response.status_code == 200
    assert "Sforce-Limit-Info" not in response.headers
    versions = response.json()
    latest = versions[-1]
    assert latest["version"] == sf_server.api_version
    assert latest["url"] == f"/services/data/v{sf_server.api_version}"
    assert {"label", "url", "version"} == set(latest)


def test_global_describe_lists_the_loaded_objects(sf: Salesforce) -> None:
    described = sf.describe()
    assert described["maxBatchSize"] == 200
    by_name = {entry["name"]: entry for entry in described["sobjects"]}
    for name in ("Account", "Contact", "Case", "User", "EmailMessage", "ContentVersion"):
        assert name in by_name
    assert by_name["Account"]["keyPrefix"] == "001"
    assert by_name["Case"]["keyPrefix"] == "500"
    assert by_name["User"]["deletable"] is False
    assert (
        by_name["Account"]["urls"]["describe"] == f"/services/data/v{sf.sf_version}/sobjects/Account/describe"
    )


def test_object_describe_has_the_field_flags_loaders_read(sf: Salesforce) -> None:
    described = sf.Contact.describe()
    assert described["name"] == "Contact"
    fields = {field["name"]: field for field in described["fields"]}
    for field in fields.values():
        assert set(field) >= FIELD_KEYS, field["name"]
    last_name = fields["LastName"]
    assert last_name["createable"] and not last_name["nillable"] and not last_name["defaultedOnCreate"]
    account_id = fields["AccountId"]
    assert account_id["type"] == "reference"
    assert account_id["referenceTo"] == ["Account"]
    assert account_id["relationshipName"] == "Account"
    assert fields["CreatedDate"]["createable"] is False
    assert fields["Id"]["type"] == "id"


def test_basic_info_wraps_the_object_summary(sf: Salesforce) -> None:
    info = sf.Case.metadata()
    assert info["objectDescribe"]["name"] == "Case"
    assert info["recentItems"] == []


def test_unknown_objects_and_versions_are_404_not_found(sf: Salesforce, sf_server: RunningServer) -> None:
    with pytest.raises(SalesforceResourceNotFound) as raised:
        sf.NoSuchThing__c.describe()
    assert raised.value.content[0]["errorCode"] == "NOT_FOUND"
    response = trusting_session(sf_server).get(
        f"{sf_server.instance_url}/services/data/v99.0/sobjects",
        headers={"Authorization": f"Bearer {sf_server.access_token}"},
        timeout=30,
    )
    assert response.status_code == 404
    assert response.json()[0]["errorCode"] == "NOT_FOUND"


def test_a_wrong_method_is_405_in_salesforce_shape(sf_server: RunningServer) -> None:
    response = trusting_session(sf_server).put(
        f"{sf_server.instance_url}/services/data/v{sf_server.api_version}/sobjects/Account/describe",
        headers={"Authorization": f"Bearer {sf_server.access_token}"},
        timeout=30,
    )
    assert response.status_code == 405
    assert response.json()[0]["errorCode"] == "METHOD_NOT_ALLOWED"
