"""A file past the 37.5 MB a JSON base64 body may carry goes up as multipart, streamed, and the
org's Checksum (MD5) and ContentSize are those of the bytes on disk [CONTRACT §4.4]."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from simple_salesforce import Salesforce

from emulators.salesforce.http.server import RunningServer
from loaders.connection import http_session
from loaders.load.files import FileRow, Uploaded, stored_versions, upload_all
from loaders.load.http import OrgHttp
from loaders.load.records import LoadRecord

JSON_BASE64_LIMIT = int(37.5 * 1024 * 1024)


def test_a_file_larger_than_json_allows_is_uploaded_whole(
    sf_server: RunningServer, sf: Salesforce, tmp_path: Path
) -> None:
    case_id = sf.Case.create({"Subject": "with a big file"})["id"]
    data = os.urandom(JSON_BASE64_LIMIT + 1024 * 1024)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    row = FileRow(
        record=LoadRecord("att-1", {"Title": "big.bin", "PathOnClient": "big.bin"}),
        case_key="t-1",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        path=path,
        kind="attachment",
    )
    http = OrgHttp(
        http_session(sf_server.ca_file),
        sf_server.instance_url,
        sf_server.api_version,
        {"Authorization": f"Bearer {sf_server.access_token}"},
    )
    done: list[Uploaded] = []
    upload_all(
        http, [row], lambda item: {**item.record.values, "FirstPublishLocationId": case_id}, 1, done.append
    )

    [uploaded] = done
    assert uploaded.result.success, uploaded.result
    stored = stored_versions(http, [uploaded.result.salesforce_id or ""])[uploaded.result.salesforce_id or ""]
    assert stored["Checksum"] == hashlib.md5(data, usedforsecurity=False).hexdigest()
    assert stored["ContentSize"] == len(data)
    document = stored["ContentDocumentId"]
    links = sf.query(f"SELECT LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = '{document}'")
    assert case_id in {link["LinkedEntityId"] for link in links["records"]}


def test_a_file_that_no_longer_matches_its_sha256_is_not_sent(
    sf_server: RunningServer, tmp_path: Path
) -> None:
    path = tmp_path / "changed.txt"
    path.write_bytes(b"what the extraction saw, then edited")
    row = FileRow(
        LoadRecord("att-2", {"Title": "changed.txt", "PathOnClient": "changed.txt"}),
        "t-1",
        hashlib.sha256(b"what the extraction saw").hexdigest(),
        len(b"what the extraction saw"),
        path,
        "attachment",
    )
    http = OrgHttp(
        http_session(sf_server.ca_file),
        sf_server.instance_url,
        sf_server.api_version,
        {"Authorization": f"Bearer {sf_server.access_token}"},
    )
    done: list[Uploaded] = []
    upload_all(http, [row], lambda item: dict(item.record.values), 1, done.append)
    assert done[0].result.error_code == "FILE_CHANGED"
    assert http.usage.calls == 0
