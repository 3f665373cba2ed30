"""The API's error envelope (API.md §2.5) and JSON encoding that survives bad upstream strings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ApiError(Exception):
    """Raised anywhere in a handler; rendered as `{"error": {...}}` with the given status."""

    status: int
    code: str
    message: str
    details: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


def invalid_parameter(name: str, reason: str, message: str) -> ApiError:
    return ApiError(400, "invalid_parameter", message, [{"field": name, "reason": reason}])


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"{what} not found")


def gone(what: str) -> ApiError:
    return ApiError(410, "gone", f"{what} is gone")


def error_body(error: ApiError, request_id: str) -> dict[str, Any]:
    return {
        "error": {
            "code": error.code,
            "message": error.message,
            "request_id": request_id,
            "details": error.details,
        }
    }


def encode_json(payload: Any) -> bytes:
    """UTF-8 JSON; strings holding lone surrogates fall back to `\\uXXXX` escapes, as stored upstream."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode("ascii")
