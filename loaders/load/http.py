"""One HTTP channel to the org for the whole load: retries with backoff, and the API budget.

Every call the loader makes goes through `OrgHttp.request`, so the count of calls, the
`Sforce-Limit-Info` reading and the stop at the budget live in one place. Retries are tenacity's
(exponential with jitter) on what a resend can cure: 503, connection resets, and the concurrent
job limit (REQUEST_LIMIT_EXCEEDED "ConcurrentRequests"). The *daily* limit is never retried: the
run pauses and is resumed later.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential

LIMIT_INFO = re.compile(r"api-usage=(\d+)/(\d+)")
RETRYABLE_STATUS = frozenset({502, 503, 504})
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
)


@dataclass(frozen=True)
class Clock:
    """Where the loader reads the time and waits; tests hand in a fake one."""

    sleep: Callable[[float], None] = time.sleep
    now: Callable[[], datetime] = lambda: datetime.now(UTC)


SYSTEM_CLOCK = Clock()


class OrgError(Exception):
    """The org refused a call for a reason a resend does not cure; the message is one line."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}" if code else message)
        self.status = status
        self.code = code


class RetryableError(Exception):
    """A call that may succeed when sent again."""


class BudgetReachedError(Exception):
    """The run used the share of the daily API allowance it was given, or the org's daily limit
    is spent: stop cleanly, resume later."""


@dataclass
class ApiUsage:
    """Calls this run made, and the org's daily usage as the last response reported it."""

    calls: int = 0
    org_used: int | None = None
    org_max: int | None = None
    stop_at: int | None = None
    """Stop before a call once the org's usage reaches this (None: no budget)."""


class OrgHttp:
    """Calls to `/services/data/vXX.X/...` on an org, over a session that already authenticates."""

    def __init__(
        self,
        session: requests.Session,
        instance_url: str,
        api_version: str,
        headers: dict[str, str],
        *,
        clock: Clock = SYSTEM_CLOCK,
        attempts: int = 6,
        max_backoff_s: float = 30.0,
    ) -> None:
        self.session = session
        self.instance_url = instance_url.rstrip("/")
        self.api_version = api_version
        self.base = f"{self.instance_url}/services/data/v{api_version}"
        # Case assignment rules run on a REST insert unless the call says otherwise [doc: REST API
        # guide, Sforce-Auto-Assign header]; a migration keeps the owners it was given.
        self.headers = {"Authorization": headers["Authorization"], "Sforce-Auto-Assign": "FALSE"}
        self.clock = clock
        self.usage = ApiUsage()
        self._lock = threading.Lock()
        self._attempts = attempts
        self._max_backoff_s = max_backoff_s

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base}/{path.lstrip('/')}"

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send one call, retrying what a resend can cure; raise `OrgError` for the rest."""
        retrying = Retrying(
            retry=retry_if_exception_type((RetryableError, *TRANSIENT_ERRORS)),
            wait=wait_random_exponential(multiplier=0.5, max=self._max_backoff_s),
            stop=stop_after_attempt(self._attempts),
            sleep=self.clock.sleep,
            reraise=True,
        )
        try:
            return retrying(self._send, method, path, **kwargs)
        except RetryableError as error:
            raise OrgError(
                503, "SERVER_UNAVAILABLE", f"still failing after {self._attempts} attempts: {error}"
            ) from None

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        return response.json() if response.content else None

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        self._check_budget()
        headers = {**self.headers, **kwargs.pop("headers", {})}
        body_factory = kwargs.pop("body_factory", None)
        if body_factory is not None:  # a streamed body is built anew for every attempt
            kwargs["data"], content_type = body_factory()
            headers["Content-Type"] = content_type
        response = self.session.request(method, self.url(path), headers=headers, timeout=300, **kwargs)
        self._observe(response)
        if response.status_code < 300:
            return response
        code, message = _error_of(response)
        if response.status_code in RETRYABLE_STATUS:
            raise RetryableError(f"{response.status_code} {code}".strip())
        if code == "REQUEST_LIMIT_EXCEEDED":
            if "TotalRequests" in message:
                raise BudgetReachedError(f"the org's daily API limit is spent ({message})")
            raise RetryableError(f"{code}: {message}")
        raise OrgError(response.status_code, code, message)

    def _check_budget(self) -> None:
        with self._lock:
            usage = self.usage
            if usage.stop_at is not None and usage.org_used is not None and usage.org_used >= usage.stop_at:
                raise BudgetReachedError(
                    f"the run reached its API budget: the org has used {usage.org_used:,} of "
                    f"{usage.org_max:,} calls today, and this run stops at {usage.stop_at:,}"
                )

    def _observe(self, response: requests.Response) -> None:
        match = LIMIT_INFO.search(response.headers.get("Sforce-Limit-Info", ""))
        with self._lock:
            if match:
                self.usage.calls += 1
                self.usage.org_used, self.usage.org_max = int(match.group(1)), int(match.group(2))
            elif response.status_code < 500:
                self.usage.calls += 1


def _error_of(response: requests.Response) -> tuple[str, str]:
    """Salesforce's `[{"errorCode","message"}]` (or an OAuth-style body), as (code, message)."""
    try:
        body = response.json()
    except ValueError:
        return "", (response.text or response.reason or str(response.status_code))[:300].replace("\n", " ")
    if isinstance(body, list) and body and isinstance(body[0], dict):
        return str(body[0].get("errorCode") or ""), str(body[0].get("message") or "")
    if isinstance(body, dict):
        return str(body.get("errorCode") or body.get("error") or ""), str(
            body.get("message") or body.get("error_description") or ""
        )
    return "", str(body)[:300]
