"""The setup objects a client reads to learn whether Case automation fires for it: answered from
the org's switch and permissions, read-only.

Expected rows come from the emulator README (§ Automation, § Seed): one Case trigger
`CaseAutoResponse`, on while `automation_enabled` is; the custom permission `Bypass_Automation`,
held by the seeded admin and not by the integration user; no Case assignment rules.
"""

from __future__ import annotations

import pytest

from emulators.salesforce.org.store import Org
from emulators.salesforce.org.types import OpContext
from emulators.salesforce.soql import execute

SETUP_OBJECTS = (
    "ApexTrigger",
    "AssignmentRule",
    "CustomPermission",
    "PermissionSet",
    "SetupEntityAccess",
    "PermissionSetAssignment",
)


def rows(org: Org, soql: str) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "attributes"} for row in execute(org, soql).records]


def holders(org: Org) -> set[str]:
    """Who holds Bypass_Automation, by the three queries a real org answers."""
    permission = rows(org, "SELECT Id FROM CustomPermission WHERE DeveloperName = 'Bypass_Automation'")
    sets = rows(
        org,
        "SELECT ParentId FROM SetupEntityAccess WHERE SetupEntityType = 'CustomPermission' "
        f"AND SetupEntityId = '{permission[0]['Id']}'",
    )
    quoted = ", ".join(f"'{row['ParentId']}'" for row in sets)
    assigned = rows(
        org, f"SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSetId IN ({quoted})"
    )
    return {row["AssigneeId"] for row in assigned}


def test_the_case_trigger_is_active_while_the_automation_is_on(org: Org) -> None:
    active = "SELECT Name FROM ApexTrigger WHERE TableEnumOrId = 'Case' AND Status = 'Active'"
    assert rows(org, active) == [{"Name": "CaseAutoResponse"}]
    trigger = rows(
        org, "SELECT UsageBeforeInsert, UsageAfterInsert, UsageAfterUpdate, IsValid FROM ApexTrigger"
    )
    assert trigger == [
        {"UsageBeforeInsert": True, "UsageAfterInsert": True, "UsageAfterUpdate": False, "IsValid": True}
    ]
    org.set_toggles({"automation_enabled": False})
    assert rows(org, active) == []
    assert rows(org, "SELECT Name, Status FROM ApexTrigger") == [
        {"Name": "CaseAutoResponse", "Status": "Inactive"}
    ]


def test_there_are_no_case_assignment_rules(org: Org) -> None:
    assert rows(org, "SELECT Name FROM AssignmentRule WHERE SobjectType = 'Case' AND Active = true") == []


def test_the_bypass_is_held_by_the_users_with_the_permission(org: Org) -> None:
    assert holders(org) == {org.admin_user_id}
    org.grant(org.integration_user_id, bypass_automation=True)
    assert holders(org) == {org.admin_user_id, org.integration_user_id}
    org.grant(org.admin_user_id, bypass_automation=False)
    assert holders(org) == {org.integration_user_id}


def test_relationships_and_semi_joins_work_across_the_setup_objects(org: Org) -> None:
    assignments = rows(org, "SELECT Assignee.Username, PermissionSet.Name FROM PermissionSetAssignment")
    assert [(row["Assignee"]["Username"], row["PermissionSet"]["Name"]) for row in assignments] == [
        ("admin@stames-sf.example.org", "Stames_Load_Bypass")
    ]
    granted = (
        "SELECT Id FROM SetupEntityAccess WHERE SetupEntityId IN "
        "(SELECT Id FROM CustomPermission WHERE DeveloperName = 'Bypass_Automation') "
        "AND ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '{}')"
    )
    assert len(rows(org, granted.format(org.admin_user_id))) == 1
    assert rows(org, granted.format(org.integration_user_id)) == []


def test_setup_rows_are_found_by_id_and_have_their_key_prefixes(org: Org) -> None:
    expected = {
        "ApexTrigger": "01q",
        "CustomPermission": "0CP",
        "PermissionSet": "0PS",
        "SetupEntityAccess": "0J0",
        "PermissionSetAssignment": "0Pa",
    }
    for sobject, prefix in expected.items():
        (row,) = org.scan(sobject)
        assert row["Id"].startswith(prefix)
        fetched = org.get(row["Id"][:15])
        assert fetched is not None
        assert fetched["attributes"]["type"] == sobject
    assert org.find_ids("ApexTrigger", "Name", "caseautoresponse") == [next(org.scan("ApexTrigger"))["Id"]]


@pytest.mark.parametrize("sobject", SETUP_OBJECTS)
def test_setup_objects_are_read_only(org: Org, admin: OpContext, sobject: str) -> None:
    inserted = org.insert(sobject, {}, admin)
    assert not inserted.success
    assert inserted.errors[0].code == "INVALID_TYPE"
    assert inserted.errors[0].message.startswith("entity type cannot be inserted")
    for row in org.scan(sobject):
        updated = org.update(sobject, row["Id"], {}, admin)
        deleted = org.delete(row["Id"], admin)
        assert (updated.errors[0].code, deleted.errors[0].code) == ("INVALID_TYPE", "INVALID_TYPE")
    assert org.describe(sobject)["createable"] is False


def test_a_grant_does_not_write_records_and_the_export_holds_the_setup_rows(org: Org) -> None:
    before = org.export()
    assert [row["Name"] for row in before["ApexTrigger"]] == ["CaseAutoResponse"]
    org.grant(org.integration_user_id, bypass_automation=True)
    after = org.export()
    assert len(after["PermissionSetAssignment"]) == len(before["PermissionSetAssignment"]) + 1
    for sobject in before:
        if sobject != "PermissionSetAssignment":
            assert after[sobject] == before[sobject], sobject
