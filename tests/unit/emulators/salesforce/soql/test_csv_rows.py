"""Bulk 2.0 query CSV rendering."""

from emulators.salesforce.soql import QueryResult, csv_rows, execute
from emulators.salesforce.soql.result import csv_value
from tests.fixtures.soql_store import Helpdesk


def test_header_keeps_the_query_spelling_and_rows_follow(soql_desk: Helpdesk) -> None:
    result = execute(
        soql_desk.store,
        "SELECT id, Subject, account.name, IsEscalated, CreatedDate FROM Case WHERE Stames_Id__c = 't-3'",
    )
    header, row = list(csv_rows(result))
    assert header == ["id", "Subject", "account.name", "IsEscalated", "CreatedDate"]
    assert row == [soql_desk.followup_case, "Re: cannot log in", "Acme", "false", "2024-03-05T07:00:00.000Z"]


def test_null_parent_and_null_value_are_empty_cells(soql_desk: Helpdesk) -> None:
    result = execute(soql_desk.store, "SELECT Subject, Account.Name FROM Case WHERE Stames_Id__c = 't-4'")
    assert list(csv_rows(result))[1] == ["", ""]


def test_value_formats() -> None:
    assert csv_value(True) == "true"
    assert csv_value(None) == ""
    assert csv_value("2024-01-01T00:00:00.000+0000") == "2024-01-01T00:00:00.000Z"
    assert csv_value("2024-01-01") == "2024-01-01"
    assert csv_value(12) == "12"


def test_empty_result_has_only_a_header() -> None:
    assert list(csv_rows(QueryResult("Case", ["Id"], [], 0))) == [["Id"]]
