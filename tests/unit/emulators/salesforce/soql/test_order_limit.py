"""ORDER BY (nulls placement, case, multiple keys), LIMIT and OFFSET."""

from emulators.salesforce.soql import execute
from tests.fixtures.soql_store import Helpdesk


def subjects(soql_desk: Helpdesk, tail: str) -> list[str | None]:
    return [r["Subject"] for r in execute(soql_desk.store, f"SELECT Subject FROM Case {tail}").records]


def test_ascending_puts_nulls_first_and_ignores_case(soql_desk: Helpdesk) -> None:
    assert subjects(soql_desk, "ORDER BY Subject") == [
        None,
        "Cannot log in",
        "Invoice 100% wrong",
        "Re: cannot log in",
    ]


def test_descending_puts_nulls_last(soql_desk: Helpdesk) -> None:
    assert subjects(soql_desk, "ORDER BY Subject DESC") == [
        "Re: cannot log in",
        "Invoice 100% wrong",
        "Cannot log in",
        None,
    ]


def test_explicit_nulls_placement(soql_desk: Helpdesk) -> None:
    assert subjects(soql_desk, "ORDER BY Subject ASC NULLS LAST")[-1] is None
    assert subjects(soql_desk, "ORDER BY Subject DESC NULLS FIRST")[0] is None


def test_multiple_keys(soql_desk: Helpdesk) -> None:
    records = execute(
        soql_desk.store, "SELECT Status, CreatedDate FROM Case ORDER BY Status DESC, CreatedDate"
    ).records
    assert [(r["Status"], r["CreatedDate"][:10]) for r in records] == [
        ("Working", "2024-03-02"),
        ("New", "2023-12-31"),
        ("New", "2024-03-01"),
        ("Closed", "2024-03-05"),
    ]


def test_order_by_datetime_uses_instants_not_text(soql_desk: Helpdesk) -> None:
    # 2024-03-05T08:00+01:00 is later than 2024-03-02T23:15Z even though offsets differ.
    records = execute(soql_desk.store, "SELECT Id FROM Case ORDER BY CreatedDate DESC LIMIT 1").records
    assert records[0]["Id"] == soql_desk.followup_case


def test_order_by_parent_field(soql_desk: Helpdesk) -> None:
    records = execute(
        soql_desk.store, "SELECT Id FROM Case ORDER BY Account.Name DESC NULLS LAST, Subject"
    ).records
    assert [r["Id"] for r in records] == [
        soql_desk.invoice_case,
        soql_desk.login_case,
        soql_desk.followup_case,
        soql_desk.queued_case,
    ]


def test_limit_and_offset_page_through_the_sorted_rows(soql_desk: Helpdesk) -> None:
    everything = subjects(soql_desk, "ORDER BY Subject")
    assert subjects(soql_desk, "ORDER BY Subject LIMIT 2") == everything[:2]
    assert subjects(soql_desk, "ORDER BY Subject LIMIT 2 OFFSET 1") == everything[1:3]
    assert subjects(soql_desk, "ORDER BY Subject OFFSET 3") == everything[3:]
    result = execute(soql_desk.store, "SELECT Id FROM Case LIMIT 3")
    assert result.total_size == len(result.records) == 3
