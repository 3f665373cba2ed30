"""The identity URL: listed by Resources by Version as `identity`, shaped
`https://<host>/id/<orgId>/<userId>`, and answering the identity JSON for a valid token (what
jsforce's `conn.identity()` reads). Ids come from SOQL and connection.json, not from the URL code."""

from __future__ import annotations

import requests
from simple_salesforce import Salesforce

from emulators.salesforce.http.server import RunningServer, read_connection
from tests.fixtures.salesforce import trusting_session


def _ids(sf: Salesforce, sf_server: RunningServer) -> tuple[str, str, str]:
    username = read_connection(sf_server.state_dir).username
    org_id = sf.query("SELECT Id FROM Organization")["records"][0]["Id"]
    user_id = sf.query(f"SELECT Id FROM User WHERE Username = '{username}'")["records"][0]["Id"]
    return org_id, user_id, username


def _get(url: str, server: RunningServer, token: str | None, **params: str) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return trusting_session(server).get(url, headers=headers, params=params, timeout=30)


def test_resources_by_version_lists_the_callers_identity_url(
    sf: Salesforce, sf_server: RunningServer
) -> None:
    org_id, user_id, _ = _ids(sf, sf_server)
    resources = sf.restful("")
    assert resources["identity"] == f"{sf_server.instance_url}/id/{org_id}/{user_id}"
    assert resources["sobjects"] == f"/services/data/v{sf_server.api_version}/sobjects"


def test_identity_url_answers_the_users_identity(sf: Salesforce, sf_server: RunningServer) -> None:
    org_id, user_id, username = _ids(sf, sf_server)
    response = _get(sf.restful("")["identity"], sf_server, sf_server.access_token)
    assert response.status_code == 200
    identity = response.json()
    assert (identity["user_id"], identity["organization_id"], identity["username"]) == (
        user_id,
        org_id,
        username,
    )
    assert identity["id"] == f"{sf_server.instance_url}/id/{org_id}/{user_id}"
    assert identity["display_name"]
    assert identity["urls"]["rest"] == f"{sf_server.instance_url}/services/data/v{{version}}/"


def test_version_parameter_fills_the_urls(sf: Salesforce, sf_server: RunningServer) -> None:
    url = sf.restful("")["identity"]
    identity = _get(url, sf_server, sf_server.access_token, version="62.0").json()
    assert identity["urls"]["sobjects"] == f"{sf_server.instance_url}/services/data/v62.0/sobjects/"


def test_userinfo_sub_is_the_identity_url_and_answers(sf_server: RunningServer) -> None:
    token = sf_server.access_token
    userinfo = _get(f"{sf_server.instance_url}/services/oauth2/userinfo", sf_server, token).json()
    response = _get(userinfo["sub"], sf_server, token)
    assert response.status_code == 200
    assert response.json()["user_id"] == userinfo["user_id"]


def test_identity_needs_a_valid_token(sf: Salesforce, sf_server: RunningServer) -> None:
    url = sf.restful("")["identity"]
    assert _get(url, sf_server, None).status_code == 403
    assert _get(url, sf_server, "00D000000000001AAA!AQ.not-issued").status_code == 403


def test_identity_of_an_unknown_user_is_not_found(sf: Salesforce, sf_server: RunningServer) -> None:
    org_id, _, _ = _ids(sf, sf_server)
    url = f"{sf_server.instance_url}/id/{org_id}/005000000000000AAA"
    assert _get(url, sf_server, sf_server.access_token).status_code == 404


def test_the_calls_jsforce_identity_makes(sf_server: RunningServer) -> None:
    # jsforce: GET {instanceUrl}/services/data/vXX.X (no trailing slash), then GET identity + ?format=json
    token = sf_server.access_token
    base = f"{sf_server.instance_url}/services/data/v{sf_server.api_version}"
    identity_url = _get(base, sf_server, token).json()["identity"]
    response = _get(identity_url, sf_server, token, format="json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["id"] == identity_url
