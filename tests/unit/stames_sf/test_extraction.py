import socket

import pytest
import requests

from stames_sf.extraction import extraction_failure


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_server_is_named_even_inside_dlt_wrappers() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/api/v1"
    try:
        requests.get(f"{url}/account", timeout=5)
    except requests.ConnectionError as refused:
        try:
            raise RuntimeError("Pipeline execution failed at stage extract") from refused
        except RuntimeError as wrapped:
            message = extraction_failure(wrapped, url)
    else:
        pytest.fail("the closed port answered")
    assert message is not None
    assert message.startswith(f"Cannot reach Stames at {url}")


def test_a_refused_key_and_a_missing_scope_say_which() -> None:
    unauthorized = requests.Response()
    unauthorized.status_code = 401
    forbidden = requests.Response()
    forbidden.status_code = 403
    assert "refused the API key" in (extraction_failure(requests.HTTPError(response=unauthorized), "u") or "")
    assert "lacks a scope" in (extraction_failure(requests.HTTPError(response=forbidden), "u") or "")


def test_a_missing_scope_is_named() -> None:
    forbidden = requests.Response()
    forbidden.status_code = 403
    forbidden.url = "http://127.0.0.1:1/api/v1/agents?limit=100&status=all"
    forbidden._content = (
        b'{"error": {"code": "insufficient_scope", "message": "forbidden", "request_id": "r"}}'
    )
    message = extraction_failure(requests.HTTPError("403 for url", response=forbidden), "u") or ""
    assert "agents:read" in message
    assert "http://" not in message


def test_responses_cut_off_on_every_retry_are_one_line_too() -> None:
    try:
        raise RuntimeError("Pipeline execution failed at stage extract") from (
            requests.exceptions.ChunkedEncodingError(
                "Connection broken: IncompleteRead(512 bytes read, 512 more expected)"
            )
        )
    except RuntimeError as wrapped:
        message = extraction_failure(wrapped, "http://127.0.0.1:1/api/v1")
    assert message is not None
    assert "cutting responses off (ChunkedEncodingError)" in message


def test_failures_that_are_not_about_stames_are_left_to_surface() -> None:
    assert extraction_failure(KeyError("id"), "http://127.0.0.1:1/api/v1") is None
