"""The two list shapes: incremental keyset feeds (§2.3) and fixed-order views (threads, catalogs)."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from emulators.stames_api.paging import (
    SNAPSHOT_LAG_MS,
    PageRequest,
    collect,
    envelope,
    page_request,
    parse_since,
)
from emulators.stames_api.server import Server
from emulators.stames_api.table import SortKey, Table

RowFilter = Callable[[int], bool]


def incremental_list(
    request: Request,
    server: Server,
    table: Table,
    endpoint: str,
    make_filter: Callable[[PageRequest], RowFilter],
    render: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    since_param: str = "updated_since",
    since_required: bool = False,
    sort: str = "updated_at,id",
    narrow: Callable[[PageRequest], list[int] | None] = lambda _page: None,
) -> dict[str, Any]:
    """A page of `table` in (updated_at, id) order from `updated_since`, bounded by snapshot_at.

    `narrow` may name the only rows that can match (e.g. one ticket's messages), so a selective
    filter does not walk the whole feed.
    """
    now_ms = server.clock.now_ms()
    snapshot_ms = now_ms - SNAPSHOT_LAG_MS if server.settings.snapshot_isolation else None
    page_req = page_request(request, endpoint, server.codec, now_ms, snapshot_ms)
    since_ms = parse_since(page_req, since_param, required=since_required)
    accept = make_filter(page_req)
    keys = table.keys
    candidates = narrow(page_req)
    if candidates is not None:
        lower: SortKey = page_req.after_key or ((since_ms,) if since_ms is not None else ())
        entries = sorted((keys[row], row) for row in candidates if keys[row] >= lower)
        if page_req.after_key is not None:
            entries = [entry for entry in entries if entry[0] > page_req.after_key]
        page = collect(iter(entries), page_req.limit, accept, page_req.snapshot_ms)
    else:
        if page_req.after_key is None:
            start: SortKey = (since_ms,) if since_ms is not None else ()
            rows = table.scan_from(start, inclusive=True)
        else:
            rows = table.scan_from(page_req.after_key, inclusive=False)
        page = collect(((keys[row], row) for row in rows), page_req.limit, accept, page_req.snapshot_ms)
    data = [render(table.record(row)) for row in page.items]
    return envelope(page, data, page_req, server.codec, now_ms, sort)


def ordered_list(
    request: Request,
    server: Server,
    endpoint: str,
    entries: list[tuple[SortKey, Any]],
    make_filter: Callable[[PageRequest], Callable[[Any], bool]],
    render: Callable[[Any], dict[str, Any]],
    sort: str,
) -> dict[str, Any]:
    """A page of already sorted `entries` (no snapshot): thread views and catalogs."""
    now_ms = server.clock.now_ms()
    page_req = page_request(request, endpoint, server.codec, now_ms, None)
    accept = make_filter(page_req)
    start = 0
    if page_req.after_key is not None:
        start = bisect.bisect_right([key for key, _ in entries], page_req.after_key)
    page = collect(iter(entries[start:]), page_req.limit, accept)
    data = [render(item) for item in page.items]
    return envelope(page, data, page_req, server.codec, now_ms, sort)


def positional(items: list[Any]) -> list[tuple[SortKey, Any]]:
    """Entries keyed by position, for catalogs whose order never changes while serving."""
    return [((position,), item) for position, item in enumerate(items)]


def accept_all(_page: PageRequest) -> Callable[[Any], bool]:
    return lambda _item: True
