"""One way for a stage to read the target org: open the connection file, run one read, close;
whatever goes wrong is one line saying what to do (`OrgUnreachableError`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from simple_salesforce import Salesforce

Read = TypeVar("Read")


class OrgUnreachableError(Exception):
    """The target org could not be read; the message is one line."""


def read_from_org(connection_file: Path, read: Callable[[Salesforce], Read]) -> Read:
    """`read(client)` on the org of `connection_file`, the session closed after."""
    import requests
    from simple_salesforce.exceptions import SalesforceError, SalesforceExpiredSession

    from loaders.connection import SalesforceConnection, connect

    if not connection_file.is_file():
        raise OrgUnreachableError(
            f"No Salesforce connection file at {connection_file}: start the local org "
            "(`stames-sf salesforce serve`) or pass --connection FILE "
            "(instance_url, access_token, api_version, ca_file)."
        )
    try:
        connection = SalesforceConnection.from_file(connection_file)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise OrgUnreachableError(
            f"{connection_file} is not a connection file (needs instance_url and access_token; "
            f"optional api_version, ca_file): {type(error).__name__}: {error}"
        ) from None
    where = f"Cannot read the org at {connection.instance_url}"
    try:
        client = connect(connection)
        try:
            return read(client)
        finally:
            client.session.close()
    except SalesforceExpiredSession:
        reason = f"the session in {connection_file} is expired or invalid: renew its access_token."
        raise OrgUnreachableError(f"{where}: {reason}") from None
    except requests.exceptions.SSLError:
        reason = f"its certificate is not trusted: check ca_file in {connection_file}."
        raise OrgUnreachableError(f"{where}: {reason}") from None
    except requests.ConnectionError:
        reason = "nothing answers there: is the org running (`stames-sf salesforce serve`)?"
        raise OrgUnreachableError(f"{where}: {reason}") from None
    except (requests.RequestException, SalesforceError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise OrgUnreachableError(f"{where}: {reason}") from None
