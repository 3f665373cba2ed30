"""OAuth grants and session checks of the emulator, driven over HTTPS like a real client."""

from __future__ import annotations

import base64
import json
import time

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceExpiredSession

from emulators.salesforce.http.server import RunningServer
from tests.fixtures.oauth import self_signed_certificate
from tests.fixtures.salesforce import admin_call, salesforce_client, trusting_session

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def _connected_app(server: RunningServer, **changes: object) -> dict:
    method = "POST" if changes else "GET"
    response = admin_call(server, method, "/__admin/connected-app", json=changes or None)
    assert response.status_code == 200, response.text
    return response.json()


def _token(server: RunningServer, **form: str) -> tuple[int, dict]:
    response = trusting_session(server).post(
        f"{server.instance_url}/services/oauth2/token", data=form, timeout=30
    )
    return response.status_code, response.json()


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _signed_jwt(key: rsa.RSAPrivateKey, claims: dict) -> str:
    header = _b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    payload = _b64url(json.dumps(claims).encode())
    signature = key.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{payload}.{_b64url(signature)}"


def _whoami(server: RunningServer, token: str) -> str:
    response = trusting_session(server).get(
        f"{server.instance_url}/services/oauth2/userinfo",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["preferred_username"]


def test_password_grant_issues_a_token_that_simple_salesforce_can_use(sf_server: RunningServer) -> None:
    app = _connected_app(sf_server, passwords={"agent.login@example.com": "s3cret"})
    sf = salesforce_client(sf_server)
    user = sf.User.get(str(sf_server.org.admin_user_id))
    status, body = _token(
        sf_server,
        grant_type="password",
        client_id=app["client_id"],
        client_secret=app["client_secret"],
        username=user["Username"],
        password=app["default_password"],
    )
    assert status == 200, body
    assert body["token_type"] == "Bearer"
    assert body["instance_url"] == sf_server.instance_url
    assert body["access_token"].startswith("00D")
    assert "!" in body["access_token"]
    client = salesforce_client(sf_server, body["access_token"])
    assert client.query("SELECT Id FROM User")["totalSize"] >= 1


def test_password_grant_refuses_a_wrong_password_and_a_wrong_secret(sf_server: RunningServer) -> None:
    app = _connected_app(sf_server)
    username = salesforce_client(sf_server).User.get(str(sf_server.org.admin_user_id))["Username"]
    status, body = _token(
        sf_server,
        grant_type="password",
        client_id=app["client_id"],
        client_secret=app["client_secret"],
        username=username,
        password="not-the-password",
    )
    assert (status, body["error"], body["error_description"]) == (
        400,
        "invalid_grant",
        "authentication failure",
    )
    status, body = _token(
        sf_server,
        grant_type="password",
        client_id=app["client_id"],
        client_secret="WRONG",
        username=username,
        password=app["default_password"],
    )
    assert (status, body["error"]) == (400, "invalid_client")
    status, body = _token(sf_server, grant_type="magic")
    assert (status, body["error"]) == (400, "unsupported_grant_type")


def test_client_credentials_grant_runs_as_the_configured_user(sf_server: RunningServer) -> None:
    admin_username = salesforce_client(sf_server).User.get(str(sf_server.org.admin_user_id))["Username"]
    app = _connected_app(sf_server, client_credentials_username=admin_username)
    status, body = _token(
        sf_server,
        grant_type="client_credentials",
        client_id=app["client_id"],
        client_secret=app["client_secret"],
    )
    assert status == 200, body
    assert _whoami(sf_server, body["access_token"]) == admin_username
    _connected_app(sf_server, client_credentials_username=None)
    status, body = _token(
        sf_server,
        grant_type="client_credentials",
        client_id=app["client_id"],
        client_secret=app["client_secret"],
    )
    assert (status, body["error"]) == (400, "invalid_grant")


def test_jwt_bearer_grant_checks_signature_audience_and_expiry(sf_server: RunningServer) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    app = _connected_app(sf_server, jwt_certificate_pem=self_signed_certificate(key, "jwt-test"))
    username = salesforce_client(sf_server).User.get(str(sf_server.org.admin_user_id))["Username"]
    claims = {
        "iss": app["client_id"],
        "sub": username,
        "aud": "https://login.salesforce.com",
        "exp": int(time.time()) + 180,
    }
    status, body = _token(sf_server, grant_type=JWT_GRANT, assertion=_signed_jwt(key, claims))
    assert status == 200, body
    assert _whoami(sf_server, body["access_token"]) == username

    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    refused = [
        _signed_jwt(stranger, claims),
        _signed_jwt(key, {**claims, "aud": "https://example.com"}),
        _signed_jwt(key, {**claims, "exp": int(time.time()) - 10}),
        _signed_jwt(key, {**claims, "sub": "nobody@nowhere.example"}),
    ]
    for assertion in refused:
        status, body = _token(sf_server, grant_type=JWT_GRANT, assertion=assertion)
        assert (status, body["error"]) == (400, "invalid_grant"), body


def test_an_unknown_token_is_401_invalid_session_id(sf_server: RunningServer) -> None:
    client = Salesforce(
        instance_url=sf_server.instance_url,
        session_id="00D000000000001AAA!AQ.not-a-real-token",
        version=sf_server.api_version,
        session=trusting_session(sf_server),
    )
    with pytest.raises(SalesforceExpiredSession) as raised:
        client.Account.describe()
    assert raised.value.status == 401
    assert raised.value.content[0]["errorCode"] == "INVALID_SESSION_ID"


def test_userinfo_names_the_user_and_org_of_the_token(sf_server: RunningServer) -> None:
    response = trusting_session(sf_server).get(
        f"{sf_server.instance_url}/services/oauth2/userinfo",
        headers={"Authorization": f"Bearer {sf_server.access_token}"},
        timeout=30,
    )
    body = response.json()
    assert body["user_id"] == sf_server.org.admin_user_id
    assert body["organization_id"].startswith("00D")
    assert sf_server.access_token.startswith(body["organization_id"][:15])
    anonymous = trusting_session(sf_server).get(
        f"{sf_server.instance_url}/services/oauth2/userinfo", timeout=30
    )
    assert anonymous.status_code == 401
