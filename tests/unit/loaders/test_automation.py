"""The automation check's verdicts when parts of the org cannot be read (a real org without "View
Setup and Configuration" for the user), with a stand-in client answering by object name."""

from __future__ import annotations

from typing import Any

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from loaders.automation import (
    AutomationCheck,
    AutomationWouldFireError,
    check_case_automation,
    require_automation_safe,
)

USER_ID = "0058d0000000004AAA"


class FakeOrg:
    """Answers SOQL by the object after FROM; an object in `refused` fails with that error code."""

    def __init__(self, answers: dict[str, list[dict[str, Any]]], refused: dict[str, str]) -> None:
        self.answers = answers
        self.refused = refused
        self.queries: list[str] = []

    def query_all(self, soql: str) -> dict[str, Any]:
        self.queries.append(soql)
        sobject = soql.split(" FROM ", 1)[1].split()[0]
        if sobject in self.refused:
            content = [{"errorCode": self.refused[sobject], "message": "no"}]
            raise SalesforceMalformedRequest("url", 400, sobject, content)
        return {"records": self.answers.get(sobject, [])}

    query = query_all

    def restful(self, path: str, method: str = "GET") -> dict[str, Any]:
        assert (path, method) == ("", "GET")
        return {"identity": f"https://org.example/id/00D8d0000000001AAA/{USER_ID}"}


def org(refused: dict[str, str] | None = None, **answers: list[dict[str, Any]]) -> Any:
    base: dict[str, list[dict[str, Any]]] = {
        "ApexTrigger": [{"Name": "CaseRouting"}],
        "User": [{"Username": "loader@example.org"}],
        "CustomPermission": [{"Id": "0CP8d0000000001GAA"}],
        "SetupEntityAccess": [{"ParentId": "0PS8d0000000001GAA"}],
        "PermissionSetAssignment": [],
    }
    return FakeOrg({**base, **answers}, refused or {})


def test_the_bypass_chain_reads_three_objects_with_the_ids_it_found() -> None:
    client = org()
    check = check_case_automation(client)
    assert (check.triggers, check.bypassed, check.would_fire) == (("CaseRouting",), False, True)
    chain = [soql for soql in client.queries if "Permission" in soql or "SetupEntity" in soql]
    assert chain == [
        "SELECT Id FROM CustomPermission WHERE DeveloperName = 'Bypass_Automation'",
        "SELECT ParentId FROM SetupEntityAccess "
        "WHERE SetupEntityType = 'CustomPermission' AND SetupEntityId IN ('0CP8d0000000001GAA')",
        f"SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '{USER_ID}' "
        "AND PermissionSetId IN ('0PS8d0000000001GAA')",
    ]


def test_an_org_without_the_custom_permission_has_no_bypass() -> None:
    check = check_case_automation(org(CustomPermission=[]))
    assert (check.bypassed, check.would_fire) == (False, True)


def test_unreadable_bypass_with_active_triggers_cannot_tell_and_refuses() -> None:
    check = check_case_automation(org(refused={"SetupEntityAccess": "INSUFFICIENT_ACCESS"}))
    assert check.bypassed is None
    assert check.would_fire is None
    assert check.unreadable == (
        "the permission sets granting Bypass_Automation (SetupEntityAccess): INSUFFICIENT_ACCESS",
    )
    with pytest.raises(AutomationWouldFireError) as raised:
        require_automation_safe(check, accept_automation=False)
    message = str(raised.value)
    assert message.startswith("Cannot tell whether Case automation would fire for loader@example.org")
    assert "CaseRouting" in message
    assert "SetupEntityAccess): INSUFFICIENT_ACCESS" in message
    assert "--accept-automation" in message
    require_automation_safe(check, accept_automation=True)


def test_unreadable_triggers_refuse_unless_the_user_bypasses() -> None:
    refused = {"ApexTrigger": "INVALID_TYPE", "AssignmentRule": "INVALID_TYPE"}
    check = check_case_automation(org(refused=refused))
    assert check.would_fire is None
    assert check.unreadable[:2] == (
        "active Case triggers (ApexTrigger): INVALID_TYPE",
        "active Case assignment rules (AssignmentRule): INVALID_TYPE",
    )
    with pytest.raises(AutomationWouldFireError):
        require_automation_safe(check, accept_automation=False)
    bypassing = check_case_automation(
        org(refused=refused, PermissionSetAssignment=[{"Id": "0Pa8d0000000004AAA"}])
    )
    assert (bypassing.bypassed, bypassing.would_fire) == (True, False)


def test_no_active_triggers_nothing_fires_even_when_the_bypass_is_unreadable() -> None:
    check = check_case_automation(org(ApexTrigger=[], refused={"CustomPermission": "INVALID_TYPE"}))
    assert (check.bypassed, check.would_fire) == (None, False)
    require_automation_safe(check, accept_automation=False)


def test_active_assignment_rules_are_reported_but_do_not_fire() -> None:
    check = AutomationCheck(triggers=(), assignment_rules=("Standard",), bypassed=False)
    assert check.would_fire is False


def test_a_permission_name_that_is_not_an_api_name_is_refused() -> None:
    with pytest.raises(ValueError, match="not a custom permission API name"):
        check_case_automation(org(), bypass_permission="x' OR Id != '")
