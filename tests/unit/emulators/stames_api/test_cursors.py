"""Cursor signing, binding and expiry without a server."""

from __future__ import annotations

import pytest

from emulators.stames_api.cursors import CursorCodec, CursorState
from emulators.stames_api.errors import ApiError

FILTERS = {"status": ["open"], "updated_since": ["2024-01-01T00:00:00Z"]}
STATE = CursorState("tickets", FILTERS, (1_714_000_000_000, 10234), 1_717_243_140_000, 1_717_243_200_000)


def _codec(ttl: int = 86400) -> CursorCodec:
    return CursorCodec(seed=42, ttl_seconds=ttl)


def test_round_trip_keeps_position_filters_and_snapshot() -> None:
    token = _codec().encode(STATE)
    assert _codec().decode(token, "tickets", {}, STATE.issued_ms) == STATE
    assert _codec().decode(token, "tickets", FILTERS, STATE.issued_ms) == STATE


@pytest.mark.parametrize(
    ("endpoint", "filters"),
    [("customers", {}), ("tickets", {"status": ["pending"]}), ("tickets", {"status": ["open"]})],
)
def test_mismatched_endpoint_or_filters_are_invalid(endpoint: str, filters: dict[str, list[str]]) -> None:
    token = _codec().encode(STATE)
    with pytest.raises(ApiError) as caught:
        _codec().decode(token, endpoint, filters, STATE.issued_ms)
    assert caught.value.code == "invalid_cursor"


def test_a_cursor_from_another_seed_or_tampered_is_invalid() -> None:
    token = _codec().encode(STATE)
    body, _, signature = token.partition(".")
    for forged in (CursorCodec(seed=43, ttl_seconds=60).encode(STATE), body + "x." + signature, "é.é", ""):
        with pytest.raises(ApiError) as caught:
            _codec().decode(forged, "tickets", {}, STATE.issued_ms)
        assert caught.value.code == "invalid_cursor"


def test_expiry_is_counted_from_issue() -> None:
    token = _codec(ttl=60).encode(STATE)
    assert _codec(ttl=60).decode(token, "tickets", {}, STATE.issued_ms + 60_000) == STATE
    with pytest.raises(ApiError) as caught:
        _codec(ttl=60).decode(token, "tickets", {}, STATE.issued_ms + 60_001)
    assert caught.value.code == "cursor_expired"
