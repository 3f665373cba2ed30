"""Ids, stored values and comparison rules."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from emulators.salesforce.soql.nodes import Value
from emulators.salesforce.soql.schema import FieldInfo
from emulators.salesforce.soql.values import (
    LiteralChecker,
    Range,
    canonical_id,
    compare,
    parse_datetime,
    stored_value,
)

# 15 → 18 vectors published with the Id algorithm (see the Salesforce contract notes, section 3).
ID_VECTORS = [
    ("a01M00000062mPg", "a01M00000062mPgIAI"),
    ("001M000000qfPyS", "001M000000qfPySIAU"),
    ("a0FE000000D6r3F", "a0FE000000D6r3FMAR"),
    ("0F9E000000092w2", "0F9E000000092w2KAA"),
    ("aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaAAA"),
    ("AbCdEfGhIjKlMnO", "AbCdEfGhIjKlMnOVKV"),
    ("aBcDEfgHIJKLMNO", "aBcDEfgHIJKLMNO025"),
]


@pytest.mark.parametrize(("id15", "id18"), ID_VECTORS)
def test_fifteen_char_ids_gain_their_checksum(id15: str, id18: str) -> None:
    assert canonical_id(id15) == id18
    assert canonical_id(id18) == id18


@pytest.mark.parametrize(("id15", "id18"), ID_VECTORS)
def test_eighteen_char_ids_match_in_any_case(id15: str, id18: str) -> None:
    assert canonical_id(id18.lower()) == id18
    assert canonical_id(id18.upper()) == id18


@pytest.mark.parametrize("bad", ["", "abc", "001M000000qfPy!", "001M000000qfPySIA9", "x" * 19])
def test_malformed_ids_are_rejected(bad: str) -> None:
    assert canonical_id(bad) is None


def test_rest_and_literal_datetimes_parse_to_the_same_instant() -> None:
    rest = parse_datetime("2024-03-05T08:00:00.000+0100")
    literal = parse_datetime("2024-03-05T07:00:00Z")
    assert rest == literal
    assert parse_datetime("2024-03-05T07:00:00") == datetime(2024, 3, 5, 7, tzinfo=UTC)


def test_text_compares_case_insensitively_and_empty_is_null() -> None:
    assert stored_value("text", "Acme") == stored_value("text", "ACME")
    assert stored_value("text", "") is None


def test_multi_select_values_are_sets() -> None:
    assert stored_value("multi", "b;a") == frozenset({"a", "b"})


def test_not_equal_matches_null_and_ordering_does_not() -> None:
    assert compare("!=", None, "x") is True
    assert compare("=", None, "x") is False
    assert compare("<", None, 5.0) is False
    assert compare("=", None, None) is True
    assert compare("!=", "x", None) is True


def test_ranges_follow_date_literal_semantics() -> None:
    march = Range(date(2024, 3, 1), date(2024, 4, 1))
    assert compare("=", date(2024, 3, 31), march)
    assert not compare("=", date(2024, 4, 1), march)
    assert compare("<", date(2024, 2, 29), march)
    assert compare(">", date(2024, 4, 1), march)
    assert compare("<=", date(2024, 3, 15), march)
    assert compare(">=", date(2024, 3, 1), march)
    assert compare("!=", date(2024, 5, 1), march)


def test_date_literal_on_datetime_field_spans_the_users_local_day() -> None:
    created = FieldInfo("CreatedDate", "datetime", "dateTime")
    today = Value("date_literal", "TODAY", 0)
    berlin = LiteralChecker("", ZoneInfo("Europe/Berlin"), today=date(2024, 7, 1)).convert(created, today)
    assert berlin.low == datetime(2024, 6, 30, 22, tzinfo=UTC)  # midnight CEST is 22:00 UTC
    assert berlin.high - berlin.low == timedelta(days=1)
    utc = LiteralChecker("", UTC, today=date(2024, 7, 1)).convert(created, today)
    assert utc.low == datetime(2024, 7, 1, tzinfo=UTC)
