"""The SOAP `undelete()` over HTTPS, as the rollback calls it: a deleted record comes back from the
Recycle Bin with what its delete took along; anything else is refused."""

from __future__ import annotations

from simple_salesforce import Salesforce

from emulators.salesforce.http.server import RunningServer
from loaders.load.http import OrgHttp
from loaders.rollback.org_writes import delete, undelete
from tests.fixtures.salesforce import trusting_session


def org_http(server: RunningServer) -> OrgHttp:
    headers = {"Authorization": f"Bearer {server.access_token}"}
    return OrgHttp(trusting_session(server), server.instance_url, "62.0", headers)


def live_ids(sf: Salesforce, soql: str) -> set[str]:
    return {record["Id"] for record in sf.query(soql)["records"]}


def test_an_undeleted_case_comes_back_with_the_task_its_delete_took(
    sf_server: RunningServer, sf: Salesforce
) -> None:
    case_id = sf.Case.create({"Subject": "Printer on fire", "Status": "New", "Origin": "Email"})["id"]
    task_id = sf.Task.create({"Subject": "Call back", "WhatId": case_id})["id"]
    http = org_http(sf_server)
    [deleted] = list(delete(http, "Case", [case_id]))
    assert [row.action for row in deleted] == ["deleted"]
    assert live_ids(sf, f"SELECT Id FROM Task WHERE Id = '{task_id}'") == set()

    [restored] = list(undelete(http, "Case", [case_id]))
    assert [(row.salesforce_id, row.action) for row in restored] == [(case_id, "restored")]
    assert live_ids(sf, f"SELECT Id FROM Case WHERE Id = '{case_id}'") == {case_id}
    assert live_ids(sf, f"SELECT Id FROM Task WHERE WhatId = '{case_id}'") == {task_id}

    [again] = list(undelete(http, "Case", [case_id]))
    assert [(row.action, row.error_code) for row in again] == [("failed", "UNDELETE_FAILED")]


def test_a_call_without_a_valid_session_is_a_fault(sf_server: RunningServer) -> None:
    envelope = (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:urn="urn:partner.soap.sforce.com"><soapenv:Header><urn:SessionHeader>'
        "<urn:sessionId>not-a-session</urn:sessionId></urn:SessionHeader></soapenv:Header>"
        "<soapenv:Body><urn:undelete><urn:ids>500000000000001AAA</urn:ids></urn:undelete></soapenv:Body>"
        "</soapenv:Envelope>"
    )
    response = trusting_session(sf_server).post(
        f"{sf_server.instance_url}/services/Soap/u/62.0",
        data=envelope,
        headers={"Content-Type": "text/xml", "SOAPAction": '""'},
        timeout=30,
    )
    assert response.status_code == 500
    assert "<faultcode>sf:INVALID_SESSION_ID</faultcode>" in response.text
