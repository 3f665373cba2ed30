"""One query's planning and rows over a RecordStore: names and literals checked against the schema,
candidate rows (by Id or external id where the WHERE allows, else a scan), filter, sort, page.
`aggregates` and `children` build on it; `evaluator` shapes the results."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, tzinfo
from typing import Any

from emulators.salesforce.org.types import RecordStore
from emulators.salesforce.soql import errors
from emulators.salesforce.soql.alias import without_alias
from emulators.salesforce.soql.nodes import (
    Comparison,
    Condition,
    FieldsItem,
    Junction,
    Path,
    Query,
    SelectItem,
)
from emulators.salesforce.soql.predicates import Predicate, PredicateCompiler
from emulators.salesforce.soql.records import ParentCache, read, record_type
from emulators.salesforce.soql.schema import ResolvedPath, Schema
from emulators.salesforce.soql.values import canonical_id, sort_value, stored_value

MAX_OFFSET = 2000
MAX_FIELDS_LIMIT = 200
_LINK_FILTER_FIELDS = ("id", "contentdocumentid", "linkedentityid")


@dataclass(frozen=True)
class Plan:
    """A query checked against the schema, ready to run."""

    query: Query
    sobject: str
    predicate: Predicate | None
    order: list[tuple[ResolvedPath, bool, bool]]
    """(path, descending, nulls_first) per ORDER BY key."""


class Execution:
    """State shared by one query and its subqueries: schema lookups and fetched parents."""

    def __init__(
        self, store: RecordStore, soql: str, *, include_deleted: bool, api_version: str, zone: tzinfo = UTC
    ) -> None:
        self.store = store
        self.include_deleted = include_deleted
        self.api_version = api_version
        self.zone = zone
        self.schema = Schema(store, soql)
        self.parents = ParentCache(store, include_deleted=include_deleted)

    # -- planning ---------------------------------------------------------------------------------

    def plan(self, query: Query, sobject: str | None = None, *, child: bool = False) -> Plan:
        """Check names, literal types and clause limits; compile WHERE and ORDER BY. A `child`
        subquery is already narrowed by its parents, so ContentDocumentLinks may be read there."""
        sobject = sobject or self.schema.object_name(query.sobject, query.sobject_offset)
        query = self.expand_fields(without_alias(query), sobject)
        if query.offset is not None and query.offset > MAX_OFFSET:
            raise errors.offset_too_large()
        compiler = PredicateCompiler(self.schema, sobject, self.parents, self.semi_join, self.zone)
        predicate = None if query.where is None else compiler.compile(query.where)
        if sobject == "ContentDocumentLink" and not child:
            _check_link_filter(query.where, self.schema)
        order = []
        for item in query.order_by:
            path = self.schema.resolve(sobject, item.path)
            if not path.leaf.sortable:
                raise errors.not_sortable(self.schema.soql, item.path.offset, path.leaf.name)
            nulls_first = (not item.descending) if item.nulls_first is None else item.nulls_first
            order.append((path, item.descending, nulls_first))
        return Plan(query, sobject, predicate, order)

    def expand_fields(self, query: Query, sobject: str) -> Query:
        """Replace `FIELDS(...)` with the fields it stands for, in describe order. ALL and CUSTOM
        need a LIMIT of at most 200, as in the org."""
        groups = [item for item in query.select if isinstance(item, FieldsItem)]
        if not groups:
            return query
        if any(item.group != "STANDARD" for item in groups) and (
            query.limit is None or query.limit > MAX_FIELDS_LIMIT
        ):
            raise errors.fields_needs_limit(self.schema.soql, groups[0].offset)
        expanded: list[SelectItem] = []
        for item in query.select:
            if isinstance(item, FieldsItem):
                names = self.schema.field_names(sobject, item.group)
                expanded.extend(Path(name, item.offset) for name in names)
            else:
                expanded.append(item)
        return replace(query, select=tuple(expanded))

    def columns(self, sobject: str, items: Iterable[Path]) -> list[ResolvedPath]:
        """SELECT paths resolved, refusing a field selected twice."""
        resolved: list[ResolvedPath] = []
        seen: set[str] = set()
        for item in items:
            path = self.schema.resolve(sobject, item)
            if path.canonical.lower() in seen:
                raise errors.duplicate_field(path.canonical)
            seen.add(path.canonical.lower())
            resolved.append(path)
        return resolved

    # -- rows -------------------------------------------------------------------------------------

    def rows(self, plan: Plan, *, paged: bool = True) -> list[dict[str, Any]]:
        """Matching records, sorted, with OFFSET/LIMIT applied when `paged`."""
        matching = [
            record for record in self.candidates(plan) if plan.predicate is None or plan.predicate(record)
        ]
        for path, descending, nulls_first in reversed(plan.order):
            matching = self.sorted_by(matching, path, descending, nulls_first)
        if not paged:
            return matching
        start = plan.query.offset or 0
        stop = None if plan.query.limit is None else start + plan.query.limit
        return matching[start:stop]

    def sorted_by(
        self, rows: list[dict[str, Any]], path: ResolvedPath, descending: bool, nulls_first: bool
    ) -> list[dict[str, Any]]:
        """A stable sort on one key, nulls placed as asked."""
        keyed = [(sort_value(path.leaf.kind, read(row, path, self.parents)), row) for row in rows]
        nulls = [row for key, row in keyed if key is None]
        present = [(key, row) for key, row in keyed if key is not None]
        present.sort(key=lambda pair: pair[0], reverse=descending)
        ordered = [row for _, row in present]
        return nulls + ordered if nulls_first else ordered + nulls

    def candidates(self, plan: Plan) -> Iterator[dict[str, Any]]:
        """Rows that may match: fetched by Id or external id when a top-level `=`/`IN` allows it
        (orgs hold 100k rows), otherwise every row of the object."""
        conjuncts = _top_level_comparisons(plan.query.where)
        for comparison in conjuncts:
            field = self._plain_field(plan.sobject, comparison)
            if field == "Id" and comparison.operator in ("=", "IN"):
                ids = [canonical_id(value.text) for value in comparison.values if value.kind == "string"]
                return self.fetch(plan.sobject, [record_id for record_id in ids if record_id])
        if not self.include_deleted:
            for comparison in conjuncts:
                ids = self._indexed_ids(plan.sobject, comparison)
                if ids is not None:
                    return self.fetch(plan.sobject, ids)
        return self.store.scan(plan.sobject, include_deleted=self.include_deleted)

    def _plain_field(self, sobject: str, comparison: Comparison) -> str | None:
        if comparison.subquery is not None or "." in comparison.path.text:
            return None
        field = self.schema.field(sobject, comparison.path.text)
        return None if field is None else field.name

    def _indexed_ids(self, sobject: str, comparison: Comparison) -> list[str] | None:
        """Ids from `store.find_ids` for `ExtId__c = 'x'`, or None when the comparison is not one."""
        if comparison.operator != "=" or comparison.values[0].kind != "string":
            return None
        name = self._plain_field(sobject, comparison)
        field = None if name is None else self.schema.field(sobject, name)
        if field is None or field.kind != "text" or not (field.external_id or field.id_lookup):
            return None
        try:
            return self.store.find_ids(sobject, field.name, comparison.values[0].text)
        except (KeyError, ValueError):
            return None

    def fetch(self, sobject: str, ids: list[str]) -> Iterator[dict[str, Any]]:
        """The records with these Ids that belong to `sobject`, each once."""
        seen: set[str] = set()
        for record_id in ids:
            record = self.store.get(record_id, include_deleted=self.include_deleted)
            if record is None or record_type(record, sobject).lower() != sobject.lower():
                continue
            key = str(record.get("Id"))
            if key not in seen:
                seen.add(key)
                yield record

    def semi_join(self, subquery: Query, offset: int) -> set[str]:
        """The Ids a `field IN (SELECT IdField FROM ...)` subquery selects."""
        plan = self.plan(subquery)
        paths = [item for item in subquery.select if isinstance(item, Path)]
        if len(paths) != 1 or len(subquery.select) != 1:
            raise errors.malformed(
                self.schema.soql, offset, "The inner select field must be a single Id field"
            )
        column = self.schema.resolve(plan.sobject, paths[0])
        if column.leaf.kind != "id":
            raise errors.malformed(
                self.schema.soql, paths[0].offset, "The selected field in the subquery must be an Id"
            )
        found = (stored_value("id", read(row, column, self.parents)) for row in self.rows(plan))
        return {value for value in found if value is not None}


def _top_level_comparisons(where: Condition | None) -> list[Comparison]:
    """Comparisons that every matching row must satisfy (the WHERE itself, or the terms of a
    top-level AND)."""
    if isinstance(where, Comparison):
        return [where]
    if isinstance(where, Junction) and where.operator == "AND":
        return [operand for operand in where.operands if isinstance(operand, Comparison)]
    return []


def _check_link_filter(where: Condition | None, schema: Schema) -> None:
    """ContentDocumentLink queries need `=`/`IN` on Id, ContentDocumentId or LinkedEntityId
    (contract §4.4); other fields may only be filtered next to `LinkedEntityId = '...'`."""
    comparisons = _top_level_comparisons(where)
    if not any(c.path.text.lower() in _LINK_FILTER_FIELDS and c.operator in ("=", "IN") for c in comparisons):
        raise errors.content_document_link_unfiltered()
    by_entity = any(c.path.text.lower() == "linkedentityid" and c.operator == "=" for c in comparisons)
    filtered_paths = [c.path for c in comparisons] if isinstance(where, Junction) else []
    for path in filtered_paths:
        kind = schema.resolve("ContentDocumentLink", path).leaf.kind
        if kind != "id" and not by_entity:
            raise errors.content_document_link_non_id_filter()
