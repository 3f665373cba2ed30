"""Compiles a WHERE condition into a test on stored records, checking names and literal types first
so that a bad query fails before any row is read."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from emulators.salesforce.soql import errors
from emulators.salesforce.soql.nodes import Comparison, Condition, Junction, Not, Query
from emulators.salesforce.soql.records import ParentCache, read
from emulators.salesforce.soql.schema import ResolvedPath, Schema
from emulators.salesforce.soql.values import LiteralChecker, compare, stored_value

Predicate = Callable[[dict[str, Any]], bool]
SemiJoin = Callable[[Query, int], set[str]]
"""Runs a semi-join subquery and returns the Ids it selects (offset is for error positions)."""


class PredicateCompiler:
    """Builds predicates for one query's object."""

    def __init__(
        self, schema: Schema, sobject: str, parents: ParentCache, semi_join: SemiJoin, zone: tzinfo
    ) -> None:
        self.schema = schema
        self.sobject = sobject
        self.parents = parents
        self.semi_join = semi_join
        self.checker = LiteralChecker(schema.soql, zone)

    def compile(self, condition: Condition) -> Predicate:
        """A predicate for `condition`."""
        if isinstance(condition, Junction):
            parts = [self.compile(operand) for operand in condition.operands]
            if condition.operator == "AND":
                return lambda record: all(part(record) for part in parts)
            return lambda record: any(part(record) for part in parts)
        if isinstance(condition, Not):
            inner = self.compile(condition.operand)
            return lambda record: not inner(record)
        return self.comparison(condition)

    def resolve_filter(self, comparison: Comparison) -> ResolvedPath:
        """The compared field, refused if the describe marks it not filterable."""
        path = self.schema.resolve(self.sobject, comparison.path)
        if not path.leaf.filterable:
            raise errors.not_filterable(self.schema.soql, comparison.path.offset, path.leaf.name)
        return path

    def comparison(self, comparison: Comparison) -> Predicate:
        path = self.resolve_filter(comparison)
        kind = path.leaf.kind

        def value_of(record: dict[str, Any]) -> Any:
            return stored_value(kind, read(record, path, self.parents))

        operator = comparison.operator
        if comparison.subquery is not None:
            ids = self.semi_join(comparison.subquery, comparison.operator_offset)
            wanted = operator == "IN"
            return lambda record: (value_of(record) in ids) == wanted

        if operator == "LIKE":
            literal = comparison.values[0]
            if literal.kind != "string":
                raise self.checker._wrong(path.leaf, literal)
            pattern = re.compile(literal.like_regex, re.IGNORECASE | re.DOTALL)
            return lambda record: _like(pattern, read(record, path, self.parents))

        literals = [self.checker.convert(path.leaf, value) for value in comparison.values]
        if operator in ("INCLUDES", "EXCLUDES"):
            wanted = operator == "INCLUDES"
            return lambda record: _includes(value_of(record), literals) == wanted
        if operator == "IN":
            return lambda record: any(compare("=", value_of(record), lit) for lit in literals)
        if operator == "NOT IN":
            return lambda record: all(compare("!=", value_of(record), lit) for lit in literals)
        literal_value = literals[0]
        return lambda record: compare(operator, value_of(record), literal_value)


def _like(pattern: re.Pattern[str], raw: Any) -> bool:
    return raw is not None and pattern.fullmatch(str(raw)) is not None


def _includes(value: Any, literals: list[Any]) -> bool:
    """True if the multi-select value holds every item of at least one literal (`'a;b'` means a AND b)."""
    if not isinstance(value, frozenset):
        return False
    return any(isinstance(lit, frozenset) and lit <= value for lit in literals)
