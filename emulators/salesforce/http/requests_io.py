"""Reading request bodies and building the per-call write context."""

from __future__ import annotations

import json
from typing import Any, Literal

from starlette.requests import Request

from emulators.salesforce.http.errors import SalesforceApiError
from emulators.salesforce.org.types import OpContext


async def json_body(request: Request) -> Any:
    """The parsed JSON body; malformed JSON is a 400 JSON_PARSER_ERROR as on Salesforce."""
    raw = await request.body()
    try:
        return json.loads(raw or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SalesforceApiError(400, "JSON_PARSER_ERROR", f"Unexpected character: {error}") from error


async def json_object(request: Request) -> dict[str, Any]:
    """A JSON object body (sObject fields); `attributes` is dropped as Salesforce ignores it."""
    body = await json_body(request)
    if not isinstance(body, dict):
        raise SalesforceApiError(
            400, "JSON_PARSER_ERROR", "Cannot deserialize instance of sObject from a non-object value"
        )
    return {key: value for key, value in body.items() if key != "attributes"}


def op_context(request: Request, api: Literal["rest", "collections", "bulk"] = "rest") -> OpContext:
    return OpContext(user_id=request.state.session.user_id, wire="json", api=api)


def api_version(request: Request) -> str:
    """The `vXX.X` of the called path, without the `v`."""
    return str(request.path_params.get("version", request.app.state.api_version))


def flag(value: str | None) -> bool:
    """Query-string booleans as Salesforce reads them (`true`, case-insensitive)."""
    return (value or "").strip().lower() == "true"
