"""What a fresh org holds."""

from __future__ import annotations

from pathlib import Path

from emulators.salesforce.org.ids import normalise
from emulators.salesforce.org.seed import PRE_EXISTING
from emulators.salesforce.org.store import Org


def test_organization_and_profiles(org: Org) -> None:
    organizations = list(org.scan("Organization"))
    assert len(organizations) == 1
    assert organizations[0]["Id"] == org.org_id
    assert org.org_id.startswith("00D")
    assert normalise(org.org_id) == org.org_id
    assert {row["Name"] for row in org.scan("Profile")} == {"System Administrator", "Standard User"}


def test_admin_and_integration_users(org: Org) -> None:
    admin = org.user(org.admin_user_id)
    assert admin.is_active and admin.set_audit_fields and admin.bypass_automation and admin.hard_delete
    integration = org.user(org.integration_user_id)
    assert integration.is_active and integration.set_audit_fields and integration.hard_delete
    assert not integration.bypass_automation
    assert org.user("005000000000000AAA").is_active is False


def test_support_queue(org: Org) -> None:
    queue = org.get(org.support_queue_id)
    assert queue is not None
    assert (queue["attributes"]["type"], queue["Type"]) == ("Group", "Queue")


def test_agent_users_include_near_misses(tmp_path: Path) -> None:
    agents = [
        "a.one@helpdesk.example",
        "b.two@helpdesk.example",
        "c.three@helpdesk.example",
        "d.four@helpdesk.example",
        "e.five@helpdesk.example",
    ]
    org = Org.open(tmp_path / "state", agent_emails=agents)
    users = {row["Email"]: row for row in org.scan("User")}
    exact = [email for email in agents if email in users]
    assert users["a.one@helpdesk.example"]["IsActive"] is True
    assert users["b.two@helpdesk.example"]["IsActive"] is False
    assert "c.three@helpdesk.example" not in users
    assert [email for email in users if email.lower() == "c.three@helpdesk.example"] != []
    assert "d.four@helpdesk.example" not in {email.lower() for email in users}
    assert set(exact) == {"a.one@helpdesk.example", "b.two@helpdesk.example", "e.five@helpdesk.example"}
    unmatched = [email for email in users if email.lower() not in agents and "stames-sf" not in email]
    assert len(unmatched) == 2
    assert len({row["Username"] for row in users.values()}) == len(users)
    org.close()


def test_pre_existing_business_records(org: Org) -> None:
    for sobject, field_name in (("Account", "Name"), ("Contact", "LastName"), ("Case", "Subject")):
        rows = list(org.scan(sobject))
        assert len(rows) == 2
        assert all(row[field_name].startswith(PRE_EXISTING) for row in rows)
    assert list(org.scan("Task")) == []


def test_seeded_records_hold_only_described_fields(org: Org) -> None:
    for sobject, rows in org.export().items():
        described = {item["name"] for item in org.describe(sobject)["fields"]}
        for row in rows:
            assert set(row) == described, (sobject, set(row) - described)


def test_reopening_with_agents_adds_their_users_once(tmp_path: Path) -> None:
    state = tmp_path / "state"
    Org.open(state).close()
    agents = ["x.one@helpdesk.example", "y.two@helpdesk.example"]
    for _ in range(2):
        org = Org.open(state, agent_emails=agents)
        emails = [row["Email"] for row in org.scan("User")]
        org.close()
    assert emails.count("x.one@helpdesk.example") == 1
    assert emails.count("y.two@helpdesk.example") == 1
