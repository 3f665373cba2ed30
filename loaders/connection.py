"""How every stage reaches Salesforce: simple-salesforce over HTTPS, from a connection file or from
OAuth credentials in dlt's config.

The connection file has the shape the local org emulator writes (`connection.json`: instance_url,
access_token, api_version, and ca_file when the org's certificate is signed by a private CA), so a
real org is reached by writing the same four keys, with no code change.

Without a connection file, `[salesforce.credentials]` is read through dlt's providers
(`SALESFORCE__CREDENTIALS__<KEY>` environment variables, then `.dlt/secrets.toml`, then
`.dlt/config.toml`) and exchanged at `<login_url>/services/oauth2/token` for a session with one
of three OAuth grants: `jwt_bearer`, `client_credentials` or `password`. The result is the same
`SalesforceConnection`, so nothing downstream changes.

Access tokens, client secrets, passwords and private keys never appear in a repr, a str or an
error message: errors name the missing or wrong KEY, never its value.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, get_type_hints
from urllib.parse import urlsplit

import requests
from simple_salesforce import Salesforce

DEFAULT_API_VERSION = "62.0"

CONFIG_SECTION = "salesforce"
"""Credentials live at `salesforce.credentials.<key>` (env `SALESFORCE__CREDENTIALS__<KEY>`)."""
PRODUCTION_LOGIN_URL = "https://login.salesforce.com"
SANDBOX_LOGIN_URL = "https://test.salesforce.com"
GRANT_TYPES = ("jwt_bearer", "client_credentials", "password")
OAUTH_GRANTS = {
    "jwt_bearer": "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "client_credentials": "client_credentials",
    "password": "password",
}
IDENTIFYING_KEYS = (
    "grant_type",
    "client_id",
    "client_secret",
    "username",
    "password",
    "private_key",
    "private_key_file",
)
"""Any of these set means an OAuth login is meant (api_version, ca_file, login_url alone do not)."""
JWT_LIFETIME = timedelta(minutes=3)
"""Salesforce documents `exp` as within 3 minutes of the request."""
TOKEN_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class SalesforceConnection:
    """Where the org is and the session to use (the token is left out of the repr)."""

    instance_url: str
    access_token: str = field(repr=False)
    api_version: str = DEFAULT_API_VERSION
    ca_file: Path | None = None

    @classmethod
    def from_file(cls, path: Path) -> SalesforceConnection:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        ca_file = data.get("ca_file")
        return cls(
            instance_url=data["instance_url"],
            access_token=data["access_token"],
            api_version=str(data.get("api_version") or DEFAULT_API_VERSION),
            ca_file=Path(ca_file) if ca_file else None,
        )


UNAVAILABLE_STATUS = (502, 503, 504)


def http_session(ca_file: Path | None, *, retry_unavailable: bool = False) -> requests.Session:
    """A session that trusts `ca_file` when given. `trust_env` is off because REQUESTS_CA_BUNDLE
    would otherwise override `verify`. With `retry_unavailable`, a 502/503/504 is sent again with
    backoff (simple-salesforce retries nothing); the loader has its own retries and leaves it off."""
    session = requests.Session()
    if ca_file is not None:
        session.trust_env = False
        session.verify = str(ca_file)
    if retry_unavailable:
        from requests.adapters import HTTPAdapter
        from urllib3.util.retry import Retry

        retry = Retry(
            total=6,
            backoff_factor=0.2,
            status_forcelist=UNAVAILABLE_STATUS,
            allowed_methods=None,
            raise_on_status=False,
        )
        session.mount("https://", HTTPAdapter(max_retries=retry))
        session.mount("http://", HTTPAdapter(max_retries=retry))
    return session


def connect(connection: SalesforceConnection) -> Salesforce:
    """A simple-salesforce client for `connection`."""
    return Salesforce(
        instance_url=connection.instance_url,
        session_id=connection.access_token,
        version=connection.api_version,
        session=http_session(connection.ca_file, retry_unavailable=True),
    )


# --- OAuth credentials ------------------------------------------------------------------------


class SalesforceAuthError(Exception):
    """No session could be had; the message is one line and holds no secret."""


class CredentialsError(SalesforceAuthError):
    """`[salesforce.credentials]` is incomplete or wrong; the message names the key, not its value."""


class TokenExchangeError(SalesforceAuthError):
    """The token endpoint refused or could not be reached; the message is one line with the HTTP
    status and Salesforce's `error` / `error_description`, never the request."""


