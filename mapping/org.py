"""What the mapping needs to know of the target org, as plain data: describes, users, queues.

`loaders.org_snapshot.fetch_org_snapshot` reads it from a live org; the proposer, the schema
check and the expectations take it as an argument, so they can be tested on describes written
by hand.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field
from typing import Any

TARGET_OBJECTS = (
    "Account",
    "Contact",
    "Case",
    "EmailMessage",
    "Task",
    "CaseComment",
    "ContentVersion",
    "Topic",
    "TopicAssignment",
    "User",
    "Group",
)
"""Standard objects a migration writes to or reads owners from."""


@dataclass(frozen=True)
class OrgUser:
    id: str
    username: str
    email: str | None
    name: str
    is_active: bool


@dataclass(frozen=True)
class OrgQueue:
    id: str
    name: str
    developer_name: str


@dataclass(frozen=True)
class OrgSnapshot:
    """The target org as the mapping sees it. `describes` maps an sObject name to its describe."""

    instance_url: str
    organization_id: str | None
    api_version: str
    describes: MappingType[str, dict[str, Any]]
    users: tuple[OrgUser, ...] = ()
    queues: tuple[OrgQueue, ...] = ()
    integration_user_id: str | None = None
    """The user the connection logs in as (the usual fallback owner)."""
    extra: MappingType[str, Any] = field(default_factory=dict)

    def has_object(self, sobject: str) -> bool:
        return sobject in self.describes

    def field(self, sobject: str, name: str) -> dict[str, Any] | None:
        """The describe of one field, matched case-insensitively like Salesforce does."""
        describe = self.describes.get(sobject)
        if describe is None:
            return None
        wanted = name.lower()
        return next((item for item in describe["fields"] if item["name"].lower() == wanted), None)

    def fields(self, sobject: str) -> list[dict[str, Any]]:
        describe = self.describes.get(sobject)
        return list(describe["fields"]) if describe else []

    def picklist_values(self, sobject: str, name: str) -> list[str]:
        """Active picklist values of a field, in the org's order (empty when not a picklist)."""
        described = self.field(sobject, name)
        if described is None:
            return []
        values = described.get("picklistValues") or []
        return [value["value"] for value in values if value.get("active", True)]
