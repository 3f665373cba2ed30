"""The load's one channel to the org: retries, the API count and the budget stop.

A requests adapter answers from a script, so nothing listens and no time passes."""

from __future__ import annotations

import json

import pytest
import requests
from requests.adapters import BaseAdapter

from loaders.load.http import BudgetReachedError, Clock, OrgError, OrgHttp


class ScriptedAdapter(BaseAdapter):
    def __init__(self, answers: list[tuple[int, object, dict[str, str]]]) -> None:
        super().__init__()
        self.answers = answers
        self.sent: list[requests.PreparedRequest] = []

    def send(self, request: requests.PreparedRequest, **_: object) -> requests.Response:
        self.sent.append(request)
        status, body, headers = self.answers.pop(0)
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.headers.update({"Content-Type": "application/json", **headers})
        response.request = request
        response.url = request.url or ""
        return response

    def close(self) -> None:
        pass


def _http(
    answers: list[tuple[int, object, dict[str, str]]], sleeps: list[float]
) -> tuple[OrgHttp, ScriptedAdapter]:
    adapter = ScriptedAdapter(answers)
    session = requests.Session()
    session.mount("https://", adapter)
    http = OrgHttp(
        session,
        "https://org.example",
        "62.0",
        {"Authorization": "Bearer t"},
        clock=Clock(sleep=sleeps.append),
    )
    return http, adapter


def usage(used: int, limit: int = 15000) -> dict[str, str]:
    return {"Sforce-Limit-Info": f"api-usage={used}/{limit}"}


UNAVAILABLE = (503, [{"errorCode": "SERVER_UNAVAILABLE", "message": "Service temporarily unavailable"}], {})


def test_a_503_is_sent_again_after_a_backoff_and_the_calls_are_counted() -> None:
    sleeps: list[float] = []
    http, adapter = _http([UNAVAILABLE, UNAVAILABLE, (200, {"ok": True}, usage(7))], sleeps)
    assert http.json("GET", "limits") == {"ok": True}
    assert len(adapter.sent) == 3
    assert len(sleeps) == 2
    assert http.usage.calls == 1  # a 503 is not counted against the org's allowance
    assert (http.usage.org_used, http.usage.org_max) == (7, 15000)
    assert adapter.sent[0].headers["Sforce-Auto-Assign"] == "FALSE"


def test_the_daily_limit_pauses_instead_of_retrying() -> None:
    spent = (
        403,
        [{"errorCode": "REQUEST_LIMIT_EXCEEDED", "message": "TotalRequests Limit exceeded."}],
        usage(5, 5),
    )
    http, adapter = _http([spent], [])
    with pytest.raises(BudgetReachedError, match="daily API limit"):
        http.request("GET", "sobjects")
    assert len(adapter.sent) == 1


def test_the_concurrent_job_limit_is_retried() -> None:
    busy = (
        403,
        [
            {
                "errorCode": "REQUEST_LIMIT_EXCEEDED",
                "message": "ConcurrentRequests (Concurrent Bulk API 2.0 Jobs) Limit exceeded.",
            }
        ],
        usage(3),
    )
    sleeps: list[float] = []
    http, adapter = _http([busy, (200, {"id": "750x"}, usage(4))], sleeps)
    assert http.json("POST", "jobs/ingest", json={}) == {"id": "750x"}
    assert len(adapter.sent) == 2 and len(sleeps) == 1


def test_the_run_stops_before_a_call_once_its_budget_is_used() -> None:
    http, adapter = _http([(200, {}, usage(80)), (200, {}, usage(81))], [])
    http.usage.stop_at = 80
    http.request("GET", "limits")
    with pytest.raises(BudgetReachedError, match="API budget"):
        http.request("GET", "limits")
    assert len(adapter.sent) == 1


def test_other_refusals_are_one_line_errors_with_the_code() -> None:
    refused = (400, [{"errorCode": "INVALIDJOB", "message": "InvalidJob : Field name provided"}], usage(2))
    http, _ = _http([refused], [])
    with pytest.raises(OrgError) as error:
        http.request("POST", "jobs/ingest", json={})
    assert (error.value.status, error.value.code) == (400, "INVALIDJOB")
    assert "\n" not in str(error.value)
