"""The agent gate as one call: the confirmed mapping, the org's users and queues, the agents the
warehouse's records name; out come the reconciliation queue and the owner decisions the load checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.console import Console

from loaders.agents import (
    ACCEPT_FALLBACK,
    FALLBACK_SITUATIONS,
    REMAP,
    REMAP_SITUATIONS,
    AgentDecision,
    AgentDecisions,
    AgentRow,
    FallbackOwnerError,
    OrgOwners,
    decide,
    decisions_path,
    fallback_owner_problem,
    fetch_org_owners,
    read_decisions,
    reconcile,
    reconciliation_path,
    referenced_agents,
    write_decisions,
    write_reconciliation,
)
from mapping.document import content_hash, mapping_path, require_confirmed
from stames_sf.org_access import read_from_org
from stames_sf.workdir import WorkDir, exclusive_run


@dataclass(frozen=True)
class UsersResult:
    rows: list[AgentRow]
    decisions: AgentDecisions
    assigned_now: list[AgentDecision]
    """The agents this run gave to the fallback owner (`--accept-fallback`), to say so."""
    fallback_problem: str | None
    csv_path: Path
    decisions_path: Path

    @property
    def unresolved(self) -> list[AgentDecision]:
        return self.decisions.unresolved()

    @property
    def resolved(self) -> bool:
        return not self.unresolved

    @property
    def fallback_label(self) -> str:
        name = self.decisions.fallback_owner_name
        owner_id = self.decisions.fallback_owner_id
        return f"{name} ({owner_id})" if name and owner_id else name or owner_id or "(none named)"


def read_org_owners(connection_file: Path) -> OrgOwners:
    """The org's users and queues (no describes: the gate needs none)."""
    return read_from_org(connection_file, fetch_org_owners)


def run_users(
    work: WorkDir,
    connection_file: Path,
    now: datetime,
    *,
    accept_fallback: bool = False,
    by: str | None = None,
) -> UsersResult:
    """Reconcile the agents and record the decisions. Raises `MappingError` for a mapping that is
    missing, unconfirmed or changed, `OrgUnreachableError`, and `AgentGateError` (no staging views,
    an unreadable decisions file, or `accept_fallback` with a fallback owner the org would refuse)."""
    mapping = require_confirmed(mapping_path(work.root))
    mapping_hash = content_hash(mapping)  # the confirmed hash: require_confirmed checked they agree
    org = read_org_owners(connection_file)
    with exclusive_run(work):
        rows = reconcile(referenced_agents(work.warehouse), org.users, mapping.owners)
        problem = fallback_owner_problem(mapping.owners, org)
        needs_fallback = any(row.situation in FALLBACK_SITUATIONS for row in rows)
        if accept_fallback and problem and needs_fallback:
            raise FallbackOwnerError(f"Cannot accept the fallback owner: {problem}.")
        path = decisions_path(work.root)
        previous = read_decisions(path)
        decisions = decide(
            rows,
            previous,
            mapping_hash=mapping_hash,
            owners=mapping.owners,
            accept_fallback=accept_fallback,
            fallback_usable=problem is None,
            by=by or ACCEPT_FALLBACK,
            now=now,
        )
        write_decisions(decisions, path)
        csv_path = reconciliation_path(work.reports)
        write_reconciliation(rows, decisions, csv_path)
    return UsersResult(
        rows=rows,
        decisions=decisions,
        assigned_now=_assigned_now(previous, decisions, mapping_hash),
        fallback_problem=problem if needs_fallback else None,
        csv_path=csv_path,
        decisions_path=path,
    )


def _assigned_now(
    previous: AgentDecisions | None, decisions: AgentDecisions, mapping_hash: str
) -> list[AgentDecision]:
    """Fallback decisions `decisions` has that `previous` (for the same mapping) did not."""
    before = set()
    if previous is not None and previous.mapping_hash == mapping_hash:
        before = {agent.agent_id for agent in previous.agents if agent.decision == "fallback"}
    return [
        agent for agent in decisions.agents if agent.decision == "fallback" and agent.agent_id not in before
    ]


def show_result(result: UsersResult, console: Console) -> None:
    """The agents (agent, email, situation, owns, decision), the files, what was assigned, what is left."""
    from rich.table import Table

    table = Table(title="Stames agents → Salesforce users")
    for column in ("agent", "email", "situation", "owns", "decision"):
        table.add_column(column, overflow="fold")  # an email cut short is no email
    decided = {agent.agent_id: agent for agent in result.decisions.agents}
    for row in result.rows:
        decision = decided[row.agent_id]
        shown = (
            f"{decision.decision} ({decision.decided_by})" if decision.decision else "[red]undecided[/red]"
        )
        table.add_row(
            _escape(row.name if row.name == f"agent {row.agent_id}" else f"{row.name} ({row.agent_id})"),
            _escape(row.email or "—"),
            row.situation,
            row.owns.words(),
            shown,
        )
    console.print(table)
    plain = {"markup": False, "highlight": False, "soft_wrap": True}
    console.print(f"Reconciliation queue: {result.csv_path}", **plain)
    console.print(f"Decisions: {result.decisions_path}", **plain)
    if result.assigned_now:
        names = ", ".join(agent.label for agent in result.assigned_now)
        assigned = _agents(len(result.assigned_now))
        console.print(f"Assigned {assigned} to the fallback owner {result.fallback_label}: {names}.", **plain)
    if result.fallback_problem:
        console.print(
            f"The fallback owner cannot be accepted: {result.fallback_problem}.", style="red", **plain
        )
    through_user = sum(1 for agent in result.decisions.agents if agent.decision == "user")
    to_fallback = sum(1 for agent in result.decisions.agents if agent.decision == "fallback")
    console.print(
        f"{_agents(len(result.rows))} named by records: {through_user} owned through their user, "
        f"{to_fallback} by the fallback owner, {len(result.unresolved)} unresolved.",
        **plain,
    )
    if result.unresolved:
        console.print(_what_to_do(result), style="red", **plain)
    else:
        console.print("Every agent is resolved: the load may run.", **plain)


def _what_to_do(result: UsersResult) -> str:
    remap = [agent for agent in result.unresolved if agent.situation in REMAP_SITUATIONS]
    fallback = [agent for agent in result.unresolved if agent.situation not in REMAP_SITUATIONS]
    steps = []
    if fallback and not result.fallback_problem:
        steps.append(
            f"{_agents(len(fallback))} without an active user: run `stames-sf users --accept-fallback` "
            f"to give their records to {result.fallback_label}, or give them a user and {REMAP}"
        )
    elif fallback:
        steps.append(f"{_agents(len(fallback))} without an active user: fix the fallback owner first")
    if remap:
        steps.append(f"{_agents(len(remap))} the mapping no longer fits: {REMAP}")
    return "Unresolved: " + "; ".join(steps) + ". `stames-sf load` refuses until then."


def _agents(count: int) -> str:
    return f"{count} agent{'' if count == 1 else 's'}"


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
