"""Salesforce-shaped error responses: a JSON array `[{"message", "errorCode", "fields"}]`.

Clients decide what went wrong from the status and `body[0].errorCode` (simple-salesforce maps the
status to an exception class, jsforce looks for `errorCode`), so both must match the real API.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emulators.salesforce.http import error_messages
from emulators.salesforce.org.types import FieldError

NOT_FOUND_MESSAGE = "The requested resource does not exist"
SESSION_INVALID_MESSAGE = error_messages.SESSION_INVALID

# REST answers a record-level error with 400, except the codes that mean "no such record".
_STATUS_BY_CODE: dict[str, int] = {
    "NOT_FOUND": 404,
    "ENTITY_IS_DELETED": 404,
    "INVALID_SESSION_ID": 401,
    "REQUEST_LIMIT_EXCEEDED": 403,
    "INSUFFICIENT_ACCESS": 403,
    "METHOD_NOT_ALLOWED": 405,
}


class SalesforceApiError(Exception):
    """Raised inside a handler to answer with one Salesforce error element."""

    def __init__(self, status: int, code: str, message: str, fields: list[str] | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.error = FieldError(code, message, list(fields or []))


def sf_error(status: int, code: str, message: str, fields: list[str] | None = None) -> JSONResponse:
    """One Salesforce error element as a response."""
    body: dict[str, object] = {"message": message, "errorCode": code}
    if fields:
        body["fields"] = fields
    return JSONResponse([body], status_code=status)


def field_errors_response(errors: list[FieldError]) -> JSONResponse:
    """A failed record write over REST: every error of the record, status from the first one.

    "No such record" codes are 404 when they concern the record of the URL, but 400 when they
    concern a field's reference (a lookup to a deleted parent), which the error's `fields` tell.
    """
    first = errors[0] if errors else None
    status = 400 if first is None or first.fields else status_for(first.code)
    return JSONResponse([error.rest_body() for error in errors], status_code=status)


def status_for(code: str) -> int:
    """The HTTP status Salesforce uses for a record-level error code."""
    return _STATUS_BY_CODE.get(code, 400)


def not_found() -> JSONResponse:
    return sf_error(404, "NOT_FOUND", NOT_FOUND_MESSAGE)


async def api_error_handler(_request: Request, exc: Exception) -> Response:
    """Render `SalesforceApiError` raised by any handler."""
    assert isinstance(exc, SalesforceApiError)
    return JSONResponse([exc.error.rest_body()], status_code=exc.status)


async def http_error_handler(request: Request, exc: Exception) -> Response:
    """Unknown paths and wrong methods answer like Salesforce, not with Starlette's text."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        allowed = exc.headers.get("Allow", "") if exc.headers else ""
        message = f"HTTP Method '{request.method}' not allowed. Allowed are {allowed}"
        return sf_error(405, "METHOD_NOT_ALLOWED", message)
    if exc.status_code == 404:
        return not_found()
    return sf_error(exc.status_code, "UNKNOWN_EXCEPTION", str(exc.detail))