class NoConnectionError(SalesforceAuthError):
    """Neither a connection file nor `[salesforce.credentials]`."""


def _key(name: str) -> str:
    return f"{CONFIG_SECTION}.credentials.{name}"


def _env(name: str) -> str:
    return f"{CONFIG_SECTION}__credentials__{name}".upper()


_SECRET = {"secret": True}


@dataclass(frozen=True)
class SalesforceCredentials:
    """OAuth settings of a connected app, as `[salesforce.credentials]` holds them (`load_credentials`).

    Which keys are needed depends on `grant_type` (`missing_keys`); every field is optional to dlt
    so that this module, not dlt, says which one is missing. Secret fields are left out of the repr
    and are typed as secrets for dlt (which then reads them from secret providers only)."""

    grant_type: str | None = None
    """`jwt_bearer`, `client_credentials` or `password`."""
    login_url: str | None = None
    """Where to get the token: https://login.salesforce.com, https://test.salesforce.com (sandbox),
    the org's My Domain (needed for `client_credentials`), or the emulator's instance URL. Default:
    the production or sandbox login URL, after `is_sandbox`."""
    is_sandbox: bool | None = None
    """A sandbox org: the default login URL and the JWT audience become https://test.salesforce.com."""
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False, metadata=_SECRET)
    username: str | None = None
    password: str | None = field(default=None, repr=False, metadata=_SECRET)
    """For `password`: the password, with the security token appended when the org asks for one."""
    private_key: str | None = field(default=None, repr=False, metadata=_SECRET)
    """For `jwt_bearer`: the PEM text of the RSA key whose certificate the connected app holds."""
    private_key_file: str | None = None
    """For `jwt_bearer`: a PEM file instead of `private_key`."""
    jwt_audience: str | None = None
    """Overrides the JWT `aud` (default: after `login_url` and `is_sandbox`, see `audience`)."""
    api_version: str | None = None
    ca_file: str | None = None
    """A CA bundle to trust for the login and instance URLs (the emulator's CA)."""

    def is_configured(self) -> bool:
        """Whether anything identifying a login is set (api_version or ca_file alone are not)."""
        return any(getattr(self, name) for name in IDENTIFYING_KEYS)

    def missing_keys(self) -> list[str]:
        """The required keys (field names) without a value, for `grant_type`."""
        if not self.grant_type:
            return ["grant_type"]
        required = {
            "jwt_bearer": ["client_id", "username"],
            "client_credentials": ["client_id", "client_secret"],
            "password": ["client_id", "client_secret", "username", "password"],
        }.get(self.grant_type, [])
        missing = [name for name in required if not getattr(self, name)]
        if self.grant_type == "jwt_bearer" and not (self.private_key or self.private_key_file):
            missing.append("private_key")
        return missing

    def check(self) -> None:
        """Raise `CredentialsError` (one line, keys only) unless a token can be asked for."""
        if self.grant_type and self.grant_type not in GRANT_TYPES:
            raise CredentialsError(
                f"Salesforce credentials: {_key('grant_type')} must be one of {', '.join(GRANT_TYPES)}."
            )
        missing = self.missing_keys()
        if missing:
            names = ", ".join(
                _key(name) + (" (or private_key_file)" if name == "private_key" else "") for name in missing
            )
            raise CredentialsError(
                f"Salesforce credentials: missing {names} for grant_type {self.grant_type or '(unset)'}; "
                f"set [salesforce.credentials] in .dlt/secrets.toml or {_env(missing[0])}."
            )
        login = urlsplit(self.token_base_url())
        if login.scheme not in ("https", "http") or not login.hostname:
            raise CredentialsError(
                f"Salesforce credentials: {_key('login_url')} must be an https:// URL "
                "(https://login.salesforce.com, https://test.salesforce.com or the org's My Domain)."
            )

    def token_base_url(self) -> str:
        """The login URL the token is asked from, without a trailing slash."""
        if self.login_url:
            return self.login_url.strip().rstrip("/")
        return SANDBOX_LOGIN_URL if self.is_sandbox else PRODUCTION_LOGIN_URL

    def audience(self) -> str:
        """The JWT `aud`: Salesforce wants its login server, not the My Domain, for production
        (https://login.salesforce.com) and sandboxes (https://test.salesforce.com); any other host
        (an Experience Cloud site, the emulator) is its own audience."""
        if self.jwt_audience:
            return self.jwt_audience.strip().rstrip("/")
        base = self.token_base_url()
        host = (urlsplit(base).hostname or "").lower()
        sandbox_hosts = (".sandbox.my.salesforce.com", ".scratch.my.salesforce.com")
        if self.is_sandbox or host == "test.salesforce.com" or host.endswith(sandbox_hosts):
            return SANDBOX_LOGIN_URL
        if host == "login.salesforce.com" or host.endswith(".my.salesforce.com"):
            return PRODUCTION_LOGIN_URL
        return base

    def secret_values(self) -> list[str]:
        """Every secret this configuration holds, to keep out of messages."""
        values = [self.client_secret, self.password, self.private_key]
        return [str(value) for value in values if value]


