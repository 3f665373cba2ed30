from __future__ import annotations

import json
from pathlib import Path

from emulators.salesforce.http.users import agent_emails


def test_every_agent_with_an_email_is_matched_anonymised_ones_are_not(tmp_path: Path) -> None:
    agents = [
        {"id": 1, "email": "marta.gil@acme.example", "active": True, "deleted": False},
        {"id": 2, "email": "old.hand@acme.example", "active": False, "deleted": False},
        {"id": 9, "email": None, "active": False, "deleted": True},
        {"id": 3, "email": " ana@acme.example ", "active": True, "deleted": False},
    ]
    (tmp_path / "agents.jsonl").write_text("\n".join(json.dumps(agent) for agent in agents) + "\n\n")
    assert agent_emails(tmp_path) == ["marta.gil@acme.example", "old.hand@acme.example", "ana@acme.example"]


def test_a_dataset_without_agents_matches_nobody(tmp_path: Path) -> None:
    assert agent_emails(tmp_path) == []
