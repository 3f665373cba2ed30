"""The Case automation of contract §4.8 and the ways around it."""

from __future__ import annotations

from emulators.salesforce.org.automation import AUTO_RESPONSE_SUBJECT
from emulators.salesforce.org.store import Org
from emulators.salesforce.org.types import OpContext


def tasks_on(org: Org, case_id: str | None) -> list[dict]:
    return [task for task in org.scan("Task") if task["WhatId"] == case_id]


def test_case_insert_creates_auto_response_task_and_queues_email_cases(
    org: Org, integration: OpContext
) -> None:
    case = org.insert(
        "Case", {"Subject": "help", "Origin": "Email", "SuppliedEmail": "c@example.com"}, integration
    )
    assert case.success
    stored = org.get(case.id)
    assert stored is not None
    assert stored["OwnerId"] == org.support_queue_id
    tasks = tasks_on(org, case.id)
    assert [(task["Subject"], task["Status"], task["IsClosed"]) for task in tasks] == [
        (AUTO_RESPONSE_SUBJECT, "Completed", True)
    ]


def test_phone_cases_keep_their_owner_but_still_get_the_task(org: Org, integration: OpContext) -> None:
    case = org.insert("Case", {"Subject": "call", "Origin": "Phone"}, integration)
    stored = org.get(case.id)
    assert stored is not None
    assert stored["OwnerId"] == org.integration_user_id
    assert len(tasks_on(org, case.id)) == 1


def test_automation_without_recipient_fails_the_row(org: Org, integration: OpContext) -> None:
    failed = org.insert("Case", {"Subject": "anon", "Origin": "Web"}, integration)
    assert not failed.success
    assert failed.errors[0].code == "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY"
    assert list(org.scan("Task")) == []


def test_bypass_permission_skips_automation(org: Org, admin: OpContext) -> None:
    case = org.insert("Case", {"Subject": "anon", "Origin": "Web"}, admin)
    assert case.success
    assert tasks_on(org, case.id) == []


def test_toggle_off_skips_automation(org: Org, integration: OpContext) -> None:
    org.set_toggles({"automation_enabled": False})
    case = org.insert("Case", {"Subject": "anon", "Origin": "Email"}, integration)
    assert case.success
    stored = org.get(case.id)
    assert stored is not None
    assert stored["OwnerId"] == org.integration_user_id
    assert tasks_on(org, case.id) == []


def test_granting_bypass_takes_effect(org: Org, integration: OpContext) -> None:
    org.grant(org.integration_user_id, bypass_automation=True)
    case = org.insert("Case", {"Subject": "x", "Origin": "Email"}, integration)
    assert case.success
    assert tasks_on(org, case.id) == []
