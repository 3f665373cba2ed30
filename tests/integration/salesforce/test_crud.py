"""sObject create/read/update/delete and upsert by external Id, with the real status codes."""

from __future__ import annotations

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMoreThanOneRecord, SalesforceResourceNotFound

from emulators.salesforce.http.server import RunningServer
from tests.fixtures.salesforce import trusting_session


def _rest(server: RunningServer, method: str, path: str, **kwargs: object):
    return trusting_session(server).request(
        method,
        f"{server.instance_url}/services/data/v{server.api_version}{path}",
        headers={"Authorization": f"Bearer {server.access_token}"},
        timeout=30,
        **kwargs,
    )


def test_create_answers_201_with_an_18_char_id(sf_server: RunningServer) -> None:
    response = _rest(sf_server, "POST", "/sobjects/Account/", json={"Name": "Acme"})
    assert response.status_code == 201
    body = response.json()
    assert body["success"] is True
    assert body["errors"] == []
    assert len(body["id"]) == 18
    assert body["id"].startswith("001")


def test_read_update_delete_round_trip(sf: Salesforce) -> None:
    created = sf.Account.create({"Name": "Acme", "Phone": "+34 600"})
    record = sf.Account.get(created["id"])
    assert record["attributes"]["type"] == "Account"
    assert record["attributes"]["url"] == f"/services/data/v{sf.sf_version}/sobjects/Account/{created['id']}"
    assert (record["Name"], record["Phone"]) == ("Acme", "+34 600")

    assert sf.Account.update(created["id"], {"Name": "Acme Ltd."}) == 204
    assert sf.Account.get(created["id"])["Name"] == "Acme Ltd."

    assert sf.Account.delete(created["id"]) == 204
    with pytest.raises(SalesforceResourceNotFound):
        sf.Account.get(created["id"])


def test_read_narrows_to_the_requested_fields(sf_server: RunningServer, sf: Salesforce) -> None:
    created = sf.Account.create({"Name": "Narrow", "Phone": "1"})
    body = _rest(sf_server, "GET", f"/sobjects/Account/{created['id']}?fields=Name").json()
    assert set(body) == {"attributes", "Name"}
    bad = _rest(sf_server, "GET", f"/sobjects/Account/{created['id']}?fields=Nope__c")
    assert bad.status_code == 400
    assert bad.json()[0]["errorCode"] == "INVALID_FIELD"


def test_an_id_of_another_object_or_a_malformed_id_is_404(sf: Salesforce) -> None:
    account = sf.Account.create({"Name": "Wrong type"})
    with pytest.raises(SalesforceResourceNotFound):
        sf.Contact.get(account["id"])
    with pytest.raises(SalesforceResourceNotFound):
        sf.Account.get("not-an-id")


def test_upsert_on_id_updates_and_a_non_key_field_is_404(sf_server: RunningServer, sf: Salesforce) -> None:
    first = _rest(sf_server, "PATCH", "/sobjects/Account/Id/001000000000000AAA", json={"Name": "x"})
    assert first.status_code == 404
    created = sf.Account.create({"Name": "Upsert target"})
    updated = _rest(sf_server, "PATCH", f"/sobjects/Account/Id/{created['id']}", json={"Name": "Renamed"})
    assert updated.status_code == 200
    assert updated.json() == {"id": created["id"], "success": True, "errors": [], "created": False}
    unknown = _rest(sf_server, "PATCH", "/sobjects/Account/Phone/x", json={"Name": "x"})
    assert unknown.status_code == 404
    assert unknown.json()[0]["errorCode"] == "NOT_FOUND"


def test_upsert_by_external_id_201_200_and_300(sf_server: RunningServer, sf: Salesforce) -> None:
    deployed = trusting_session(sf_server).post(
        f"{sf_server.instance_url}/__admin/deploy",
        data=_external_id_field_zip(),
        headers={"Content-Type": "application/zip"},
        timeout=60,
    )
    assert deployed.status_code == 200, deployed.text
    created = sf.Account.upsert("Legacy_Key__c/K-1", {"Name": "First"}, raw_response=True)
    assert created.status_code == 201
    assert created.json()["created"] is True
    updated = sf.Account.upsert("Legacy_Key__c/K-1", {"Name": "Second"}, raw_response=True)
    assert updated.status_code == 200
    assert updated.json() == {"id": created.json()["id"], "success": True, "errors": [], "created": False}
    assert sf.Account.get(created.json()["id"])["Name"] == "Second"

    sf.Account.create({"Name": "Twin A", "Legacy_Key__c": "K-2"})
    sf.Account.create({"Name": "Twin B", "Legacy_Key__c": "K-2"})
    with pytest.raises(SalesforceMoreThanOneRecord) as raised:
        sf.Account.upsert("Legacy_Key__c/K-2", {"Name": "Which?"})
    assert raised.value.status == 300
    assert len(raised.value.content) == 2
    assert all(
        url.startswith(f"/services/data/v{sf.sf_version}/sobjects/Account/001")
        for url in raised.value.content
    )

    update_only = _rest(
        sf_server, "PATCH", "/sobjects/Account/Legacy_Key__c/K-9?updateOnly=true", json={"Name": "No"}
    )
    assert update_only.status_code == 404
    assert not sf.query("SELECT Id FROM Account WHERE Legacy_Key__c = 'K-9'")["records"]

    by_key = sf.Account.get_by_custom_id("Legacy_Key__c", "K-1")
    assert by_key["Id"] == created.json()["id"]


def _external_id_field_zip() -> bytes:
    """An SFDX folder with a non-unique External ID text field on Account, zipped."""
    import io
    import zipfile

    field = """<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Legacy_Key__c</fullName>
    <externalId>true</externalId>
    <label>Legacy Key</label>
    <length>40</length>
    <required>false</required>
    <type>Text</type>
    <unique>false</unique>
</CustomField>
"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("force-app/main/default/objects/Account/fields/Legacy_Key__c.field-meta.xml", field)
    return buffer.getvalue()
