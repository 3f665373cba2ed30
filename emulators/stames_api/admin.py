"""Test-only hooks outside /api/v1 (API.md §2.8): mutate, reset, clock and request counts."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from starlette.requests import Request

from emulators.stames_api.clock import format_timestamp
from emulators.stames_api.errors import ApiError
from emulators.stames_api.mutations import Mutator
from emulators.stames_api.server import Server


async def _json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise ApiError(400, "invalid_parameter", "body must be JSON") from exc
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_parameter", "body must be a JSON object")
    return body


async def mutate(request: Request, server: Server) -> dict[str, Any]:
    """`{"ticket_ids": [...], "action": "touch|add_message|change_status|merge|delete"}`."""
    body = await _json_body(request)
    ticket_ids = body.get("ticket_ids")
    if not isinstance(ticket_ids, list):
        raise ApiError(400, "invalid_parameter", "ticket_ids must be a list")
    mutator = Mutator(server.store, server.clock.now_ms(), body)
    changed = mutator.apply(str(body.get("action")), ticket_ids)
    return {"action": body.get("action"), "updated_at": mutator.stamp, "tickets": changed}


async def reset(_request: Request, server: Server) -> dict[str, Any]:
    server.reload()
    return {"reset": True, "tickets": len(server.store.tickets)}


async def clock(request: Request, server: Server) -> dict[str, Any]:
    """GET: the server's now. POST `{"now": iso}` freezes it there; `{"advance_seconds": n}` moves it."""
    if request.method == "POST":
        body = await _json_body(request)
        if isinstance(body.get("now"), str):
            moment = datetime.fromisoformat(body["now"])
            if moment.tzinfo is None:
                raise ApiError(400, "invalid_parameter", "now needs a UTC offset")
            server.clock.freeze(moment)
        if isinstance(body.get("advance_seconds"), int | float):
            server.clock.advance(float(body["advance_seconds"]))
    return {"now": format_timestamp(server.clock.now_ms())}


async def stats(_request: Request, server: Server) -> dict[str, Any]:
    store = server.store
    return {
        "counts": dict(server.throttle.counts),
        "rows": {
            "agents": len(store.agents),
            "customers": len(store.customers),
            "tickets": len(store.tickets),
            "messages": len(store.messages),
            "status_changes": len(store.status_changes),
            "attachments": len(store.attachments),
            "deleted_records": len(store.deleted_records),
        },
    }
