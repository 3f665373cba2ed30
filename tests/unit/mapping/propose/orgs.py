"""Org snapshots written by hand: a fresh org's Case picklists (CONTRACT §4.2) and a few users."""

from __future__ import annotations

from mapping.org import OrgQueue, OrgSnapshot, OrgUser


def picklist(name: str, values: list[str]) -> dict:
    return {
        "name": name,
        "type": "picklist",
        "picklistValues": [{"value": v, "label": v, "active": True} for v in values],
    }


CASE = {
    "name": "Case",
    "fields": [
        picklist("Status", ["New", "Working", "Escalated", "Closed"]),
        picklist("Priority", ["High", "Medium", "Low"]),
        picklist("Origin", ["Phone", "Email", "Web"]),
    ],
}


def org(
    users: tuple[OrgUser, ...] = (),
    integration_user_id: str | None = None,
    queues: tuple[OrgQueue, ...] = (),
    case: dict | None = None,
) -> OrgSnapshot:
    return OrgSnapshot(
        instance_url="https://127.0.0.1",
        organization_id=None,
        api_version="62.0",
        describes={"Case": case or CASE},
        users=users,
        queues=queues,
        integration_user_id=integration_user_id,
    )
