import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from dlt_pipelines.stames import attachments
from dlt_pipelines.stames.attachment_store import DownloadOutcome, DownloadStatus
from dlt_pipelines.stames.attachments import error_text, refusal_message


def _response(status: int, body: dict[str, object], url: str) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.url = url
    return response


def test_a_missing_scope_names_the_scope_and_not_the_url() -> None:
    url = "http://127.0.0.1:8790/api/v1/attachments/77001"
    body = {"error": {"code": "insufficient_scope", "message": "nope", "request_id": "r1"}}
    message = refusal_message(_response(403, body, url))
    assert "attachments:read" in message
    assert "403 insufficient_scope" in message
    assert "77001" not in message
    assert "http" not in message


def test_a_refused_key_says_so_without_naming_a_scope() -> None:
    body = {"error": {"code": "unauthorized", "message": "missing or unknown key", "request_id": "r2"}}
    message = refusal_message(_response(401, body, "http://127.0.0.1:8790/api/v1/attachments/1"))
    assert "401 unauthorized" in message
    assert "scope" not in message


def test_a_refused_key_points_at_where_the_key_comes_from() -> None:
    body = {"error": {"code": "unauthorized", "message": "missing or unknown key", "request_id": "r3"}}
    message = refusal_message(_response(401, body, "http://127.0.0.1:8790/api/v1/attachments/1"))
    assert "--api-key" in message
    assert "SOURCES__STAMES__API_KEY" in message
    assert "\n" not in message


def test_a_missing_scope_named_by_the_server_wins_over_the_endpoint_default() -> None:
    body = {
        "error": {
            "code": "insufficient_scope",
            "message": "this key lacks tickets:read",
            "request_id": "r4",
        }
    }
    message = refusal_message(_response(403, body, "http://127.0.0.1:8790/api/v1/attachments/5"))
    assert "lacks the tickets:read scope (403 insufficient_scope)" in message


def test_a_connection_error_keeps_its_type_but_not_the_signed_query() -> None:
    error = requests.ConnectionError(
        "HTTPConnectionPool(host='127.0.0.1', port=8790): Max retries exceeded with url: "
        "/files/dGVzdC03NzAwMQ?expires=1717243200&sig=9f86d081884c7d65 "
        "(Caused by NewConnectionError('Failed to establish a new connection: [Errno 111] "
        "Connection refused'))"
    )
    text = error_text(error)
    assert text.startswith("ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=8790)")
    assert "/files/dGVzdC03NzAwMQ (Caused by NewConnectionError(" in text
    assert "expires=" not in text
    assert "sig=" not in text
    assert "9f86d081884c7d65" not in text


def test_text_without_a_url_is_kept_as_it_is() -> None:
    error = requests.exceptions.ChunkedEncodingError("Connection broken: IncompleteRead(24 bytes read)")
    assert error_text(error) == ("ChunkedEncodingError: Connection broken: IncompleteRead(24 bytes read)")


class _Bucket:
    capacity = 2.0


class _Session:
    file_bucket = _Bucket()


class _Downloader:
    session = _Session()

    def download(self, start: DownloadOutcome) -> DownloadOutcome:
        return DownloadOutcome(start.attachment_id, None, None, DownloadStatus.STORED)


class _Ledger:
    def __init__(self) -> None:
        self.recorded: list[int] = []

    def record(self, outcome: DownloadOutcome) -> None:
        self.recorded.append(outcome.attachment_id)


def test_downloads_are_submitted_a_few_at_a_time_and_each_recorded_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ledger = _Ledger()
    submitted = [0]
    most_unrecorded = [0]

    class CountingPool(ThreadPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            submitted[0] += 1
            most_unrecorded[0] = max(most_unrecorded[0], submitted[0] - len(ledger.recorded))
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(attachments, "ThreadPoolExecutor", CountingPool)
    pending = [DownloadOutcome(index, None, None, DownloadStatus.FAILED) for index in range(500)]

    counts = attachments._download_all(_Downloader(), pending, ledger, progress=False)  # type: ignore[arg-type]

    assert sorted(ledger.recorded) == list(range(500))
    assert counts == {str(DownloadStatus.STORED): 500}
    assert most_unrecorded[0] <= 4, "two workers, two downloads each submitted ahead at most"
