"""sObject rows over REST: create, read, update, delete, and upsert by external Id.

Every write goes to the org store, which owns the rules; this layer maps a `SaveResult` to the
status code and body Salesforce answers with (201/204/200/300/400/404).
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emulators.salesforce.http import blobs
from emulators.salesforce.http.describe import describe_of, field_of, object_info, with_version
from emulators.salesforce.http.errors import SalesforceApiError, field_errors_response
from emulators.salesforce.http.requests_io import api_version, flag, json_object, op_context
from emulators.salesforce.org.ids import normalise
from emulators.salesforce.org.types import SaveResult

UPSERT_REPORTS_CREATED_SINCE = 46.0  # v45 and older answer an upsert-update with 204 [doc]


def record_url(version: str, sobject: str, record_id: str) -> str:
    return f"/services/data/v{version}/sobjects/{sobject}/{record_id}"


def _unknown_key(value: str) -> SalesforceApiError:
    return SalesforceApiError(
        404, "NOT_FOUND", f"Provided external ID field does not exist or is not accessible: {value}"
    )


def live_record(request: Request, sobject: str, record_id: str) -> dict[str, Any]:
    """The record of type `sobject` with this Id, or the 404 Salesforce gives for it."""
    canonical = normalise(record_id)
    if canonical is None:
        raise _unknown_key(record_id)
    org = request.app.state.org
    record = org.get(canonical)
    if record is None:
        deleted = org.get(canonical, include_deleted=True)
        if deleted is not None and _type_of(deleted).lower() == sobject.lower():
            raise SalesforceApiError(404, "ENTITY_IS_DELETED", "entity is deleted")
        raise SalesforceApiError(404, "NOT_FOUND", "The requested resource does not exist")
    if _type_of(record).lower() != sobject.lower():
        raise SalesforceApiError(404, "NOT_FOUND", "The requested resource does not exist")
    return dict(record)


def _type_of(record: dict[str, Any]) -> str:
    return str(record.get("attributes", {}).get("type", ""))


def rest_record(record: dict[str, Any], version: str, fields: str | None, describe: dict[str, Any]) -> dict:
    """A record as `GET /sobjects/X/{id}` returns it, optionally narrowed by `?fields=`."""
    name = str(describe["name"])
    body = {"attributes": {"type": name, "url": record_url(version, name, str(record["Id"]))}}
    if fields is None:
        body.update({key: value for key, value in record.items() if key != "attributes"})
        return _blob_urls_at(body, version, describe)
    for requested in (part.strip() for part in fields.split(",") if part.strip()):
        field = field_of(describe, requested)
        if field is None:
            raise SalesforceApiError(
                400,
                "INVALID_FIELD",
                f"No such column '{requested}' on entity '{name}'. If you are attempting to use a "
                "custom field, be sure to append the '__c' after the custom field name. Please "
                "reference your WSDL or the describe call for the appropriate names.",
            )
        body[field["name"]] = record.get(field["name"])
    return _blob_urls_at(body, version, describe)


def _blob_urls_at(body: dict[str, Any], version: str, describe: dict[str, Any]) -> dict[str, Any]:
    """Blob fields read as the URL of their bytes, in the API version of the call."""
    for name in blobs.blob_fields(describe):
        if isinstance(body.get(name), str):
            body[name] = with_version({name: body[name]}, version)[name]
    return body


def created_response(result: SaveResult) -> Response:
    if not result.success:
        return field_errors_response(list(result.errors))
    return JSONResponse({"id": result.id, "success": True, "errors": []}, status_code=201)


async def create(request: Request, sobject: str) -> Response:
    describe = describe_of(request, sobject)
    name = str(describe["name"])
    if blobs.is_multipart(request):
        values = await blobs.multipart_values(request, describe)
    else:
        values = await json_object(request)
    result = await run_in_threadpool(request.app.state.org.insert, name, values, op_context(request))
    return created_response(result)


async def sobject_root(request: Request) -> Response:
    """`/sobjects/{Object}`: GET basic info, POST create (simple-salesforce adds a trailing `/`)."""
    if request.method == "POST":
        return await create(request, request.path_params["sobject"])
    return await object_info(request)


async def sobject_row(request: Request) -> Response:
    """`/sobjects/{Object}/{id}`: GET, PATCH (update), DELETE; `POST …/Id` inserts (v37+)."""
    sobject = request.path_params["sobject"]
    record_id = request.path_params["record_id"]
    describe = describe_of(request, sobject)
    name = str(describe["name"])
    org = request.app.state.org
    if request.method == "POST":
        if record_id.lower() != "id":
            raise SalesforceApiError(405, "METHOD_NOT_ALLOWED", "HTTP Method 'POST' not allowed.")
        return await create(request, sobject)
    record = live_record(request, name, record_id)
    if request.method == "GET":
        body = rest_record(record, api_version(request), request.query_params.get("fields"), describe)
        return JSONResponse(body)
    if request.method == "PATCH":
        values = await json_object(request)
        result = await run_in_threadpool(org.update, name, str(record["Id"]), values, op_context(request))
    else:
        result = await run_in_threadpool(org.delete, str(record["Id"]), op_context(request))
    if not result.success:
        return field_errors_response(list(result.errors))
    return Response(status_code=204)


def _external_field(describe: dict[str, Any], field_name: str) -> str:
    """The API name of an upsert key: an External ID field, an idLookup field, or `Id`."""
    field = field_of(describe, field_name)
    if field is None or not (field.get("externalId") or field.get("idLookup") or field["name"] == "Id"):
        raise _unknown_key(field_name)
    return str(field["name"])


def _matches(request: Request, sobject: str, field_name: str, value: str) -> list[str]:
    if field_name == "Id":
        canonical = normalise(value)
        record = request.app.state.org.get(canonical) if canonical else None
        return [str(record["Id"])] if record and _type_of(record).lower() == sobject.lower() else []
    return list(request.app.state.org.find_ids(sobject, field_name, value))


def _multiple_choices(request: Request, sobject: str, record_ids: list[str]) -> Response:
    version = api_version(request)
    return JSONResponse(
        [record_url(version, sobject, record_id) for record_id in record_ids], status_code=300
    )


async def sobject_by_key(request: Request) -> Response:
    """`/sobjects/{Object}/{ExtField}/{value}`: upsert (PATCH), GET, DELETE by external Id; also
    `GET /sobjects/ContentVersion/{id}/VersionData`, the raw bytes of a blob field."""
    sobject = request.path_params["sobject"]
    key, value = request.path_params["key"], request.path_params["value"]
    describe = describe_of(request, sobject)
    name = str(describe["name"])
    blob_field = field_of(describe, value)
    if request.method == "GET" and blob_field and blob_field.get("type") == "base64" and normalise(key):
        return blobs.download(request, live_record(request, name, key), str(blob_field["name"]))
    field_name = _external_field(describe, key)
    if request.method == "PATCH":
        return await upsert(request, describe, field_name, value)
    matches = _matches(request, name, field_name, value)
    if not matches:
        raise SalesforceApiError(404, "NOT_FOUND", "The requested resource does not exist")
    if len(matches) > 1:
        return _multiple_choices(request, name, matches)
    if request.method == "GET":
        record = live_record(request, name, matches[0])
        return JSONResponse(
            rest_record(record, api_version(request), request.query_params.get("fields"), describe)
        )
    result = request.app.state.org.delete(matches[0], op_context(request))
    if not result.success:
        return field_errors_response(list(result.errors))
    return Response(status_code=204)


async def upsert(request: Request, describe: dict[str, Any], field_name: str, value: str) -> Response:
    name = str(describe["name"])
    values = await json_object(request)
    org = request.app.state.org
    if field_name == "Id":
        matches = _matches(request, name, "Id", value)
        if not matches:
            raise SalesforceApiError(404, "NOT_FOUND", "The requested resource does not exist")
        result = org.update(name, matches[0], values, op_context(request))
        result = SaveResult(id=matches[0], success=result.success, errors=result.errors, created=False)
    else:
        if flag(request.query_params.get("updateOnly")) and not _matches(request, name, field_name, value):
            raise SalesforceApiError(404, "NOT_FOUND", "The requested resource does not exist")
        values = {key: item for key, item in values.items() if key.lower() != field_name.lower()}
        values[field_name] = value
        result = await run_in_threadpool(org.upsert, name, field_name, values, op_context(request))
    if not result.success:
        if any(error.code in {"DUPLICATE_EXTERNAL_ID", "MULTIPLE_CHOICES"} for error in result.errors):
            return _multiple_choices(request, name, _matches(request, name, field_name, value))
        return field_errors_response(list(result.errors))
    if not result.created and float(api_version(request)) < UPSERT_REPORTS_CREATED_SINCE:
        return Response(status_code=204)
    body = {"id": result.id, "success": True, "errors": [], "created": result.created}
    return JSONResponse(body, status_code=201 if result.created else 200)
