"""Attachment metadata, the 302 indirection and the signed file host (API.md §2.7 #13–15)."""

from __future__ import annotations

import hashlib
from urllib.parse import unquote

import httpx
import pytest

from emulators.stames_api.clock import to_epoch_ms
from emulators.stames_api.signing import UrlSigner
from tests.fixtures.stames_api import HANDWRITTEN_DATASET, HANDWRITTEN_NOW, RunningStames, StartStames
from tests.integration.stames_api.helpers import read_jsonl

STORED = {record["id"]: record for record in read_jsonl(HANDWRITTEN_DATASET / "attachments.jsonl")}


def _fresh_url(stames: RunningStames, attachment_id: int) -> str:
    with stames.client() as client:
        return client.get(f"/attachments/{attachment_id}").json()["download_url"]


def test_metadata_is_stored_fields_plus_a_fresh_signed_url(stames: RunningStames) -> None:
    with stames.client() as client:
        served = client.get("/attachments/77001").json()
    stored = {name: value for name, value in STORED[77001].items() if name != "content"}
    assert {
        name: value for name, value in served.items() if name not in ("download_url", "expires_at")
    } == stored
    assert served["download_url"].startswith(f"{stames.base_url}/files/")
    assert served["expires_at"] == "2024-06-01T12:15:00.000Z"


def test_file_bytes_and_headers(stames: RunningStames) -> None:
    response = httpx.get(_fresh_url(stames, 77001))
    expected = (HANDWRITTEN_DATASET / "files" / "IMG_2024-05-01.jpg").read_bytes()
    assert response.status_code == 200
    assert response.content == expected
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["content-length"] == str(len(expected))
    assert response.headers["etag"] == f'"{hashlib.sha256(expected).hexdigest()}"'
    assert response.headers["content-disposition"] == "attachment; filename*=UTF-8''IMG_2024-05-01.jpg"
    assert "X-RateLimit-Limit" in response.headers


def test_generated_content_matches_its_declared_checksum_and_name(stames: RunningStames) -> None:
    response = httpx.get(_fresh_url(stames, 77002), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert len(response.content) == STORED[77002]["size"]
    assert hashlib.sha256(response.content).hexdigest() == STORED[77002]["sha256"]
    disposition = response.headers["content-disposition"]
    assert unquote(disposition.split("UTF-8''", 1)[1]) == STORED[77002]["file_name"]


@pytest.mark.parametrize(
    ("range_header", "start", "end"),
    [("bytes=100-199", 100, 200), ("bytes=299990-", 299990, 300000), ("bytes=-10", 299990, 300000)],
)
def test_range_requests_return_the_slice(
    stames: RunningStames, range_header: str, start: int, end: int
) -> None:
    url = _fresh_url(stames, 77002)
    whole = httpx.get(url).content
    response = httpx.get(url, headers={"Range": range_header, "Accept-Encoding": "gzip"})
    assert response.status_code == 206
    assert response.content == whole[start:end]
    assert response.headers["content-range"] == f"bytes {start}-{end - 1}/{len(whole)}"
    assert "content-encoding" not in response.headers


@pytest.mark.parametrize(("attachment_id", "range_header"), [(77002, "bytes=300000-"), (77005, "bytes=0-")])
def test_unsatisfiable_range_is_416(stames: RunningStames, attachment_id: int, range_header: str) -> None:
    response = httpx.get(_fresh_url(stames, attachment_id), headers={"Range": range_header})
    assert response.status_code == 416
    assert response.headers["content-range"].startswith("bytes */")


def test_zero_byte_file_downloads_empty(stames: RunningStames) -> None:
    response = httpx.get(_fresh_url(stames, 77005))
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == "0"


def test_text_content_type_is_sent_as_stored(stames: RunningStames) -> None:
    response = httpx.get(_fresh_url(stames, 77005))
    assert response.status_code == 200
    assert response.headers["content-type"] == STORED[77005]["content_type"] == "text/plain"


def test_content_redirects_to_a_signed_url(stames: RunningStames) -> None:
    with stames.client() as client:
        redirect = client.get("/attachments/77001/content")
        followed = client.get("/attachments/77001/content", follow_redirects=True)
    assert redirect.status_code == 302
    assert redirect.headers["location"].startswith(f"{stames.base_url}/files/")
    assert followed.status_code == 200
    assert followed.content == (HANDWRITTEN_DATASET / "files" / "IMG_2024-05-01.jpg").read_bytes()


def test_signed_url_expires_after_its_ttl(start_stames: StartStames) -> None:
    stames = start_stames(url_ttl_seconds=1)
    url = _fresh_url(stames, 77001)
    stames.admin("clock", {"advance_seconds": 1})
    assert httpx.get(url).status_code == 200
    stames.admin("clock", {"advance_seconds": 1})
    expired = httpx.get(url)
    assert expired.status_code == 403
    assert expired.json()["error"]["code"] == "url_expired"
    assert httpx.get(_fresh_url(stames, 77001)).status_code == 200


def test_forged_signature_is_refused(stames: RunningStames) -> None:
    url = _fresh_url(stames, 77001)
    forged = url[:-1] + ("0" if url[-1] != "0" else "1")
    response = httpx.get(forged)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "invalid_signature"


def test_purged_attachment_has_no_url_and_is_gone(stames: RunningStames) -> None:
    with stames.client() as client:
        metadata = client.get("/attachments/77003").json()
        content = client.get("/attachments/77003/content")
    assert metadata["download_url"] is None
    assert metadata["expires_at"] is None
    assert metadata["size"] == STORED[77003]["size"]
    assert content.status_code == 410
    signed_anyway, _ = UrlSigner(42, 900).sign(stames.base_url, 77003, to_epoch_ms(HANDWRITTEN_NOW))
    assert httpx.get(signed_anyway).status_code == 404


def test_quarantined_file_is_forbidden(stames: RunningStames) -> None:
    response = httpx.get(_fresh_url(stames, 77004))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "quarantined"


def test_content_path_outside_the_dataset_is_never_served(stames: RunningStames) -> None:
    response = httpx.get(_fresh_url(stames, 77006))
    assert response.status_code == 404
    assert b"5521" not in response.content


def test_messages_embed_freshly_signed_attachment_urls(stames: RunningStames) -> None:
    with stames.client() as client:
        thread = client.get("/tickets/10234/messages").json()["data"]
    attachment = next(a for message in thread for a in message["attachments"] if a["id"] == 77001)
    assert httpx.get(attachment["download_url"]).status_code == 200
    with stames.client() as client:
        email = client.get("/tickets/10235/messages").json()["data"][0]
    purged = next(a for a in email["attachments"] if a["id"] == 77003)
    assert purged["download_url"] is None
