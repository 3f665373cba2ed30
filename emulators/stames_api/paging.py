"""Query parameters, keyset pages and the list envelope shared by every list endpoint (§2.2, §2.3)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from starlette.requests import Request

from emulators.stames_api.clock import format_timestamp, to_epoch_ms
from emulators.stames_api.cursors import CursorCodec, CursorState, Filters
from emulators.stames_api.errors import ApiError, invalid_parameter
from emulators.stames_api.table import SortKey

Item = TypeVar("Item")
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
SNAPSHOT_LAG_MS = 60_000
PAGING_PARAMS = frozenset({"cursor", "limit"})


@dataclass(frozen=True)
class PageRequest:
    """A list request after its cursor was checked: effective filters, limit and resume point."""

    endpoint: str
    filters: Filters
    limit: int
    after_key: SortKey | None
    snapshot_ms: int | None

    def first(self, name: str) -> str | None:
        values = self.filters.get(name)
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return self.filters.get(name, [])


def request_filters(request: Request) -> Filters:
    """Every query parameter except paging ones, values sorted so order does not matter."""
    filters: Filters = {}
    for name in request.query_params:
        if name not in PAGING_PARAMS:
            filters[name] = sorted(request.query_params.getlist(name))
    return filters


def parse_limit(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError as exc:
        raise invalid_parameter("limit", "not_an_integer", "limit must be an integer") from exc
    return min(MAX_LIMIT, max(1, value))


def page_request(
    request: Request, endpoint: str, codec: CursorCodec, now_ms: int, snapshot_ms: int | None
) -> PageRequest:
    """Resolve limit and cursor; a first page takes `snapshot_ms`, later pages the cursor's."""
    filters = request_filters(request)
    limit = parse_limit(request.query_params.get("limit"))
    token = request.query_params.get("cursor")
    if not token:
        return PageRequest(endpoint, filters, limit, None, snapshot_ms)
    state = codec.decode(token, endpoint, filters, now_ms)
    return PageRequest(endpoint, state.filters, limit, state.last_key, state.snapshot_ms)


def parse_bool(page: PageRequest, name: str, default: bool) -> bool:
    raw = page.first(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in {"true", "1", "yes"}:
        return True
    if lowered in {"false", "0", "no"}:
        return False
    raise invalid_parameter(name, "not_a_boolean", f"{name} must be true or false")


def parse_int(page: PageRequest, name: str) -> int | None:
    raw = page.first(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise invalid_parameter(name, "not_an_integer", f"{name} must be an integer") from exc


def parse_since(page: PageRequest, name: str, *, required: bool = False) -> int | None:
    """Epoch ms of an ISO-8601 bound that must carry a UTC offset (§2.3)."""
    raw = page.first(name)
    if raw is None:
        if required:
            raise invalid_parameter(name, "required", f"{name} is required")
        return None
    try:
        parsed = datetime.fromisoformat(raw.strip())
    except ValueError as exc:
        raise invalid_parameter(name, "invalid_format", f"{name} must be an ISO-8601 timestamp") from exc
    if parsed.tzinfo is None:
        raise invalid_parameter(
            name, "missing_timezone", f"{name} must be an ISO-8601 timestamp including a UTC offset"
        )
    return to_epoch_ms(parsed)


@dataclass
class Page:
    """One page of results before encoding: items, where the scan stopped, whether more may follow."""

    items: list[Any]
    last_key: SortKey | None
    has_more: bool


def collect(
    entries: Iterable[tuple[SortKey, Item]],
    limit: int,
    accept: Callable[[Item], bool],
    upper_ms: int | None = None,
    scan_budget: int = 5000,
) -> Page:
    """Walk entries in key order, keep accepted ones up to `limit`.

    Stops early after `scan_budget` rejected rows so one request stays cheap; the page is then
    short with has_more true, which the contract allows.
    """
    items: list[Item] = []
    last_key: SortKey | None = None
    for scanned, (key, item) in enumerate(entries):
        if upper_ms is not None and key[0] > upper_ms:
            return Page(items, last_key, False)
        if len(items) >= limit or scanned >= scan_budget:
            return Page(items, last_key, True)
        last_key = key
        if accept(item):
            items.append(item)
    return Page(items, last_key, False)


def envelope(
    page: Page, data: list[Any], request: PageRequest, codec: CursorCodec, now_ms: int, sort: str
) -> dict[str, Any]:
    """The §2.2 list envelope, with a signed cursor when more may follow."""
    next_cursor = None
    if page.has_more and page.last_key is not None:
        state = CursorState(request.endpoint, request.filters, page.last_key, request.snapshot_ms, now_ms)
        next_cursor = codec.encode(state)
    snapshot = format_timestamp(request.snapshot_ms) if request.snapshot_ms is not None else None
    return {
        "data": data,
        "next_cursor": next_cursor,
        "has_more": next_cursor is not None,
        "meta": {"limit": request.limit, "snapshot_at": snapshot, "sort": sort},
    }


def bad_request(message: str) -> ApiError:
    return ApiError(400, "invalid_parameter", message)
