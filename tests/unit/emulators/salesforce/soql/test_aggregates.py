"""COUNT(), COUNT(field) and GROUP BY."""

import pytest

from emulators.salesforce.soql import SoqlError, execute
from tests.fixtures.soql_store import Helpdesk


def test_count_gives_total_and_no_records(soql_desk: Helpdesk) -> None:
    result = execute(soql_desk.store, "SELECT COUNT() FROM Case")
    assert (result.is_count, result.total_size, result.records) == (True, 4, [])
    with_deleted = execute(soql_desk.store, "SELECT COUNT() FROM Case", include_deleted=True)
    assert with_deleted.total_size == 5


def test_count_respects_where_and_limit(soql_desk: Helpdesk) -> None:
    assert execute(soql_desk.store, "SELECT COUNT() FROM Case WHERE Status = 'New'").total_size == 2
    assert execute(soql_desk.store, "SELECT COUNT() FROM Case LIMIT 1").total_size == 1


def test_count_field_counts_non_null_values(soql_desk: Helpdesk) -> None:
    result = execute(soql_desk.store, "SELECT COUNT(Id), COUNT(Subject) subjects FROM Case")
    assert result.is_count is False
    assert result.records == [{"attributes": {"type": "AggregateResult"}, "expr0": 4, "subjects": 3}]
    assert result.columns == ["expr0", "subjects"]


def test_group_by(soql_desk: Helpdesk) -> None:
    result = execute(soql_desk.store, "SELECT Status, COUNT(Id) FROM Case GROUP BY Status ORDER BY Status")
    assert [(r["Status"], r["expr0"]) for r in result.records] == [("Closed", 1), ("New", 2), ("Working", 1)]
    assert result.total_size == 3


def test_count_must_stand_alone(soql_desk: Helpdesk) -> None:
    with pytest.raises(SoqlError) as raised:
        execute(soql_desk.store, "SELECT Id, COUNT() FROM Case")
    assert raised.value.code == "MALFORMED_QUERY"


def test_ungrouped_field_next_to_aggregate_is_refused(soql_desk: Helpdesk) -> None:
    with pytest.raises(SoqlError) as raised:
        execute(soql_desk.store, "SELECT Subject, COUNT(Id) FROM Case")
    assert raised.value.code == "MALFORMED_QUERY"
    assert "Field must be grouped or aggregated: Subject" in raised.value.message
