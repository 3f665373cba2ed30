"""What the agent gate speaks of: situations, decisions, file names and its errors."""

from __future__ import annotations

from typing import Literal

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
