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

Along the data flow: `references` (what records name) → `org_owners` (who can own) → `reconcile`
(each agent's situation) → `decisions` (the file beside the mapping, the queue) → `gate`.
"""

from __future__ import annotations

from loaders.agents.decisions import (
    AgentDecision,
    AgentDecisions,
    Frozen,
    decide,
    decisions_path,
    read_decisions,
    reconciliation_path,
    write_decisions,
    write_reconciliation,
)
from loaders.agents.gate import (
    UnresolvedAgent,
    require_agents_resolved,
    unresolved_agents,
    unresolved_message,
)
from loaders.agents.model import (
    ACCEPT_FALLBACK,
    AGENTS_VIEW,
    AUTOMATIC,
    CSV_COLUMNS,
    DECISIONS_FILE_NAME,
    FALLBACK_SITUATIONS,
    RECONCILIATION_FILE_NAME,
    REMAP,
    REMAP_SITUATIONS,
    STAGING_SCHEMA,
    AgentDecisionsInvalidError,
    AgentGateError,
    AgentsUnresolvedError,
    Decision,
    FallbackOwnerError,
    NoStagingError,
    Situation,
)
from loaders.agents.org_owners import (
    QUEUES_SOQL,
    USERS_SOQL,
    OrgOwners,
    fallback_owner_problem,
    fetch_org_owners,
)
from loaders.agents.reconcile import AgentRow, proposed_action, reconcile, situation_of
from loaders.agents.references import (
    STAGING_REFERENCES,
    Ownership,
    ReferencedAgent,
    referenced_agent_ids,
    referenced_agents,
)

__all__ = [
    "ACCEPT_FALLBACK",
    "AGENTS_VIEW",
    "AUTOMATIC",
    "CSV_COLUMNS",
    "DECISIONS_FILE_NAME",
    "FALLBACK_SITUATIONS",
    "QUEUES_SOQL",
    "RECONCILIATION_FILE_NAME",
    "REMAP",
    "REMAP_SITUATIONS",
    "STAGING_REFERENCES",
    "STAGING_SCHEMA",
    "USERS_SOQL",
    "AgentDecision",
    "AgentDecisions",
    "AgentDecisionsInvalidError",
    "AgentGateError",
    "AgentRow",
    "AgentsUnresolvedError",
    "Decision",
    "FallbackOwnerError",
    "Frozen",
    "NoStagingError",
    "OrgOwners",
    "Ownership",
    "ReferencedAgent",
    "Situation",
    "UnresolvedAgent",
    "decide",
    "decisions_path",
    "fallback_owner_problem",
    "fetch_org_owners",
    "proposed_action",
    "read_decisions",
    "reconcile",
    "reconciliation_path",
    "referenced_agent_ids",
    "referenced_agents",
    "require_agents_resolved",
    "situation_of",
    "unresolved_agents",
    "unresolved_message",
    "write_decisions",
    "write_reconciliation",
]
