"""Token buckets, Retry-After in both forms and injected faults (API.md §2.4, §3 #29)."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

import httpx

from tests.fixtures.stames_api import StartStames


def _burst(client: httpx.Client, path: str, count: int) -> list[httpx.Response]:
    return [client.get(path) for _ in range(count)]


def test_bucket_of_ten_refuses_a_fast_burst_with_integer_retry_after(start_stames: StartStames) -> None:
    stames = start_stames(rate_limit_rps=10, retry_after_httpdate_rate=0)
    with stames.client() as client:
        responses = _burst(client, "/account", 40)
    assert responses[0].status_code == 200
    assert responses[0].headers["X-RateLimit-Limit"] == "10"
    assert responses[0].headers["X-RateLimit-Remaining"] == "9"
    refused = [response for response in responses if response.status_code == 429]
    assert refused
    for response in refused:
        assert response.json()["error"]["code"] == "rate_limited"
        assert response.headers["Retry-After"].isdigit()
        assert int(response.headers["Retry-After"]) >= 1
        assert response.headers["X-RateLimit-Remaining"] == "0"
        assert int(response.headers["X-RateLimit-Reset"]) >= 1
    assert stames.admin_get("stats")["counts"]["429"] == len(refused)


def test_retry_after_can_be_an_http_date(start_stames: StartStames) -> None:
    stames = start_stames(rate_limit_rps=2, retry_after_httpdate_rate=1.0)
    with stames.client() as client:
        refused = [r for r in _burst(client, "/account", 20) if r.status_code == 429]
    assert refused
    retry_at = parsedate_to_datetime(refused[0].headers["Retry-After"])
    assert retry_at.tzinfo is not None


def test_injected_429s_happen_under_the_limit(start_stames: StartStames) -> None:
    stames = start_stames(fault_429_rate=1.0)
    with stames.client() as client:
        response = client.get("/account")
    assert response.status_code == 429
    assert int(response.headers["X-RateLimit-Remaining"]) > 0
    assert "Retry-After" in response.headers


def test_every_nth_request_is_a_503_with_retry_after(start_stames: StartStames) -> None:
    stames = start_stames(fault_503_every_n=3, retry_after_httpdate_rate=0)
    with stames.client() as client:
        statuses = [response.status_code for response in _burst(client, "/tickets", 9)]
    assert statuses == [200, 200, 503] * 3


def test_every_nth_response_is_cut_off_halfway(start_stames: StartStames) -> None:
    stames = start_stames(fault_truncate_every_n=3)
    outcomes = []
    for _ in range(6):
        # A fresh connection each time: a cut-off response closes the one it came on.
        with stames.client() as client:
            try:
                outcomes.append(client.get("/tickets", params={"limit": 5}).status_code)
            except httpx.RemoteProtocolError:
                outcomes.append("cut off")
    assert outcomes == [200, 200, "cut off"] * 2
    assert stames.admin_get("stats")["counts"]["truncated"] == 2


def test_a_cut_off_response_sends_the_full_length_and_half_the_body(start_stames: StartStames) -> None:
    stames = start_stames(fault_truncate_every_n=1)
    with httpx.Client(timeout=30) as client:
        request = client.build_request(
            "GET", f"{stames.api_url}/account", headers={"X-Stames-Api-Key": stames.api_key}
        )
        response = client.send(request, stream=True)
        received = bytearray()
        try:
            for chunk in response.iter_raw():
                received.extend(chunk)
        except httpx.RemoteProtocolError:
            pass
        response.close()
    assert response.status_code == 200
    promised = int(response.headers["Content-Length"])
    assert len(received) == promised // 2


def test_503_body_and_headers(start_stames: StartStames) -> None:
    stames = start_stames(fault_503_every_n=1, retry_after_httpdate_rate=0)
    with stames.client() as client:
        response = client.get("/tickets")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"
    assert response.headers["Retry-After"].isdigit()
    assert response.json()["error"]["request_id"] == response.headers["X-Request-Id"]


def test_file_downloads_use_their_own_bucket(start_stames: StartStames) -> None:
    stames = start_stames(rate_limit_rps=3, download_rps=2)
    with stames.client() as client:
        url = client.get("/attachments/77001").json()["download_url"]
        api_statuses = [r.status_code for r in _burst(client, "/account", 10)]
    assert 429 in api_statuses
    downloads = [httpx.get(url) for _ in range(10)]
    assert downloads[0].status_code == 200
    assert downloads[0].headers["X-RateLimit-Limit"] == "2"
    assert 429 in [response.status_code for response in downloads]


def test_file_host_503_fault(start_stames: StartStames) -> None:
    stames = start_stames(fault_file_503_rate=1.0, retry_after_httpdate_rate=0)
    with stames.client() as client:
        url = client.get("/attachments/77001").json()["download_url"]
    response = httpx.get(url)
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()


def test_every_nth_file_download_is_cut_off_after_its_headers(start_stames: StartStames) -> None:
    stames = start_stames(fault_file_truncate_every_n=2)
    with stames.client() as client:
        url = client.get("/attachments/77001").json()["download_url"]
        listed = client.get("/tickets", params={"limit": 5}).status_code
    outcomes: list[object] = []
    for _ in range(4):
        with httpx.Client(timeout=30) as client, client.stream("GET", url) as response:
            try:
                received = b"".join(response.iter_raw())
                outcomes.append(len(received))
            except httpx.RemoteProtocolError:
                outcomes.append(f"{response.status_code} cut off")
    assert listed == 200  # API answers are not counted by the file fault
    assert outcomes == [49, "200 cut off"] * 2  # 77001 has 49 bytes (hand-written dataset)
    counts = stames.admin_get("stats")["counts"]
    assert counts["files_truncated"] == 2
    assert counts["truncated"] == 0


def test_rate_zero_disables_throttling_but_keeps_headers(start_stames: StartStames) -> None:
    stames = start_stames(rate_limit_rps=0)
    with stames.client() as client:
        responses = _burst(client, "/account", 30)
    assert {response.status_code for response in responses} == {200}
    assert all(int(response.headers["X-RateLimit-Remaining"]) > 0 for response in responses)
