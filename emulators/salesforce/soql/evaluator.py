"""Runs a parsed query over a RecordStore and shapes the result: plain rows as REST query records,
aggregates, and parent-to-child subqueries (planning and row selection live in `execution`)."""

from __future__ import annotations

from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from emulators.salesforce.org.types import RecordStore
from emulators.salesforce.soql.aggregates import aggregate
from emulators.salesforce.soql.children import attach_children
from emulators.salesforce.soql.execution import Execution
from emulators.salesforce.soql.nodes import CountItem, Path, Query, SubqueryItem
from emulators.salesforce.soql.parser import parse
from emulators.salesforce.soql.records import project
from emulators.salesforce.soql.result import QueryResult


def execute(
    store: RecordStore,
    soql: str,
    *,
    include_deleted: bool = False,
    api_version: str = "62.0",
    time_zone: str = "UTC",
) -> QueryResult:
    """Run `soql` (queryAll semantics when `include_deleted`). `time_zone` is the running user's
    `TimeZoneSidKey`: date literals such as TODAY follow the user's calendar, as in the org.
    Raises `SoqlError` for a query the org would refuse."""
    query = parse(soql)
    zone = _zone(time_zone)
    execution = Execution(store, soql, include_deleted=include_deleted, api_version=api_version, zone=zone)
    return run(execution, query)


def _zone(name: str) -> tzinfo:
    """The named IANA zone, UTC when the name is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def run(execution: Execution, query: Query) -> QueryResult:
    """Execute the top-level query."""
    plan = execution.plan(query)
    query = plan.query
    written = written_columns(query)
    if query.group_by or any(isinstance(item, CountItem) for item in query.select):
        return aggregate(execution, plan, written)
    paths = [item for item in query.select if isinstance(item, Path)]
    columns = execution.columns(plan.sobject, paths)
    rows = execution.rows(plan)
    records = [project(row, plan.sobject, columns, execution.parents, execution.api_version) for row in rows]
    subqueries = [item for item in query.select if isinstance(item, SubqueryItem)]
    if subqueries:
        attach_children(execution, plan.sobject, rows, records, query, subqueries)
    return QueryResult(plan.sobject, written, records, len(records), is_count=False)


def written_columns(query: Query) -> list[str]:
    """SELECT items as the query wrote them (the Bulk CSV header); unaliased aggregates are
    `expr0`, `expr1`, ... as the org names them."""
    written: list[str] = []
    unnamed = 0
    for item in query.select:
        if isinstance(item, Path):
            written.append(item.text)
        elif isinstance(item, CountItem):
            written.append(item.alias or f"expr{unnamed}")
            unnamed += 0 if item.alias else 1
        else:
            written.append(item.query.sobject)
    return written
