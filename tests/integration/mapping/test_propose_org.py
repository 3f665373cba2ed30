"""Owners and Case value maps proposed against the local Salesforce org, read over HTTPS.

The org seeds users for its default agent emails by the rule its seed documents (sorted by email:
the 2nd inactive, the 3rd with the email's case changed, every 4th without a user); the expected
states below are that rule applied by hand.
"""

from pathlib import Path

import pytest

from loaders.org_snapshot import fetch_org_snapshot
from mapping.propose.strategies import propose_owners
from mapping.propose.values import priority_value_map, status_value_map
from tests.fixtures.raw_tables import write_raw

AGENTS = [
    {"id": 1, "email": "ana.garcia@example.com", "name": "Ana García", "active": True, "deleted": False},
    {"id": 2, "email": "ben.okafor@example.com", "name": "Ben Okafor", "active": True, "deleted": False},
    {"id": 3, "email": "Chloe.Martin@example.com", "name": "Chloé Martin", "active": True, "deleted": False},
    {"id": 4, "email": "dev.patel@example.com", "name": "Dev Patel", "active": True, "deleted": False},
    {"id": 5, "email": "emma.schulz@example.com", "name": "Emma Schulz", "active": True, "deleted": False},
]
STATUSES = [
    {"key": "new", "label": "Nuevo", "category": "new", "active": True},
    {"key": "open", "label": "Abierto", "category": "open", "active": True},
    {"key": "solved", "label": "Resuelto", "category": "solved", "active": True},
    {"key": "closed", "label": "Cerrado", "category": "closed", "active": True},
]


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    tickets = [
        {"id": 1, "status": "open", "status_category": "open", "priority": "urgent", "assignee_id": 7},
        {"id": 2, "status": "closed", "status_category": "closed", "priority": "normal", "assignee_id": 1},
    ]
    return write_raw(
        tmp_path / "w.duckdb", {"agents": AGENTS, "ticket_statuses": STATUSES, "tickets": tickets}
    )


def test_owners_and_case_values_from_the_live_org(sf, warehouse):
    org = fetch_org_snapshot(sf)
    owners = propose_owners(warehouse, org)
    states = {agent.agent_id: agent.state for agent in owners.agents}
    assert states == {
        1: "matched",
        2: "inactive_user",
        3: "matched",  # stored with another case in Stames and in the org
        4: "no_user",
        5: "matched",
        7: "deleted_agent",
    }
    users = {user.id: user for user in org.users}
    for agent in owners.agents:
        if agent.user_id:
            assert users[agent.user_id].email.lower() == agent.email.lower()
    assert owners.fallback_owner_id == org.integration_user_id
    assert users[org.integration_user_id].name in owners.fallback_owner_name

    statuses = {
        entry.source: (entry.target, entry.new_value, entry.closed)
        for entry in status_value_map(warehouse, org).entries
    }
    assert statuses == {
        "new": ("New", False, False),
        "open": ("Working", False, False),
        "solved": ("Solved", True, True),
        "closed": ("Closed", False, True),
    }
    priorities = {entry.source: entry.target for entry in priority_value_map(warehouse, org).entries}
    assert priorities == {"normal": "Medium", "urgent": "Urgent"}
