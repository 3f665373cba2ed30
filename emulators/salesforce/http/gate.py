"""The gate in front of `/services/data/vXX.X/**`: version check, session, API usage, faults.

Every REST and Bulk 2.0 call passes here once, so the daily limit, the `Sforce-Limit-Info` header
and the injected 503s behave the same on every resource. Written as plain ASGI so large uploads
stream through untouched.
"""

from __future__ import annotations

import random
import re
import threading
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulators.salesforce.http import error_messages
from emulators.salesforce.http.errors import NOT_FOUND_MESSAGE, SESSION_INVALID_MESSAGE
from emulators.salesforce.http.versions import version_status

VERSIONED_PATH = re.compile(r"^/services/data/v(?P<version>[^/]+)(?:/.*)?$")
LIMIT_EXCEEDED_MESSAGE = error_messages.LIMIT_EXCEEDED
_REPEATED_SLASHES = re.compile(r"/{2,}")


class ApiUsage:
    """Calls counted against `DailyApiRequests` since start or the last reset."""

    def __init__(self) -> None:
        self._used = 0
        self._lock = threading.Lock()

    @property
    def used(self) -> int:
        return self._used

    def try_spend(self, limit: int) -> bool:
        """Count one call unless the limit is already spent."""
        with self._lock:
            if self._used >= limit:
                return False
            self._used += 1
            return True

    def set_used(self, used: int) -> None:
        with self._lock:
            self._used = max(0, used)


def limit_info(used: int, limit: int) -> tuple[bytes, bytes]:
    return b"sforce-limit-info", f"api-usage={used}/{limit}".encode()


def bearer_token(scope: Scope) -> str | None:
    """The token of `Authorization: Bearer …` (or the older `OAuth …` scheme)."""
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() in {"bearer", "oauth"} and token.strip():
                return token.strip()
    return None


class ServicesGate:
    """ASGI middleware; reads the org, auth store and usage from `scope["app"].state`."""

    def __init__(self, app: ASGIApp, *, rng: random.Random | None = None) -> None:
        self.app = app
        self.rng = rng or random.Random()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "//" in scope.get("path", ""):
            # sfdx-core keeps the instance URL with a trailing slash and calls `//services/data`.
            scope = {**scope, "path": _REPEATED_SLASHES.sub("/", scope["path"])}
        match = VERSIONED_PATH.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None:
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        refusal = self._refusal(state, scope, match.group("version"))
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        limit = int(state.org.toggle("daily_api_limit"))
        header = limit_info(state.usage.used, limit)

        async def send_with_usage(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), header]}
            await send(message)

        await self.app(scope, receive, send_with_usage)

    def _refusal(self, state: Any, scope: Scope, version: str) -> JSONResponse | None:
        """The error answer for this call, or None when it may proceed (and is then counted)."""
        status = version_status(version, state.api_version)
        if status != 200:
            code = "NOT_FOUND" if status == 404 else "GONE"
            return JSONResponse([{"errorCode": code, "message": NOT_FOUND_MESSAGE}], status_code=status)
        token = bearer_token(scope)
        session = state.auth.session(token) if token else None
        if session is None or not state.org.user(session.user_id).is_active:
            body = [{"message": SESSION_INVALID_MESSAGE, "errorCode": "INVALID_SESSION_ID"}]
            return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": 'Token realm="sfdc"'})
        org = state.org
        limit = int(org.toggle("daily_api_limit"))
        if self.rng.random() < float(org.toggle("fault_503_rate")):
            code, message = error_messages.SERVER_UNAVAILABLE
            body = [{"errorCode": code, "message": message}]
            return JSONResponse(body, status_code=503, headers={"Retry-After": "1"})
        if not state.usage.try_spend(limit):
            body = [{"message": LIMIT_EXCEEDED_MESSAGE, "errorCode": "REQUEST_LIMIT_EXCEEDED"}]
            name, value = limit_info(state.usage.used, limit)
            return JSONResponse(body, status_code=403, headers={name.decode(): value.decode()})
        scope.setdefault("state", {})["session"] = session
        return None
