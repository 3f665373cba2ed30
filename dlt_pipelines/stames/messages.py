"""The `/messages` feed, with truncated bodies completed while the next page is on its way.

dlt runs only a parallelized resource's generator in its worker pool; map steps run on the one
main thread. Fetching full bodies (§2.7 #9) in a map step would therefore stall every resource,
so this resource fetches them itself, concurrently, overlapping the next list page.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import dlt
from dlt.extract import DltResource
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import BasePaginator, JSONResponseCursorPaginator

from dlt_pipelines.stames import settings
from dlt_pipelines.stames.helpers import (
    escape_lone_surrogates,
    has_truncated_body,
    message_detail_path,
    with_full_body,
)
from dlt_pipelines.stames.transport import StamesSession

CURSOR_FIELD = "updated_at"
FetchDetail = Callable[[dict[str, Any]], dict[str, Any]]
PendingPage = tuple[list[dict[str, Any]], dict[int, Future[dict[str, Any]]]]


def _submit_details(pool: ThreadPoolExecutor, items: list[dict[str, Any]], fetch: FetchDetail) -> PendingPage:
    futures = {
        index: pool.submit(fetch, item) for index, item in enumerate(items) if has_truncated_body(item)
    }
    return items, futures


def _resolve(pending: PendingPage) -> list[dict[str, Any]]:
    items, futures = pending
    for index, future in futures.items():
        items[index] = future.result()
    return items


def messages_resource(
    http: StamesSession,
    base_url: str,
    fetch_full: FetchDetail,
    *,
    detail_workers: int = 4,
    paginator: BasePaginator | None = None,
) -> DltResource:
    """Incremental, merged on `id`; each page is yielded once its truncated bodies are whole.

    `paginator` follows `next_cursor` (a fresh copy per extraction; by default to the last page)."""
    client = RESTClient(base_url=base_url.rstrip("/") + "/", session=http)

    @dlt.resource(
        name="messages",
        primary_key="id",
        write_disposition="merge",
        columns=settings.MESSAGE_COLUMNS,
        parallelized=True,
    )
    def messages(
        updated_at: dlt.sources.incremental[str] = dlt.sources.incremental(  # noqa: B008 - dlt's idiom
            CURSOR_FIELD, initial_value=settings.INITIAL_CURSOR, on_cursor_value_missing="include"
        ),
    ) -> Iterator[list[dict[str, Any]]]:
        params = {
            **settings.MESSAGES_PARAMS,
            "limit": settings.PAGE_LIMIT,
            "updated_since": updated_at.start_value,
        }
        pages = (
            copy.deepcopy(paginator)
            if paginator is not None
            else JSONResponseCursorPaginator(cursor_path="next_cursor", cursor_param="cursor")
        )
        pending: PendingPage | None = None
        with ThreadPoolExecutor(max_workers=detail_workers, thread_name_prefix="message-body") as pool:
            for page in client.paginate("messages", params=params, paginator=pages, data_selector="data"):
                current = _submit_details(pool, [escape_lone_surrogates(item) for item in page], fetch_full)
                if pending is not None:
                    yield _resolve(pending)
                pending = current
            if pending is not None:
                yield _resolve(pending)

    return messages


def full_body_fetcher(http: StamesSession, base_url: str) -> FetchDetail:
    """Replace a listed message by its detail view (#9); keep it as listed if it is gone."""
    root = base_url.rstrip("/")

    def fetch(message: dict[str, Any]) -> dict[str, Any]:
        http.stats.add(full_body_fetches=1)
        response = http.get(f"{root}/{message_detail_path(message)}")
        if response.status_code in (404, 410):
            return message
        response.raise_for_status()
        return with_full_body(message, escape_lone_surrogates(response.json()))

    return fetch
