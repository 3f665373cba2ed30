"""Small reads of the org that the HTTP layer needs: users by name, the org Id.

Kept in one place so the transport depends on the store only through the `OrgStore` contract plus
`Org.user()`, `Org.org_id` and `Org.admin_user_id`.
"""

from __future__ import annotations

from typing import Any


def org_id_of(org: Any) -> str:
    """The Organization record's Id (tokens start with it, userinfo reports it)."""
    return str(org.org_id)


def user_record(org: Any, user_id: str) -> dict[str, Any] | None:
    record = org.get(user_id)
    if record is None or record.get("attributes", {}).get("type") != "User":
        return None
    return dict(record)


def active_user_id(org: Any, username: str | None) -> str | None:
    """The Id of the active user with this Username (case-insensitive, as logins are)."""
    if not username:
        return None
    for user_id in org.find_ids("User", "Username", username):
        if org.user(user_id).is_active:
            return str(user_id)
    return None


def username_of(org: Any, user_id: str) -> str:
    return org.user(user_id).username
