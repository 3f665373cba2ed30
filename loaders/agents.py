"""The agent gate: every agent a record names must own its records through an active Salesforce User,
or someone must have chosen the fallback owner for them, before anything is loaded.

The transform already chose each record's owner from the confirmed mapping (`int_agents_users`: the
agent's user when the mapping says `matched`, the mapping's fallback owner otherwise). What that
leaves to a person is (1) saying "yes, the fallback owner" for each agent without an active user
(inactive user, no user, deleted agent) and (2) noticing when the org moved since the mapping was
proposed (a matched user deactivated, an agent the mapping never saw), which only a new mapping can
fix. Those choices are kept in `<work>/mapping/agent-decisions.yml`, beside the mapping rather than in
it: the mapping's content hash covers the whole file, so writing decisions into it would void the
confirmation. The file records the hash it was made against; a new mapping makes it stale.

`stames-sf users` writes the file and the reconciliation queue (`<work>/reports/agent-reconciliation.csv`);
`stames-sf load` calls `require_agents_resolved`, which needs no org.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

import duckdb
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from simple_salesforce import Salesforce

from mapping.agents import StamesAgent, match_agent, users_by_email
from mapping.document import validation_message
from mapping.model import AgentMatch, Owners
from mapping.org import OrgQueue, OrgUser
from mapping.propose.raw import RawTables

DECISIONS_FILE_NAME = "agent-decisions.yml"
RECONCILIATION_FILE_NAME = "agent-reconciliation.csv"
STAGING_SCHEMA = "staging"
AGENTS_VIEW = "stg_stames__agents"

Situation = Literal[
    "matched",
    "inactive_user",
    "no_user",
    "deleted_agent",
    "user_since_mapping",
    "owner_changed",
    "not_in_mapping",
]
"""Where an agent stands. `matched`: an active user owns their records, as the mapping says.
`inactive_user`, `no_user`, `deleted_agent`: the transform gave their records to the fallback owner,
which someone must accept. `user_since_mapping`: the same, but the org has an active user for them
now (a new mapping would use it). `owner_changed`: the mapping owns their records through a user the
org no longer has active; `not_in_mapping`: the mapping does not know the agent. Only a new mapping
fixes those two: the owners are baked into the sync tables."""

Decision = Literal["user", "fallback"]

FALLBACK_SITUATIONS: frozenset[Situation] = frozenset(
    {"inactive_user", "no_user", "deleted_agent", "user_since_mapping"}
)
"""Situations `--accept-fallback` resolves: the sync tables already give these agents' records to
the fallback owner, so accepting it changes no record."""
REMAP_SITUATIONS: frozenset[Situation] = frozenset({"owner_changed", "not_in_mapping"})
"""Situations only `stames-sf map propose` + confirm + transform resolve."""

AUTOMATIC = "automatic"
ACCEPT_FALLBACK = "accept-fallback"
CSV_COLUMNS = (
    "agent_id",
    "email",
    "name",
    "situation",
    "user_id",
    "username",
    "owns",
    "proposed_action",
    "decision",
)
REMAP = "re-run `stames-sf map propose`, confirm it and `stames-sf transform`"


class AgentGateError(Exception):
    """The agent gate cannot run or refuses; the message is one line saying what to do."""


class AgentsUnresolvedError(AgentGateError):
    """Some agents named by records have no decision for the confirmed mapping."""


class NoStagingError(AgentGateError):
    """The warehouse has no staging views to read agents from."""


class AgentDecisionsInvalidError(AgentGateError):
    """The decisions file cannot be read."""


class FallbackOwnerError(AgentGateError):
    """The mapping's fallback owner cannot own records, so it cannot be accepted."""


# --- what records name ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ownership:
    """How many records of each kind name the agent: what changes owner if the agent has no user."""

    tickets: int = 0
    messages: int = 0
    status_changes: int = 0

    def words(self) -> str:
        parts = [
            _count(self.tickets, "ticket"),
            _count(self.messages, "message"),
            _count(self.status_changes, "status change"),
        ]
        return ", ".join(part for part in parts if part) or "nothing"


def _count(number: int, noun: str) -> str:
    return "" if number == 0 else f"{number:,} {noun}{'' if number == 1 else 's'}"


@dataclass(frozen=True)
class ReferencedAgent:
    agent: StamesAgent
    owns: Ownership


STAGING_REFERENCES: tuple[tuple[str, str, str | None, str], ...] = (
    ("stg_stames__tickets", "assignee_id", None, "tickets"),
    ("stg_stames__messages", "author_id", "author_type", "messages"),
    ("stg_stames__status_changes", "changed_by_id", "changed_by_type", "status_changes"),
)
"""Where records name an agent, in the staging views (the proposer's `AGENT_REFERENCES`, renamed by
dbt): (view, id column, the column saying the id is an agent's, the `Ownership` field)."""


