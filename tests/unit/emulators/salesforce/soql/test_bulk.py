"""Which queries Bulk 2.0 accepts."""

import pytest

from emulators.salesforce.soql import bulk_supported, bulk_unsupported_reason


@pytest.mark.parametrize(
    "soql",
    [
        "SELECT Id, Account.Name, Owner.Username FROM Case WHERE Status = 'New' ORDER BY Subject LIMIT 10",
        "SELECT Id FROM Account WHERE Id IN ('001000000000001AAA')",
        "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Case)",
    ],
)
def test_plain_and_parent_path_queries_are_supported(soql: str) -> None:
    assert bulk_supported(soql) is True
    assert bulk_unsupported_reason(soql) is None


@pytest.mark.parametrize(
    ("soql", "word"),
    [
        ("SELECT COUNT() FROM Case", "COUNT"),
        ("SELECT Status, COUNT(Id) FROM Case GROUP BY Status", "COUNT"),
        ("SELECT Id FROM Case OFFSET 10", "OFFSET"),
        ("SELECT Id, (SELECT Id FROM Cases) FROM Account", "subqueries"),
    ],
)
def test_unsupported_features(soql: str, word: str) -> None:
    assert bulk_supported(soql) is False
    reason = bulk_unsupported_reason(soql)
    assert reason is not None
    assert word in reason


def test_malformed_query_is_left_to_the_run() -> None:
    assert bulk_supported("SELECT Id FORM Case") is True
