"""`/services/oauth2/token` (password, client_credentials, JWT bearer) and `/services/oauth2/userinfo`.

Errors follow the OAuth shape Salesforce uses (`{"error", "error_description"}`, status 400), which
is what simple-salesforce, jsforce and sfdx-core read. Descriptions marked [recall] in the contract.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from emulators.salesforce.http import error_messages
from emulators.salesforce.http.auth_store import (
    JWT_AUDIENCES,
    AuthStore,
    JwtRejectedError,
    verify_jwt_assertion,
)
from emulators.salesforce.http.errors import SESSION_INVALID_MESSAGE
from emulators.salesforce.http.gate import bearer_token
from emulators.salesforce.http.identity import identity_url, instance_url
from emulators.salesforce.http.orgview import active_user_id, org_id_of, user_record

PASSWORD_GRANT = "password"  # noqa: S105 (an OAuth grant name)
CLIENT_CREDENTIALS_GRANT = "client_credentials"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def _token_body(request: Request, user_id: str, token: str, client_secret: str) -> dict[str, Any]:
    base = instance_url(request)
    identity = identity_url(request, user_id)
    issued_at = str(int(time.time() * 1000))
    digest = hmac.new(client_secret.encode(), (identity + issued_at).encode(), hashlib.sha256).digest()
    return {
        "access_token": token,
        "instance_url": base,
        "id": identity,
        "token_type": "Bearer",
        "issued_at": issued_at,
        "signature": base64.b64encode(digest).decode(),
    }


def _check_client(auth: AuthStore, client_id: str | None, client_secret: str | None) -> JSONResponse | None:
    app = auth.connected_app
    if client_id != app.client_id:
        return oauth_error(*error_messages.BAD_CLIENT_ID)
    if client_secret is not None and not hmac.compare_digest(client_secret, app.client_secret):
        return oauth_error(*error_messages.BAD_CLIENT_SECRET)
    return None


async def token_endpoint(request: Request) -> Response:
    """Grant a token for one of the three flows the loader and its tests use."""
    form = await request.form()
    values = {key: str(value) for key, value in form.items()}
    grant = values.get("grant_type")
    auth: AuthStore = request.app.state.auth
    org = request.app.state.org
    if grant == PASSWORD_GRANT:
        rejected = _check_client(auth, values.get("client_id"), values.get("client_secret", ""))
        if rejected:
            return rejected
        username = values.get("username", "")
        user_id = active_user_id(org, username)
        password_ok = hmac.compare_digest(
            values.get("password", ""), auth.connected_app.password_of(username)
        )
        if user_id is None or not password_ok:
            return oauth_error(*error_messages.BAD_PASSWORD)
    elif grant == CLIENT_CREDENTIALS_GRANT:
        rejected = _check_client(auth, values.get("client_id"), values.get("client_secret", ""))
        if rejected:
            return rejected
        run_as = auth.connected_app.client_credentials_username
        user_id = active_user_id(org, run_as) if run_as else None
        if user_id is None:
            return oauth_error(*error_messages.NO_CLIENT_CREDENTIALS_USER)
    elif grant == JWT_GRANT:
        certificate = auth.connected_app.jwt_certificate_pem
        if not certificate:
            return oauth_error(*error_messages.BAD_CLIENT_SECRET)
        audiences = (*JWT_AUDIENCES, instance_url(request))
        try:
            username = verify_jwt_assertion(
                values.get("assertion", ""), certificate, auth.connected_app.client_id, audiences
            )
        except JwtRejectedError as rejected_jwt:
            return oauth_error("invalid_grant", str(rejected_jwt))
        user_id = active_user_id(org, username)
        if user_id is None:
            return oauth_error(*error_messages.JWT_USER_UNKNOWN)
    else:
        return oauth_error(*error_messages.UNSUPPORTED_GRANT)
    token = auth.issue(org_id_of(org), user_id)
    return JSONResponse(_token_body(request, user_id, token, auth.connected_app.client_secret))


async def userinfo_endpoint(request: Request) -> Response:
    """OpenID user info; sfdx-core reads `user_id` and `organization_id` from it at login."""
    token = bearer_token(request.scope)
    auth: AuthStore = request.app.state.auth
    session = auth.session(token) if token else None
    org = request.app.state.org
    user = user_record(org, session.user_id) if session else None
    if session is None or user is None or not org.user(session.user_id).is_active:
        return JSONResponse(
            [{"message": SESSION_INVALID_MESSAGE, "errorCode": "INVALID_SESSION_ID"}], status_code=401
        )
    base = instance_url(request)
    organization_id = org_id_of(org)
    return JSONResponse(
        {
            "sub": identity_url(request, session.user_id),
            "user_id": session.user_id,
            "organization_id": organization_id,
            "preferred_username": user.get("Username"),
            "nickname": user.get("CommunityNickname"),
            "name": user.get("Name") or user.get("LastName"),
            "email": user.get("Email"),
            "email_verified": True,
            "given_name": user.get("FirstName"),
            "family_name": user.get("LastName"),
            "zoneinfo": user.get("TimeZoneSidKey"),
            "locale": user.get("LocaleSidKey"),
            "language": user.get("LanguageLocaleKey"),
            "active": True,
            "user_type": "STANDARD",
            "is_app_installed": True,
            "urls": {
                "rest": f"{base}/services/data/v{{version}}/",
                "sobjects": f"{base}/services/data/v{{version}}/sobjects/",
                "query": f"{base}/services/data/v{{version}}/query/",
            },
        }
    )


def oauth_routes() -> list[BaseRoute]:
    return [
        Route("/services/oauth2/token", token_endpoint, methods=["POST"]),
        Route("/services/oauth2/userinfo", userinfo_endpoint, methods=["GET", "POST"]),
    ]
