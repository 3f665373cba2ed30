"""The setup objects of the automation check over HTTPS: what a REST client reads, and that it
cannot write them (emulator README § Automation: one Case trigger `CaseAutoResponse`; the bypass is
the custom permission `Bypass_Automation`, which the seeded admin holds)."""

from __future__ import annotations

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest

from emulators.salesforce.http.server import RunningServer
from tests.fixtures.salesforce import admin_call


def test_a_rest_client_reads_the_trigger_and_the_bypass(sf_server: RunningServer, sf: Salesforce) -> None:
    active = "SELECT Name FROM ApexTrigger WHERE TableEnumOrId = 'Case' AND Status = 'Active'"
    assert [row["Name"] for row in sf.query_all(active)["records"]] == ["CaseAutoResponse"]
    assert (
        sf.query_all("SELECT Name FROM AssignmentRule WHERE SobjectType = 'Case' AND Active = true")[
            "records"
        ]
        == []
    )
    assignments = sf.query_all("SELECT Assignee.Username, PermissionSet.Name FROM PermissionSetAssignment")
    assert [
        (row["Assignee"]["Username"], row["PermissionSet"]["Name"]) for row in assignments["records"]
    ] == [("admin@stames-sf.example.org", "Stames_Load_Bypass")]

    admin_call(sf_server, "POST", "/__admin/toggles", json={"automation_enabled": False}).raise_for_status()
    assert sf.query_all(active)["records"] == []


def test_a_rest_client_cannot_write_them(sf: Salesforce) -> None:
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.PermissionSetAssignment.create({"AssigneeId": "0058d0000000001AAA"})
    assert raised.value.content[0]["errorCode"] == "INVALID_TYPE"
    trigger = sf.query("SELECT Id FROM ApexTrigger")["records"][0]["Id"]
    assert sf.ApexTrigger.get(trigger)["Name"] == "CaseAutoResponse"
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.ApexTrigger.update(trigger, {"Status": "Inactive"})
    assert raised.value.content[0]["errorCode"] == "INVALID_TYPE"
    assert sf.ApexTrigger.describe()["createable"] is False
