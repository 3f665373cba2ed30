"""Extract a big first run as several bounded rounds, each normalized and loaded before the next.

dlt merges a load package in DuckDB with a semi-join on its deduplicated rows, so the memory a load
needs grows with the rows of one package. A first extraction of a large instance would be one huge
package. Instead each incremental feed stops after `max_pages` pages of a round; its cursor (the
largest `updated_at` loaded) is committed with the round's package, and the next round carries on
from there with the feeds that were cut short. The feeds sort by `(updated_at, id)` and
`updated_since` is inclusive (API.md §2.3), so dlt's deduplication of boundary rows makes the rounds
join without a gap or a duplicate, as its documentation describes for `add_limit` on ordered
incremental resources. The cap sits in the paginator rather than in `add_limit`: a page is cut
before it is fetched, so no page in flight can move the cursor past rows that were never loaded.

A round whose rows all share one cursor value cannot move the cursor; that feed runs uncapped next
round (rare: a bulk import stamping thousands of records with the same millisecond).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from dlt.sources.helpers.rest_client.paginators import JSONResponseCursorPaginator
from requests import Request, Response


@dataclass
class FeedRounds:
    """Which incremental feeds the current round cut short; shared by the feeds' paginators.

    `max_pages=None` never cuts. The object is shared, not copied, when dlt copies a config.
    """

    max_pages: int | None
    uncapped: set[str] = field(default_factory=set)
    """Feeds that run without a cap this round (their previous round could not move the cursor)."""
    cut_short: set[str] = field(default_factory=set)
    stuck: set[str] = field(default_factory=set)
    """Feeds cut short whose round held a single cursor value."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __deepcopy__(self, memo: dict[int, Any]) -> FeedRounds:
        return self

    def paginator(self, feed: str, cursor_field: str) -> CappedCursorPaginator:
        """A `next_cursor` paginator for `feed` that stops at this round's page cap."""
        max_pages = None if feed in self.uncapped else self.max_pages
        return CappedCursorPaginator(self, feed, cursor_field, max_pages)

    def next_round(self) -> set[str]:
        """Start the next round: return the feeds to extract again (those cut short)."""
        with self._lock:
            feeds = set(self.cut_short)
            self.uncapped = set(self.stuck)
            self.cut_short.clear()
            self.stuck.clear()
        return feeds

    def _record_cut(self, feed: str, single_cursor_value: bool) -> None:
        with self._lock:
            self.cut_short.add(feed)
            if single_cursor_value:
                self.stuck.add(feed)


class CappedCursorPaginator(JSONResponseCursorPaginator):
    """dlt's `next_cursor` paginator, reporting no next page once a round's pages are fetched."""

    def __init__(self, rounds: FeedRounds, feed: str, cursor_field: str, max_pages: int | None) -> None:
        super().__init__(cursor_path="next_cursor", cursor_param="cursor")
        self._rounds = rounds
        self._feed = feed
        self._cursor_field = cursor_field
        self._max_pages = max_pages
        self._pages = 0
        self._first_cursor_value: Any = None

    def __deepcopy__(self, memo: dict[int, Any]) -> CappedCursorPaginator:
        return CappedCursorPaginator(self._rounds, self._feed, self._cursor_field, self._max_pages)

    def init_request(self, request: Request) -> None:
        super().init_request(request)
        self._pages = 0
        self._first_cursor_value = None

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        super().update_state(response, data)
        rows = [row for row in data or [] if isinstance(row, dict)]
        if rows and self._pages == 0:
            self._first_cursor_value = rows[0].get(self._cursor_field)
        self._pages += 1
        if self._max_pages is None or not self._has_next_page or self._pages < self._max_pages:
            return
        self._has_next_page = False
        last_cursor_value = rows[-1].get(self._cursor_field) if rows else self._first_cursor_value
        self._rounds._record_cut(self._feed, last_cursor_value == self._first_cursor_value)
