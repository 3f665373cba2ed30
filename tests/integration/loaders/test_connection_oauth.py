"""The three OAuth logins against the local org over HTTPS: a token from the emulator's connected
app, then simple-salesforce with it, as a real org would be reached without a connection file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from emulators.salesforce.http.server import RunningServer
from loaders.connection import (
    SalesforceConnection,
    SalesforceCredentials,
    TokenExchangeError,
    connect,
    exchange_token,
    resolve_connection,
)
from stames_sf.org_access import OrgUnreachableError, org_connection, read_from_org
from tests.fixtures.oauth import self_signed_certificate
from tests.fixtures.salesforce import admin_call


def _connected_app(server: RunningServer, **changes: object) -> dict:
    method = "POST" if changes else "GET"
    response = admin_call(server, method, "/__admin/connected-app", json=changes or None)
    assert response.status_code == 200, response.text
    return response.json()


def _organization_id(connection: SalesforceConnection) -> str:
    client = connect(connection)
    try:
        records = client.query("SELECT Id FROM Organization")["records"]
    finally:
        client.session.close()
    assert len(records) == 1
    return str(records[0]["Id"])


def _whoami(connection: SalesforceConnection) -> str:
    """The username the session runs as (the OpenID userinfo endpoint)."""
    client = connect(connection)
    try:
        response = client.session.get(
            f"{connection.instance_url}/services/oauth2/userinfo",
            headers={"Authorization": f"Bearer {connection.access_token}"},
            timeout=30,
        )
    finally:
        client.session.close()
    assert response.status_code == 200, response.text
    return str(response.json()["preferred_username"])


def _base(server: RunningServer, app: dict, grant: str, **fields: object) -> SalesforceCredentials:
    """Credentials for the emulator's connected app; `fields` add to or override the defaults."""
    values: dict[str, object] = {
        "grant_type": grant,
        "login_url": server.instance_url,
        "client_id": app["client_id"],
        "ca_file": str(server.ca_file),
        "api_version": server.api_version,
    }
    return SalesforceCredentials(**{**values, **fields})


def test_password_login_reaches_the_org(sf_server: RunningServer) -> None:
    app = _connected_app(sf_server)
    credentials = _base(
        sf_server,
        app,
        "password",
        client_secret=app["client_secret"],
        username=sf_server.connection.username,
        password=app["default_password"],
    )
    connection = exchange_token(credentials)
    assert connection.instance_url == sf_server.instance_url
    assert connection.ca_file == sf_server.ca_file and connection.api_version == sf_server.api_version
    assert connection.access_token != sf_server.access_token
    assert _organization_id(connection).startswith("00D")
    assert _whoami(connection) == sf_server.connection.username


def test_client_credentials_login_runs_as_the_apps_user(sf_server: RunningServer) -> None:
    app = _connected_app(sf_server, client_credentials_username=sf_server.connection.username)
    credentials = _base(sf_server, app, "client_credentials", client_secret=app["client_secret"])
    connection = exchange_token(credentials)
    assert _organization_id(connection).startswith("00D")
    assert _whoami(connection) == sf_server.connection.username


def test_jwt_bearer_login_with_the_uploaded_certificate(
    sf_server: RunningServer, rsa_key: rsa.RSAPrivateKey, rsa_key_pem: str, tmp_path: Path
) -> None:
    app = _connected_app(sf_server, jwt_certificate_pem=self_signed_certificate(rsa_key))
    credentials = _base(
        sf_server, app, "jwt_bearer", username=sf_server.connection.username, private_key=rsa_key_pem
    )
    assert credentials.audience() == sf_server.instance_url
    assert _organization_id(exchange_token(credentials)).startswith("00D")
    # A key file, and a sandbox's audience (https://test.salesforce.com), work the same.
    key_file = tmp_path / "server.key"
    key_file.write_text(rsa_key_pem, encoding="utf-8")
    sandbox = _base(
        sf_server,
        app,
        "jwt_bearer",
        username=sf_server.connection.username,
        private_key_file=str(key_file),
        is_sandbox=True,
    )
    assert sandbox.audience() == "https://test.salesforce.com"
    assert _whoami(exchange_token(sandbox)) == sf_server.connection.username


def test_an_expired_assertion_or_an_unknown_key_is_refused_in_one_line(
    sf_server: RunningServer, rsa_key: rsa.RSAPrivateKey, rsa_key_pem: str
) -> None:
    app = _connected_app(sf_server, jwt_certificate_pem=self_signed_certificate(rsa_key))
    credentials = _base(
        sf_server, app, "jwt_bearer", username=sf_server.connection.username, private_key=rsa_key_pem
    )
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    with pytest.raises(TokenExchangeError) as raised:
        exchange_token(credentials, now=long_ago)
    assert str(raised.value) == (
        f"Salesforce login at {sf_server.instance_url} (jwt_bearer) failed: "
        "HTTP 400 invalid_grant: expired authorization code"
    )
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other_pem = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    with pytest.raises(TokenExchangeError, match=r"HTTP 400 invalid_grant: invalid assertion$"):
        exchange_token(
            _base(sf_server, app, "jwt_bearer", username=sf_server.connection.username, private_key=other_pem)
        )


