"""What records name: the agents referenced by tickets, messages and status changes, and what each owns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from loaders.agents.model import AGENTS_VIEW, STAGING_SCHEMA, NoStagingError
from mapping.agents import StamesAgent
from mapping.propose.raw import RawTables


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