def referenced_agents(warehouse: Path) -> list[ReferencedAgent]:
    """Every agent some ticket, message or status change names, with what they own, by agent id.

    Ids the agents list does not hold are kept as unlisted (hard-deleted or unknown) agents: their
    records still need an owner."""
    if not warehouse.exists():
        raise NoStagingError(
            f"No warehouse at {warehouse}: run `stames-sf extract` and `stames-sf transform` first."
        )
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        staging = RawTables(connection, schema=STAGING_SCHEMA)
        if not staging.has(AGENTS_VIEW, "agent_id"):
            raise NoStagingError(
                f"{warehouse} has no {STAGING_SCHEMA}.{AGENTS_VIEW}: run `stames-sf transform` first."
            )
        counts = _reference_counts(staging)
        listed = _listed_agents(staging)
    finally:
        connection.close()
    return [
        ReferencedAgent(
            listed.get(agent_id) or StamesAgent(agent_id, None, f"agent {agent_id}", False, False, False),
            Ownership(**owned),
        )
        for agent_id, owned in sorted(counts.items())
    ]


def _reference_counts(staging: RawTables) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    for view, column, type_column, kind in STAGING_REFERENCES:
        if type_column is None and staging.has(view, column):
            where = f'"{column}" IS NOT NULL'
        elif type_column is not None and staging.has(view, column, type_column):
            where = f'"{column}" IS NOT NULL AND "{type_column}" = \'agent\''
        else:
            continue
        for agent_id, records in staging.rows(
            f'SELECT "{column}", count(*) FROM {staging.table(view)} WHERE {where} GROUP BY 1'
        ):
            counts.setdefault(int(agent_id), {})[kind] = int(records)
    return counts


def _listed_agents(staging: RawTables) -> dict[int, StamesAgent]:
    email = "email" if staging.has(AGENTS_VIEW, "email") else "NULL"
    name = "name" if staging.has(AGENTS_VIEW, "name") else "NULL"
    active = "is_active" if staging.has(AGENTS_VIEW, "is_active") else "TRUE"
    deleted = "is_deleted" if staging.has(AGENTS_VIEW, "is_deleted") else "FALSE"
    rows = staging.rows(
        f"SELECT agent_id, {email}, {name}, {active}, {deleted} FROM {staging.table(AGENTS_VIEW)}"
    )
    return {
        int(agent_id): StamesAgent(
            int(agent_id),
            agent_email,
            agent_name or f"agent {agent_id}",
            bool(is_active),
            bool(is_deleted),
            True,
        )
        for agent_id, agent_email, agent_name, is_active, is_deleted in rows
    }


def referenced_agent_ids(warehouse: Path) -> list[int]:
    """The ids `require_agents_resolved` must find decided: every agent some record names."""
    return [referenced.agent.agent_id for referenced in referenced_agents(warehouse)]


# --- the org --------------------------------------------------------------------------------------

USERS_SOQL = "SELECT Id, Username, Email, Name, IsActive FROM User"
QUEUES_SOQL = "SELECT Id, Name, DeveloperName FROM Group WHERE Type = 'Queue'"


@dataclass(frozen=True)
class OrgOwners:
    """Who can own records in the org: its users (active or not) and its queues."""

    users: tuple[OrgUser, ...]
    queues: tuple[OrgQueue, ...]


def fetch_org_owners(client: Salesforce) -> OrgOwners:
    """Users and queues only: the gate needs no describes."""
    users = tuple(
        OrgUser(
            id=row["Id"],
            username=row["Username"],
            email=row.get("Email"),
            name=row.get("Name") or row["Username"],
            is_active=bool(row.get("IsActive")),
        )
        for row in client.query_all(USERS_SOQL)["records"]
    )
    queues = tuple(
        OrgQueue(id=row["Id"], name=row["Name"], developer_name=row.get("DeveloperName") or row["Name"])
        for row in client.query_all(QUEUES_SOQL)["records"]
    )
    return OrgOwners(users, queues)


def fallback_owner_problem(owners: Owners, org: OrgOwners) -> str | None:
    """Why the mapping's fallback owner cannot take records (None when it can): a choice of an owner
    Salesforce would refuse is no choice."""
    fallback = owners.fallback_owner_id
    if not fallback:
        return (
            "the mapping names no fallback owner (owners.fallback_owner_id): "
            "name a user or queue in the mapping and confirm it again"
        )
    user = next((user for user in org.users if user.id == fallback), None)
    if user is not None:
        return None if user.is_active else f"the fallback owner {user.username} ({fallback}) is inactive"
    if any(queue.id == fallback for queue in org.queues):
        return None
    return f"the fallback owner {fallback} is no user or queue of the org"


# --- reconciliation -------------------------------------------------------------------------------


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


