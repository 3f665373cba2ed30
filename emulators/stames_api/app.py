"""The local Stames API server: `create_app(dataset_dir, settings)` returns an ASGI app.

Three hosts in one app, as in production: the API under /api/v1 (key, scopes, API bucket,
gzip), the file host under /files (signed URLs, its own bucket, never gzipped), and the
test-only admin hook under /__admin.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulators.stames_api import admin, routes_catalog, routes_files, routes_people, routes_tickets
from emulators.stames_api.errors import ApiError, encode_json, error_body
from emulators.stames_api.server import Server
from emulators.stames_api.settings import StamesSettings

JSON_MEDIA_TYPE = "application/json; charset=utf-8"
API_PREFIX = "/api/v1"
Handler = Callable[[Request, Server], Awaitable[Any]]


def new_request_id() -> str:
    return "req_" + secrets.token_hex(6).upper()


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(encode_json(payload), status_code=status, media_type=JSON_MEDIA_TYPE, headers=headers)


def error_response(error: ApiError, request_id: str, headers: dict[str, str]) -> Response:
    merged = {**headers, **error.headers, "X-Request-Id": request_id}
    return json_response(error_body(error, request_id), error.status, merged)


def api_endpoint(
    server: Server, handler: Handler, scope: str | None
) -> Callable[[Request], Awaitable[Response]]:
    """Auth, scope, rate limit and faults around a handler; errors become the §2.5 envelope."""

    async def endpoint(request: Request) -> Response:
        request_id = new_request_id()
        headers = server.throttle.idle_headers()
        try:
            api_key = request.headers.get("x-stames-api-key", "")
            scopes = server.settings.api_keys.get(api_key)
            if scopes is None:
                raise ApiError(401, "unauthorized", "missing or unknown X-Stames-Api-Key")
            headers = server.throttle.admit_api(api_key)
            if scope is not None and scope not in scopes:
                raise ApiError(403, "insufficient_scope", f"this API key lacks the {scope} scope")
            result = await handler(request, server)
        except ApiError as error:
            return error_response(error, request_id, headers)
        if isinstance(result, Response):
            result.headers.update({**headers, "X-Request-Id": request_id})
            return result
        return json_response(result, headers={**headers, "X-Request-Id": request_id})

    return endpoint


def plain_endpoint(server: Server, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """File host and admin hook: no API key; handlers add their own headers."""

    async def endpoint(request: Request) -> Response:
        request_id = new_request_id()
        try:
            result = await handler(request, server)
        except ApiError as error:
            return error_response(error, request_id, server.throttle.idle_headers() | error.headers)
        if isinstance(result, Response):
            result.headers["X-Request-Id"] = request_id
            return result
        return json_response(result, headers={"X-Request-Id": request_id})

    return endpoint


async def _portal(_request: Request, _server: Server) -> Any:
    raise ApiError(404, "not_found", "the self-service portal is not exposed by the API")


async def _unknown(request: Request, _server: Server) -> Any:
    """404 for paths the API does not have; 405 (with `Allow`) for a write to one it does.

    The API is read-only (§2.7: all endpoints are GET). Without this, a PUT or DELETE would get
    the framework's bare-text 405, with no envelope, `X-Request-Id` or rate-limit headers.
    """
    if request.method not in ("GET", "HEAD") and _is_api_path(request.url.path):
        raise ApiError(
            405,
            "method_not_allowed",
            f"{request.method} is not allowed: the Stames API is read-only",
            headers={"Allow": "GET, HEAD"},
        )
    raise ApiError(404, "not_found", f"no such endpoint: {request.url.path}")


def _is_api_path(path: str) -> bool:
    """Whether `path` names one of the documented endpoints (whatever the method)."""
    return any(pattern.match(path) for pattern in _API_PATTERNS)


API_ROUTES: list[tuple[str, Handler, str | None]] = [
    ("/account", routes_people.get_account, None),
    ("/agents", routes_people.list_agents, "agents:read"),
    ("/agents/{agent_id}", routes_people.get_agent, "agents:read"),
    ("/customers", routes_people.list_customers, "customers:read"),
    ("/customers/{customer_id}", routes_people.get_customer, "customers:read"),
    ("/tickets", routes_tickets.list_tickets, "tickets:read"),
    ("/tickets/{ticket_id}", routes_tickets.get_ticket, "tickets:read"),
    ("/tickets/{ticket_id}/messages", routes_tickets.ticket_messages, "tickets:read"),
    ("/tickets/{ticket_id}/messages/{message_id}", routes_tickets.get_message, "tickets:read"),
    ("/messages", routes_tickets.list_messages, "tickets:read"),
    ("/tickets/{ticket_id}/status_changes", routes_tickets.ticket_status_changes, "tickets:read"),
    ("/status_changes", routes_tickets.list_status_changes, "tickets:read"),
    ("/attachments/{attachment_id}", routes_files.get_attachment, "attachments:read"),
    ("/attachments/{attachment_id}/content", routes_files.attachment_content, "attachments:read"),
    ("/tags", routes_catalog.list_tags, "tickets:read"),
    ("/ticket_statuses", routes_catalog.list_ticket_statuses, "settings:read"),
    ("/channels", routes_catalog.list_channels, "settings:read"),
    ("/custom_fields", routes_catalog.list_custom_fields, "settings:read"),
    ("/custom_objects", routes_catalog.list_custom_objects, "custom_objects:read"),
    ("/custom_objects/{object_key}/records", routes_catalog.list_records, "custom_objects:read"),
    ("/deleted_records", routes_catalog.list_deleted_records, "tickets:read"),
]
_API_PATTERNS = [compile_path(API_PREFIX + path)[0] for path, _handler, _scope in API_ROUTES]
ANY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _routes(server: Server) -> list[Route]:
    routes = [
        Route(API_PREFIX + path, api_endpoint(server, handler, scope), methods=["GET"])
        for path, handler, scope in API_ROUTES
    ]
    portal = plain_endpoint(server, _portal)
    routes += [
        Route(API_PREFIX + "/portal", portal, methods=ANY_METHOD),
        Route(API_PREFIX + "/portal/{rest:path}", portal, methods=ANY_METHOD),
        Route("/files/{token}", plain_endpoint(server, routes_files.download_file), methods=["GET"]),
        Route("/__admin/mutate", plain_endpoint(server, admin.mutate), methods=["POST"]),
        Route("/__admin/reset", plain_endpoint(server, admin.reset), methods=["POST"]),
        Route("/__admin/clock", plain_endpoint(server, admin.clock), methods=["GET", "POST"]),
        Route("/__admin/stats", plain_endpoint(server, admin.stats), methods=["GET"]),
        Route("/{rest:path}", api_endpoint(server, _unknown, None), methods=ANY_METHOD),
    ]
    return routes


class _TruncatedBodies:
    """The `fault_truncate_every_n` and `fault_file_truncate_every_n` faults: headers promise the
    whole body, half of it is sent, and the connection closes (what a proxy or load balancer
    dropping mid-response looks like: `IncompleteRead` in the client). Applies to `/api/v1` answers
    after gzip, and to `/files/*` (held whole in memory: meant for small test files)."""

    def __init__(self, app: ASGIApp, server: Server) -> None:
        self._app = app
        self._server = server

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (scope["type"] == "http" and self._truncates(scope["path"])):
            await self._app(scope, receive, send)
            return
        started: list[Message] = []
        body = bytearray()

        async def hold(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.append(message)
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))

        await self._app(scope, receive, hold)
        start = started[0]
        headers = [(name, value) for name, value in start["headers"] if name.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        # more_body=True and then returning: the server closes the connection mid-body.
        await send({"type": "http.response.body", "body": bytes(body[: len(body) // 2]), "more_body": True})

    def _truncates(self, path: str) -> bool:
        if path.startswith(API_PREFIX + "/"):
            return self._server.throttle.truncate_next_response()
        if path.startswith("/files/"):
            return self._server.throttle.truncate_next_file()
        return False


class _FilesWithoutGzip:
    """Send /files/* straight to the app, everything else through gzip (file bytes stay verbatim)."""

    def __init__(self, app: ASGIApp) -> None:
        self._plain = app
        self._gzipped = GZipMiddleware(app, minimum_size=1024, compresslevel=5)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/files/"):
            await self._plain(scope, receive, send)
        else:
            await self._gzipped(scope, receive, send)


def create_app(dataset_dir: Path, settings: StamesSettings | None = None) -> ASGIApp:
    """An ASGI app serving `dataset_dir` (§3b format) with the §2 API."""
    server = Server.start(Path(dataset_dir), settings or StamesSettings())
    app = Starlette(routes=_routes(server))
    app.state.stames = server
    return _TruncatedBodies(_FilesWithoutGzip(app), server)
