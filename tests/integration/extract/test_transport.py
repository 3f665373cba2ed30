"""The paced, retrying session against the local server: throttling, expired cursors."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from dlt_pipelines.stames.transport import StamesSession, TokenBucket
from tests.fixtures.clock import FakeClock
from tests.fixtures.stames_api import StartStames


def test_an_expired_cursor_restarts_the_scan_from_its_updated_since(start_stames: StartStames) -> None:
    server = start_stames(cursor_ttl_seconds=60)
    session = StamesSession(server.api_key)
    params = {"limit": 2, "updated_since": "1970-01-01T00:00:00.000Z", "include_deleted": "true"}
    first = session.get(f"{server.api_url}/tickets", params=params)
    assert first.status_code == 200
    cursor = first.json()["next_cursor"]
    assert cursor
    server.admin("clock", {"advance_seconds": 3600})
    resumed = session.get(f"{server.api_url}/tickets", params={**params, "cursor": cursor})
    assert resumed.status_code == 200
    assert session.stats.cursor_restarts == 1
    # The restarted scan starts again at the checkpoint: its first page is the first page.
    assert [t["id"] for t in resumed.json()["data"]] == [t["id"] for t in first.json()["data"]]


def test_without_restarts_left_a_cursor_error_reaches_the_caller(
    start_stames: StartStames,
) -> None:
    server = start_stames()
    session = StamesSession(server.api_key, max_cursor_restarts=0)
    response = session.get(f"{server.api_url}/tickets", params={"limit": 2, "cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_cursor"


def test_parallel_senders_share_one_bucket_and_all_get_answers(start_stames: StartStames) -> None:
    server = start_stames(rate_limit_rps=20.0, retry_after_httpdate_rate=0.5)
    session = StamesSession(server.api_key, api_bucket=TokenBucket(20.0))

    def fetch(_: int) -> int:
        return session.get(f"{server.api_url}/account").status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(fetch, range(60)))
    assert statuses == [200] * 60
    # Pacing keeps 429s rare; any that happen are retried, never surfaced.
    assert session.stats.rate_limited <= 3
    assert session.stats.requests == 60 + session.stats.retries


def test_throttled_requests_are_retried_until_answered(start_stames: StartStames) -> None:
    server = start_stames(rate_limit_rps=20.0, fault_429_rate=0.3, fault_503_every_n=4)
    clock = FakeClock()
    session = StamesSession(server.api_key, backoff_cap_s=0.5, clock=clock.as_clock())
    statuses = [session.get(f"{server.api_url}/account").status_code for _ in range(8)]
    assert statuses == [200] * 8
    assert session.stats.rate_limited > 0
    assert session.stats.server_errors > 0
    # Every refusal was waited out on the injected clock (Retry-After is at least 1 s), none for real.
    assert clock.slept_s >= session.stats.server_errors


def test_a_response_cut_off_halfway_is_retried_like_a_503(start_stames: StartStames) -> None:
    server = start_stames(fault_truncate_every_n=2)
    session = StamesSession(server.api_key, clock=FakeClock().as_clock())
    params = {"limit": 3, "updated_since": "1970-01-01T00:00:00.000Z"}
    pages = [session.get(f"{server.api_url}/tickets", params=params) for _ in range(3)]
    assert [page.status_code for page in pages] == [200] * 3
    assert all(len(page.json()["data"]) == 3 for page in pages)
    assert session.stats.retries == server.admin_get("stats")["counts"]["truncated"] > 0


def test_a_server_that_keeps_cutting_off_fails_with_the_transport_error(start_stames: StartStames) -> None:
    server = start_stames(fault_truncate_every_n=1)
    session = StamesSession(server.api_key, max_retries=2, clock=FakeClock().as_clock())
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        session.get(f"{server.api_url}/account")
    assert server.admin_get("stats")["counts"]["truncated"] == 3


def test_bucket_adopts_the_rate_the_server_advertises(start_stames: StartStames) -> None:
    server = start_stames(rate_limit_rps=37.0)
    session = StamesSession(server.api_key)
    assert session.get(f"{server.api_url}/account").status_code == 200
    assert session.api_bucket.capacity == 37.0
