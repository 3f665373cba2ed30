"""The load plan from hand-written describes: lookups by external id, deferred lookups, audit fields."""

from __future__ import annotations

from typing import Any

from loaders.load.plan import AuditFields, LoadPlan, build_plan
from tests.fixtures.transform import confirmed_mapping


def _field(name: str, *, createable: bool = True, updateable: bool = True, **extra: Any) -> dict[str, Any]:
    return {"name": name, "createable": createable, "updateable": updateable, **extra}


def _lookup(name: str, relationship: str, *targets: str, polymorphic: bool = False) -> dict[str, Any]:
    return _field(
        name, referenceTo=list(targets), relationshipName=relationship, polymorphicForeignKey=polymorphic
    )


def _describes(*, audit: bool = True, created_at_field: bool = False) -> dict[str, dict]:
    created = [_field("CreatedDate", createable=audit, updateable=False)]
    if created_at_field:
        created.append(_field("Stames_Created_At__c"))
    common = [_field("Stames_Id__c"), *created]
    return {
        "Account": {"fields": [*common, _field("Name")]},
        "Contact": {"fields": [*common, _field("LastName"), _lookup("AccountId", "Account", "Account")]},
        "Case": {
            "fields": [
                *common,
                _field("Subject"),
                _lookup("ParentId", "Parent", "Case"),
                _lookup("ContactId", "Contact", "Contact"),
                _lookup("Stames_Warranty_Record__c", "Stames_Warranty_Record__r", "Stames_Warranty__c"),
            ]
        },
        "Task": {
            "fields": [
                *common,
                _field("Subject"),
                _lookup("WhatId", "What", "Account", "Case", polymorphic=True),
            ]
        },
        "Stames_Warranty__c": {"fields": [*common, _field("Name"), _lookup("Case__c", "Case__r", "Case")]},
    }


TABLES = {
    "sync_salesforce__accounts": ("Stames_Id__c", "Id", "Name"),
    "sync_salesforce__contacts": ("Stames_Id__c", "LastName", "ref__AccountId", "CreatedDate"),
    "sync_salesforce__cases": ("Stames_Id__c", "Subject", "ref__ContactId", "ref__ParentId", "CreatedDate"),
    "sync_salesforce__case_custom_fields": ("Stames_Id__c", "ref__Stames_Warranty_Record__c"),
    "sync_salesforce__tasks": ("Stames_Id__c", "Subject", "ref__WhatId", "stames__thread_position"),
    "sync_salesforce__custom_object_records": ("Stames_Id__c", "stames__sobject", "ref__Case__c"),
}


def _plan(describes: dict[str, dict]) -> LoadPlan:
    mapping = confirmed_mapping()
    wanted = {"Account", "Contact", "Case", "Task", "Stames_Warranty__c"}
    mapping = mapping.model_copy(
        update={"objects": [entry for entry in mapping.objects if entry.target in wanted]}
    )
    return build_plan(mapping, describes, TABLES, {"Stames_Warranty__c": ("Name",)})


def test_phases_follow_the_mapping_order_and_parents_go_by_stames_id() -> None:
    plan = _plan(_describes())
    assert not plan.problems
    assert [phase.sobject for phase in plan.phases] == [
        "Account",
        "Contact",
        "Case",
        "Task",
        "Stames_Warranty__c",
    ]
    contact = plan.phase("Contact")
    assert contact is not None
    [account] = contact.lookups
    assert (account.parent.bulk_header, account.deferred) == ("Account.Stames_Id__c", False)


def test_a_lookup_to_the_same_or_a_later_object_waits_for_the_links_pass() -> None:
    case = _plan(_describes()).phase("Case")
    assert case is not None
    deferred = {lookup.parent.field for lookup in case.deferred}
    assert deferred == {"ParentId", "Stames_Warranty_Record__c"}
    assert {lookup.parent.field for lookup in case.immediate} == {"ContactId"}


def test_a_polymorphic_lookup_names_the_object_the_transform_wrote() -> None:
    task = _plan(_describes()).phase("Task")
    assert task is not None
    [what] = task.lookups
    assert what.parent.bulk_header == "Case:What.Stames_Id__c"


def test_created_date_goes_where_the_org_lets_it() -> None:
    assert _plan(_describes(audit=True)).phases[1].audit is AuditFields.KEPT
    assert _plan(_describes(audit=False, created_at_field=True)).phases[1].audit is AuditFields.FALLBACK
    assert _plan(_describes(audit=False)).phases[1].audit is AuditFields.DROPPED


def test_a_field_the_org_lacks_is_a_problem_before_anything_is_sent() -> None:
    describes = _describes()
    describes["Case"]["fields"] = [
        field for field in describes["Case"]["fields"] if field["name"] != "Subject"
    ]
    problems = _plan(describes).problems
    assert any("Case has no field Subject" in problem for problem in problems)
