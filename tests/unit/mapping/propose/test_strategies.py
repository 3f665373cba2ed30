"""Strategies, routes, owners and objects over hand-written warehouses and orgs."""

from pathlib import Path

import pytest

from mapping.model import Strategies
from mapping.org import OrgQueue, OrgUser
from mapping.propose.strategies import (
    message_routes,
    propose_custom_objects,
    propose_manual,
    propose_objects,
    propose_owners,
    propose_strategies,
    source_info,
)
from tests.fixtures.orgs import org
from tests.fixtures.raw_tables import child_rows, write_raw


def _message(message_id: int, author: str, direction: str, author_id: int | None = None) -> dict:
    return {"id": message_id, "author__type": author, "author__id": author_id, "direction": direction}


def test_routes_per_author_and_direction_found(tmp_path):
    messages = [
        _message(1, "customer", "inbound"),
        _message(2, "agent", "outbound", 1),
        _message(3, "agent", "internal", 1),
        _message(4, "system", "internal"),
    ]
    warehouse = write_raw(tmp_path / "w.duckdb", {"messages": messages})
    routes = {(route.author_type, route.direction): route for route in message_routes(warehouse)}
    assert set(routes) == {
        ("customer", "inbound"),
        ("agent", "outbound"),
        ("agent", "internal"),
        ("system", "internal"),
    }
    customer, agent = routes[("customer", "inbound")], routes[("agent", "outbound")]
    assert (customer.target, customer.incoming, customer.status) == ("EmailMessage", True, "1")  # Read
    assert (agent.target, agent.incoming, agent.status) == ("EmailMessage", False, "3")  # Sent
    assert routes[("agent", "internal")].target == "Task"
    assert routes[("system", "internal")].target == "skip"
    notes = message_routes(warehouse, internal_notes="CaseComment")
    assert {
        route.target for route in notes if route.direction == "internal" and route.author_type == "agent"
    } == {"CaseComment"}


USERS = (
    OrgUser("005000000000001", "integration@org", "integration@org", "Integration User", True),
    OrgUser("005000000000002", "ana@org", "Ana.Gil@Acme.Example", "Ana Gil", True),
    OrgUser("005000000000003", "luis@org", "luis@acme.example", "Luis Sanz", False),
)


@pytest.fixture
def agents_warehouse(tmp_path: Path) -> Path:
    agents = [
        {"id": 1, "email": "ana.gil@acme.example ", "name": "Ana Gil", "active": True, "deleted": False},
        {"id": 2, "email": "luis@acme.example", "name": "Luis Sanz", "active": True, "deleted": False},
        {"id": 3, "email": None, "name": "Deleted user 3", "active": False, "deleted": True},
        {"id": 4, "email": "nobody@acme.example", "name": "Nadie", "active": True, "deleted": False},
    ]
    tickets = [{"id": 10, "assignee_id": 1}, {"id": 11, "assignee_id": 99}]
    messages = [_message(1, "agent", "outbound", 98), _message(2, "customer", "inbound", 98)]
    return write_raw(tmp_path / "w.duckdb", {"agents": agents, "tickets": tickets, "messages": messages})


def test_agents_match_users_by_email_whatever_the_case(agents_warehouse):
    owners = propose_owners(agents_warehouse, org(users=USERS, integration_user_id="005000000000001"))
    states = {agent.agent_id: (agent.state, agent.user_id) for agent in owners.agents}
    assert states == {
        1: ("matched", "005000000000002"),
        2: ("inactive_user", "005000000000003"),
        3: ("no_user", None),
        4: ("no_user", None),
        98: ("deleted_agent", None),  # a message author no /agents row lists
        99: ("deleted_agent", None),  # a ticket assignee no /agents row lists
    }
    inactive = next(agent for agent in owners.agents if agent.agent_id == 2)
    assert any("inactive" in warning for warning in inactive.evidence.warnings)
    assert (owners.fallback_owner_id, owners.fallback_owner_name) == (
        "005000000000001",
        "Integration User (the integration user)",
    )


