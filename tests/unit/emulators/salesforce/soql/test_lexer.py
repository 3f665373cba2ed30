"""Tokens: literals, escapes and LIKE patterns."""

import re

import pytest

from emulators.salesforce.soql import SoqlError
from emulators.salesforce.soql.lexer import Kind, tokenize


def kinds(soql: str) -> list[Kind]:
    return [token.kind for token in tokenize(soql)]


def test_date_and_datetime_literals_are_single_tokens() -> None:
    tokens = tokenize("d = 2024-01-31 AND t > 2024-01-31T10:00:00.123+01:00 AND u < 2024-02-01T00:00:00Z")
    assert [t.text for t in tokens if t.kind is Kind.DATE] == ["2024-01-31"]
    assert [t.text for t in tokens if t.kind is Kind.DATETIME] == [
        "2024-01-31T10:00:00.123+01:00",
        "2024-02-01T00:00:00Z",
    ]


def test_numbers_keep_sign_and_exponent() -> None:
    tokens = tokenize("n > -1.5e3 AND m < 42")
    assert [t.text for t in tokens if t.kind is Kind.NUMBER] == ["-1.5e3", "42"]


def test_string_escapes_are_decoded() -> None:
    (token, _eof) = tokenize(r"'it\'s a \\ back\nslash'")
    assert token.kind is Kind.STRING
    assert token.value == "it's a \\ back\nslash"


def test_like_pattern_treats_escaped_wildcards_literally() -> None:
    (token, _eof) = tokenize(r"'100\% off_%'")
    pattern = re.compile(token.like_regex)
    assert pattern.fullmatch("100% offX and more")
    assert not pattern.fullmatch("1000 offX")
    assert token.value == "100% off_%"


def test_dotted_names_are_one_token() -> None:
    tokens = tokenize("SELECT Account.Owner.Username FROM Case")
    assert tokens[1].text == "Account.Owner.Username"
    assert kinds("a <> b")[1] is Kind.OP


def test_unterminated_string_is_malformed() -> None:
    with pytest.raises(SoqlError) as raised:
        tokenize("SELECT Id FROM Account WHERE Name = 'open")
    assert raised.value.code == "MALFORMED_QUERY"


def test_unknown_escape_is_malformed() -> None:
    with pytest.raises(SoqlError) as raised:
        tokenize(r"Name = 'a\qb'")
    assert raised.value.code == "MALFORMED_QUERY"
