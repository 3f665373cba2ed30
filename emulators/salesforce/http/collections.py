"""sObject Collections (`/composite/sobjects`): up to 200 records per call, optionally all-or-none.

The call answers 200 with one SaveResult per record in input order even when records fail; only
a malformed request, or one whose records of several objects make more than 10 type chunks
(`org/chunks.py`), is a 400 [doc: resources-composite-sobjects-collections-create].
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emulators.salesforce.http import error_messages
from emulators.salesforce.http.describe import field_of
from emulators.salesforce.http.errors import SalesforceApiError
from emulators.salesforce.http.requests_io import api_version, flag, json_body, op_context
from emulators.salesforce.http.sobjects import rest_record
from emulators.salesforce.org import record_errors
from emulators.salesforce.org.chunks import MAX_TYPE_CHUNKS, TOO_MANY_TYPE_CHUNKS, repeated_keys, type_chunks
from emulators.salesforce.org.types import FieldError, OpContext, OrgStore, SaveResult

MAX_RECORDS = 200
ROLLED_BACK = FieldError("ALL_OR_NONE_OPERATION_ROLLED_BACK", error_messages.ROLLED_BACK)

Write = Callable[[OrgStore, dict[str, Any], OpContext], SaveResult]


class _RollBackError(Exception):
    """Raised inside `org.atomic()` to undo every write of an all-or-none call."""


def _result_body(result: SaveResult, *, with_created: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": result.id,
        "success": result.success,
        "errors": [error.save_result_error() for error in result.errors],
    }
    if with_created:
        body["created"] = result.created
    return body


def _run(
    org: OrgStore,
    records: list[dict[str, Any]],
    ctx: OpContext,
    write: Write,
    all_or_none: bool,
    refused: Mapping[int, FieldError] | None = None,
) -> list[SaveResult]:
    """Apply `write` to each record; under all-or-none one failure undoes and fails every record.

    `refused` maps record positions to an error found for the call as a whole (a repeated external
    id): those records fail without being written.
    """
    refused = refused or {}

    def write_all() -> list[SaveResult]:
        return [
            SaveResult(None, False, [refused[position]]) if position in refused else write(org, record, ctx)
            for position, record in enumerate(records)
        ]

    if not all_or_none:
        return write_all()
    results: list[SaveResult] = []
    try:
        with org.atomic():
            results = write_all()
            if not all(result.success for result in results):
                raise _RollBackError
    except _RollBackError:
        return [
            result if not result.success else SaveResult(id=None, success=False, errors=[ROLLED_BACK])
            for result in results
        ]
    return results


def _record_type(record: dict[str, Any]) -> str | None:
    attributes = record.get("attributes")
    kind = attributes.get("type") if isinstance(attributes, dict) else None
    return str(kind) if kind else None


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key != "attributes"}


def _missing_type() -> SaveResult:
    return SaveResult(None, False, [FieldError(*error_messages.MISSING_TYPE)])


def _insert(org: OrgStore, record: dict[str, Any], ctx: OpContext) -> SaveResult:
    sobject = _record_type(record)
    if sobject is None:
        return _missing_type()
    return org.insert(sobject, _fields(record), ctx)


def _update(org: OrgStore, record: dict[str, Any], ctx: OpContext) -> SaveResult:
    sobject = _record_type(record)
    if sobject is None:
        return _missing_type()
    values = _fields(record)
    record_id = values.pop("Id", None) or values.pop("id", None)
    if not record_id:
        return SaveResult(None, False, [FieldError(*error_messages.MISSING_ID)])
    return org.update(sobject, str(record_id), values, ctx)


def _upserter(sobject: str, field_name: str) -> Write:
    def upsert_one(org: OrgStore, record: dict[str, Any], ctx: OpContext) -> SaveResult:
        kind = _record_type(record)
        if kind is None:
            return _missing_type()
        if kind.lower() != sobject.lower():
            message = f"Record type {kind} does not match the type {sobject} of the request"
            return SaveResult(None, False, [FieldError("INVALID_TYPE", message)])
        return org.upsert(sobject, field_name, _fields(record), ctx)

    return upsert_one


def _delete(org: OrgStore, record: dict[str, Any], ctx: OpContext) -> SaveResult:
    return org.delete(str(record["Id"]), ctx)


async def _records_and_mode(request: Request) -> tuple[list[dict[str, Any]], bool]:
    body = await json_body(request)
    if not isinstance(body, dict) or not isinstance(body.get("records"), list):
        raise SalesforceApiError(400, "JSON_PARSER_ERROR", "The request body must hold a records array")
    records = body["records"]
    if len(records) > MAX_RECORDS:
        raise SalesforceApiError(400, *error_messages.TOO_MANY_RECORDS)
    if not all(isinstance(record, dict) for record in records):
        raise SalesforceApiError(400, "JSON_PARSER_ERROR", "Each record must be a JSON object")
    return records, bool(body.get("allOrNone", False))


async def collection(request: Request) -> Response:
    """POST creates, PATCH updates, DELETE `?ids=…&allOrNone=` deletes."""
    org = request.app.state.org
    ctx = op_context(request, api="collections")
    if request.method == "DELETE":
        ids = [part for part in request.query_params.get("ids", "").split(",") if part]
        if not ids:
            raise SalesforceApiError(400, "MISSING_ARGUMENT", "ids parameter is required")
        if len(ids) > MAX_RECORDS:
            raise SalesforceApiError(400, *error_messages.TOO_MANY_RECORDS)
        records = [{"Id": record_id} for record_id in ids]
        all_or_none = flag(request.query_params.get("allOrNone"))
        results = await run_in_threadpool(_run, org, records, ctx, _delete, all_or_none)
        return JSONResponse([_result_body(result, with_created=False) for result in results])
    records, all_or_none = await _records_and_mode(request)
    if type_chunks([_record_type(record) for record in records]) > MAX_TYPE_CHUNKS:
        raise SalesforceApiError(400, *TOO_MANY_TYPE_CHUNKS)
    write = _insert if request.method == "POST" else _update
    results = await run_in_threadpool(_run, org, records, ctx, write, all_or_none)
    return JSONResponse([_result_body(result, with_created=False) for result in results])


def _path_describe(org: OrgStore, request: Request) -> dict[str, Any]:
    """The describe of the `{sobject}` in the path; an unknown object is 404 NOT_FOUND."""
    try:
        return org.describe(request.path_params["sobject"])
    except KeyError as error:
        raise SalesforceApiError(404, "NOT_FOUND", "The requested resource does not exist") from error


async def collection_retrieve(request: Request) -> Response:
    """`GET /composite/sobjects/{type}?ids=&fields=` or `POST` with `{"ids", "fields"}` (jsforce's
    multi-record retrieve): one record per Id in order, `null` for Ids that match no live record."""
    org = request.app.state.org
    describe = _path_describe(org, request)
    if request.method == "POST":
        body = await json_body(request)
        body = body if isinstance(body, dict) else {}
        ids, fields = list(body.get("ids") or []), list(body.get("fields") or [])
    else:
        ids = [part for part in request.query_params.get("ids", "").split(",") if part]
        fields = [part for part in request.query_params.get("fields", "").split(",") if part]
    if not ids or not fields:
        raise SalesforceApiError(400, "MISSING_ARGUMENT", "ids and fields are required")
    if len(ids) > MAX_RECORDS:
        raise SalesforceApiError(400, *error_messages.TOO_MANY_RECORDS)
    version = api_version(request)
    records: list[dict[str, Any] | None] = []
    for record_id in ids:
        record = org.get(str(record_id))
        if record is None or record["attributes"]["type"] != describe["name"]:
            records.append(None)
            continue
        records.append(rest_record(record, version, ",".join(fields), describe))
    return JSONResponse(records)


async def collection_upsert(request: Request) -> Response:
    """`PATCH /composite/sobjects/{type}/{extIdField}` (v46+)."""
    org = request.app.state.org
    describe = _path_describe(org, request)
    field = field_of(describe, request.path_params["field"])
    if field is None or not (field.get("externalId") or field.get("idLookup")):
        message = (
            f"Provided external ID field does not exist or is not accessible: {request.path_params['field']}"
        )
        raise SalesforceApiError(404, "NOT_FOUND", message)
    records, all_or_none = await _records_and_mode(request)
    ctx = op_context(request, api="collections")
    upserter = _upserter(str(describe["name"]), str(field["name"]))
    refused = _repeated_external_ids(records, field)
    results = await run_in_threadpool(_run, org, records, ctx, upserter, all_or_none, refused)
    return JSONResponse([_result_body(result, with_created=True) for result in results])


def _repeated_external_ids(records: list[dict[str, Any]], field: dict[str, Any]) -> dict[int, FieldError]:
    """Records whose external id another record of the same call repeats; a call of at most 200
    records is one DML chunk, and Salesforce fails every such record rather than merging them."""
    name = str(field["name"])
    if name == "Id":  # repeated record Ids are a different rule, not modelled here
        return {}
    keys = [_key_of(record, name) for record in records]
    positions = repeated_keys(keys, case_sensitive=bool(field.get("caseSensitive")))
    return {position: record_errors.external_id_repeated(name, str(keys[position])) for position in positions}


def _key_of(record: dict[str, Any], field_name: str) -> str | None:
    """The record's value for the key field, its name matched case-insensitively as on input."""
    for key, value in record.items():
        if key.lower() == field_name.lower():
            return None if value is None else str(value)
    return None