def test_without_an_integration_user_a_queue_is_the_fallback(agents_warehouse):
    queue = OrgQueue("00G000000000001", "Support Queue", "Support_Queue")
    owners = propose_owners(agents_warehouse, org(users=USERS, queues=(queue,)))
    assert (owners.fallback_owner_id, owners.fallback_owner_name) == (
        "00G000000000001",
        "Support Queue (queue)",
    )
    manual = propose_manual(owners)
    assert manual[-1].topic == "Agents without an active user"
    assert "5 agents" in manual[-1].what


def _tag_warehouse(tmp_path: Path, tags: list[str]) -> Path:
    return write_raw(tmp_path / "w.duckdb", {"tickets__tags": child_rows("t1", tags)})


def test_a_small_tag_set_goes_to_a_multi_select_picklist(tmp_path):
    strategies = propose_strategies(_tag_warehouse(tmp_path, ["vip", "VIP", "screen"]), org())
    assert (strategies.tags, strategies.tag_field) == ("multipicklist", "Case.Stames_Tags__c")
    assert strategies.internal_notes == "Task"
    assert "2 normalised values" in strategies.evidence["tags"].reasons[0]


def test_a_tag_with_a_semicolon_chooses_topics(tmp_path):
    strategies = propose_strategies(_tag_warehouse(tmp_path, ["vip", "a;b"]), org())
    assert (strategies.tags, strategies.tag_field) == ("topics", None)
    assert "`;`" in strategies.evidence["tags"].reasons[0]


def test_more_than_500_values_choose_topics(tmp_path):
    rows = [{"value": f"tag {n}", "_dlt_parent_id": f"t{n}"} for n in range(501)]
    warehouse = write_raw(tmp_path / "w.duckdb", {"tickets__tags": rows})
    strategies = propose_strategies(warehouse, org())
    assert strategies.tags == "topics"
    assert "501 values (limit 500)" in strategies.evidence["tags"].reasons[0]


def test_no_tags_no_tag_strategy(tmp_path):
    warehouse = write_raw(tmp_path / "w.duckdb", {"tickets": [{"id": 1}]})
    assert propose_strategies(warehouse, org()).tags == "none"


def test_custom_objects_get_lookups_and_load_after_their_parents(tmp_path):
    kinds = [{"key": "service_contract", "name": "Service Contract", "name_plural": "Service Contracts"}]
    records = [{"id": "sc_1", "_dlt_id": "r1"}, {"id": "sc_2", "_dlt_id": "r2"}]
    links = [{"value": 10, "_dlt_parent_id": "r1"}, {"value": 11, "_dlt_parent_id": "r1"}]
    warehouse = write_raw(
        tmp_path / "w.duckdb",
        {
            "custom_objects": kinds,
            "custom_object_records_service_contract": records,
            "custom_object_records_service_contract__ticket_ids": links,
        },
    )
    custom = propose_custom_objects(warehouse)
    contract = custom[0]
    assert contract.api_name == "Stames_Service_Contract__c"
    assert [(lookup.api_name, lookup.reference_to) for lookup in contract.lookups] == [
        ("Case__c", "Case"),
        ("Contact__c", "Contact"),
    ]
    assert "1 record link more than one ticket" in contract.evidence.warnings[0]
    assert custom[-1].api_name == "Stames_Status_Change__c"
    objects = propose_objects(Strategies(tags="topics", tag_field=None, internal_notes="CaseComment"), custom)
    order = {item.target: item.load_order for item in objects}
    for item in objects:
        for parent in item.parents:
            assert order[parent] < item.load_order, (item.target, parent)
    assert {"Topic", "TopicAssignment", "CaseComment", "Stames_Service_Contract__c"} <= set(order)
    assert "Task" not in order
    assert [item.load_order for item in objects] == list(range(1, len(objects) + 1))


def test_source_info_from_the_account(tmp_path):
    account = [
        {"subdomain": "acme", "timezone": "Europe/Madrid", "legacy_import__timestamps_local_time": True}
    ]
    info = source_info(write_raw(tmp_path / "w.duckdb", {"account": account}))
    assert (info.account, info.timezone, info.legacy_timestamps_local_time) == ("acme", "Europe/Madrid", True)
