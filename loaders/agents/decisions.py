"""The decisions file beside the mapping and the reconciliation queue a person reads."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from loaders.agents.model import (
    AUTOMATIC,
    CSV_COLUMNS,
    DECISIONS_FILE_NAME,
    FALLBACK_SITUATIONS,
    RECONCILIATION_FILE_NAME,
    AgentDecisionsInvalidError,
    Decision,
    Situation,
)
from loaders.agents.reconcile import AgentRow
from mapping.document import validation_message
from mapping.model import Owners


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
