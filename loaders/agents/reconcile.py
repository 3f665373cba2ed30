"""Each referenced agent against the org today and the mapping: its situation and what to do."""

from __future__ import annotations

from dataclasses import dataclass

from loaders.agents.model import REMAP, Situation
from loaders.agents.references import Ownership, ReferencedAgent
from mapping.agents import match_agent, users_by_email
from mapping.model import AgentMatch, Owners
from mapping.org import OrgUser


@dataclass(frozen=True)
class AgentRow:
    """One line of the reconciliation queue: an agent, where they stand, what to do."""

    agent_id: int
    email: str | None
    name: str
    situation: Situation
    user_id: str | None
    """The org's user with the agent's email (active or not), if any."""
    username: str | None
    owns: Ownership
    proposed_action: str


def situation_of(live: AgentMatch, mapped: AgentMatch | None) -> Situation:
    """Compare the org today (`live`) with the mapping the transform used (`mapped`)."""
    if mapped is None:
        return "not_in_mapping"
    if mapped.state == "matched":
        same_user = live.state == "matched" and live.user_id == mapped.user_id
        return "matched" if same_user else "owner_changed"
    return "user_since_mapping" if live.state == "matched" else live.state


def proposed_action(situation: Situation, live: AgentMatch, mapped: AgentMatch | None, fallback: str) -> str:
    """What a person should do about the agent, in words."""
    to_fallback = f"assign to the fallback owner {fallback}"
    match situation:
        case "matched":
            return f"none: owned by {live.username}"
        case "inactive_user":
            return f"{to_fallback} ({live.username} is inactive; Salesforce refuses inactive owners)"
        case "no_user":
            if not live.email:
                return f"{to_fallback} (no email to match a user by)"
            return f"{to_fallback}, or create a user with {live.email} and {REMAP}"
        case "deleted_agent":
            return f"{to_fallback} (records name this id, but Stames lists no such agent: deleted)"
        case "user_since_mapping":
            return f"{to_fallback}, or {REMAP} to own through {live.username}"
        case "owner_changed":
            was = mapped.username if mapped is not None else "a user"
            now = {
                "matched": f"the email now matches {live.username}",
                "inactive_user": f"{live.username} is now inactive",
            }.get(live.state, "no active user has the email now")
            return f"{REMAP}: the mapping owns their records through {was}, but {now}"
        case "not_in_mapping":
            return f"{REMAP}: the mapping does not know this agent"


def reconcile(
    referenced: list[ReferencedAgent], users: tuple[OrgUser, ...], owners: Owners
) -> list[AgentRow]:
    """One row per referenced agent: matched against the org now, compared with the mapping."""
    by_email = users_by_email(users)
    mapped = {agent.agent_id: agent for agent in owners.agents}
    fallback = owners.fallback_owner_name or owners.fallback_owner_id or "(none named)"
    rows = []
    for item in referenced:
        live = match_agent(item.agent, by_email)
        situation = situation_of(live, mapped.get(item.agent.agent_id))
        rows.append(
            AgentRow(
                agent_id=item.agent.agent_id,
                email=item.agent.email,
                name=item.agent.name,
                situation=situation,
                user_id=live.user_id,
                username=live.username,
                owns=item.owns,
                proposed_action=proposed_action(situation, live, mapped.get(item.agent.agent_id), fallback),
            )
        )
    return rows
