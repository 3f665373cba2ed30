"""Opaque, signed pagination cursors (API.md §2.2).

A cursor carries the endpoint, the filters of the first request, the last sort key served, the
scan's snapshot_at and its issue time, signed with an HMAC so a client cannot forge a position.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from emulators.stames_api.errors import ApiError

Filters = dict[str, list[str]]


@dataclass(frozen=True)
class CursorState:
    """Where a scan stands: everything the next page needs."""

    endpoint: str
    filters: Filters
    last_key: tuple[Any, ...]
    snapshot_ms: int | None
    issued_ms: int


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CursorCodec:
    """Signs and checks cursors with a key derived from the server seed."""

    def __init__(self, seed: int, ttl_seconds: int) -> None:
        self._key = hashlib.sha256(f"stames-cursor:{seed}".encode()).digest()
        self._ttl_ms = ttl_seconds * 1000

    def _sign(self, body: str) -> str:
        return _b64encode(hmac.new(self._key, body.encode("ascii"), hashlib.sha256).digest()[:18])

    def encode(self, state: CursorState) -> str:
        payload = {
            "v": 1,
            "e": state.endpoint,
            "f": state.filters,
            "k": list(state.last_key),
            "s": state.snapshot_ms,
            "t": state.issued_ms,
        }
        body = _b64encode(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
        return f"{body}.{self._sign(body)}"

    def decode(self, token: str, endpoint: str, filters: Filters, now_ms: int) -> CursorState:
        """The cursor's state, or 400 invalid_cursor / cursor_expired.

        Filters re-sent with the cursor must equal the ones it was issued for; a request that
        sends none inherits them from the cursor.
        """
        body, _, signature = token.partition(".")
        if not (body and token.isascii()) or not hmac.compare_digest(signature, self._sign(body)):
            raise _invalid("cursor signature does not match")
        try:
            payload = json.loads(_b64decode(body))
        except (ValueError, UnicodeDecodeError) as exc:
            raise _invalid("cursor is not readable") from exc
        state = CursorState(
            endpoint=payload["e"],
            filters=payload["f"],
            last_key=tuple(payload["k"]),
            snapshot_ms=payload["s"],
            issued_ms=payload["t"],
        )
        if state.endpoint != endpoint:
            raise _invalid("cursor was issued for another endpoint")
        if filters and filters != state.filters:
            raise _invalid("filters differ from the request that issued this cursor")
        if now_ms - state.issued_ms > self._ttl_ms:
            raise ApiError(400, "cursor_expired", "cursor expired; restart from your last checkpoint")
        return state


def _invalid(message: str) -> ApiError:
    return ApiError(400, "invalid_cursor", message, [{"field": "cursor", "reason": "invalid"}])
