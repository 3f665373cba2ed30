"""OAuth credentials for a real org, checked on hand-written inputs: which key is missing, what the
token request holds, and that no token, secret, password or key reaches a repr or a message."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

import loaders.connection as connection_module
from loaders.connection import (
    CredentialsError,
    NoConnectionError,
    SalesforceConnection,
    SalesforceCredentials,
    TokenExchangeError,
    exchange_token,
    load_credentials,
    resolve_connection,
    token_form,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SECRET = "SECRET-client-0123456789abcdef"
PASSWORD = "PASSWORD-hunter2-token-XYZ"
TOKEN = "00DTOKEN!AQ.secret-access-token"


def password_credentials(**changes: object) -> SalesforceCredentials:
    base = SalesforceCredentials(
        grant_type="password",
        login_url="https://login.salesforce.com",
        client_id="3MVG9clientid",
        client_secret=SECRET,
        username="integration@example.com",
        password=PASSWORD,
    )
    return replace(base, **changes)


def jwt_credentials(rsa_key_pem: str, **changes: object) -> SalesforceCredentials:
    base = SalesforceCredentials(
        grant_type="jwt_bearer",
        login_url="https://login.salesforce.com",
        client_id="3MVG9clientid",
        username="integration@example.com",
        private_key=rsa_key_pem,
    )
    return replace(base, **changes)


def _message(error: pytest.ExceptionInfo[BaseException]) -> str:
    text = str(error.value)
    assert "\n" not in text, text
    return text


# --- which key is missing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("credentials", "missing"),
    [
        (SalesforceCredentials(client_id="x"), ["salesforce.credentials.grant_type"]),
        (
            SalesforceCredentials(grant_type="password", client_id="x", client_secret=SECRET),
            ["salesforce.credentials.username", "salesforce.credentials.password"],
        ),
        (
            SalesforceCredentials(grant_type="client_credentials", client_id="x"),
            ["salesforce.credentials.client_secret"],
        ),
        (
            SalesforceCredentials(grant_type="jwt_bearer", username="u@example.com"),
            ["salesforce.credentials.client_id", "salesforce.credentials.private_key (or private_key_file)"],
        ),
    ],
)
def test_a_missing_key_is_named_in_one_line(credentials: SalesforceCredentials, missing: list[str]) -> None:
    with pytest.raises(CredentialsError) as raised:
        credentials.check()
    message = _message(raised)
    assert f"missing {', '.join(missing)} for grant_type" in message
    assert SECRET not in message


def test_an_unknown_grant_type_lists_the_known_ones_not_the_value() -> None:
    with pytest.raises(CredentialsError) as raised:
        password_credentials(grant_type="hunter2-by-mistake").check()
    message = _message(raised)
    assert (
        "salesforce.credentials.grant_type must be one of jwt_bearer, client_credentials, password" in message
    )
    assert "hunter2" not in message


def test_a_login_url_must_be_a_url() -> None:
    with pytest.raises(CredentialsError, match=r"salesforce\.credentials\.login_url must be an https:// URL"):
        password_credentials(login_url="login.salesforce.com").check()


def test_complete_credentials_pass_and_only_identifying_keys_mean_configured(rsa_key_pem: str) -> None:
    password_credentials().check()
    jwt_credentials(rsa_key_pem).check()
    SalesforceCredentials(grant_type="client_credentials", client_id="x", client_secret=SECRET).check()
    assert not SalesforceCredentials().is_configured()
    assert not SalesforceCredentials(api_version="61.0", ca_file="ca.pem", is_sandbox=True).is_configured()
    assert SalesforceCredentials(private_key_file="k.pem").is_configured()


# --- nothing secret in a repr ------------------------------------------------------------------


def test_reprs_hide_the_token_and_the_secrets(rsa_key_pem: str) -> None:
    connection = SalesforceConnection("https://org.example", TOKEN, "62.0", Path("/ca.pem"))
    assert TOKEN not in repr(connection) and TOKEN not in str(connection)
    assert "https://org.example" in repr(connection)
    credentials = replace(password_credentials(), private_key=rsa_key_pem)
    for shown in (repr(credentials), str(credentials)):
        assert SECRET not in shown and PASSWORD not in shown and "PRIVATE KEY" not in shown
        assert "integration@example.com" in shown


# --- what is sent ------------------------------------------------------------------------------


def test_password_and_client_credentials_forms() -> None:
    assert token_form(password_credentials(), NOW) == {
        "grant_type": "password",
        "client_id": "3MVG9clientid",
        "client_secret": SECRET,
        "username": "integration@example.com",
        "password": PASSWORD,
    }
    client = SalesforceCredentials(grant_type="client_credentials", client_id="id", client_secret=SECRET)
    assert token_form(client, NOW) == {
        "grant_type": "client_credentials",
        "client_id": "id",
        "client_secret": SECRET,
    }


def test_the_jwt_assertion_is_rs256_with_the_salesforce_claims(
    rsa_key: rsa.RSAPrivateKey, rsa_key_pem: str
) -> None:
    form = token_form(jwt_credentials(rsa_key_pem), NOW)
    assert form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    assert set(form) == {"grant_type", "assertion"}
    assert jwt.get_unverified_header(form["assertion"])["alg"] == "RS256"
    claims = jwt.decode(
        form["assertion"],
        rsa_key.public_key(),
        algorithms=["RS256"],
        audience="https://login.salesforce.com",
        options={"verify_exp": False},
    )
    assert claims == {
        "iss": "3MVG9clientid",
        "sub": "integration@example.com",
        "aud": "https://login.salesforce.com",
        "exp": int((NOW + timedelta(minutes=3)).timestamp()),
    }


@pytest.mark.parametrize(
    ("changes", "audience"),
    [
        ({"login_url": "https://login.salesforce.com/"}, "https://login.salesforce.com"),
        ({"login_url": "https://test.salesforce.com"}, "https://test.salesforce.com"),
        ({"login_url": None, "is_sandbox": True}, "https://test.salesforce.com"),
        ({"login_url": "https://acme.my.salesforce.com"}, "https://login.salesforce.com"),
        ({"login_url": "https://acme.my.salesforce.com", "is_sandbox": True}, "https://test.salesforce.com"),
        ({"login_url": "https://acme--dev.sandbox.my.salesforce.com"}, "https://test.salesforce.com"),
        ({"login_url": "https://localhost:8443"}, "https://localhost:8443"),
        ({"jwt_audience": "https://acme.my.site.com/customers"}, "https://acme.my.site.com/customers"),
    ],
)
def test_the_audience_follows_production_sandbox_or_the_host(
    rsa_key_pem: str, changes: dict[str, object], audience: str
) -> None:
    assert jwt_credentials(rsa_key_pem, **changes).audience() == audience


def test_the_default_login_url_is_production_or_sandbox() -> None:
    assert SalesforceCredentials().token_base_url() == "https://login.salesforce.com"
    assert SalesforceCredentials(is_sandbox=True).token_base_url() == "https://test.salesforce.com"


def test_a_pem_squeezed_into_one_line_with_escaped_newlines_is_read(
    rsa_key: rsa.RSAPrivateKey, rsa_key_pem: str
) -> None:
    form = token_form(jwt_credentials(rsa_key_pem.replace("\n", "\\n")), NOW)
    jwt.decode(
        form["assertion"],
        rsa_key.public_key(),
        algorithms=["RS256"],
        options={"verify_aud": False, "verify_exp": False},
    )


def test_a_bad_private_key_is_named_without_its_content(tmp_path: Path) -> None:
    # Built from parts so no tracked line looks like a PEM header; the body is not base64 of a key.
    armour, kind = "-" * 5, " ".join(("PRIVATE", "KEY"))
    broken = f"{armour}BEGIN {kind}{armour}\nNOT-A-KEY-bXlzZWNyZXQ=\n{armour}END {kind}{armour}"
    with pytest.raises(CredentialsError) as raised:
        token_form(jwt_credentials(broken), NOW)
    message = _message(raised)
    assert "salesforce.credentials.private_key is not an unencrypted PEM RSA private key" in message
    assert "NOT-A-KEY" not in message
    absent = tmp_path / "absent.key"
    with pytest.raises(CredentialsError, match=r"cannot read salesforce\.credentials\.private_key_file"):
        token_form(jwt_credentials("", private_key=None, private_key_file=str(absent)), NOW)


def test_a_private_key_file_is_read(tmp_path: Path, rsa_key: rsa.RSAPrivateKey, rsa_key_pem: str) -> None:
    key_file = tmp_path / "server.key"
    key_file.write_text(rsa_key_pem, encoding="utf-8")
    form = token_form(jwt_credentials(rsa_key_pem, private_key=None, private_key_file=str(key_file)), NOW)
    assert (
        jwt.decode(
            form["assertion"],
            rsa_key.public_key(),
            algorithms=["RS256"],
            options={"verify_aud": False, "verify_exp": False},
        )["sub"]
        == "integration@example.com"
    )


# --- the answer --------------------------------------------------------------------------------


class _Session:
    """Stands in for requests.Session: records the POST, answers `response` or raises `error`."""

    def __init__(self, response: requests.Response | None = None, error: Exception | None = None) -> None:
        self.response, self.error = response, error
        self.posted: list[tuple[str, dict[str, str]]] = []

    def post(self, url: str, data: dict[str, str], **_: object) -> requests.Response:
        self.posted.append((url, data))
        if self.error is not None:
            raise self.error
        assert self.response is not None
        return self.response


def _response(status: int, body: object, reason: str = "") -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.reason = reason
    response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return response


def test_a_granted_token_becomes_a_connection() -> None:
    body = {"access_token": TOKEN, "instance_url": "https://acme.my.salesforce.com/", "token_type": "Bearer"}
    session = _Session(_response(200, body))
    credentials = password_credentials(api_version="61.0", ca_file="/etc/ca.pem")
    connection = exchange_token(credentials, now=NOW, session=session)
    assert connection == SalesforceConnection(
        "https://acme.my.salesforce.com", TOKEN, "61.0", Path("/etc/ca.pem")
    )
    assert session.posted[0][0] == "https://login.salesforce.com/services/oauth2/token"


def test_a_refusal_is_one_line_with_status_and_salesforce_error_and_no_secret() -> None:
    echoed = {
        "error": "invalid_grant",
        "error_description": f"authentication failure\nfor {PASSWORD} / {SECRET}",
    }
    with pytest.raises(TokenExchangeError) as raised:
        exchange_token(password_credentials(), now=NOW, session=_Session(_response(400, echoed)))
    message = _message(raised)
    assert message.startswith("Salesforce login at https://login.salesforce.com (password) failed: HTTP 400 ")
    assert "invalid_grant: authentication failure" in message
    assert PASSWORD not in message and SECRET not in message


def test_a_refusal_without_json_gives_the_status_only() -> None:
    page = b"<html>\n<body>Down for maintenance " + SECRET.encode() + b"</body></html>"
    with pytest.raises(TokenExchangeError) as raised:
        exchange_token(
            password_credentials(),
            now=NOW,
            session=_Session(_response(503, page, "Service Unavailable")),
        )
    assert _message(raised).endswith("failed: HTTP 503 Service Unavailable")


def test_an_answer_without_a_token_or_an_unreachable_login_is_one_line() -> None:
    with pytest.raises(TokenExchangeError, match="HTTP 200 without an access_token"):
        exchange_token(password_credentials(), now=NOW, session=_Session(_response(200, {"id": "x"})))
    refused = requests.ConnectionError(f"connection refused while sending password={PASSWORD}")
    with pytest.raises(TokenExchangeError) as raised:
        exchange_token(password_credentials(), now=NOW, session=_Session(error=refused))
    message = _message(raised)
    assert "nothing answers there (check salesforce.credentials.login_url)" in message
    assert PASSWORD not in message


def test_the_jwt_assertion_itself_never_reaches_a_message(rsa_key_pem: str) -> None:
    session = _Session()

    def echo(url: str, data: dict[str, str], **_: object) -> requests.Response:
        session.posted.append((url, data))
        return _response(400, {"error": "invalid_grant", "error_description": f"bad {data['assertion']}"})

    session.post = echo
    with pytest.raises(TokenExchangeError) as raised:
        exchange_token(jwt_credentials(rsa_key_pem), now=NOW, session=session)
    assert session.posted[0][1]["assertion"] not in str(raised.value)
    assert "bad ***" in str(raised.value)


# --- where the credentials come from -----------------------------------------------------------


def test_credentials_come_from_the_environment(dlt_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SALESFORCE__CREDENTIALS__GRANT_TYPE", "password")
    monkeypatch.setenv("SALESFORCE__CREDENTIALS__CLIENT_ID", "3MVG9env")
    monkeypatch.setenv("SALESFORCE__CREDENTIALS__CLIENT_SECRET", SECRET)
    monkeypatch.setenv("SALESFORCE__CREDENTIALS__IS_SANDBOX", "true")
    credentials = load_credentials()
    assert (credentials.grant_type, credentials.client_id, credentials.client_secret) == (
        "password",
        "3MVG9env",
        SECRET,
    )
    assert credentials.is_sandbox is True
    assert credentials.token_base_url() == "https://test.salesforce.com"
    assert credentials.username is None


def test_credentials_come_from_secrets_toml_and_config_toml_and_the_environment_wins(
    dlt_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dlt.common.configuration.container import Container
    from dlt.common.configuration.specs.pluggable_run_context import PluggableRunContext

    (dlt_project / "secrets.toml").write_text(
        "[salesforce.credentials]\n"
        'grant_type = "client_credentials"\n'
        'client_id = "3MVG9toml"\n'
        f'client_secret = "{SECRET}"\n',
        encoding="utf-8",
    )
    (dlt_project / "config.toml").write_text(
        '[salesforce.credentials]\nlogin_url = "https://acme.my.salesforce.com"\napi_version = "61.0"\n',
        encoding="utf-8",
    )
    Container()[PluggableRunContext].reload_providers()
    credentials = load_credentials()
    assert (credentials.grant_type, credentials.client_id, credentials.client_secret) == (
        "client_credentials",
        "3MVG9toml",
        SECRET,
    )
    assert (credentials.login_url, credentials.api_version) == ("https://acme.my.salesforce.com", "61.0")
    monkeypatch.setenv("SALESFORCE__CREDENTIALS__CLIENT_ID", "3MVG9env")
    assert load_credentials().client_id == "3MVG9env"


def test_a_value_of_the_wrong_type_names_the_key_only(
    dlt_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SALESFORCE__CREDENTIALS__IS_SANDBOX", "perhaps-SECRET")
    with pytest.raises(CredentialsError) as raised:
        load_credentials()
    message = _message(raised)
    assert "salesforce.credentials.is_sandbox has a value of the wrong type" in message
    assert "SECRET" not in message


def test_a_connection_file_wins_over_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    connection_file = tmp_path / "connection.json"
    connection_file.write_text(json.dumps({"instance_url": "https://org.example", "access_token": TOKEN}))

    def never(*_: object, **__: object) -> SalesforceConnection:
        raise AssertionError("no token exchange when the connection file exists")

    monkeypatch.setattr(connection_module, "exchange_token", never)
    connection = resolve_connection(connection_file, credentials=password_credentials())
    assert connection == SalesforceConnection("https://org.example", TOKEN)


def test_without_a_file_the_credentials_are_exchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[SalesforceCredentials, datetime | None]] = []

    def exchange(credentials: SalesforceCredentials, *, now: datetime | None = None) -> SalesforceConnection:
        seen.append((credentials, now))
        return SalesforceConnection("https://acme.my.salesforce.com", TOKEN)

    monkeypatch.setattr(connection_module, "exchange_token", exchange)
    connection = resolve_connection(tmp_path / "absent.json", credentials=password_credentials(), now=NOW)
    assert connection.instance_url == "https://acme.my.salesforce.com"
    assert seen == [(password_credentials(), NOW)]


def test_neither_a_file_nor_credentials_is_one_line(dlt_project: Path, tmp_path: Path) -> None:
    absent = tmp_path / "absent.json"
    with pytest.raises(NoConnectionError) as raised:
        resolve_connection(absent)
    message = _message(raised)
    assert f"No Salesforce connection file at {absent} and no [salesforce.credentials]" in message
    assert "SALESFORCE__CREDENTIALS__<KEY>" in message


def test_importing_the_module_does_not_import_dlt() -> None:
    import subprocess
    import sys

    probe = "import sys, loaders.connection; print('dlt' in sys.modules)"
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "False"
