"""HTTP transport for the Stames API: a shared token bucket, retries and cursor restarts.

dlt's `rest_api` hands every request to the `requests.Session` we give it. Doing rate limiting
and retries here (instead of dlt's per-request retry) lets all parallel resources share one
client-side view of the server's bucket, so extraction runs close to the ceiling without
429 storms.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from requests.hooks import default_hooks, dispatch_hook

API_KEY_HEADER = "X-Stames-Api-Key"
DEFAULT_API_RPS = 10.0
DEFAULT_FILE_RPS = 4.0
HEADROOM = 0.95
"""Run slightly under the advertised rate: server and client clocks see requests at different times."""
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
CURSOR_ERRORS = frozenset({"invalid_cursor", "cursor_expired"})
MAX_RETRY_AFTER_S = 120.0


class TokenBucket:
    """A thread-safe token bucket shared by every thread that talks to one bucket of the server."""

    def __init__(self, rate_per_s: float, *, headroom: float = HEADROOM) -> None:
        self._lock = threading.Lock()
        self._headroom = headroom
        self.capacity = max(1.0, rate_per_s)
        self.rate_per_s = rate_per_s * headroom
        self._tokens = self.capacity
        self._updated = time.monotonic()
        self._paused_until = 0.0

    def _refill(self, now: float) -> None:
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate_per_s)
        self._updated = now

    def acquire(self) -> None:
        """Block until a request may be sent."""
        while True:
            with self._lock:
                now = time.monotonic()
                self._refill(now)
                if now < self._paused_until:
                    wait_s = self._paused_until - now
                elif self._tokens >= 1.0:
                    self._tokens -= 1.0
                    return
                else:
                    wait_s = (1.0 - self._tokens) / self.rate_per_s
            time.sleep(wait_s)

    def observe(self, headers: Any) -> None:
        """Follow the server's `X-RateLimit-*` headers: its limit, and an empty bucket."""
        limit = _int_header(headers, "X-RateLimit-Limit")
        remaining = _int_header(headers, "X-RateLimit-Remaining")
        with self._lock:
            if limit and limit > 0 and limit != self.capacity:
                self.capacity = float(limit)
                self.rate_per_s = limit * self._headroom
            if remaining == 0:
                self._refill(time.monotonic())
                self._tokens = min(self._tokens, 0.0)

    def pause(self, seconds: float) -> None:
        """Stop every sender for `seconds` (a 429 or 503 asked us to back off)."""
        with self._lock:
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)
            self._tokens = 0.0
            self._updated = time.monotonic()


def _int_header(headers: Any, name: str) -> int | None:
    raw = headers.get(name)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header in either RFC 9110 form (seconds or HTTP-date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return min(float(text), MAX_RETRY_AFTER_S)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = (moment - (now or datetime.now(UTC))).total_seconds()
    if seconds < 0:
        return None  # a date already past says nothing useful: the caller backs off instead
    return min(seconds, MAX_RETRY_AFTER_S)


def backoff_seconds(attempt: int, cap_s: float) -> float:
    """Capped exponential backoff with jitter, for errors that carry no `Retry-After`."""
    return min(cap_s, 0.25 * 2**attempt) * (0.5 + random.random() / 2)


def url_without_cursor(url: str) -> str:
    """The same list request without `cursor`: the scan restarts from its `updated_since`."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "cursor"]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _has_cursor(url: str) -> bool:
    return any(key == "cursor" for key, _ in parse_qsl(urlsplit(url).query))


def _error_code(response: requests.Response) -> str | None:
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return None


error_code = _error_code
"""The `code` of the error envelope (§2.5), or None; public for the attachment step."""


@dataclass
class TransportStats:
    """What the transport saw; read by the run summary and the progress display."""

    requests: int = 0
    rate_limited: int = 0
    server_errors: int = 0
    retries: int = 0
    cursor_restarts: int = 0
    full_body_fetches: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, count in counts.items():
                setattr(self, name, getattr(self, name) + count)


class StamesSession(requests.Session):
    """A `requests.Session` that paces, retries and restarts expired cursor scans.

    `/files/*` downloads go through their own bucket (4 req/s on the server); everything else
    shares the API bucket. Response hooks (dlt's raise-for-status) run only on the final answer,
    so a retried 429 never surfaces as an error.
    """

    def __init__(
        self,
        api_key: str,
        *,
        api_bucket: TokenBucket | None = None,
        file_bucket: TokenBucket | None = None,
        max_retries: int = 8,
        backoff_cap_s: float = 30.0,
        max_cursor_restarts: int = 5,
        timeout_s: float = 120.0,
        on_response: Callable[[TransportStats], None] | None = None,
    ) -> None:
        super().__init__()
        self.headers[API_KEY_HEADER] = api_key
        self.trust_env = False
        self.api_bucket = api_bucket or TokenBucket(DEFAULT_API_RPS)
        self.file_bucket = file_bucket or TokenBucket(DEFAULT_FILE_RPS)
        self.max_retries = max_retries
        self.backoff_cap_s = backoff_cap_s
        self.max_cursor_restarts = max_cursor_restarts
        self.timeout_s = timeout_s
        self.stats = TransportStats()
        self.on_response = on_response

    def _bucket_for(self, url: str) -> TokenBucket:
        return self.file_bucket if "/files/" in urlsplit(url).path else self.api_bucket

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        """Send with pacing and retries; hooks see only the final response."""
        hooks = request.hooks
        request.hooks = default_hooks()
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout_s
        response = self._send_with_retries(request, **kwargs)
        request.hooks = hooks
        return dispatch_hook("response", hooks, response, **kwargs)

    def _send_with_retries(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        bucket = self._bucket_for(request.url or "")
        restarts = 0
        attempt = 0
        while True:
            bucket.acquire()
            try:
                response = super().send(request, **kwargs)
            except (requests.ConnectionError, requests.Timeout):
                if attempt >= self.max_retries:
                    raise
                attempt += 1
                self.stats.add(retries=1)
                time.sleep(backoff_seconds(attempt, self.backoff_cap_s))
                continue
            self.stats.add(requests=1)
            bucket.observe(response.headers)
            if self.on_response is not None:
                self.on_response(self.stats)
            if response.status_code in RETRYABLE_STATUS and attempt < self.max_retries:
                attempt += 1
                self._back_off(bucket, response, attempt)
                continue
            if (
                response.status_code == 400
                and restarts < self.max_cursor_restarts
                and _has_cursor(request.url or "")
                and _error_code(response) in CURSOR_ERRORS
            ):
                restarts += 1
                self.stats.add(cursor_restarts=1)
                response.close()
                request = request.copy()
                request.prepare_url(url_without_cursor(request.url or ""), None)
                continue
            return response

    def _back_off(self, bucket: TokenBucket, response: requests.Response, attempt: int) -> None:
        is_rate_limited = response.status_code == 429
        self.stats.add(retries=1, rate_limited=int(is_rate_limited), server_errors=int(not is_rate_limited))
        wait_s = parse_retry_after(response.headers.get("Retry-After"))
        if wait_s is None:
            wait_s = backoff_seconds(attempt, self.backoff_cap_s)
        response.close()
        if is_rate_limited:
            # The bucket is shared: every thread waits, instead of each one earning its own 429.
            bucket.pause(wait_s)
        else:
            time.sleep(wait_s)
