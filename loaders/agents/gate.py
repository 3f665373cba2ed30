"""The gate `stames-sf load` calls: every referenced agent decided for this very mapping."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from loaders.agents.decisions import AgentDecisions, read_decisions
from loaders.agents.model import REMAP, REMAP_SITUATIONS, AgentsUnresolvedError


@dataclass(frozen=True)
class UnresolvedAgent:
    agent_id: int
    label: str
    """The agent's email, else `agent <id>`: what a person recognises."""
    needs_new_mapping: bool


def unresolved_agents(
    decisions: AgentDecisions | None, mapping_hash: str, referenced: Iterable[int]
) -> list[UnresolvedAgent]:
    """The referenced agents without a decision for this mapping: all of them when there are no
    decisions, or decisions made against another mapping (stale)."""
    current = decisions is not None and decisions.mapping_hash == mapping_hash
    known = {agent.agent_id: agent for agent in decisions.agents} if decisions is not None else {}
    unresolved = []
    for agent_id in sorted(set(referenced)):
        entry = known.get(agent_id)
        label = entry.label if entry is not None else f"agent {agent_id}"
        if current and entry is not None and entry.decision is not None:
            continue
        remap = current and entry is not None and entry.situation in REMAP_SITUATIONS
        unresolved.append(UnresolvedAgent(agent_id, label, remap))
    return unresolved


def unresolved_message(
    unresolved: list[UnresolvedAgent], decisions: AgentDecisions | None, mapping_hash: str
) -> str:
    """One line: how many, which (the first three), and what to do."""
    names = ", ".join(agent.label for agent in unresolved[:3]) + (", …" if len(unresolved) > 3 else "")
    count = f"{len(unresolved)} agent{' is' if len(unresolved) == 1 else 's are'} unresolved ({names})"
    if decisions is not None and decisions.mapping_hash != mapping_hash:
        count += " because the agent decisions were made for another mapping"
    remap = sum(1 for agent in unresolved if agent.needs_new_mapping)
    if remap == len(unresolved):
        return f"{count}: the mapping no longer fits the org for them; {REMAP}, then `stames-sf users`."
    action = "run `stames-sf users` and decide, or `stames-sf users --accept-fallback`"
    if remap:
        action += f"; {remap} of them need a new mapping: {REMAP}"
    return f"{count}: {action}."


def require_agents_resolved(
    decisions_file: Path, mapping_hash: str, referenced: Iterable[int]
) -> AgentDecisions | None:
    """The load's gate: raise `AgentsUnresolvedError` (one line) unless every agent in `referenced`
    has a decision made against the mapping whose content hash is `mapping_hash`. Needs no org: the
    last `stames-sf users` checked it. None when nothing is referenced and no file exists."""
    decisions = read_decisions(decisions_file)
    unresolved = unresolved_agents(decisions, mapping_hash, referenced)
    if unresolved:
        raise AgentsUnresolvedError(unresolved_message(unresolved, decisions, mapping_hash))
    return decisions
