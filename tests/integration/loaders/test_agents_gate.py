"""`stames-sf users` against the Salesforce emulator over HTTPS: the org is seeded with users for the
agents' emails (sorted: the 1st and 5th exact and active, the 2nd inactive, the 3rd with the email's
case changed, the 4th none), the warehouse holds hand-written staging views, the mapping is the
hand-written one with owners written here from the org's users. The load's gate reads the result."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from emulators.salesforce.http.server import RunningServer, connection_path, running_server
from loaders.agents import AgentsUnresolvedError, require_agents_resolved
from mapping.document import confirm, content_hash, mapping_path, read_mapping, require_confirmed
from mapping.model import AgentMatch, Evidence, Owners
from stames_sf.workdir import WorkDir
from tests.fixtures.mapping_documents import GENERATED_MAPPING
from tests.fixtures.salesforce import salesforce_client
from tests.fixtures.transform import write_confirmed_mapping

ANA, BEN, CHLOE, DEV, EMMA = (f"{name}@help.example" for name in ("ana", "ben", "chloe", "dev", "emma"))
FIONA = "fiona@help.example"
"""An agent the org was not seeded for: no user."""
DELETED = 99
"""An agent id a ticket names that the agents list does not hold."""
AGENTS = {1: ANA, 2: BEN, 3: CHLOE, 4: DEV, 5: EMMA, 6: FIONA}
INTEGRATION_USERNAME = "integration@stames-sf.example.org"
SUFFIX = ".stames-sandbox"


@pytest.fixture
def org(tmp_path: Path) -> Iterator[RunningServer]:
    with running_server(
        tmp_path / "salesforce-org", match_agent_emails=[ANA, BEN, CHLOE, DEV, EMMA]
    ) as server:
        yield server


@pytest.fixture
def users_by_username(org: RunningServer) -> dict[str, tuple[str, str, bool]]:
    """Username → (Id, Email, IsActive), read from the org with plain SOQL."""
    client = salesforce_client(org)
    try:
        records = client.query_all("SELECT Id, Username, Email, IsActive FROM User")["records"]
    finally:
        client.session.close()
    return {row["Username"]: (row["Id"], row["Email"], row["IsActive"]) for row in records}


def _staging_warehouse(path: Path) -> None:
    """Agents 1-6 listed; tickets, messages and status changes naming them (and the unlisted 99)."""
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA staging")
        con.execute(
            "CREATE TABLE staging.stg_stames__agents (agent_id BIGINT, email VARCHAR, name VARCHAR, "
            "role VARCHAR, is_active BOOLEAN, is_deleted BOOLEAN)"
        )
        for agent_id, email in AGENTS.items():
            name = email.split("@")[0].capitalize()
            con.execute(
                "INSERT INTO staging.stg_stames__agents VALUES (?, ?, ?, 'agent', true, false)",
                [agent_id, email, name],
            )
        con.execute("CREATE TABLE staging.stg_stames__tickets (id BIGINT, assignee_id BIGINT)")
        con.execute(
            "INSERT INTO staging.stg_stames__tickets VALUES (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), "
            f"(6, 6), (7, {DELETED}), (8, NULL), (9, 2)"
        )
        con.execute(
            "CREATE TABLE staging.stg_stames__messages "
            "(message_id BIGINT, ticket_id BIGINT, author_id BIGINT, author_type VARCHAR)"
        )
        con.execute(
            "INSERT INTO staging.stg_stames__messages VALUES "
            "(1, 1, 1, 'agent'), (2, 2, 2, 'agent'), (3, 2, 500, 'customer'), (4, 4, 4, 'agent')"
        )
        con.execute(
            "CREATE TABLE staging.stg_stames__status_changes "
            "(status_change_id BIGINT, ticket_id BIGINT, changed_by_id BIGINT, changed_by_type VARCHAR)"
        )
        con.execute(
            "INSERT INTO staging.stg_stames__status_changes VALUES (1, 4, 4, 'agent'), (2, 1, NULL, 'system')"
        )


def _owners(users: dict[str, tuple[str, str, bool]]) -> Owners:
    """The owners a proposal against this org holds, written out by hand from the seeding rules."""

    def agent(agent_id: int, state: str, matched: bool) -> AgentMatch:
        email = AGENTS.get(agent_id)
        username = f"{email}{SUFFIX}" if matched else None
        return AgentMatch(
            agent_id=agent_id,
            email=email,
            name=email.split("@")[0].capitalize() if email else f"agent {agent_id}",
            user_id=users[username][0] if username else None,
            username=username,
            state=state,
            evidence=Evidence(confidence=1.0),
        )

    return Owners(
        fallback_owner_id=users[INTEGRATION_USERNAME][0],
        fallback_owner_name="Integration User",
        agents=[
            agent(1, "matched", True),
            agent(2, "inactive_user", True),
            agent(3, "matched", True),
            agent(4, "no_user", False),
            agent(5, "matched", True),
            agent(6, "no_user", False),
            agent(DELETED, "deleted_agent", False),
        ],
    )


@pytest.fixture
def work(tmp_path: Path, users_by_username: dict[str, tuple[str, str, bool]]) -> WorkDir:
    work = WorkDir.at(tmp_path / "work")
    _staging_warehouse(work.warehouse)
    mapping = read_mapping(GENERATED_MAPPING).model_copy(update={"owners": _owners(users_by_username)})
    confirmed = confirm(
        mapping, by="qa@example.com", at=datetime(2026, 12, 1, tzinfo=UTC), accepted_above=0.8
    )
    write_confirmed_mapping(confirmed, work)
    return work


def _app() -> typer.Typer:
    """The real CLI once `users` is registered there; until then a Typer app with just the command."""
    from stames_sf.cli import app

    if any(command.name == "users" for command in app.registered_commands):
        return app
    from stames_sf.commands.users import users

    local = typer.Typer()
    local.callback()(_group)
    local.command(name="users")(users)
    return local


def _group() -> None:
    """Keeps `users` a sub-command of the local app."""


def _users(work: WorkDir, org: RunningServer, *flags: str) -> tuple[int, str]:
    arguments = [
        "users",
        "--work",
        str(work.root),
        "--connection",
        str(connection_path(org.state_dir)),
        *flags,
    ]
    result = CliRunner().invoke(_app(), arguments, terminal_width=250)
    return result.exit_code, result.output


def _queue(work: WorkDir) -> dict[str, dict[str, str]]:
    with (work.reports / "agent-reconciliation.csv").open(encoding="utf-8", newline="") as handle:
        return {line["agent_id"]: line for line in csv.DictReader(handle)}


def _gate(work: WorkDir) -> None:
    mapping_hash = require_confirmed(mapping_path(work.root)).confirmation.content_hash
    require_agents_resolved(work.root / "mapping" / "agent-decisions.yml", mapping_hash, [*AGENTS, DELETED])


def test_the_seeded_situations_are_reported_and_queued(work, org, users_by_username) -> None:
    chloe_id, chloe_email, _ = users_by_username[f"{CHLOE}{SUFFIX}"]
    assert chloe_email != CHLOE and chloe_email.lower() == CHLOE  # the seed changed the case

    exit_code, output = _users(work, org)

    assert exit_code == 1, output
    queue = _queue(work)
    assert set(queue) == {"1", "2", "3", "4", "5", "6", str(DELETED)}
    situations = {agent_id: (line["situation"], line["decision"]) for agent_id, line in queue.items()}
    assert situations == {
        "1": ("matched", "user"),
        "2": ("inactive_user", ""),
        "3": ("matched", "user"),
        "4": ("no_user", ""),
        "5": ("matched", "user"),
        "6": ("no_user", ""),
        str(DELETED): ("deleted_agent", ""),
    }
    assert queue["3"]["user_id"] == chloe_id
    assert queue["2"]["user_id"] == users_by_username[f"{BEN}{SUFFIX}"][0]
    for unresolved in ("2", "4", "6", str(DELETED)):
        assert "fallback owner Integration User" in queue[unresolved]["proposed_action"]
    assert queue["2"]["owns"] == "2 tickets, 1 message"
    assert queue["4"]["owns"] == "1 ticket, 1 message, 1 status change"
    assert queue[str(DELETED)]["owns"] == "1 ticket"
    assert "stames-sf users --accept-fallback" in output
    assert "4 unresolved" in output


def test_the_load_gate_opens_only_after_accept_fallback(work, org) -> None:
    mapping_file = mapping_path(work.root)
    mapping_before = mapping_file.read_bytes()
    hash_before = content_hash(read_mapping(mapping_file))

    with pytest.raises(AgentsUnresolvedError, match="stames-sf users"):
        _gate(work)
    _users(work, org)
    with pytest.raises(AgentsUnresolvedError, match=r"^4 agents are unresolved \(ben@help\.example"):
        _gate(work)

    exit_code, output = _users(work, org, "--accept-fallback")

    assert exit_code == 0, output
    assert "Assigned 4 agents to the fallback owner Integration User" in output
    assert all(email in output for email in (BEN, DEV, FIONA))
    _gate(work)
    queue = _queue(work)
    assert {queue[agent_id]["decision"] for agent_id in ("2", "4", "6", str(DELETED))} == {"fallback"}
    assert mapping_file.read_bytes() == mapping_before
    assert content_hash(require_confirmed(mapping_file)) == hash_before


def test_running_again_changes_nothing(work, org) -> None:
    assert _users(work, org, "--accept-fallback")[0] == 0
    decisions = (work.root / "mapping" / "agent-decisions.yml").read_bytes()
    queue = (work.reports / "agent-reconciliation.csv").read_bytes()

    exit_code, output = _users(work, org, "--accept-fallback")

    assert exit_code == 0, output
    assert "Assigned" not in output
    assert (work.root / "mapping" / "agent-decisions.yml").read_bytes() == decisions
    assert (work.reports / "agent-reconciliation.csv").read_bytes() == queue
    assert _users(work, org)[0] == 0  # without the flag, the earlier choice still stands


def test_a_new_mapping_makes_the_decisions_stale(work, org) -> None:
    assert _users(work, org, "--accept-fallback")[0] == 0
    mapping = require_confirmed(mapping_path(work.root))
    renamed = mapping.owners.model_copy(
        update={"fallback_owner_name": "Integration User (the integration user)"}
    )
    reconfirmed = confirm(
        mapping.model_copy(update={"owners": renamed, "confirmation": None}),
        by="qa@example.com",
        at=datetime(2026, 12, 2, tzinfo=UTC),
        accepted_above=0.8,
    )
    write_confirmed_mapping(reconfirmed, work)

    with pytest.raises(AgentsUnresolvedError, match="another mapping"):
        _gate(work)


def test_a_user_deactivated_after_the_mapping_needs_a_new_mapping(work, org, users_by_username) -> None:
    client = salesforce_client(org)
    try:
        client.User.update(users_by_username[f"{EMMA}{SUFFIX}"][0], {"IsActive": False})
    finally:
        client.session.close()

    exit_code, output = _users(work, org, "--accept-fallback")

    assert exit_code == 1, output
    emma = _queue(work)["5"]
    assert (emma["situation"], emma["decision"]) == ("owner_changed", "")
    assert "stames-sf map propose" in emma["proposed_action"]
    assert "stames-sf map propose" in output
    with pytest.raises(AgentsUnresolvedError, match=r"^1 agent is unresolved \(emma@help\.example\)"):
        _gate(work)


def test_without_a_confirmed_mapping_nothing_is_decided(tmp_path) -> None:
    work = WorkDir.at(tmp_path / "work")
    _staging_warehouse(work.warehouse)
    arguments = ["users", "--work", str(work.root), "--connection", str(tmp_path / "none.json")]

    result = CliRunner().invoke(_app(), arguments)

    assert result.exit_code == 1
    assert "stames-sf map propose" in result.output
    assert not (work.root / "mapping" / "agent-decisions.yml").exists()


def test_by_names_who_accepts_the_fallback_so_it_needs_the_flag(tmp_path) -> None:
    arguments = ["users", "--work", str(tmp_path / "work"), "--by", "qa@example.com"]

    result = CliRunner().invoke(_app(), arguments)

    assert result.exit_code == 1
    assert "use it with --accept-fallback" in result.output
