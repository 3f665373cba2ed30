"""Stames agents → Salesforce Users by email: the one matching rule shared by the proposer (which
writes `owners.agents` into the mapping) and the agent gate (`loaders.agents`, which checks the
mapping still agrees with the org before a load), so the two can never disagree on what a match is.
"""

from __future__ import annotations

from dataclasses import dataclass

from mapping.model import AgentMatch, Evidence
from mapping.org import OrgUser


@dataclass(frozen=True)
class StamesAgent:
    agent_id: int
    email: str | None
    name: str
    active: bool
    anonymised: bool
    listed: bool
    """False for an id that records reference but the agents list no longer holds (hard-deleted)."""


def email_key(email: str) -> str:
    """How emails are compared: without case or surrounding spaces (Salesforce keeps the case typed)."""
    return email.strip().lower()


def users_by_email(users: tuple[OrgUser, ...]) -> dict[str, list[OrgUser]]:
    """Users per compared email, the active ones first, then by username (a stable choice)."""
    by_email: dict[str, list[OrgUser]] = {}
    for user in users:
        if user.email:
            by_email.setdefault(email_key(user.email), []).append(user)
    for candidates in by_email.values():
        candidates.sort(key=lambda user: (not user.is_active, user.username))
    return by_email


def match_agent(agent: StamesAgent, by_email: dict[str, list[OrgUser]]) -> AgentMatch:
    """The User with the agent's email (case and surrounding spaces ignored), preferring an active one."""

    def unmatched(state: str, reason: str, confidence: float = 1.0) -> AgentMatch:
        evidence = Evidence(confidence=confidence, reasons=[reason, "their records go to the fallback owner"])
        return AgentMatch(
            agent_id=agent.agent_id,
            email=agent.email,
            name=agent.name,
            user_id=None,
            state=state,
            evidence=evidence,
        )

    if not agent.listed:
        return unmatched("deleted_agent", "referenced by records but not in /agents (hard-deleted)")
    if not agent.email:
        return unmatched(
            "no_user", "anonymised in Stames: no email to match" if agent.anonymised else "no email"
        )
    candidates = by_email.get(email_key(agent.email), [])
    if not candidates:
        return unmatched("no_user", f"no user has the email {email_key(agent.email)}", 0.9)
    user = candidates[0]
    reasons = [f"user {user.username} has the email {user.email}"]
    warnings = []
    if user.email != agent.email:
        reasons.append("emails compared without case or surrounding spaces")
    if len(candidates) > 1:
        warnings.append(
            f"{len(candidates)} users share this email; "
            f"the {'active' if user.is_active else 'first'} one is used"
        )
    if not user.is_active:
        warnings.append("the user is inactive: loading needs 'Update Records with Inactive Owners'")
    state = "matched" if user.is_active else "inactive_user"
    evidence = Evidence(confidence=1.0 if not warnings else 0.8, reasons=reasons, warnings=warnings)
    return AgentMatch(
        agent_id=agent.agent_id,
        email=agent.email,
        name=agent.name,
        user_id=user.id,
        username=user.username,
        state=state,
        evidence=evidence,
    )
