"""The parsed form of a SOQL query, before field names are checked against the org's schema."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LiteralKind = Literal["string", "number", "boolean", "null", "date", "datetime", "date_literal"]
Operator = Literal["=", "!=", "<", ">", "<=", ">=", "IN", "NOT IN", "LIKE", "INCLUDES", "EXCLUDES"]


@dataclass(frozen=True)
class Path:
    """A field reference as written, e.g. `Account.Owner.Username`, with its source offset."""

    text: str
    offset: int

    @property
    def parts(self) -> list[str]:
        """The dotted segments."""
        return self.text.split(".")


@dataclass(frozen=True)
class Value:
    """One literal. `text` is the decoded value (string contents, number text, `2024-01-01`,
    `LAST_N_DAYS` with `n`); `like_regex` only for strings."""

    kind: LiteralKind
    text: str
    offset: int
    like_regex: str = ""
    n: int | None = None


@dataclass(frozen=True)
class Comparison:
    """`path op value` or `path [NOT] IN (...)`; `subquery` for a semi-join `IN (SELECT ...)`."""

    path: Path
    operator: Operator
    values: tuple[Value, ...]
    subquery: Query | None = None
    operator_offset: int = 0


@dataclass(frozen=True)
class Not:
    """`NOT condition`."""

    operand: Condition


@dataclass(frozen=True)
class Junction:
    """`a AND b AND ...` or `a OR b OR ...` (SOQL forbids mixing them without parentheses)."""

    operator: Literal["AND", "OR"]
    operands: tuple[Condition, ...]


Condition = Comparison | Not | Junction


@dataclass(frozen=True)
class CountItem:
    """`COUNT()` (path None) or `COUNT(field) [alias]` in SELECT."""

    path: Path | None
    alias: str | None
    offset: int


@dataclass(frozen=True)
class SubqueryItem:
    """A parent-to-child subquery in SELECT: `(SELECT ... FROM Cases)`."""

    query: Query
    offset: int


@dataclass(frozen=True)
class FieldsItem:
    """`FIELDS(ALL | STANDARD | CUSTOM)`: every field of that group, expanded from the describe."""

    group: Literal["ALL", "STANDARD", "CUSTOM"]
    offset: int


SelectItem = Path | CountItem | SubqueryItem | FieldsItem


@dataclass(frozen=True)
class OrderItem:
    """One ORDER BY key; `nulls_first` None means the default (first for ASC, last for DESC)."""

    path: Path
    descending: bool = False
    nulls_first: bool | None = None


@dataclass(frozen=True)
class Query:
    """A whole SELECT statement."""

    select: tuple[SelectItem, ...]
    sobject: str
    sobject_offset: int
    where: Condition | None = None
    group_by: tuple[Path, ...] = ()
    order_by: tuple[OrderItem, ...] = ()
    limit: int | None = None
    offset: int | None = None
    alias: str | None = None
    """`FROM Account acct`: paths may start with `acct.`."""
    features: frozenset[str] = field(default_factory=frozenset)
    """Clauses that Bulk 2.0 refuses, as seen while parsing (e.g. "OFFSET", "TYPEOF")."""
