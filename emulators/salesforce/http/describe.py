"""Describe resources: global describe, per-object basic info and full describe.

The org holds describe JSON recorded from real orgs; this layer only rewrites the `urls` to the
API version of the call, as Salesforce does.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emulators.salesforce.http.errors import SalesforceApiError
from emulators.salesforce.http.requests_io import api_version

_VERSION_IN_URL = re.compile(r"/services/data/v\d+\.\d+/")

GLOBAL_KEYS: dict[str, Any] = {
    "activateable": False,
    "associateEntityType": None,
    "associateParentEntity": None,
    "createable": True,
    "custom": False,
    "customSetting": False,
    "deepCloneable": False,
    "deletable": True,
    "deprecatedAndHidden": False,
    "feedEnabled": False,
    "hasSubtypes": False,
    "isInterface": False,
    "isSubtype": False,
    "keyPrefix": None,
    "label": None,
    "labelPlural": None,
    "layoutable": True,
    "mergeable": False,
    "mruEnabled": False,
    "name": None,
    "queryable": True,
    "replicateable": True,
    "retrieveable": True,
    "searchable": True,
    "triggerable": True,
    "undeletable": True,
    "updateable": True,
}
"""The keys of one `sobjects[]` entry of global describe, with defaults [fixture: Global describe]."""


def describe_of(request: Request, sobject: str) -> dict[str, Any]:
    """The org's describe of `sobject` as the calling user sees it (audit fields turn createable
    with that permission); an unknown object is 404 NOT_FOUND on `/sobjects/…`."""
    session = getattr(request.state, "session", None)
    try:
        describe = request.app.state.org.describe(sobject, user_id=session.user_id if session else None)
    except KeyError as error:
        raise SalesforceApiError(404, "NOT_FOUND", "The requested resource does not exist") from error
    return dict(describe)


def with_version(urls: dict[str, str], version: str) -> dict[str, str]:
    return {key: _VERSION_IN_URL.sub(f"/services/data/v{version}/", value) for key, value in urls.items()}


def object_urls(name: str, version: str) -> dict[str, str]:
    base = f"/services/data/v{version}/sobjects/{name}"
    return {
        "compactLayouts": f"{base}/describe/compactLayouts",
        "rowTemplate": f"{base}/{{ID}}",
        "approvalLayouts": f"{base}/describe/approvalLayouts",
        "listviews": f"{base}/listviews",
        "describe": f"{base}/describe",
        "quickActions": f"{base}/quickActions",
        "layouts": f"{base}/describe/layouts",
        "sobject": base,
    }


def object_summary(describe: dict[str, Any], version: str) -> dict[str, Any]:
    """A global-describe entry built from a full describe."""
    summary = {key: describe.get(key, default) for key, default in GLOBAL_KEYS.items()}
    summary["urls"] = object_urls(str(describe["name"]), version)
    return summary


def field_names(describe: dict[str, Any]) -> dict[str, str]:
    """Lower-cased field name → API name, for case-insensitive lookups."""
    return {str(item["name"]).lower(): str(item["name"]) for item in describe.get("fields", [])}


def field_of(describe: dict[str, Any], name: str) -> dict[str, Any] | None:
    lowered = name.lower()
    return next((item for item in describe.get("fields", []) if str(item["name"]).lower() == lowered), None)


async def global_describe(request: Request) -> Response:
    version = api_version(request)
    described = dict(request.app.state.org.global_describe())
    described["sobjects"] = [
        {
            **entry,
            "urls": with_version(dict(entry.get("urls") or object_urls(entry["name"], version)), version),
        }
        for entry in described.get("sobjects", [])
    ]
    return JSONResponse(described)


async def object_info(request: Request) -> Response:
    """`GET /sobjects/{Object}`: the summary plus recently viewed items (none here)."""
    describe = describe_of(request, request.path_params["sobject"])
    return JSONResponse({"objectDescribe": object_summary(describe, api_version(request)), "recentItems": []})


async def full_describe(request: Request) -> Response:
    describe = describe_of(request, request.path_params["sobject"])
    version = api_version(request)
    describe["urls"] = with_version(
        dict(describe.get("urls") or object_urls(describe["name"], version)), version
    )
    return JSONResponse(describe)