def test_a_wrong_password_or_secret_is_one_line_without_them(sf_server: RunningServer) -> None:
    app = _connected_app(sf_server)
    wrong_password = "WRONG-password-Zq81!"
    credentials = _base(
        sf_server,
        app,
        "password",
        client_secret=app["client_secret"],
        username=sf_server.connection.username,
        password=wrong_password,
    )
    with pytest.raises(TokenExchangeError) as raised:
        exchange_token(credentials)
    message = str(raised.value)
    assert message == (
        f"Salesforce login at {sf_server.instance_url} (password) failed: "
        "HTTP 400 invalid_grant: authentication failure"
    )
    assert wrong_password not in message and app["client_secret"] not in message
    wrong_secret = "WRONG-secret-0000"
    with pytest.raises(TokenExchangeError) as raised:
        exchange_token(_base(sf_server, app, "client_credentials", client_secret=wrong_secret))
    assert "HTTP 400 invalid_client: invalid client credentials" in str(raised.value)
    assert wrong_secret not in str(raised.value)


def test_an_untrusted_certificate_says_to_check_ca_file(
    sf_server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    app = _connected_app(sf_server)
    credentials = _base(
        sf_server, app, "client_credentials", client_secret=app["client_secret"], ca_file=None
    )
    with pytest.raises(
        TokenExchangeError, match=r"certificate is not trusted \(check salesforce\.credentials\.ca_file\)"
    ):
        exchange_token(credentials)


def test_environment_variables_route_without_a_connection_file(
    sf_server: RunningServer, dlt_project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app = _connected_app(sf_server, client_credentials_username=sf_server.connection.username)
    for key, value in {
        "GRANT_TYPE": "client_credentials",
        "LOGIN_URL": sf_server.instance_url,
        "CLIENT_ID": app["client_id"],
        "CLIENT_SECRET": app["client_secret"],
        "CA_FILE": str(sf_server.ca_file),
    }.items():
        monkeypatch.setenv(f"SALESFORCE__CREDENTIALS__{key}", value)
    absent = tmp_path / "no-org" / "connection.json"
    connection = resolve_connection(absent)
    assert _organization_id(connection).startswith("00D")
    # The stages' one way in, unchanged for callers: an absent file now means "log in".
    count = read_from_org(absent, lambda client: client.query("SELECT Id FROM Organization")["totalSize"])
    assert count == 1
    # Stages that speak HTTP themselves (the load) take the connection as it is.
    assert org_connection(absent).instance_url == sf_server.instance_url


def test_secrets_toml_route_with_a_jwt_key(
    sf_server: RunningServer, dlt_project: Path, rsa_key: rsa.RSAPrivateKey, rsa_key_pem: str, tmp_path: Path
) -> None:
    from dlt.common.configuration.container import Container
    from dlt.common.configuration.specs.pluggable_run_context import PluggableRunContext

    app = _connected_app(sf_server, jwt_certificate_pem=self_signed_certificate(rsa_key))
    (dlt_project / "secrets.toml").write_text(
        "[salesforce.credentials]\n"
        'grant_type = "jwt_bearer"\n'
        f'client_id = "{app["client_id"]}"\n'
        f'username = "{sf_server.connection.username}"\n'
        f'private_key = """{rsa_key_pem}"""\n',
        encoding="utf-8",
    )
    (dlt_project / "config.toml").write_text(
        "[salesforce.credentials]\n"
        f'login_url = "{sf_server.instance_url}"\n'
        f'ca_file = "{sf_server.ca_file}"\n',
        encoding="utf-8",
    )
    Container()[PluggableRunContext].reload_providers()
    name = read_from_org(
        tmp_path / "absent.json",
        lambda client: client.query("SELECT Name FROM Organization")["records"][0]["Name"],
    )
    assert name


def test_read_from_org_without_file_or_credentials_keeps_its_message(
    dlt_project: Path, tmp_path: Path
) -> None:
    absent = tmp_path / "absent.json"
    with pytest.raises(OrgUnreachableError) as raised:
        read_from_org(absent, lambda client: None)
    message = str(raised.value)
    assert message.startswith(f"No Salesforce connection file at {absent}: start the local org")
    assert "pass --connection FILE" in message and "[salesforce.credentials]" in message


def test_read_from_org_turns_a_refused_login_into_one_line(
    sf_server: RunningServer, dlt_project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app = _connected_app(sf_server)
    wrong_password = "WRONG-password-Zq81!"
    for key, value in {
        "GRANT_TYPE": "password",
        "LOGIN_URL": sf_server.instance_url,
        "CLIENT_ID": app["client_id"],
        "CLIENT_SECRET": app["client_secret"],
        "USERNAME": sf_server.connection.username,
        "PASSWORD": wrong_password,
        "CA_FILE": str(sf_server.ca_file),
    }.items():
        monkeypatch.setenv(f"SALESFORCE__CREDENTIALS__{key}", value)
    with pytest.raises(OrgUnreachableError) as raised:
        read_from_org(tmp_path / "absent.json", lambda client: None)
    message = str(raised.value)
    assert "\n" not in message and "HTTP 400 invalid_grant: authentication failure" in message
    assert wrong_password not in message and app["client_secret"] not in message
    monkeypatch.delenv("SALESFORCE__CREDENTIALS__PASSWORD")
    with pytest.raises(
        OrgUnreachableError, match=r"missing salesforce\.credentials\.password for grant_type password"
    ):
        read_from_org(tmp_path / "absent.json", lambda client: None)
