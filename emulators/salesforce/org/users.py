"""Users as the rules see them: active or not, plus the three permissions that change what a write may do."""

from __future__ import annotations

import json
from dataclasses import dataclass

from emulators.salesforce.org.database import Database
from emulators.salesforce.org.ids import normalise

PERMISSIONS = ("set_audit_fields", "bypass_automation", "hard_delete")
"""Set Audit Fields upon Record Creation (+ Update Records with Inactive Owners), a custom bypass
permission checked by the org's automation, and Bulk API Hard Delete."""

PERMISSION_KEY = "permissions:"
"""Settings key prefix under which a user's permissions are stored."""


@dataclass(frozen=True)
class UserInfo:
    """A user as the rules see them: active or not, and the permissions that change what writes may do."""

    user_id: str
    username: str = ""
    email: str = ""
    is_active: bool = False
    set_audit_fields: bool = False
    bypass_automation: bool = False
    hard_delete: bool = False
    exists: bool = False


PERMISSIONS = ("set_audit_fields", "bypass_automation", "hard_delete")


def load_user(database: Database, user_id: str) -> UserInfo:
    """The user's status and permissions; an unknown or malformed Id gives an inactive user with none."""
    canonical = normalise(user_id) if isinstance(user_id, str) else None
    if canonical is None:
        return UserInfo(user_id=str(user_id))
    row = database.fetch(canonical)
    if row is None or row[0] != "User":
        return UserInfo(user_id=canonical)
    data = json.loads(row[2])
    granted = json.loads(database.setting(f"{PERMISSION_KEY}{canonical}") or "{}")
    return UserInfo(
        user_id=canonical,
        username=data.get("Username", ""),
        email=data.get("Email", ""),
        is_active=bool(data.get("IsActive")) and not row[1],
        exists=True,
        **{name: bool(granted.get(name)) for name in PERMISSIONS},
    )
