"""Parent-to-child subqueries in SELECT, e.g. `SELECT Id, (SELECT Id FROM Cases) FROM Account`."""

from __future__ import annotations

from typing import Any

from emulators.salesforce.soql.errors import SoqlError, located
from emulators.salesforce.soql.execution import Execution, Plan
from emulators.salesforce.soql.nodes import Path, Query, SubqueryItem
from emulators.salesforce.soql.records import project
from emulators.salesforce.soql.values import canonical_id


def attach_children(
    execution: Execution,
    sobject: str,
    rows: list[dict[str, Any]],
    records: list[dict[str, Any]],
    query: Query,
    subqueries: list[SubqueryItem],
) -> None:
    """Add each subquery's child records to `records` (shaped from `rows`) under the relationship
    name: `{"totalSize", "done", "records"}`, or null when a parent has no children."""
    del query
    for item in subqueries:
        relationship = execution.schema.child_relationship(sobject, item.query.sobject)
        if relationship is None:
            raise _unknown_child_relationship(execution, item)
        child_sobject = str(relationship["childSObject"])
        plan = execution.plan(item.query, child_sobject, child=True)
        paths = [select for select in plan.query.select if isinstance(select, Path)]
        columns = execution.columns(child_sobject, paths)
        by_parent = _children_by_parent(execution, plan, str(relationship["field"]))
        start = item.query.offset or 0
        stop = None if item.query.limit is None else start + item.query.limit
        for row, record in zip(rows, records, strict=True):
            children = by_parent.get(canonical_id(str(row.get("Id"))) or "", [])[start:stop]
            shaped = [
                project(child, child_sobject, columns, execution.parents, execution.api_version)
                for child in children
            ]
            record[str(relationship["relationshipName"])] = (
                {"totalSize": len(shaped), "done": True, "records": shaped} if shaped else None
            )


def _children_by_parent(execution: Execution, plan: Plan, field_name: str) -> dict[str, list[dict[str, Any]]]:
    """Matching child rows, in query order, grouped by the parent Id they point to."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for child in execution.rows(plan, paged=False):
        parent_id = child.get(field_name)
        key = canonical_id(str(parent_id)) if parent_id else None
        if key:
            grouped.setdefault(key, []).append(child)
    return grouped


def _unknown_child_relationship(execution: Execution, item: SubqueryItem) -> SoqlError:
    """[recall] The org's wording for a FROM in a subquery that is no child relationship."""
    text = (
        f"Didn't understand relationship '{item.query.sobject}' in FROM part of query call. If you are "
        "attempting to use a custom relationship, be sure to append the '__r' after the custom "
        "relationship name. Please reference your WSDL or the describe call for the appropriate names."
    )
    return SoqlError("INVALID_TYPE", located(execution.schema.soql, item.query.sobject_offset, text))
