"""COUNT() and COUNT(field) [GROUP BY ...]: the aggregate queries loaders use to check totals."""

from __future__ import annotations

from typing import Any

from emulators.salesforce.soql import errors
from emulators.salesforce.soql.execution import Execution, Plan
from emulators.salesforce.soql.nodes import CountItem, Path
from emulators.salesforce.soql.records import read
from emulators.salesforce.soql.result import QueryResult
from emulators.salesforce.soql.values import stored_value


def aggregate(execution: Execution, plan: Plan, written: list[str]) -> QueryResult:
    """Run an aggregate query: bare `COUNT()` gives only a total, anything else AggregateResult rows."""
    query = plan.query
    if any(isinstance(item, CountItem) and item.path is None for item in query.select):
        if len(query.select) != 1 or query.group_by:
            reason = "COUNT() must be the only element in the SELECT list"
            raise errors.malformed(execution.schema.soql, query.select[0].offset, reason)
        return QueryResult(plan.sobject, written, [], len(execution.rows(plan)), is_count=True)
    schema = execution.schema
    groups = [schema.resolve(plan.sobject, path) for path in query.group_by]
    grouped_names = {path.canonical.lower() for path in groups}
    for item in query.select:
        if (
            isinstance(item, Path)
            and schema.resolve(plan.sobject, item).canonical.lower() not in grouped_names
        ):
            raise errors.malformed(
                schema.soql, item.offset, f"Field must be grouped or aggregated: {item.text}"
            )
        if not isinstance(item, Path | CountItem):
            raise errors.malformed(
                schema.soql, item.offset, "Nested queries are not allowed in aggregate queries"
            )
    rows = execution.rows(plan, paged=False)
    buckets: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in rows:
        key = tuple(stored_value(path.leaf.kind, read(row, path, execution.parents)) for path in groups)
        buckets.setdefault(key, []).append(row)
    if not groups:
        buckets = {(): rows}
    records = [_aggregate_record(execution, plan, members, written) for members in buckets.values()]
    start = query.offset or 0
    stop = None if query.limit is None else start + query.limit
    records = records[start:stop]
    return QueryResult(plan.sobject, written, records, len(records), is_count=False)


def _aggregate_record(
    execution: Execution, plan: Plan, members: list[dict[str, Any]], written: list[str]
) -> dict[str, Any]:
    """One AggregateResult: grouped fields under their field name, counts under alias or exprN."""
    record: dict[str, Any] = {"attributes": {"type": "AggregateResult"}}
    for item, column in zip(plan.query.select, written, strict=True):
        if isinstance(item, Path):
            path = execution.schema.resolve(plan.sobject, item)
            record[path.leaf.name] = read(members[0], path, execution.parents) if members else None
        elif isinstance(item, CountItem) and item.path is not None:
            path = execution.schema.resolve(plan.sobject, item.path)
            values = (read(row, path, execution.parents) for row in members)
            record[column] = sum(1 for value in values if value not in (None, ""))
    return record
