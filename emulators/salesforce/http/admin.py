"""Admin endpoints outside `/services`: reset, export, switches, metadata deploy, connected app.

They exist for tests, the demo and people driving the emulator by hand; a real org has no such
door, so they are not authenticated and the server only listens on 127.0.0.1.
"""

from __future__ import annotations

import dataclasses
import io
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from emulators.salesforce.http.errors import SalesforceApiError
from emulators.salesforce.http.requests_io import json_body
from emulators.salesforce.org.ids import normalise
from emulators.salesforce.org.types import TOGGLES


def _as_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


def _reset_keeping_sessions(state: Any) -> None:
    """Reset the org; tokens follow their users (matched by Username) to the new user Ids, so
    `connection.json` keeps working."""
    org = state.org
    usernames = {user_id: org.user(user_id).username for user_id in state.auth.owners()}
    was_admin = str(org.admin_user_id)
    org.reset(agent_emails=state.agent_emails or None)
    new_owner: dict[str, str | None] = {}
    for user_id, username in usernames.items():
        matches = org.find_ids("User", "Username", username) if username else []
        new_owner[user_id] = str(matches[0]) if matches else None
    new_owner[was_admin] = str(org.admin_user_id)
    state.auth.reassign(new_owner)


async def reset(request: Request) -> Response:
    """Back to the seeded org: records, API usage and open cursors (sessions are kept)."""
    state = request.app.state
    await run_in_threadpool(_reset_keeping_sessions, state)
    state.usage.set_used(0)
    state.cursors.clear()
    bulk_reset = getattr(state.bulk, "reset", None)
    if callable(bulk_reset):
        bulk_reset()
    return JSONResponse({"reset": True})


async def export(request: Request) -> Response:
    """Every record of every object, for tests that compare org states."""
    return JSONResponse(await run_in_threadpool(request.app.state.org.export))


async def toggles(request: Request) -> Response:
    org = request.app.state.org
    if request.method == "POST":
        changes = await json_body(request)
        if not isinstance(changes, dict):
            raise SalesforceApiError(400, "JSON_PARSER_ERROR", "Expected a JSON object of switches")
        try:
            org.set_toggles(changes)
        except KeyError as error:
            raise SalesforceApiError(400, "INVALID_FIELD", f"Unknown switch: {error.args[0]}") from error
    return JSONResponse({name: org.toggle(name) for name in TOGGLES})


async def api_usage(request: Request) -> Response:
    """Read or set the day's API call count, so the daily limit can be reached without 15,000 calls."""
    usage = request.app.state.usage
    if request.method == "POST":
        body = await json_body(request)
        if not isinstance(body, dict) or not isinstance(body.get("used"), int):
            raise SalesforceApiError(400, "JSON_PARSER_ERROR", 'Expected {"used": <int>}')
        usage.set_used(body["used"])
    limit = int(request.app.state.org.toggle("daily_api_limit"))
    return JSONResponse({"used": usage.used, "max": limit})


async def connected_app(request: Request) -> Response:
    """GET the connected app (client id/secret, JWT certificate, client-credentials user); POST
    changes some of its settings."""
    auth = request.app.state.auth
    if request.method == "POST":
        changes = await json_body(request)
        if not isinstance(changes, dict):
            raise SalesforceApiError(400, "JSON_PARSER_ERROR", "Expected a JSON object of settings")
        try:
            auth.update_connected_app(changes)
        except KeyError as error:
            raise SalesforceApiError(400, "INVALID_FIELD", f"Unknown setting: {error.args[0]}") from error
    return JSONResponse(dataclasses.asdict(auth.connected_app))


async def user_permissions(request: Request) -> Response:
    """GET a user's status and permissions; POST grants or revokes `set_audit_fields`,
    `bypass_automation`, `hard_delete`. The user is named by Id or Username."""
    org = request.app.state.org
    user_id = _user_id(org, request.path_params["user"])
    if request.method == "POST":
        changes = await json_body(request)
        if not isinstance(changes, dict) or not all(isinstance(value, bool) for value in changes.values()):
            raise SalesforceApiError(
                400, "JSON_PARSER_ERROR", "Expected a JSON object of true/false permissions"
            )
        try:
            org.grant(user_id, **changes)
        except KeyError as error:
            raise SalesforceApiError(400, "INVALID_FIELD", f"Unknown permission: {error.args[0]}") from error
    return JSONResponse(_as_json(org.user(user_id)))


def _user_id(org: Any, name: str) -> str:
    if normalise(name) and org.user(name).exists:
        return str(org.user(name).user_id)
    matches = org.find_ids("User", "Username", name)
    if not matches:
        raise SalesforceApiError(404, "NOT_FOUND", f"No user with Id or Username {name}")
    return str(matches[0])


def _unpack(archive: bytes, target: Path) -> None:
    """Unpack a zip or tar(.gz) of an SFDX source folder; member paths may not leave `target`."""
    if archive[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
            for member in bundle.namelist():
                destination = (target / member).resolve()
                if not destination.is_relative_to(target.resolve()):
                    raise SalesforceApiError(400, "INVALID_CROSS_REFERENCE_KEY", f"Unsafe path: {member}")
            bundle.extractall(target)  # noqa: S202 (every member path was checked above)
        return
    try:
        with tarfile.open(fileobj=io.BytesIO(archive)) as bundle:
            bundle.extractall(target, filter="data")
    except (tarfile.TarError, OSError) as error:
        raise SalesforceApiError(400, "INVALID_BODY", "Expected a zip or tar archive") from error


async def deploy(request: Request) -> Response:
    """Deploy an archived SFDX source folder (custom objects and fields) into the org."""
    archive = await request.body()
    with tempfile.TemporaryDirectory(prefix="sf-deploy-") as folder:
        root = Path(folder)
        _unpack(archive, root)
        result = await run_in_threadpool(request.app.state.org.deploy, root)
    return JSONResponse(_as_json(result))


def admin_routes() -> list[BaseRoute]:
    return [
        Route("/__admin/reset", reset, methods=["POST"]),
        Route("/__admin/export", export, methods=["GET"]),
        Route("/__admin/toggles", toggles, methods=["GET", "POST"]),
        Route("/__admin/api-usage", api_usage, methods=["GET", "POST"]),
        Route("/__admin/connected-app", connected_app, methods=["GET", "POST"]),
        Route("/__admin/deploy", deploy, methods=["POST"]),
        Route("/__admin/users/{user}/permissions", user_permissions, methods=["GET", "POST"]),
    ]
