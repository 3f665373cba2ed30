"""Agent e-mails of a Stames dataset, for `--match-agents`.

The org seeds its Users from these e-mails (with the deliberate gaps of a real customer org: an
inactive user, a case variant, an agent without a user), see `org/seed.py`.
"""

from __future__ import annotations

import json
from pathlib import Path


def agent_emails(dataset_dir: Path) -> list[str]:
    """E-mails of the dataset's agents (`agents.jsonl`); anonymised agents have none."""
    path = dataset_dir / "agents.jsonl"
    if not path.exists():
        return []
    emails: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        email = json.loads(line).get("email")
        if email and str(email).strip():
            emails.append(str(email).strip())
    return emails
