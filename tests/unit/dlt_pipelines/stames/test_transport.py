import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests

from dlt_pipelines.stames.transport import (
    TokenBucket,
    backoff_seconds,
    error_code,
    missing_scope,
    parse_retry_after,
    url_without_cursor,
)
from tests.fixtures.clock import FakeClock


def test_retry_after_in_seconds() -> None:
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after(" 0 ") == 0.0


def test_retry_after_as_http_date_counts_from_now() -> None:
    now = datetime(2024, 6, 1, 12, 0, 0, tzinfo=UTC)
    header = format_datetime(now + timedelta(seconds=3), usegmt=True)
    assert parse_retry_after(header, now=now) == 3.0


def test_retry_after_in_the_past_or_garbage() -> None:
    now = datetime(2024, 6, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now=now) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("99999") == 120.0


def test_backoff_grows_and_is_capped() -> None:
    assert all(backoff_seconds(attempt, 5.0) <= 5.0 for attempt in range(20))
    assert backoff_seconds(1, 100.0) < backoff_seconds(8, 100.0)


def test_restart_url_drops_only_the_cursor() -> None:
    url = "http://h/api/v1/tickets?limit=100&updated_since=2024-01-01T00%3A00%3A00.000Z&cursor=abc&x="
    restarted = url_without_cursor(url)
    assert "cursor" not in restarted
    assert "updated_since=2024-01-01T00%3A00%3A00.000Z" in restarted
    assert "limit=100" in restarted
    assert "x=" in restarted


def test_bucket_lets_a_burst_of_capacity_through_then_paces_to_the_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(20.0, headroom=1.0, clock=clock.as_clock())
    for _ in range(20):
        bucket.acquire()
    assert clock.slept_s == 0.0
    for _ in range(10):
        bucket.acquire()
    # 20 tokens are there at once; 10 more need 10 / 20 s to refill.
    assert clock.slept_s == pytest.approx(0.5)


def test_bucket_is_shared_safely_between_threads() -> None:
    clock = FakeClock()
    started = clock.monotonic()
    bucket = TokenBucket(50.0, headroom=1.0, clock=clock.as_clock())
    granted: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(20):
            bucket.acquire()
            with lock:
                granted.append(clock.monotonic() - started)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(granted) == 80
    # Never faster than the bucket allows: at most 50 at once, then 50 per second.
    for count, at_s in enumerate(sorted(granted), start=1):
        assert count <= 50 + 50 * at_s + 1e-6, (count, at_s)


def test_headers_adopt_the_advertised_limit_and_an_empty_server_bucket() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10.0, headroom=1.0, clock=clock.as_clock())
    bucket.observe({"X-RateLimit-Limit": "40", "X-RateLimit-Remaining": "12"})
    assert bucket.capacity == 40.0
    assert bucket.rate_per_s == 40.0
    bucket.observe({"X-RateLimit-Limit": "40", "X-RateLimit-Remaining": "0"})
    bucket.acquire()
    assert clock.slept_s == pytest.approx(1 / 40)


def test_pause_holds_every_sender() -> None:
    clock = FakeClock()
    bucket = TokenBucket(100.0, headroom=1.0, clock=clock.as_clock())
    bucket.pause(0.3)
    bucket.acquire()
    assert clock.slept_s == pytest.approx(0.3)


def _response(status: int, body: bytes) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    return response


def test_error_code_reads_the_envelope_and_tolerates_anything_else() -> None:
    envelope = b'{"error": {"code": "url_expired", "message": "m", "request_id": "req_1"}}'
    assert error_code(_response(403, envelope)) == "url_expired"
    assert error_code(_response(502, b"<html>Bad gateway</html>")) is None
    assert error_code(_response(400, b'{"error": "flat string"}')) is None


def test_the_missing_scope_comes_from_the_message_or_else_from_the_endpoint() -> None:
    named = _response(
        403, b'{"error": {"code": "insufficient_scope", "message": "lacks the agents:read scope"}}'
    )
    assert missing_scope(named) == "agents:read"
    silent = _response(403, b'{"error": {"code": "insufficient_scope", "message": "forbidden"}}')
    silent.url = "https://acme.stames.app/api/v1/ticket_statuses?limit=100"
    assert missing_scope(silent) == "settings:read"
    silent.url = "https://acme.stames.app/api/v1/custom_objects/warranty/records"
    assert missing_scope(silent) == "custom_objects:read"
    silent.url = "https://acme.stames.app/elsewhere"
    assert missing_scope(silent) is None
