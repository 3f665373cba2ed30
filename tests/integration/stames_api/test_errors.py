"""Auth, scopes and the error envelope (API.md §2.1, §2.5) over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from emulators.stames_api.settings import DEFAULT_API_KEY
from tests.fixtures.stames_api import RunningStames, StartStames


def _assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["request_id"] == response.headers["X-Request-Id"]
    assert error["request_id"].startswith("req_")
    assert isinstance(error["details"], list)
    for header in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
        assert header in response.headers


@pytest.mark.parametrize("key", [None, "sk_test_wrong00000000000000000000000000"])
def test_missing_or_unknown_key_is_unauthorized(stames: RunningStames, key: str | None) -> None:
    headers = {"X-Stames-Api-Key": key} if key else {}
    response = httpx.get(f"{stames.api_url}/tickets", headers=headers)
    _assert_error(response, 401, "unauthorized")


def test_key_without_scope_is_refused(start_stames: StartStames) -> None:
    limited_key = "sk_test_ticketsonly00000000000000000000"
    stames = start_stames(api_keys={limited_key: {"tickets:read"}, DEFAULT_API_KEY: {"agents:read"}})
    with httpx.Client(base_url=stames.api_url, headers={"X-Stames-Api-Key": limited_key}) as client:
        assert client.get("/tickets").status_code == 200
        assert client.get("/account").status_code == 200
        _assert_error(client.get("/agents"), 403, "insufficient_scope")
        _assert_error(client.get("/agents/17"), 403, "insufficient_scope")
        _assert_error(client.get("/ticket_statuses"), 403, "insufficient_scope")
        _assert_error(client.get("/attachments/77001"), 403, "insufficient_scope")


@pytest.mark.parametrize(
    "path",
    [
        "/tickets/999999",
        "/tickets/abc",
        "/agents/5",
        "/customers/1",
        "/tickets/10234/messages/900300",
        "/tickets/10234/messages/123",
        "/attachments/1",
        "/custom_objects/unknown/records",
        "/portal",
        "/portal/theme/colors",
        "/no/such/endpoint",
    ],
)
def test_unknown_things_are_not_found(stames: RunningStames, path: str) -> None:
    with stames.client() as client:
        _assert_error(client.get(path), 404, "not_found")


def test_portal_is_404_even_without_a_key(stames: RunningStames) -> None:
    assert httpx.get(f"{stames.api_url}/portal").status_code == 404


def test_soft_deleted_ticket_is_gone_unless_asked_for(stames: RunningStames) -> None:
    with stames.client() as client:
        _assert_error(client.get("/tickets/10150"), 410, "gone")
        _assert_error(client.get("/tickets/10150/messages"), 410, "gone")
        shown = client.get("/tickets/10150", params={"include_deleted": "true"})
    assert shown.status_code == 200
    assert shown.json()["status"] == "deleted"
    assert shown.json()["deleted_at"] is not None


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/tickets", {"limit": "ten"}, "limit"),
        ("/tickets", {"include_deleted": "maybe"}, "include_deleted"),
        ("/tickets", {"customer_id": "x"}, "customer_id"),
        ("/tickets", {"updated_since": "yesterday"}, "updated_since"),
        ("/deleted_records", {}, "deleted_since"),
        ("/deleted_records", {"deleted_since": "2024-01-01T00:00:00Z", "object": "planet"}, "object"),
        ("/agents", {"status": "sleeping"}, "status"),
        ("/custom_fields", {"object_type": "agent"}, "object_type"),
    ],
)
def test_bad_parameters_are_invalid(
    stames: RunningStames, path: str, params: dict[str, str], field: str
) -> None:
    with stames.client() as client:
        response = client.get(path, params=params)
    _assert_error(response, 400, "invalid_parameter")
    assert response.json()["error"]["details"][0]["field"] == field


def test_every_success_carries_request_id_and_rate_headers(stames: RunningStames) -> None:
    with stames.client() as client:
        responses = [client.get(path) for path in ("/account", "/tickets", "/tags", "/tickets/10234")]
    request_ids = {response.headers["X-Request-Id"] for response in responses}
    assert len(request_ids) == len(responses)
    for response in responses:
        assert response.status_code == 200
        assert int(response.headers["X-RateLimit-Remaining"]) >= 0


def test_gzip_is_honoured_on_api_responses(stames: RunningStames) -> None:
    with stames.client() as client:
        zipped = client.get("/messages", headers={"Accept-Encoding": "gzip"})
        plain = client.get("/messages", headers={"Accept-Encoding": "identity"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert zipped.json()["data"] == plain.json()["data"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("PUT", "/tickets"), ("DELETE", "/tickets/10234"), ("PATCH", "/customers/5521"), ("POST", "/tickets")],
)
def test_writes_to_a_read_only_endpoint_are_405_in_the_envelope(
    stames: RunningStames, method: str, path: str
) -> None:
    with stames.client() as client:
        response = client.request(method, path)
    _assert_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "GET, HEAD"


def test_writes_to_an_unknown_path_stay_404(stames: RunningStames) -> None:
    with stames.client() as client:
        _assert_error(client.put("/no/such/endpoint"), 404, "not_found")
