"""The server as a user meets it: TLS with the local CA, connection.json, state across restarts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from simple_salesforce import Salesforce

from emulators.salesforce.http.server import read_connection, running_server


def _client_from_connection_file(state_dir: Path) -> Salesforce:
    """Connect using nothing but connection.json, as a user following the README would."""
    connection = json.loads((state_dir / "connection.json").read_text())
    session = requests.Session()
    session.trust_env = False
    session.verify = connection["ca_file"]
    return Salesforce(
        instance_url=connection["instance_url"],
        session_id=connection["access_token"],
        version=connection["api_version"],
        session=session,
    )


def test_records_and_the_token_survive_a_restart(tmp_path: Path) -> None:
    state_dir = tmp_path / "org"
    with running_server(state_dir):
        first = _client_from_connection_file(state_dir)
        created = first.Account.create({"Name": "Persistent"})
        token = read_connection(state_dir).access_token
    with running_server(state_dir) as again:
        assert again.access_token == token
        second = _client_from_connection_file(state_dir)
        assert second.Account.get(created["id"])["Name"] == "Persistent"
        assert second.query("SELECT Id FROM Account WHERE Name = 'Persistent'")["totalSize"] == 1


def test_connection_file_names_everything_a_client_needs(tmp_path: Path) -> None:
    state_dir = tmp_path / "org"
    with running_server(state_dir) as server:
        connection = json.loads((state_dir / "connection.json").read_text())
        assert set(connection) >= {"instance_url", "access_token", "ca_file", "api_version", "username"}
        assert connection["instance_url"] == f"https://localhost:{server.port}"
        assert Path(connection["ca_file"]).is_file()
        client = _client_from_connection_file(state_dir)
        me = client.query(f"SELECT Username FROM User WHERE Id = '{server.org.admin_user_id}'")
        assert me["records"][0]["Username"] == connection["username"]


def test_https_is_refused_without_the_emulator_ca(tmp_path: Path) -> None:
    with running_server(tmp_path / "org") as server:
        untrusting = requests.Session()
        untrusting.trust_env = False
        with pytest.raises(requests.exceptions.SSLError):
            untrusting.get(f"{server.instance_url}/services/data", timeout=30)


def test_plain_http_mode_serves_without_tls(tmp_path: Path) -> None:
    with running_server(tmp_path / "org", use_http=True) as server:
        assert server.instance_url.startswith("http://127.0.0.1:")
        assert server.ca_file is None
        session = requests.Session()
        session.trust_env = False
        response = session.get(
            f"{server.instance_url}/services/data/v{server.api_version}/sobjects/Account/describe",
            headers={"Authorization": f"Bearer {server.access_token}"},
            timeout=30,
        )
        assert response.status_code == 200
        assert response.json()["name"] == "Account"
        assert response.headers["Sforce-Limit-Info"].startswith("api-usage=")
