"""The identity URL `https://<host>/id/<orgId>/<userId>`: the token's `id`, userinfo's `sub` and the
`identity` entry of `GET /services/data/vXX.X/` all point here, and a GET with a valid token answers
the user's identity JSON (what jsforce's `conn.identity()` reads).

Shape from Salesforce's "Identity URLs" help page and the response sample of Salesforce's Postman
collection (`Auth/ID Token`); jsforce's `IdentityInfo` type lists the same keys. Outside
`/services/data`, so it is not counted against the API limit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from emulators.salesforce.http.gate import bearer_token
from emulators.salesforce.http.orgview import org_id_of, user_record
from emulators.salesforce.org.ids import normalise

BAD_TOKEN = "Bad_OAuth_Token"  # noqa: S105 (an error body, not a secret)
"""403 body for a missing, unknown or inactive user's token [recall]."""


def instance_url(request: Request) -> str:
    """The URL clients reached us on; Salesforce answers with the org's own instance URL."""
    return f"{request.url.scheme}://{request.url.netloc}"


def identity_url(request: Request, user_id: str) -> str:
    return f"{instance_url(request)}/id/{org_id_of(request.app.state.org)}/{user_id}"


def _token(request: Request) -> str | None:
    """The access token from `Authorization: Bearer` or the `oauth_token` parameter (both documented)."""
    return bearer_token(request.scope) or request.query_params.get("oauth_token") or None


def _same_id(given: str, canonical: str) -> bool:
    return normalise(given) == canonical if normalise(given) else False


def _utc_offset_ms(time_zone: str | None) -> int:
    try:
        offset = datetime.now(UTC).astimezone(ZoneInfo(time_zone or "GMT")).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return 0
    return int(offset.total_seconds() * 1000) if offset else 0


def _urls(base: str, org_id: str, user_id: str, version: str) -> dict[str, str]:
    rest = f"{base}/services/data/v{version}"
    return {
        "enterprise": f"{base}/services/Soap/c/{version}/{org_id}",
        "metadata": f"{base}/services/Soap/m/{version}/{org_id}",
        "partner": f"{base}/services/Soap/u/{version}/{org_id}",
        "rest": f"{rest}/",
        "sobjects": f"{rest}/sobjects/",
        "search": f"{rest}/search/",
        "query": f"{rest}/query/",
        "recent": f"{rest}/recent/",
        "tooling_soap": f"{base}/services/Soap/T/{version}/{org_id}",
        "tooling_rest": f"{rest}/tooling/",
        "profile": f"{base}/{user_id}",
        "feeds": f"{rest}/chatter/feeds",
        "groups": f"{rest}/chatter/groups",
        "users": f"{rest}/chatter/users",
        "feed_items": f"{rest}/chatter/feed-items",
        "feed_elements": f"{rest}/chatter/feed-elements",
        "custom_domain": base,
    }


def identity_body(request: Request, user: dict[str, Any]) -> dict[str, Any]:
    """The identity JSON of one user; `?version=NN.N|latest` fills `{version}` in the URLs."""
    base = instance_url(request)
    org_id = org_id_of(request.app.state.org)
    user_id = str(user["Id"])
    version = request.query_params.get("version") or "{version}"
    if version == "latest":
        version = str(request.app.state.api_version)
    return {
        "id": identity_url(request, user_id),
        "asserted_user": True,
        "user_id": user_id,
        "organization_id": org_id,
        "username": user.get("Username"),
        "nick_name": user.get("CommunityNickname"),
        "display_name": user.get("Name"),
        "email": user.get("Email"),
        "email_verified": True,
        "first_name": user.get("FirstName"),
        "last_name": user.get("LastName"),
        "timezone": user.get("TimeZoneSidKey"),
        "photos": {"picture": f"{base}/profilephoto/005/F", "thumbnail": f"{base}/profilephoto/005/T"},
        "addr_street": user.get("Street"),
        "addr_city": user.get("City"),
        "addr_state": user.get("State"),
        "addr_country": user.get("Country"),
        "addr_zip": user.get("PostalCode"),
        "mobile_phone": user.get("MobilePhone"),
        "mobile_phone_verified": False,
        "is_lightning_login_user": False,
        "status": {"created_date": None, "body": None},
        "urls": _urls(base, org_id, user_id, version),
        "active": bool(user.get("IsActive")),
        "user_type": "STANDARD",
        "language": user.get("LanguageLocaleKey"),
        "locale": user.get("LocaleSidKey"),
        "utcOffset": _utc_offset_ms(user.get("TimeZoneSidKey")),
        "last_modified_date": user.get("LastModifiedDate"),
        "is_app_installed": True,
    }


async def identity_endpoint(request: Request) -> Response:
    """`GET /id/{org}/{user}`: 403 without a valid token, 404 for another org or an unknown user.
    Every emulated token is an internal API user's, which may read any user of its org (help page,
    "Client Access")."""
    state = request.app.state
    token = _token(request)
    session = state.auth.session(token) if token else None
    if session is None or not state.org.user(session.user_id).is_active:
        return PlainTextResponse(BAD_TOKEN, status_code=403)
    user_id = normalise(request.path_params["user_id"])
    user = user_record(state.org, user_id) if user_id else None
    if not _same_id(request.path_params["org_id"], org_id_of(state.org)) or user is None:
        return PlainTextResponse("Not Found", status_code=404)
    return JSONResponse(identity_body(request, user))


def identity_routes() -> list[BaseRoute]:
    return [Route("/id/{org_id}/{user_id}", identity_endpoint, methods=["GET"])]
