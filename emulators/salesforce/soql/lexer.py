"""Splits SOQL text into tokens, keeping each token's offset for Salesforce-style error positions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from emulators.salesforce.soql.errors import SoqlError, located, unexpected_token


class Kind(Enum):
    """Token kinds. Keywords are NAME tokens; the parser compares them case-insensitively."""

    NAME = "name"
    STRING = "string"
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"
    OP = "op"
    PUNCT = "punct"
    EOF = "eof"


@dataclass(frozen=True)
class Token:
    """One token: `text` is the raw source text; for STRING tokens `value` is the decoded literal
    and `like_regex` the same literal as a LIKE pattern (unescaped `%`/`_` are wildcards)."""

    kind: Kind
    text: str
    offset: int
    value: str = ""
    like_regex: str = ""

    def is_word(self, *words: str) -> bool:
        """True if this is a NAME token spelling one of `words`, ignoring case."""
        return self.kind is Kind.NAME and self.text.upper() in words


_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?![\dT])")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_OPERATORS = ("!=", "<>", "<=", ">=", "=", "<", ">")
_PUNCTUATION = "(),:"
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_WILDCARDS = {"%": ".*", "_": "."}


def tokenize(soql: str) -> list[Token]:
    """All tokens of `soql`, ending with one EOF token."""
    tokens: list[Token] = []
    position = 0
    while position < len(soql):
        char = soql[position]
        if char.isspace():
            position += 1
            continue
        token = _next_token(soql, position)
        tokens.append(token)
        position = token.offset + len(token.text)
    tokens.append(Token(Kind.EOF, "", len(soql)))
    return tokens


def _next_token(soql: str, position: int) -> Token:
    """The token starting at `position` (not whitespace)."""
    char = soql[position]
    if char == "'":
        return _string_token(soql, position)
    for pattern, kind in ((_DATETIME, Kind.DATETIME), (_DATE, Kind.DATE)):
        match = pattern.match(soql, position)
        if match:
            return Token(kind, match.group(), position)
    if char.isdigit() or (char in "+-." and _NUMBER.match(soql, position)):
        match = _NUMBER.match(soql, position)
        if match:
            return Token(Kind.NUMBER, match.group(), position)
    for operator in _OPERATORS:
        if soql.startswith(operator, position):
            return Token(Kind.OP, operator, position)
    if char in _PUNCTUATION:
        return Token(Kind.PUNCT, char, position)
    match = _NAME.match(soql, position)
    if match:
        return Token(Kind.NAME, match.group(), position)
    raise unexpected_token(soql, position, char)


def _string_token(soql: str, start: int) -> Token:
    """A single-quoted literal with backslash escapes, decoded both as text and as a LIKE regex."""
    decoded: list[str] = []
    pattern: list[str] = []
    position = start + 1
    while position < len(soql):
        char = soql[position]
        if char == "'":
            text = soql[start : position + 1]
            return Token(Kind.STRING, text, start, "".join(decoded), "".join(pattern))
        if char == "\\":
            escaped = soql[position + 1 : position + 2]
            if escaped in _ESCAPES:
                decoded.append(_ESCAPES[escaped])
                pattern.append(re.escape(_ESCAPES[escaped]))
            elif escaped in _WILDCARDS:
                decoded.append(escaped)
                pattern.append(re.escape(escaped))
            else:
                reason = f"Illegal character sequence '\\{escaped}' in string literal."
                raise SoqlError("MALFORMED_QUERY", located(soql, position, reason))
            position += 2
            continue
        decoded.append(char)
        pattern.append(_WILDCARDS.get(char, re.escape(char)))
        position += 1
    raise SoqlError("MALFORMED_QUERY", located(soql, start, "unterminated string literal"))
