"""Token buckets and injected transport faults (API.md §2.4, §3 #29).

Buckets run on the real monotonic clock even when the API clock is frozen: throttling is about
request pace, not about the data's notion of 'now'.
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate

from emulators.stames_api.errors import ApiError


class _EveryNth:
    """Counts responses and says which ones are every N-th (N <= 0: none). Not thread-safe."""

    def __init__(self, every_n: int) -> None:
        self.every_n = every_n
        self.seen = 0

    @property
    def enabled(self) -> bool:
        return self.every_n > 0

    def next_is_hit(self) -> bool:
        self.seen += 1
        return self.seen % self.every_n == 0


@dataclass
class BucketReading:
    """What the X-RateLimit-* headers report after one request."""

    limit: int
    remaining: int
    reset_seconds: int
    allowed: bool
    retry_after_seconds: int


UNLIMITED_READING = BucketReading(
    limit=1_000_000, remaining=1_000_000, reset_seconds=0, allowed=True, retry_after_seconds=0
)


class TokenBucket:
    """Capacity `rate`, refilled at `rate` tokens per second; rate <= 0 means unlimited."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.capacity = max(rate, 1.0)
        self._tokens = self.capacity
        self._stamp = time.monotonic()

    def take(self) -> BucketReading:
        if self.rate <= 0:
            return UNLIMITED_READING
        now = time.monotonic()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        allowed = self._tokens >= 1.0
        if allowed:
            self._tokens -= 1.0
        missing = self.capacity - self._tokens
        return BucketReading(
            limit=math.ceil(self.rate),
            remaining=int(self._tokens),
            reset_seconds=math.ceil(missing / self.rate),
            allowed=allowed,
            retry_after_seconds=max(1, math.ceil((1.0 - self._tokens) / self.rate)),
        )


def rate_limit_headers(reading: BucketReading) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(reading.limit),
        "X-RateLimit-Remaining": str(reading.remaining),
        "X-RateLimit-Reset": str(reading.reset_seconds),
    }


class Throttle:
    """Per-key API buckets, one shared file bucket, and the fault dice; thread-safe."""

    def __init__(
        self,
        api_rps: float,
        download_rps: float,
        *,
        fault_429_rate: float,
        fault_503_every_n: int,
        fault_file_503_rate: float,
        httpdate_rate: float,
        seed: int,
        fault_truncate_every_n: int = 0,
        fault_file_truncate_every_n: int = 0,
    ) -> None:
        self._api_rps = api_rps
        self._buckets: dict[str, TokenBucket] = {}
        self._files = TokenBucket(download_rps)
        self._fault_429_rate = fault_429_rate
        self._fault_503_every_n = fault_503_every_n
        self._fault_file_503_rate = fault_file_503_rate
        self._httpdate_rate = httpdate_rate
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._api_requests = 0
        self._api_responses = _EveryNth(fault_truncate_every_n)
        self._file_responses = _EveryNth(fault_file_truncate_every_n)
        self.counts: dict[str, int] = {
            "requests": 0,
            "file_requests": 0,
            "429": 0,
            "503": 0,
            "truncated": 0,
            "files_truncated": 0,
        }

    def truncate_next_response(self) -> bool:
        """Whether this API response is to be cut off halfway (every N-th, like the 503 fault)."""
        return self._count_fault(self._api_responses, "truncated")

    def truncate_next_file(self) -> bool:
        """Whether this `/files/*` response is to be cut off halfway (every N-th file response)."""
        return self._count_fault(self._file_responses, "files_truncated")

    def _count_fault(self, responses: _EveryNth, counter: str) -> bool:
        if not responses.enabled:
            return False
        with self._lock:
            hit = responses.next_is_hit()
            if hit:
                self.counts[counter] += 1
        return hit

    def retry_after(self, seconds: int) -> str:
        """Integer seconds, or an HTTP-date at the configured rate (RFC 9110 allows both)."""
        with self._lock:
            as_date = self._random.random() < self._httpdate_rate
        if as_date:
            return formatdate(time.time() + seconds, usegmt=True)
        return str(seconds)

    def admit_api(self, key: str) -> dict[str, str]:
        """Rate-limit headers for this request; raises 429/503 when it must be refused."""
        with self._lock:
            bucket = self._buckets.setdefault(key, TokenBucket(self._api_rps))
            reading = bucket.take()
            self._api_requests += 1
            self.counts["requests"] += 1
            injected_429 = self._random.random() < self._fault_429_rate
            injected_503 = self._fault_503_every_n > 0 and self._api_requests % self._fault_503_every_n == 0
        limit_text = f"{reading.limit}" if reading.limit else "the"
        return self._admit_or_refuse(
            reading,
            throttled=not reading.allowed or injected_429,
            unavailable=injected_503,
            throttled_message=f"Rate limit of {limit_text} requests/second exceeded",
            unavailable_message="Service temporarily unavailable, retry later",
        )

    def admit_file(self) -> dict[str, str]:
        """Like `admit_api` for the file host's separate bucket and its 503 fault."""
        with self._lock:
            reading = self._files.take()
            self.counts["file_requests"] += 1
            injected_503 = self._random.random() < self._fault_file_503_rate
        return self._admit_or_refuse(
            reading,
            throttled=not reading.allowed,
            unavailable=injected_503,
            throttled_message=f"Download rate limit of {reading.limit} requests/second exceeded",
            unavailable_message="File host temporarily unavailable",
        )

    def _admit_or_refuse(
        self,
        reading: BucketReading,
        *,
        throttled: bool,
        unavailable: bool,
        throttled_message: str,
        unavailable_message: str,
    ) -> dict[str, str]:
        """The headers for an admitted request, or the 429/503 error that refuses it."""
        headers = rate_limit_headers(reading)
        if throttled:
            self._count("429")
            retry = {**headers, "Retry-After": self.retry_after(reading.retry_after_seconds)}
            raise ApiError(429, "rate_limited", throttled_message, headers=retry)
        if unavailable:
            self._count("503")
            retry = {**headers, "Retry-After": self.retry_after(1)}
            raise ApiError(503, "service_unavailable", unavailable_message, headers=retry)
        return headers

    def idle_headers(self) -> dict[str, str]:
        """Headers for responses refused before a bucket applies (auth errors, /portal)."""
        limit = math.ceil(self._api_rps) if self._api_rps > 0 else 0
        return {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(limit),
            "X-RateLimit-Reset": "0",
        }

    def _count(self, name: str) -> None:
        with self._lock:
            self.counts[name] += 1