# --- decisions ------------------------------------------------------------------------------------


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AgentDecision(Frozen):
    """One agent's owner choice; `decision` is None while nobody chose."""

    agent_id: int
    email: str | None = None
    name: str
    situation: Situation
    user_id: str | None = None
    decision: Decision | None = None
    decided_by: str | None = None
    """`automatic` for an active match, `accept-fallback`, or the name a person gave."""
    decided_at: datetime | None = None

    @property
    def label(self) -> str:
        return self.email or f"agent {self.agent_id}"


class AgentDecisions(Frozen):
    """The owner choices made against one confirmed mapping (its content hash)."""

    version: Literal[1] = 1
    mapping_hash: str
    fallback_owner_id: str | None = None
    fallback_owner_name: str | None = None
    agents: list[AgentDecision]

    def unresolved(self) -> list[AgentDecision]:
        return [agent for agent in self.agents if agent.decision is None]


def decisions_path(work_root: Path) -> Path:
    """Beside the mapping, not in it: its hash covers the whole mapping file."""
    return work_root / "mapping" / DECISIONS_FILE_NAME


def reconciliation_path(reports: Path) -> Path:
    return reports / RECONCILIATION_FILE_NAME


def decide(
    rows: list[AgentRow],
    previous: AgentDecisions | None,
    *,
    mapping_hash: str,
    owners: Owners,
    accept_fallback: bool,
    fallback_usable: bool,
    by: str,
    now: datetime,
) -> AgentDecisions:
    """Decisions for `rows`: an active match is decided automatically; a fallback agent keeps the
    fallback chosen earlier for the same mapping, or gets it now when `accept_fallback`; an agent only
    a new mapping can fix stays undecided. A decision unchanged since `previous` keeps its author and
    time, so running again changes nothing."""
    earlier = {}
    if previous is not None and previous.mapping_hash == mapping_hash:
        earlier = {agent.agent_id: agent for agent in previous.agents if agent.decision is not None}
    agents = []
    for row in rows:
        pending = AgentDecision(
            agent_id=row.agent_id,
            email=row.email,
            name=row.name,
            situation=row.situation,
            user_id=row.user_id,
        )
        kept = earlier.get(row.agent_id)
        if row.situation == "matched":
            if kept is not None and kept.decision == "user" and kept.user_id == row.user_id:
                agents.append(pending.model_copy(update=_stamp("user", kept.decided_by, kept.decided_at)))
            else:
                agents.append(pending.model_copy(update=_stamp("user", AUTOMATIC, now)))
        elif row.situation in FALLBACK_SITUATIONS and fallback_usable:
            if kept is not None and kept.decision == "fallback":
                agents.append(pending.model_copy(update=_stamp("fallback", kept.decided_by, kept.decided_at)))
            elif accept_fallback:
                agents.append(pending.model_copy(update=_stamp("fallback", by, now)))
            else:
                agents.append(pending)
        else:
            agents.append(pending)
    return AgentDecisions(
        mapping_hash=mapping_hash,
        fallback_owner_id=owners.fallback_owner_id,
        fallback_owner_name=owners.fallback_owner_name,
        agents=agents,
    )


def _stamp(decision: Decision, by: str | None, at: datetime | None) -> dict[str, object]:
    return {"decision": decision, "decided_by": by, "decided_at": at}


def read_decisions(path: Path) -> AgentDecisions | None:
    """The decisions file, or None when there is none yet."""
    if not path.exists():
        return None
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        return AgentDecisions.model_validate(content)
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or type(error).__name__
        raise AgentDecisionsInvalidError(
            f"{path} is not valid YAML ({problem}): fix it or delete it and run `stames-sf users` again."
        ) from None
    except ValidationError as error:
        raise AgentDecisionsInvalidError(
            f"{path}: {validation_message(error)}: fix it or delete it and run `stames-sf users` again."
        ) from None


def write_decisions(decisions: AgentDecisions, path: Path) -> None:
    """Write atomically, so a gate never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# Owner decisions for the Stames agents, made by `stames-sf users` against the confirmed\n"
        "# mapping whose content hash is mapping_hash. A new mapping makes them stale.\n"
    )
    content = yaml.safe_dump(
        decisions.model_dump(mode="json"), sort_keys=False, allow_unicode=True, width=110
    )
    tmp = path.with_suffix(".yml.tmp")
    tmp.write_text(header + content, encoding="utf-8")
    tmp.replace(path)


def write_reconciliation(rows: list[AgentRow], decisions: AgentDecisions, path: Path) -> None:
    """The reconciliation queue: one CSV line per referenced agent, decided or not."""
    decided = {agent.agent_id: agent.decision for agent in decisions.agents}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            writer.writerow(
                [
                    row.agent_id,
                    row.email or "",
                    row.name,
                    row.situation,
                    row.user_id or "",
                    row.username or "",
                    row.owns.words(),
                    row.proposed_action,
                    decided.get(row.agent_id) or "",
                ]
            )
    tmp.replace(path)


# --- the gate -------------------------------------------------------------------------------------


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
