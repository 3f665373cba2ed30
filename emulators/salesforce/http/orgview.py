"""Small reads of the org that the HTTP layer needs: users by name, the org Id.

Kept in one place so the transport depends on the store only through the `OrgStore` contract plus
`Org.user()` / `Org.admin_user_id`.
"""

from __future__ import annotations

from typing import Any

FALLBACK_ORG_ID = "00D8d0000000001AAA"


def org_id_of(org: Any) -> str:
    """The Organization record's Id (tokens start with it, userinfo reports it)."""
    known = getattr(org, "org_id", None)
    if isinstance(known, str):
        return known
    for record in org.scan("Organization"):
        return str(record["Id"])
    return FALLBACK_ORG_ID


def user_record(org: Any, user_id: str) -> dict[str, Any] | None:
    record = org.get(user_id)
    if record is None or record.get("attributes", {}).get("type") != "User":
        return None
    return dict(record)


def active_user_id(org: Any, username: str | None) -> str | None:
    """The Id of the active user with this Username (case-insensitive, as logins are)."""
    if not username:
        return None
    matches = org.find_ids("User", "Username", username)
    if not matches:
        matches = [
            str(record["Id"])
            for record in org.scan("User")
            if str(record.get("Username", "")).lower() == username.lower()
        ]
    for user_id in matches:
        if org.user(user_id).is_active:
            return user_id
    return None


def username_of(org: Any, user_id: str) -> str:
    record = user_record(org, user_id)
    return str(record.get("Username", "")) if record else ""
