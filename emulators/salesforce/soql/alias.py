"""`FROM Account acct`: drop the object alias from every path so the rest sees plain field paths."""

from __future__ import annotations

from dataclasses import replace

from emulators.salesforce.soql.nodes import (
    Condition,
    CountItem,
    Junction,
    Not,
    OrderItem,
    Path,
    Query,
    SelectItem,
)


def without_alias(query: Query) -> Query:
    """`query` with `alias.` removed from the front of its paths (top level only: subqueries keep
    their own)."""
    alias = query.alias
    if not alias:
        return query

    def path(original: Path) -> Path:
        head, _, rest = original.text.partition(".")
        if rest and head.lower() == alias.lower():
            return Path(rest, original.offset + len(head) + 1)
        return original

    def item(original: SelectItem) -> SelectItem:
        if isinstance(original, Path):
            return path(original)
        if isinstance(original, CountItem) and original.path is not None:
            return replace(original, path=path(original.path))
        return original

    def condition(original: Condition) -> Condition:
        if isinstance(original, Junction):
            return replace(original, operands=tuple(condition(operand) for operand in original.operands))
        if isinstance(original, Not):
            return Not(condition(original.operand))
        return replace(original, path=path(original.path))

    return replace(
        query,
        select=tuple(item(selected) for selected in query.select),
        where=None if query.where is None else condition(query.where),
        group_by=tuple(path(grouped) for grouped in query.group_by),
        order_by=tuple(OrderItem(path(key.path), key.descending, key.nulls_first) for key in query.order_by),
        alias=None,
    )
