"""Findings about agents (API.md §3 #6–#8) and the agent roster of the report."""

from __future__ import annotations

from dataclasses import dataclass, replace

from stames_sf.discovery.findings.base import Finding, absent, rows_finding
from stames_sf.discovery.warehouse import RawWarehouse, text


@dataclass(frozen=True)
class AgentRoster:
    """Agents by state, and ids referenced by the data that `/agents` no longer knows."""

    total: int | None
    active: int
    deactivated: int
    anonymised: int
    light_agents: int
    deleted_but_referenced: tuple[str, ...]
    references_to_deleted: int


def agent_references_sql(warehouse: RawWarehouse) -> str | None:
    """`(agent_id, ref)` rows: every place the data points at an agent id."""
    parts = []
    if warehouse.has("tickets", "assignee_id", "id"):
        parts.append(
            f"SELECT CAST(assignee_id AS VARCHAR) AS agent_id, CAST(id AS VARCHAR) AS ref "
            f"FROM {warehouse.table('tickets')} WHERE assignee_id IS NOT NULL"
        )
    if warehouse.has("messages", "author__type", "author__id", "id"):
        parts.append(
            f"SELECT CAST(author__id AS VARCHAR), CAST(id AS VARCHAR) FROM {warehouse.table('messages')} "
            "WHERE author__type = 'agent' AND author__id IS NOT NULL"
        )
    if warehouse.has("status_changes", "changed_by__type", "changed_by__id", "id"):
        parts.append(
            "SELECT CAST(changed_by__id AS VARCHAR), CAST(id AS VARCHAR) FROM "
            f"{warehouse.table('status_changes')} "
            "WHERE changed_by__type = 'agent' AND changed_by__id IS NOT NULL"
        )
    return " UNION ALL ".join(parts) if parts else None


def _flag(warehouse: RawWarehouse, column: str, value: str) -> str:
    """SQL for `column = value` that is simply false when dlt never created the column."""
    return f"{text(column)} = '{value}'" if warehouse.has("agents", column) else "FALSE"


def agent_roster(warehouse: RawWarehouse) -> AgentRoster:
    total = warehouse.count("agents")
    anonymised = _flag(warehouse, "deleted", "true")
    inactive = _flag(warehouse, "active", "false")
    light = _flag(warehouse, "role", "light_agent")
    known = (
        f"SELECT CAST(id AS VARCHAR) FROM {warehouse.table('agents')}"
        if warehouse.has("agents", "id")
        else None
    )
    references = agent_references_sql(warehouse)
    missing: list[tuple[str, int]] = []
    if references is not None:
        unknown = f"WHERE agent_id NOT IN ({known})" if known else ""
        missing = [
            (str(agent_id), int(uses))
            for agent_id, uses in warehouse.rows(
                f"SELECT agent_id, count(*) FROM ({references}) {unknown} GROUP BY 1 ORDER BY 1"
            )
        ]
    return AgentRoster(
        total=total,
        active=(warehouse.count("agents", f"NOT ({inactive}) AND NOT ({anonymised})") or 0) if total else 0,
        deactivated=(warehouse.count("agents", f"{inactive} AND NOT ({anonymised})") or 0) if total else 0,
        anonymised=(warehouse.count("agents", anonymised) or 0) if total else 0,
        light_agents=(warehouse.count("agents", light) or 0) if total else 0,
        deleted_but_referenced=tuple(sorted((agent_id for agent_id, _ in missing), key=_numeric_first)),
        references_to_deleted=sum(uses for _, uses in missing),
    )


def _numeric_first(value: str) -> tuple[int, str]:
    return (int(value), "") if value.isdigit() else (0, value)


def inactive_agents_referenced(warehouse: RawWarehouse) -> Finding:
    title = "Deactivated or anonymised agents still referenced"
    references = agent_references_sql(warehouse)
    if references is None or not warehouse.has("agents", "id", "active"):
        return absent(warehouse, 6, title, "agents", "agents")
    inactive = f"{_flag(warehouse, 'active', 'false')} OR {_flag(warehouse, 'deleted', 'true')}"
    where = f"({inactive}) AND CAST(id AS VARCHAR) IN (SELECT agent_id FROM ({references}))"
    return rows_finding(warehouse, 6, title, "agents", "agents", ("id",), where)


def unknown_assignees(warehouse: RawWarehouse) -> Finding:
    title = "Tickets assigned to a hard-deleted (unknown) agent"
    if not warehouse.has("tickets", "assignee_id"):
        return absent(warehouse, 7, title, "tickets", "tickets")
    known = (
        f"SELECT CAST(id AS VARCHAR) FROM {warehouse.table('agents')}"
        if warehouse.has("agents", "id")
        else "''"
    )
    where = f"assignee_id IS NOT NULL AND CAST(assignee_id AS VARCHAR) NOT IN ({known})"
    return rows_finding(warehouse, 7, title, "tickets", "tickets", ("assignee_id",), where)


def light_agents(warehouse: RawWarehouse) -> Finding:
    finding = rows_finding(
        warehouse,
        8,
        "Agents likely without a Salesforce licence (light agents)",
        "agents",
        "agents",
        ("role",),
        "role = 'light_agent'",
    )
    if not warehouse.has("agents", "name"):
        return finding
    shared = warehouse.scalar(
        f"SELECT count(*) FROM (SELECT name FROM {warehouse.table('agents')} WHERE name IS NOT NULL "
        "GROUP BY name HAVING count(*) > 1)"
    )
    return replace(finding, note=f"{shared:,} display names shared by several agents")
