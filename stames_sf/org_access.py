"""One way for a stage to read the target org: open the connection file (or, when there is none,
log in with `[salesforce.credentials]` from the dlt config), run one read, close; whatever goes
wrong is one line saying what to do (`OrgUnreachableError`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from simple_salesforce import Salesforce

if TYPE_CHECKING:
    from loaders.connection import SalesforceConnection
    from loaders.load.http import Clock, OrgHttp

Read = TypeVar("Read")


class OrgUnreachableError(Exception):
    """The target org could not be read; the message is one line."""


def org_connection(connection_file: Path) -> SalesforceConnection:
    """The connection of `connection_file`, or, when that file does not exist, a session from an
    OAuth login with `[salesforce.credentials]` (dlt config); any failure is `OrgUnreachableError`.
    For stages that talk HTTP themselves; a credentials login runs once per call."""
    from loaders.connection import (
        NoConnectionError,
        SalesforceAuthError,
        SalesforceConnection,
        resolve_connection,
    )

    if connection_file.is_file():
        try:
            return SalesforceConnection.from_file(connection_file)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise OrgUnreachableError(
                f"{connection_file} is not a connection file (needs instance_url and access_token; "
                f"optional api_version, ca_file): {type(error).__name__}: {error}"
            ) from None
    try:
        return resolve_connection(connection_file)
    except NoConnectionError:
        raise OrgUnreachableError(
            f"No Salesforce connection file at {connection_file}: start the local org "
            "(`stames-sf salesforce serve`) or pass --connection FILE "
            "(instance_url, access_token, api_version, ca_file), or set [salesforce.credentials] "
            "in .dlt/secrets.toml."
        ) from None
    except SalesforceAuthError as error:
        raise OrgUnreachableError(str(error)) from None


def read_from_org(connection_file: Path, read: Callable[[Salesforce], Read]) -> Read:
    """`read(client)` on the org of `connection_file` (absent: of `[salesforce.credentials]`), the
    session closed after."""
    import requests
    from simple_salesforce.exceptions import SalesforceError, SalesforceExpiredSession

    from loaders.connection import connect

    from_file = connection_file.is_file()
    connection = org_connection(connection_file)
    where = f"Cannot read the org at {connection.instance_url}"
    try:
        client = connect(connection)
        try:
            return read(client)
        finally:
            client.session.close()
    except SalesforceExpiredSession:
        reason = (
            f"the session in {connection_file} is expired or invalid: renew its access_token."
            if from_file
            else "the session from [salesforce.credentials] was refused: check the integration user."
        )
        raise OrgUnreachableError(f"{where}: {reason}") from None
    except requests.exceptions.SSLError:
        where_ca = connection_file if from_file else "[salesforce.credentials]"
        reason = f"its certificate is not trusted: check ca_file in {where_ca}."
        raise OrgUnreachableError(f"{where}: {reason}") from None
    except requests.ConnectionError:
        reason = "nothing answers there: is the org running (`stames-sf salesforce serve`)?"
        raise OrgUnreachableError(f"{where}: {reason}") from None
    except (requests.RequestException, SalesforceError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise OrgUnreachableError(f"{where}: {reason}") from None


@contextmanager
def org_http(connection_file: Path, clock: Clock) -> Iterator[OrgHttp]:
    """The org's REST API over one session, retrying and counting calls as the load does; the
    session closes on exit. Every stage that writes to or reads back from the org uses it."""
    from loaders.connection import http_session
    from loaders.load.http import OrgHttp

    connection = org_connection(connection_file)
    session = http_session(connection.ca_file)
    try:
        yield OrgHttp(
            session,
            connection.instance_url,
            connection.api_version,
            {"Authorization": f"Bearer {connection.access_token}"},
            clock=clock,
        )
    finally:
        session.close()