@functools.cache
def credentials_spec() -> type:
    """The dlt configspec of `SalesforceCredentials` (same fields; secret ones typed
    `TSecretStrValue`), built on first use so importing this module does not import dlt."""
    from dlt.common.configuration import configspec
    from dlt.common.configuration.specs import CredentialsConfiguration
    from dlt.common.typing import TSecretStrValue

    hints = get_type_hints(SalesforceCredentials)
    annotations: dict[str, Any] = {}
    for item in dataclasses.fields(SalesforceCredentials):
        inner = TSecretStrValue if item.metadata.get("secret") else hints[item.name]
        annotations[item.name] = inner | None
    namespace = {"__module__": __name__, "__annotations__": annotations, **dict.fromkeys(annotations)}
    return configspec(type("SalesforceCredentialsConfiguration", (CredentialsConfiguration,), namespace))


def load_credentials() -> SalesforceCredentials:
    """`[salesforce.credentials]` from dlt's providers: env, `.dlt/secrets.toml`, `.dlt/config.toml`.
    Unset keys stay None; nothing is checked here (see `SalesforceCredentials.check`)."""
    from dlt.common.configuration import resolve_configuration
    from dlt.common.configuration.exceptions import (
        ConfigurationException,
        ConfigValueCannotBeCoercedException,
    )

    try:
        resolved = resolve_configuration(credentials_spec()(), sections=(CONFIG_SECTION,))
    except ConfigValueCannotBeCoercedException as error:
        raise CredentialsError(
            f"Salesforce credentials: {_key(error.field_name)} has a value of the wrong type."
        ) from None
    except ConfigurationException as error:
        raise CredentialsError(
            f"Salesforce credentials could not be read from the dlt config ({type(error).__name__})."
        ) from None
    values = {item.name: resolved[item.name] for item in dataclasses.fields(SalesforceCredentials)}
    return SalesforceCredentials(**values)


