"""ContentVersion bytes in and out: JSON base64 and multipart inserts, `VersionData` download."""

from __future__ import annotations

import base64
import json

from simple_salesforce import Salesforce

from emulators.salesforce.http.server import RunningServer
from emulators.stames_api.content import generated_bytes
from tests.fixtures.salesforce import trusting_session


def test_json_base64_insert_then_download_returns_the_same_bytes(sf: Salesforce) -> None:
    payload = bytes(range(256)) * 40
    created = sf.ContentVersion.create(
        {"Title": "Manual", "PathOnClient": "manual.bin", "VersionData": base64.b64encode(payload).decode()}
    )
    assert created["id"].startswith("068")
    assert sf.ContentVersion.get_base64(created["id"], base64_field="VersionData") == payload
    version = sf.query(
        f"SELECT ContentDocumentId, ContentSize FROM ContentVersion WHERE Id = '{created['id']}'"
    )
    assert version["records"][0]["ContentDocumentId"].startswith("069")


def test_multipart_insert_then_download_returns_the_same_bytes(
    sf_server: RunningServer, sf: Salesforce
) -> None:
    payload = b"".join(generated_bytes(3 * 1024 * 1024 + 7, seed=11))
    entity = {"Title": "Screenshot", "PathOnClient": "screen.png"}
    response = trusting_session(sf_server).post(
        f"{sf_server.instance_url}/services/data/v{sf_server.api_version}/sobjects/ContentVersion",
        headers={"Authorization": f"Bearer {sf_server.access_token}"},
        files={
            "entity_content": (None, json.dumps(entity), "application/json"),
            "VersionData": ("screen.png", payload, "application/octet-stream"),
        },
        timeout=60,
    )
    assert response.status_code == 201, response.text
    record_id = response.json()["id"]
    assert sf.ContentVersion.get_base64(record_id, base64_field="VersionData") == payload
    record = sf.ContentVersion.get(record_id)
    assert record["Title"] == "Screenshot"
    assert (
        record["VersionData"]
        == f"/services/data/v{sf.sf_version}/sobjects/ContentVersion/{record_id}/VersionData"
    )


def test_multipart_without_the_entity_part_is_refused(sf_server: RunningServer) -> None:
    response = trusting_session(sf_server).post(
        f"{sf_server.instance_url}/services/data/v{sf_server.api_version}/sobjects/ContentVersion",
        headers={"Authorization": f"Bearer {sf_server.access_token}"},
        files={"VersionData": ("a.txt", b"abc", "text/plain")},
        timeout=60,
    )
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "INVALID_MULTIPART_REQUEST"


def test_download_of_a_missing_version_is_404(sf_server: RunningServer) -> None:
    base = f"{sf_server.instance_url}/services/data/v{sf_server.api_version}/sobjects/ContentVersion"
    response = trusting_session(sf_server).get(
        f"{base}/068000000000000AAA/VersionData",
        headers={"Authorization": f"Bearer {sf_server.access_token}"},
        timeout=60,
    )
    assert response.status_code == 404
