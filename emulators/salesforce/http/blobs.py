"""Binary fields (ContentVersion.VersionData and other `base64` fields) over REST.

Two ways in [doc: dome-sobject-insert-update-blob]: JSON with the bytes base64-encoded (the store
enforces the 37.5 MB limit), or multipart with an `entity_content` JSON part and a binary part
(up to 2 GB for ContentVersion, 500 MB otherwise), which the form parser spools to disk. The store
keeps the bytes; `GET /sobjects/X/{id}/{Field}` hands them back unchanged.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from emulators.salesforce.http.errors import SalesforceApiError

MULTIPART_LIMITS = {"ContentVersion": 2 * 1024**3}
MULTIPART_DEFAULT_LIMIT = 500 * 1024**2
ENTITY_PART_NAMES = ("entity_content", "entity_document", "entity_attachment", "json")
ENTITY_PART_MAX_BYTES = 16 * 1024 * 1024


def blob_fields(describe: dict[str, Any]) -> list[str]:
    return [str(item["name"]) for item in describe.get("fields", []) if item.get("type") == "base64"]


def is_multipart(request: Request) -> bool:
    return request.headers.get("content-type", "").lower().startswith("multipart/")


async def _entity_values(form: Any) -> dict[str, Any]:
    entity = next((form[part] for part in ENTITY_PART_NAMES if part in form), None)
    if entity is None:
        raise SalesforceApiError(400, "INVALID_MULTIPART_REQUEST", "The entity_content part is missing")
    raw = await entity.read() if isinstance(entity, UploadFile) else str(entity).encode()
    try:
        values = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SalesforceApiError(400, "JSON_PARSER_ERROR", f"entity_content is not JSON: {error}") from error
    if not isinstance(values, dict):
        raise SalesforceApiError(400, "JSON_PARSER_ERROR", "entity_content must be a JSON object")
    values.pop("attributes", None)
    return values


async def multipart_values(request: Request, describe: dict[str, Any]) -> dict[str, Any]:
    """The record of a multipart insert: the JSON part's fields plus the binary part's bytes."""
    limit = MULTIPART_LIMITS.get(str(describe["name"]), MULTIPART_DEFAULT_LIMIT)
    form = await request.form(max_part_size=ENTITY_PART_MAX_BYTES)
    values = await _entity_values(form)
    for field_name in blob_fields(describe):
        upload = form.get(field_name)
        if not isinstance(upload, UploadFile):
            continue
        if (upload.size or 0) > limit:
            message = f"{field_name}: file too large: maximum is {limit} bytes"
            raise SalesforceApiError(400, "STRING_TOO_LONG", message, [field_name])
        await upload.seek(0)
        values[field_name] = await upload.read()
    return values


def download(request: Request, record: dict[str, Any], field_name: str) -> Response:
    """`GET /sobjects/X/{id}/{Field}`: the raw bytes, as `application/octetstream` like Salesforce."""
    content = request.app.state.org.version_data(str(record["Id"]))
    if content is None:
        raise SalesforceApiError(404, "NOT_FOUND", "The requested resource does not exist")
    del field_name  # the store keeps one blob per record
    return Response(content, media_type="application/octetstream")
