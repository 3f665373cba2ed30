"""Who can own records in the org: its users and queues, and whether the fallback owner can."""

from __future__ import annotations

from dataclasses import dataclass

from simple_salesforce import Salesforce

from mapping.model import Owners
from mapping.org import OrgQueue, OrgUser

USERS_SOQL = "SELECT Id, Username, Email, Name, IsActive FROM User"
QUEUES_SOQL = "SELECT Id, Name, DeveloperName FROM Group WHERE Type = 'Queue'"


@dataclass(frozen=True)
class OrgOwners:
    """Who can own records in the org: its users (active or not) and its queues."""

    users: tuple[OrgUser, ...]
    queues: tuple[OrgQueue, ...]


def fetch_org_owners(client: Salesforce) -> OrgOwners:
    """Users and queues only: the gate needs no describes."""
    users = tuple(
        OrgUser(
            id=row["Id"],
            username=row["Username"],
            email=row.get("Email"),
            name=row.get("Name") or row["Username"],
            is_active=bool(row.get("IsActive")),
        )
        for row in client.query_all(USERS_SOQL)["records"]
    )
    queues = tuple(
        OrgQueue(id=row["Id"], name=row["Name"], developer_name=row.get("DeveloperName") or row["Name"])
        for row in client.query_all(QUEUES_SOQL)["records"]
    )
    return OrgOwners(users, queues)


def fallback_owner_problem(owners: Owners, org: OrgOwners) -> str | None:
    """Why the mapping's fallback owner cannot take records (None when it can): a choice of an owner
    Salesforce would refuse is no choice."""
    fallback = owners.fallback_owner_id
    if not fallback:
        return (
            "the mapping names no fallback owner (owners.fallback_owner_id): "
            "name a user or queue in the mapping and confirm it again"
        )
    user = next((user for user in org.users if user.id == fallback), None)
    if user is not None:
        return None if user.is_active else f"the fallback owner {user.username} ({fallback}) is inactive"
    if any(queue.id == fallback for queue in org.queues):
        return None
    return f"the fallback owner {fallback} is no user or queue of the org"
