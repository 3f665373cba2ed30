"""How every stage reaches Salesforce: simple-salesforce over HTTPS, from a connection file.

The file has the shape the local org emulator writes (`connection.json`: instance_url,
access_token, api_version, and ca_file when the org's certificate is signed by a private CA), so
a real org is reached by writing the same four keys, with no code change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import requests
from simple_salesforce import Salesforce

DEFAULT_API_VERSION = "62.0"


@dataclass(frozen=True)
class SalesforceConnection:
    """Where the org is and the session to use."""

    instance_url: str
    access_token: str
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


def http_session(ca_file: Path | None) -> requests.Session:
    """A session that trusts `ca_file` when given. `trust_env` is off because REQUESTS_CA_BUNDLE
    would otherwise override `verify`."""
    session = requests.Session()
    if ca_file is not None:
        session.trust_env = False
        session.verify = str(ca_file)
    return session


def connect(connection: SalesforceConnection) -> Salesforce:
    """A simple-salesforce client for `connection`."""
    return Salesforce(
        instance_url=connection.instance_url,
        session_id=connection.access_token,
        version=connection.api_version,
        session=http_session(connection.ca_file),
    )
