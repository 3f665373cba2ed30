"""Per-row writes of an ingest job: the header resolved once, then each CSV row turned into one
OrgStore call (insert, update, upsert, delete) with `#N/A`, empty cells and relationship columns
handled as Bulk 2.0 handles them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from emulators.salesforce.bulk import messages
from emulators.salesforce.bulk.columns import Column, id_column_index, plan_columns
from emulators.salesforce.bulk.csvio import NULL_MARKER
from emulators.salesforce.bulk.jobs import Job
from emulators.salesforce.org.types import FieldError, OpContext, OrgStore, SaveResult

DELETE_OPERATIONS = frozenset({"delete", "hardDelete"})


@dataclass(frozen=True)
class RowResult:
    """What one row produced: a SaveResult, or an error found before reaching the store."""

    record_id: str
    created: bool
    error: FieldError | None


class RowHandler(Protocol):
    """Writes one parsed row through the store; `columns` (None for deletes) drives the echo."""

    columns: list[Column] | None

    def __call__(self, cells: list[str], ctx: OpContext) -> RowResult: ...


def row_handler(job: Job, store: OrgStore, headers: list[str]) -> RowHandler:
    """The per-row write for the job's operation, with the header already resolved."""
    if job.operation in DELETE_OPERATIONS:
        return _DeleteRows(store, id_column_index(headers), hard=job.operation == "hardDelete")
    columns = plan_columns(store, job.object, headers)
    id_index = id_column_index(headers) if job.operation == "update" else None
    return _WriteRows(store, job, columns, id_index)


class _DeleteRows:
    columns: list[Column] | None = None

    def __init__(self, store: OrgStore, id_index: int, *, hard: bool) -> None:
        self._store = store
        self._id_index = id_index
        self._hard = hard

    def __call__(self, cells: list[str], ctx: OpContext) -> RowResult:
        record_id = cells[self._id_index]
        if not record_id:
            return RowResult("", False, _missing_id("delete"))
        return _from_save(self._store.delete(record_id, ctx, hard=self._hard), record_id)


class _WriteRows:
    def __init__(self, store: OrgStore, job: Job, columns: list[Column], id_index: int | None) -> None:
        self._store = store
        self._job = job
        self.columns: list[Column] | None = columns
        self._planned = columns
        self._id_index = id_index

    def __call__(self, cells: list[str], ctx: OpContext) -> RowResult:
        given_id = cells[self._id_index] if self._id_index is not None else ""
        values, error = self._values(cells)
        if error is not None:
            return RowResult(given_id, False, error)
        operation = self._job.operation
        if operation == "insert":
            return _from_save(self._store.insert(self._job.object, values, ctx), "")
        if operation == "upsert":
            external_id = str(self._job.external_id_field_name)
            return _from_save(self._store.upsert(self._job.object, external_id, values, ctx), "")
        if not given_id:
            return RowResult("", False, _missing_id("update"))
        values = {key: value for key, value in values.items() if key.lower() != "id"}
        return _from_save(self._store.update(self._job.object, given_id, values, ctx), given_id)

    def _values(self, cells: list[str]) -> tuple[dict[str, Any], FieldError | None]:
        values: dict[str, Any] = {}
        for cell, column in zip(cells, self._planned, strict=True):
            if cell == "":
                continue
            if cell == NULL_MARKER:
                values[column.field] = None
            elif column.is_relationship:
                parent_id, error = _resolve_parent(self._store, column, cell)
                if error is not None:
                    return values, error
                values[column.field] = parent_id
            else:
                values[column.field] = cell
        return values, None


def _resolve_parent(store: OrgStore, column: Column, value: str) -> tuple[str | None, FieldError | None]:
    parent_object = str(column.parent_object)
    parent_field = str(column.parent_field)
    matches = store.find_ids(parent_object, parent_field, value)
    if len(matches) == 1:
        return matches[0], None
    code, message = messages.PARENT_NOT_FOUND if not matches else messages.PARENT_SEVERAL
    text = message.format(value=value, field=parent_field, sobject=parent_object)
    return None, FieldError(code, text, [column.field])


def _missing_id(operation: str) -> FieldError:
    code, message = messages.ID_MISSING
    return FieldError(code, message.format(operation=operation), ["Id"])


def _from_save(result: SaveResult, given_id: str) -> RowResult:
    if result.success:
        return RowResult(result.id or given_id, result.created, None)
    error = result.errors[0] if result.errors else FieldError("UNKNOWN_EXCEPTION", "unknown error")
    return RowResult(result.id or given_id, False, error)
