"""The agent gate's logic over hand-written staging views, org users and mapping owners."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from loaders.agents import (
    CSV_COLUMNS,
    AgentDecisions,
    AgentRow,
    AgentsUnresolvedError,
    NoStagingError,
    OrgOwners,
    Ownership,
    ReferencedAgent,
    decide,
    fallback_owner_problem,
    read_decisions,
    reconcile,
    referenced_agents,
    require_agents_resolved,
    unresolved_agents,
    write_decisions,
    write_reconciliation,
)
from mapping.agents import StamesAgent
from mapping.model import AgentMatch, Evidence, Owners
from mapping.org import OrgQueue, OrgUser

NOW = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)
HASH = "sha256:" + "a" * 64
OTHER_HASH = "sha256:" + "b" * 64

INTEGRATION = OrgUser("005000000000001", "integration@org", "integration@org", "Integration User", True)
ANA = OrgUser("005000000000002", "ana@org", "Ana.Gil@Acme.Example", "Ana Gil", True)
LUIS = OrgUser("005000000000003", "luis@org", "luis@acme.example", "Luis Sanz", False)
RITA = OrgUser("005000000000004", "rita@org", "rita@acme.example", "Rita Roca", True)
QUEUE = OrgQueue("00G000000000001", "Support Queue", "Support_Queue")


def _agent(agent_id: int, email: str | None, name: str, *, listed: bool = True) -> StamesAgent:
    return StamesAgent(agent_id, email, name, True, False, listed)


def _mapped(agent_id: int, state: str, user: OrgUser | None = None) -> AgentMatch:
    return AgentMatch(
        agent_id=agent_id,
        name=f"agent {agent_id}",
        user_id=user.id if user else None,
        username=user.username if user else None,
        state=state,
        evidence=Evidence(confidence=1.0),
    )


def _owners(*agents: AgentMatch, fallback: str | None = INTEGRATION.id) -> Owners:
    return Owners(fallback_owner_id=fallback, fallback_owner_name="Integration User", agents=list(agents))


# --- staging -----------------------------------------------------------------------------------


def _staging(path: Path, agents: list[tuple], tickets: list, messages: list, changes: list) -> Path:
    """A warehouse holding only the staging views the gate reads, as tables."""
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA staging")
        con.execute(
            "CREATE TABLE staging.stg_stames__agents "
            "(agent_id BIGINT, email VARCHAR, name VARCHAR, is_active BOOLEAN, is_deleted BOOLEAN)"
        )
        con.execute("CREATE TABLE staging.stg_stames__tickets (id BIGINT, assignee_id BIGINT)")
        con.execute(
            "CREATE TABLE staging.stg_stames__messages "
            "(message_id BIGINT, author_id BIGINT, author_type VARCHAR)"
        )
        con.execute(
            "CREATE TABLE staging.stg_stames__status_changes "
            "(status_change_id BIGINT, changed_by_id BIGINT, changed_by_type VARCHAR)"
        )
        for row in agents:
            con.execute("INSERT INTO staging.stg_stames__agents VALUES (?, ?, ?, ?, ?)", list(row))
        for number, assignee in enumerate(tickets):
            con.execute("INSERT INTO staging.stg_stames__tickets VALUES (?, ?)", [number, assignee])
        for number, (author, kind) in enumerate(messages):
            con.execute("INSERT INTO staging.stg_stames__messages VALUES (?, ?, ?)", [number, author, kind])
        for number, (actor, kind) in enumerate(changes):
            con.execute(
                "INSERT INTO staging.stg_stames__status_changes VALUES (?, ?, ?)", [number, actor, kind]
            )
    return path


def test_referenced_agents_count_what_each_owns_and_keep_unlisted_ids(tmp_path):
    warehouse = _staging(
        tmp_path / "w.duckdb",
        agents=[
            (1, "ana.gil@acme.example", "Ana Gil", True, False),
            (2, "luis@acme.example", "Luis Sanz", False, False),
            (3, "quiet@acme.example", "Owns Nothing", True, False),
        ],
        tickets=[1, 1, None, 77],
        messages=[(1, "agent"), (2, "agent"), (2, "customer"), (5, "customer"), (None, "system")],
        changes=[(2, "agent"), (1, "system"), (None, "automation")],
    )
    found = {item.agent.agent_id: item for item in referenced_agents(warehouse)}
    assert sorted(found) == [1, 2, 77]  # 3 names no record; 5 is a customer
    assert found[1].owns == Ownership(tickets=2, messages=1)
    assert found[2].owns == Ownership(messages=1, status_changes=1)
    assert found[2].agent.email == "luis@acme.example"
    assert found[77].agent.listed is False
    assert found[77].owns.words() == "1 ticket"
    assert found[2].owns.words() == "1 message, 1 status change"


def test_a_warehouse_without_staging_views_says_to_transform(tmp_path):
    with duckdb.connect(str(tmp_path / "raw.duckdb")) as con:
        con.execute("CREATE TABLE tickets (id BIGINT)")
    with pytest.raises(NoStagingError, match="stames-sf transform"):
        referenced_agents(tmp_path / "raw.duckdb")
    with pytest.raises(NoStagingError, match="stames-sf extract"):
        referenced_agents(tmp_path / "missing.duckdb")


# --- reconciliation ----------------------------------------------------------------------------


def _referenced(agent: StamesAgent, tickets: int = 1) -> ReferencedAgent:
    return ReferencedAgent(agent, Ownership(tickets=tickets))


def test_situations_compare_the_org_today_with_the_mapping():
    referenced = [
        _referenced(_agent(1, "ana.gil@acme.example", "Ana Gil")),  # email differs in case only
        _referenced(_agent(2, "luis@acme.example", "Luis Sanz")),  # inactive user
        _referenced(_agent(3, "nobody@acme.example", "Nadie")),  # no user
        _referenced(_agent(4, None, "agent 4", listed=False)),  # deleted
        _referenced(_agent(5, "rita@acme.example", "Rita Roca")),  # a user created since the mapping
        _referenced(_agent(6, "luis@acme.example", "Luis again")),  # mapped to Luis while he was active
        _referenced(_agent(7, "ana.gil@acme.example", "New Ana")),  # not in the mapping
    ]
    owners = _owners(
        _mapped(1, "matched", ANA),
        _mapped(2, "inactive_user", LUIS),
        _mapped(3, "no_user"),
        _mapped(4, "deleted_agent"),
        _mapped(5, "no_user"),
        _mapped(6, "matched", LUIS),
    )
    rows = {row.agent_id: row for row in reconcile(referenced, (INTEGRATION, ANA, LUIS, RITA), owners)}
    assert {agent_id: row.situation for agent_id, row in rows.items()} == {
        1: "matched",
        2: "inactive_user",
        3: "no_user",
        4: "deleted_agent",
        5: "user_since_mapping",
        6: "owner_changed",
        7: "not_in_mapping",
    }
    assert (rows[1].user_id, rows[1].username) == (ANA.id, "ana@org")
    assert rows[2].user_id == LUIS.id
    assert "Integration User" in rows[2].proposed_action
    assert "inactive" in rows[2].proposed_action
    assert "create a user with nobody@acme.example" in rows[3].proposed_action
    assert "rita@org" in rows[5].proposed_action
    assert "map propose" in rows[6].proposed_action
    assert "map propose" in rows[7].proposed_action


def test_the_fallback_owner_must_be_an_active_user_or_a_queue():
    org = OrgOwners(users=(INTEGRATION, LUIS), queues=(QUEUE,))
    assert fallback_owner_problem(_owners(), org) is None
    assert fallback_owner_problem(_owners(fallback=QUEUE.id), org) is None
    assert "inactive" in fallback_owner_problem(_owners(fallback=LUIS.id), org)
    assert "no user or queue" in fallback_owner_problem(_owners(fallback="005000000000999"), org)
    assert "names no fallback owner" in fallback_owner_problem(_owners(fallback=None), org)


# --- decisions ---------------------------------------------------------------------------------


def _row(agent_id: int, situation: str, user_id: str | None = None) -> AgentRow:
    return AgentRow(
        agent_id=agent_id,
        email=f"agent{agent_id}@acme.example",
        name=f"Agent {agent_id}",
        situation=situation,
        user_id=user_id,
        username=None,
        owns=Ownership(tickets=1),
        proposed_action="something",
    )


ROWS = [
    _row(1, "matched", ANA.id),
    _row(2, "inactive_user", LUIS.id),
    _row(3, "no_user"),
    _row(4, "owner_changed"),
]


def _decide(
    rows: list[AgentRow], previous: AgentDecisions | None = None, **options: object
) -> AgentDecisions:
    settings = {
        "mapping_hash": HASH,
        "accept_fallback": False,
        "fallback_usable": True,
        "by": "accept-fallback",
    }
    settings.update(options)
    return decide(rows, previous, owners=_owners(), now=settings.pop("now", NOW), **settings)


def _decisions(decisions: AgentDecisions) -> dict[int, tuple]:
    return {agent.agent_id: (agent.decision, agent.decided_by) for agent in decisions.agents}


def test_an_active_match_is_decided_and_the_rest_wait_for_a_choice():
    decisions = _decide(ROWS)
    assert _decisions(decisions) == {
        1: ("user", "automatic"),
        2: (None, None),
        3: (None, None),
        4: (None, None),
    }
    assert decisions.mapping_hash == HASH
    assert decisions.fallback_owner_id == INTEGRATION.id


def test_accept_fallback_resolves_agents_without_a_user_but_not_a_changed_owner():
    decisions = _decide(ROWS, accept_fallback=True, by="qa@example.com")
    assert _decisions(decisions) == {
        1: ("user", "automatic"),
        2: ("fallback", "qa@example.com"),
        3: ("fallback", "qa@example.com"),
        4: (None, None),
    }
    assert {agent.decided_at for agent in decisions.agents if agent.decision} == {NOW}


def test_an_earlier_choice_is_kept_for_the_same_mapping_and_dropped_for_another():
    first = _decide(ROWS, accept_fallback=True)
    again = _decide(ROWS, first, now=LATER)
    assert again == first  # same authors, same times: running again changes nothing
    stale = _decide(ROWS, first, mapping_hash=OTHER_HASH, now=LATER)
    assert _decisions(stale)[2] == (None, None)
    assert next(agent for agent in stale.agents if agent.agent_id == 1).decided_at == LATER


def test_an_unusable_fallback_owner_decides_nothing():
    decisions = _decide(ROWS, accept_fallback=True, fallback_usable=False)
    assert [agent.agent_id for agent in decisions.unresolved()] == [2, 3, 4]


def test_decisions_round_trip_through_their_file(tmp_path):
    decisions = _decide(ROWS, accept_fallback=True)
    path = tmp_path / "mapping" / "agent-decisions.yml"
    write_decisions(decisions, path)
    assert read_decisions(path) == decisions
    assert read_decisions(tmp_path / "none.yml") is None


# --- the gate ----------------------------------------------------------------------------------


def test_the_gate_names_the_unresolved_agents_in_one_line(tmp_path):
    path = tmp_path / "agent-decisions.yml"
    write_decisions(_decide(ROWS), path)
    with pytest.raises(AgentsUnresolvedError) as refused:
        require_agents_resolved(path, HASH, [1, 2, 3, 4])
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith("3 agents are unresolved (agent2@acme.example, agent3@acme.example, agent4@")
    assert "stames-sf users --accept-fallback" in message
    assert "1 of them need a new mapping" in message


def test_the_gate_opens_when_every_referenced_agent_is_decided(tmp_path):
    path = tmp_path / "agent-decisions.yml"
    write_decisions(_decide(ROWS[:3], accept_fallback=True), path)
    assert require_agents_resolved(path, HASH, [1, 2, 3]) is not None
    assert [agent.label for agent in unresolved_agents(read_decisions(path), HASH, [1, 3, 9])] == ["agent 9"]


def test_decisions_for_another_mapping_or_none_at_all_keep_the_gate_shut(tmp_path):
    path = tmp_path / "agent-decisions.yml"
    write_decisions(_decide(ROWS[:3], accept_fallback=True), path)
    with pytest.raises(AgentsUnresolvedError, match="another mapping"):
        require_agents_resolved(path, OTHER_HASH, [1])
    with pytest.raises(AgentsUnresolvedError, match=r"^1 agent is unresolved \(agent 5\)"):
        require_agents_resolved(tmp_path / "missing.yml", HASH, [5])
    assert require_agents_resolved(tmp_path / "missing.yml", HASH, []) is None


def test_the_reconciliation_queue_lists_every_agent_with_its_decision(tmp_path):
    decisions = _decide(ROWS, accept_fallback=True)
    path = tmp_path / "reports" / "agent-reconciliation.csv"
    write_reconciliation(ROWS, decisions, path)
    with path.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert tuple(lines[0]) == CSV_COLUMNS
    assert [(line["agent_id"], line["situation"], line["decision"]) for line in lines] == [
        ("1", "matched", "user"),
        ("2", "inactive_user", "fallback"),
        ("3", "no_user", "fallback"),
        ("4", "owner_changed", ""),
    ]
    assert lines[1]["owns"] == "1 ticket"
    assert lines[1]["user_id"] == LUIS.id