def _private_key(credentials: SalesforceCredentials) -> Any:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    if credentials.private_key:
        text, source = str(credentials.private_key), _key("private_key")
        if "\\n" in text and "\n" not in text.strip():
            text = text.replace("\\n", "\n")  # a PEM squeezed into one environment variable
    else:
        path = Path(str(credentials.private_key_file)).expanduser()
        source = f"{_key('private_key_file')} ({path})"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise CredentialsError(f"Salesforce credentials: cannot read {source}.") from None
    try:
        key = load_pem_private_key(text.strip().encode(), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        key = None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise CredentialsError(f"Salesforce credentials: {source} is not an unencrypted PEM RSA private key.")
    return key


def jwt_assertion(credentials: SalesforceCredentials, now: datetime) -> str:
    """The RS256 JWT-bearer assertion: iss = client_id, sub = username, aud = `audience()`,
    exp = `now` (timezone-aware) + 3 minutes."""
    import jwt

    claims = {
        "iss": credentials.client_id,
        "sub": credentials.username,
        "aud": credentials.audience(),
        "exp": int((now + JWT_LIFETIME).timestamp()),
    }
    return jwt.encode(claims, _private_key(credentials), algorithm="RS256")


def token_form(credentials: SalesforceCredentials, now: datetime) -> dict[str, str]:
    """The form POSTed to the token endpoint for the credentials' grant (checked first)."""
    credentials.check()
    grant = str(credentials.grant_type)
    form = {"grant_type": OAUTH_GRANTS[grant]}
    if grant == "jwt_bearer":
        form["assertion"] = jwt_assertion(credentials, now)
    else:
        form["client_id"] = str(credentials.client_id)
        form["client_secret"] = str(credentials.client_secret)
    if grant == "password":
        form["username"] = str(credentials.username)
        form["password"] = str(credentials.password)
    return form


def _one_line(text: str, secrets: list[str], limit: int = 300) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _refusal(response: requests.Response, secrets: list[str]) -> str:
    try:
        body = response.json()
    except ValueError:
        body = None
    status = f"HTTP {response.status_code}"
    if isinstance(body, dict) and (body.get("error") or body.get("error_description")):
        said = f"{body.get('error') or ''}: {body.get('error_description') or ''}".strip(": ")
        return _one_line(f"{status} {said}", secrets)
    return _one_line(f"{status} {response.reason or ''}".strip(), secrets)


def exchange_token(
    credentials: SalesforceCredentials,
    *,
    now: datetime | None = None,
    session: requests.Session | None = None,
) -> SalesforceConnection:
    """A session from `<login_url>/services/oauth2/token` for the configured grant. Raises
    `CredentialsError` or `TokenExchangeError`, one line each, without any secret."""
    moment = now or datetime.now(UTC)
    form = token_form(credentials, moment)
    secrets = [*credentials.secret_values(), *([form["assertion"]] if "assertion" in form else [])]
    base = credentials.token_base_url()
    where = f"Salesforce login at {base} ({credentials.grant_type}) failed"
    ca_file = Path(credentials.ca_file).expanduser() if credentials.ca_file else None
    http = session or http_session(ca_file)
    try:
        response = http.post(
            f"{base}/services/oauth2/token",
            data=form,
            headers={"Accept": "application/json"},
            timeout=TOKEN_TIMEOUT_SECONDS,
        )
    except requests.exceptions.SSLError:
        raise TokenExchangeError(
            f"{where}: its certificate is not trusted (check {_key('ca_file')})."
        ) from None
    except requests.exceptions.Timeout:
        raise TokenExchangeError(f"{where}: no answer within {TOKEN_TIMEOUT_SECONDS} s.") from None
    except requests.ConnectionError:
        raise TokenExchangeError(f"{where}: nothing answers there (check {_key('login_url')}).") from None
    except requests.RequestException as error:
        raise TokenExchangeError(f"{where}: {type(error).__name__}.") from None
    finally:
        if session is None:
            http.close()
    if response.status_code != 200:
        raise TokenExchangeError(f"{where}: {_refusal(response, secrets)}")
    try:
        body = response.json()
        instance_url, access_token = str(body["instance_url"]), str(body["access_token"])
    except (ValueError, KeyError, TypeError):
        raise TokenExchangeError(
            f"{where}: HTTP 200 without an access_token and instance_url in JSON."
        ) from None
    return SalesforceConnection(
        instance_url=instance_url.rstrip("/"),
        access_token=access_token,
        api_version=str(credentials.api_version or DEFAULT_API_VERSION),
        ca_file=ca_file,
    )


def resolve_connection(
    connection_file: Path | None,
    *,
    credentials: SalesforceCredentials | None = None,
    now: datetime | None = None,
) -> SalesforceConnection:
    """The connection file when it exists; otherwise `credentials` (default: `[salesforce.credentials]`
    from dlt's config) exchanged for a session. Raises `NoConnectionError` when there is neither, or
    `CredentialsError` / `TokenExchangeError`; a malformed connection file raises as `from_file` does."""
    if connection_file is not None and Path(connection_file).is_file():
        return SalesforceConnection.from_file(Path(connection_file))
    configured = credentials if credentials is not None else load_credentials()
    if not configured.is_configured():
        where = (
            f"No Salesforce connection file at {connection_file}" if connection_file else "No connection file"
        )
        raise NoConnectionError(
            f"{where} and no [salesforce.credentials] in the dlt config "
            f"(.dlt/secrets.toml or {_env('<KEY>')}): pass --connection FILE or configure an OAuth login."
        )
    return exchange_token(configured, now=now)
