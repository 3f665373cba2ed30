"""Users the org should already have: one per helpdesk agent e-mail (`--match-agents`).

A customer's org has its agents as Users before a migration starts; the loader matches agents to
them by e-mail. Users are written through the store like any record, as the admin.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from emulators.salesforce.org.types import OpContext, OrgStore

_ALIAS_CHARS = re.compile(r"[^a-z0-9]")


def agent_emails(dataset_dir: Path) -> list[str]:
    """E-mails of the active, not anonymised agents of a Stames dataset folder (`agents.jsonl`)."""
    path = dataset_dir / "agents.jsonl"
    if not path.exists():
        return []
    emails: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        agent = json.loads(line)
        email = agent.get("email")
        if email and agent.get("active", True) and not agent.get("deleted", False):
            emails.append(str(email).strip())
    return emails


def _user_values(email: str, template: dict[str, Any]) -> dict[str, Any]:
    local = email.split("@", 1)[0]
    words = [word for word in re.split(r"[._\-+]", local) if word]
    alias = (_ALIAS_CHARS.sub("", local.lower()) or "agent")[:8]
    return {
        "Username": email.lower(),
        "Email": email,
        "FirstName": words[0].capitalize() if len(words) > 1 else None,
        "LastName": (words[-1] if words else local).capitalize(),
        "Alias": alias,
        "CommunityNickname": local[:40],
        "TimeZoneSidKey": template.get("TimeZoneSidKey") or "GMT",
        "LocaleSidKey": template.get("LocaleSidKey") or "en_US",
        "EmailEncodingKey": template.get("EmailEncodingKey") or "UTF-8",
        "LanguageLocaleKey": template.get("LanguageLocaleKey") or "en_US",
        "ProfileId": template.get("ProfileId"),
        "IsActive": True,
    }


def ensure_agent_users(org: Any, emails: list[str]) -> list[str]:
    """Insert a User for each e-mail no user has yet; returns the new Ids."""
    store: OrgStore = org
    admin_id = str(org.admin_user_id)
    template = dict(store.get(admin_id) or {})
    known = {str(record.get("Email", "")).lower() for record in store.scan("User")}
    known |= {str(record.get("Username", "")).lower() for record in store.scan("User")}
    created: list[str] = []
    for email in dict.fromkeys(emails):
        if email.lower() in known:
            continue
        values = {key: value for key, value in _user_values(email, template).items() if value is not None}
        result = store.insert("User", values, OpContext(user_id=admin_id))
        if result.success and result.id:
            created.append(result.id)
            known.add(email.lower())
    return created
