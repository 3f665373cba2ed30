"""The exact calls `sf org login access-token` makes (contract §7), replayed over plain HTTP."""

from __future__ import annotations

from pathlib import Path

import requests

from emulators.salesforce.http.server import running_server


def test_sf_cli_login_calls_all_answer_as_the_cli_needs(tmp_path: Path) -> None:
    with running_server(tmp_path / "org", use_http=True) as server:
        session = requests.Session()
        session.trust_env = False
        session.headers["Authorization"] = f"Bearer {server.access_token}"
        base = server.instance_url

        userinfo = session.get(f"{base}/services/oauth2/userinfo", timeout=30).json()
        user = session.get(f"{base}/services/data/v51.0/sobjects/User/{userinfo['user_id']}", timeout=30)
        assert user.status_code == 200
        assert user.json()["Username"] == server.connection.username

        dev_hub = session.get(
            f"{base}/services/data/v51.0/query",
            params={"q": "SELECT Id FROM ScratchOrgInfo limit 1"},
            timeout=30,
        )
        assert dev_hub.status_code >= 400

        versions = session.get(f"{base}/services/data", timeout=30).json()
        latest = versions[-1]["version"]
        organization = session.get(
            f"{base}/services/data/v{latest}/query",
            params={
                "q": "SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, "
                "OrganizationType FROM Organization"
            },
            timeout=30,
        ).json()
        assert organization["totalSize"] == 1
        assert organization["records"][0]["attributes"]["type"] == "Organization"
        assert userinfo["organization_id"].startswith("00D")
        session.close()
