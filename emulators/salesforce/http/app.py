"""`create_app`: the Salesforce org emulator as one Starlette app.

Layout of the URL space:
- `/services/oauth2/*`: token and userinfo (oauth.py);
- `/id/{orgId}/{userId}`: the identity URL (identity.py);
- `/services/data[/]`: the version list, open to anyone;
- `/services/data/vXX.X/**`: REST and Bulk 2.0, behind the gate (session, usage, faults);
- `/__admin/*`: test and demo controls (admin.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route

from emulators.salesforce.bulk import BulkService
from emulators.salesforce.bulk import routes as bulk_routes
from emulators.salesforce.http import collections, describe, query, replication, resources, sobjects
from emulators.salesforce.http.admin import admin_routes
from emulators.salesforce.http.auth_store import AuthStore
from emulators.salesforce.http.errors import SalesforceApiError, api_error_handler, http_error_handler
from emulators.salesforce.http.gate import ApiUsage, ServicesGate
from emulators.salesforce.http.identity import identity_routes
from emulators.salesforce.http.oauth import oauth_routes
from emulators.salesforce.http.soap import soap_routes
from emulators.salesforce.org.store import Org

DEFAULT_API_VERSION = "62.0"


def _both(path: str, endpoint: Any, methods: list[str]) -> list[Route]:
    """The path with and without a trailing slash: clients use both (simple-salesforce adds one)."""
    return [Route(path, endpoint, methods=methods), Route(path + "/", endpoint, methods=methods)]


def rest_routes() -> list[BaseRoute]:
    """REST resources, relative to `/services/data/vXX.X`."""
    return [
        Route("/", resources.resource_index, methods=["GET"]),
        *_both("/limits", resources.limits, ["GET"]),
        *_both("/sobjects", describe.global_describe, ["GET"]),
        *_both("/sobjects/{sobject}", sobjects.sobject_root, ["GET", "POST"]),
        *_both("/sobjects/{sobject}/describe", describe.full_describe, ["GET"]),
        *_both("/sobjects/{sobject}/updated", replication.updated, ["GET"]),
        *_both("/sobjects/{sobject}/deleted", replication.deleted, ["GET"]),
        *_both("/sobjects/{sobject}/{record_id}", sobjects.sobject_row, ["GET", "PATCH", "DELETE", "POST"]),
        *_both("/sobjects/{sobject}/{key}/{value}", sobjects.sobject_by_key, ["GET", "PATCH", "DELETE"]),
        *_both("/composite/sobjects", collections.collection, ["POST", "PATCH", "DELETE"]),
        *_both("/composite/sobjects/{sobject}", collections.collection_retrieve, ["GET", "POST"]),
        *_both("/composite/sobjects/{sobject}/{field}", collections.collection_upsert, ["PATCH"]),
        *_both("/query", query.query, ["GET"]),
        *_both("/queryAll", query.query_all, ["GET"]),
        Route("/query/{cursor}", query.query_more, methods=["GET"]),
        Route("/queryAll/{cursor}", query.query_more, methods=["GET"]),
    ]


def create_app(
    state_dir: Path,
    *,
    api_version: str = DEFAULT_API_VERSION,
    match_agent_emails: list[str] | None = None,
) -> Starlette:
    """The emulator app over the org persisted in `state_dir` (created on first use).

    `match_agent_emails` seeds the org's Users from a dataset's agents (when the org is created,
    and again on `/__admin/reset`); an org that already exists keeps its users.
    """
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    org = Org.open(state_dir, agent_emails=match_agent_emails)
    bulk = BulkService(org, state_dir)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        bulk.close()
        close = getattr(org, "close", None)
        if callable(close):
            close()

    app = Starlette(
        routes=[
            *oauth_routes(),
            *identity_routes(),
            *_both("/services/data", resources.versions, ["GET"]),
            Route("/services/data/v{version}", resources.resource_index, methods=["GET"]),
            Mount("/services/data/v{version}", routes=[*rest_routes(), *bulk_routes()]),
            *soap_routes(),
            *admin_routes(),
        ],
        middleware=[Middleware(ServicesGate)],
        exception_handlers={SalesforceApiError: api_error_handler, HTTPException: http_error_handler},
        lifespan=lifespan,
    )
    app.state.org = org
    app.state.bulk = bulk
    app.state.auth = AuthStore(state_dir)
    app.state.usage = ApiUsage()
    app.state.cursors = query.QueryCursors()
    app.state.api_version = api_version
    app.state.agent_emails = list(match_agent_emails or [])
    app.state.state_dir = state_dir
    return app
