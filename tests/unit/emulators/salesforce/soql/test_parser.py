"""Grammar: clause order, AND/OR/NOT rules and the org's syntax error format."""

import pytest

from emulators.salesforce.soql import SoqlError
from emulators.salesforce.soql.nodes import Comparison, Junction, Not, OrderItem
from emulators.salesforce.soql.parser import parse


def error_of(soql: str) -> SoqlError:
    with pytest.raises(SoqlError) as raised:
        parse(soql)
    return raised.value


def test_full_statement_parses_every_clause() -> None:
    query = parse(
        "SELECT Id, Account.Name FROM Case WHERE Status = 'New' ORDER BY CreatedDate DESC NULLS LAST, Id "
        "LIMIT 10 OFFSET 5"
    )
    assert [item.text for item in query.select] == ["Id", "Account.Name"]
    assert query.sobject == "Case"
    assert query.order_by == (
        OrderItem(query.order_by[0].path, descending=True, nulls_first=False),
        OrderItem(query.order_by[1].path, descending=False, nulls_first=None),
    )
    assert (query.limit, query.offset) == (10, 5)
    assert "OFFSET" in query.features


def test_keywords_are_case_insensitive() -> None:
    query = parse("select id from account where name like 'a%' order by name asc limit 1")
    assert query.sobject == "account"
    assert isinstance(query.where, Comparison)
    assert query.where.operator == "LIKE"


def test_and_chain_and_parenthesised_or() -> None:
    query = parse("SELECT Id FROM Case WHERE A = 1 AND (B = 2 OR C = 3) AND D = 4")
    assert isinstance(query.where, Junction)
    assert query.where.operator == "AND"
    assert len(query.where.operands) == 3
    assert isinstance(query.where.operands[1], Junction)
    assert query.where.operands[1].operator == "OR"


def test_mixing_and_with_or_needs_parentheses() -> None:
    error = error_of("SELECT Id FROM Case WHERE A = 1 AND B = 2 OR C = 3")
    assert error.code == "MALFORMED_QUERY"
    assert error.message.endswith("unexpected token: 'OR'")


def test_not_after_and_is_refused_but_allowed_inside_parentheses() -> None:
    assert error_of("SELECT Id FROM Case WHERE A = 1 AND NOT (B = 2)").message.endswith(
        "unexpected token: 'NOT'"
    )
    query = parse("SELECT Id FROM Case WHERE A = 1 AND (NOT B = 2)")
    assert isinstance(query.where, Junction)
    assert isinstance(query.where.operands[1], Not)


def test_not_in_and_in_lists() -> None:
    query = parse("SELECT Id FROM Case WHERE Status NOT IN ('New', 'Closed')")
    assert isinstance(query.where, Comparison)
    assert query.where.operator == "NOT IN"
    assert [value.text for value in query.where.values] == ["New", "Closed"]


def test_misspelt_from_is_reported_with_position() -> None:
    error = error_of("SELECT Id FORM Account")
    assert error.code == "MALFORMED_QUERY"
    lines = error.message.strip("\n").split("\n")
    assert lines[0] == "SELECT Id FORM Account"
    assert lines[1].index("^") == "SELECT Id FORM Account".index("FORM")
    assert lines[2] == "ERROR at Row:1:Column:11"
    assert lines[3] == "unexpected token: 'FORM'"


def test_truncated_query_reports_end_of_input() -> None:
    assert error_of("SELECT Id FROM").message.endswith("unexpected token: '<EOF>'")


def test_row_and_column_count_lines() -> None:
    error = error_of("SELECT Id\nFROM Account\nWHERE Name = = 'x'")
    assert "ERROR at Row:3:Column:14" in error.message


def test_reserved_word_cannot_be_a_field() -> None:
    assert error_of("SELECT FROM Account").message.endswith("unexpected token: 'FROM'")


def test_semi_join_and_child_subquery_are_marked() -> None:
    semi = parse("SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Case)")
    assert isinstance(semi.where, Comparison)
    assert semi.where.subquery is not None
    assert semi.features == frozenset({"semi-join"})
    child = parse("SELECT Id, (SELECT Id FROM Cases) FROM Account")
    assert "subquery" in child.features


def test_count_forms() -> None:
    assert "COUNT" in parse("SELECT COUNT() FROM Case").features
    query = parse("SELECT COUNT(Id) total FROM Case")
    assert query.select[0].alias == "total"


def test_date_literal_with_number() -> None:
    query = parse("SELECT Id FROM Case WHERE CreatedDate = LAST_N_DAYS:30")
    assert isinstance(query.where, Comparison)
    literal = query.where.values[0]
    assert (literal.kind, literal.text, literal.n) == ("date_literal", "LAST_N_DAYS", 30)


def test_limit_must_be_an_integer() -> None:
    assert error_of("SELECT Id FROM Case LIMIT x").code == "MALFORMED_QUERY"


def test_with_security_enforced_is_accepted() -> None:
    query = parse("SELECT Id FROM Case WHERE Status = 'New' WITH SECURITY_ENFORCED LIMIT 5")
    assert query.limit == 5
    assert error_of("SELECT Id FROM Case WITH SOMETHING").message.endswith("unexpected token: 'SOMETHING'")
