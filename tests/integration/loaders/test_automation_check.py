"""The loader's Case automation check against the local org over HTTPS, as the integration user
(who, in a fresh org, does not hold the bypass permission) and as the admin (who does).

Expected facts, from the emulator's contract (§4.8) and README rather than from the code under test:
the org's automation is one Case trigger, `CaseAutoResponse`, active while the toggle
`automation_enabled` is on and skipped for users with the `bypass_automation` permission, which the
seeded admin holds and the integration user does not; the org has no Case assignment rules.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from simple_salesforce import Salesforce

from emulators.salesforce.http.server import RunningServer
from loaders.automation import (
    AutomationWouldFireError,
    check_case_automation,
    require_automation_safe,
)
from tests.fixtures.oauth import INTEGRATION_USERNAME, password_token
from tests.fixtures.salesforce import admin_call, salesforce_client

ADMIN_USERNAME = "admin@stames-sf.example.org"


@pytest.fixture
def integration(sf_server: RunningServer) -> Iterator[Salesforce]:
    client = salesforce_client(sf_server, password_token(sf_server))
    yield client
    client.session.close()


def test_automation_fires_for_the_integration_user_and_the_load_is_refused(integration: Salesforce) -> None:
    check = check_case_automation(integration)
    assert check.triggers == ("CaseAutoResponse",)
    assert check.assignment_rules == ()
    assert check.bypassed is False
    assert check.unreadable == ()
    assert check.user == INTEGRATION_USERNAME
    assert check.would_fire is True

    with pytest.raises(AutomationWouldFireError) as raised:
        require_automation_safe(check, accept_automation=False)
    message = str(raised.value)
    assert "\n" not in message
    assert "CaseAutoResponse" in message
    assert INTEGRATION_USERNAME in message
    for way_out in ("Grant the Bypass_Automation custom permission", "deactivate", "--accept-automation"):
        assert way_out in message


def test_accepting_the_automation_lets_the_load_go_on(integration: Salesforce) -> None:
    check = check_case_automation(integration)
    assert check.would_fire is True
    require_automation_safe(check, accept_automation=True)


def test_the_admin_holds_the_bypass(sf: Salesforce) -> None:
    check = check_case_automation(sf)
    assert check.user == ADMIN_USERNAME
    assert check.triggers == ("CaseAutoResponse",)
    assert check.bypassed is True
    assert check.would_fire is False
    require_automation_safe(check, accept_automation=False)


def test_with_the_automation_switched_off_nothing_fires(
    sf_server: RunningServer, integration: Salesforce
) -> None:
    admin_call(sf_server, "POST", "/__admin/toggles", json={"automation_enabled": False}).raise_for_status()
    check = check_case_automation(integration)
    assert check.triggers == ()
    assert check.bypassed is False
    assert check.would_fire is False
    require_automation_safe(check, accept_automation=False)


def test_granting_the_bypass_to_the_integration_user_lets_the_load_go_on(
    sf_server: RunningServer, integration: Salesforce
) -> None:
    admin_call(
        sf_server,
        "POST",
        f"/__admin/users/{INTEGRATION_USERNAME}/permissions",
        json={"bypass_automation": True},
    ).raise_for_status()
    check = check_case_automation(integration)
    assert check.triggers == ("CaseAutoResponse",)
    assert check.bypassed is True
    assert check.would_fire is False
    require_automation_safe(check, accept_automation=False)


def test_what_the_check_says_matches_what_a_case_insert_does(integration: Salesforce) -> None:
    """The check's verdict is the automation's behaviour: as the integration user an e-mail Case
    gets the auto-response Task."""
    assert check_case_automation(integration).would_fire is True
    case = integration.Case.create(
        {"Subject": "Printer", "Origin": "Email", "SuppliedEmail": "a@example.com"}
    )
    tasks = integration.query(f"SELECT Subject FROM Task WHERE WhatId = '{case['id']}'")["records"]
    assert [task["Subject"] for task in tasks] == ["Auto-response sent"]
