"""`query` / `queryAll` with `nextRecordsUrl` paging over the SOQL evaluator.

A query runs once; its rows wait in a cursor and are handed out a batch at a time (2,000 by
default, `Sforce-Query-Options: batchSize=N` within 200..2,000) [doc: headers_queryoptions].
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emulators.salesforce.http import error_messages
from emulators.salesforce.http.errors import SalesforceApiError
from emulators.salesforce.http.requests_io import api_version, flag
from emulators.salesforce.org.ids import mint
from emulators.salesforce.soql import SoqlError, execute

DEFAULT_BATCH = 2000
MIN_BATCH = 200
MAX_OPEN_CURSORS = 200  # oldest cursors are dropped first, as Salesforce caps open cursors per user
_BATCH_OPTION = re.compile(r"batchSize\s*=\s*(\d+)", re.IGNORECASE)
_CURSOR_PATH = re.compile(r"^(?P<locator>01g[0-9A-Za-z]{15})-(?P<offset>\d+)$")


@dataclass
class Cursor:
    """Rows of one query still to be fetched."""

    records: list[dict[str, Any]]
    batch_size: int
    total_size: int


class QueryCursors:
    """Open query cursors of the server, keyed by their `01g…` locator (thread-safe)."""

    def __init__(self) -> None:
        self._cursors: OrderedDict[str, Cursor] = OrderedDict()
        self._sequence = itertools.count(1)
        self._lock = threading.Lock()

    def open(self, records: list[dict[str, Any]], batch_size: int, total_size: int) -> str:
        with self._lock:
            locator = mint("01g", next(self._sequence))
            self._cursors[locator] = Cursor(records, batch_size, total_size)
            while len(self._cursors) > MAX_OPEN_CURSORS:
                self._cursors.popitem(last=False)
            return locator

    def get(self, locator: str) -> Cursor | None:
        with self._lock:
            return self._cursors.get(locator)

    def close(self, locator: str) -> None:
        with self._lock:
            self._cursors.pop(locator, None)

    def clear(self) -> None:
        with self._lock:
            self._cursors.clear()


def batch_size(request: Request) -> int:
    match = _BATCH_OPTION.search(request.headers.get("sforce-query-options", ""))
    if not match:
        return DEFAULT_BATCH
    return max(MIN_BATCH, min(DEFAULT_BATCH, int(match.group(1))))


def _page(request: Request, locator: str, cursor: Cursor, offset: int) -> dict[str, Any]:
    end = offset + cursor.batch_size
    page: dict[str, Any] = {"totalSize": cursor.total_size, "done": end >= len(cursor.records)}
    if page["done"]:
        request.app.state.cursors.close(locator)
    else:
        page["nextRecordsUrl"] = f"/services/data/v{api_version(request)}/query/{locator}-{end}"
    page["records"] = cursor.records[offset:end]
    return page


def _column(name: str, children: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "aggregate": False,
        "apexType": None,
        "booleanType": False,
        "columnName": name,
        "custom": name.endswith("__c") or name.endswith("__r"),
        "displayName": name,
        "foreignKeyName": None,
        "insertable": False,
        "joinColumns": children,
        "numberType": False,
        "textType": False,
        "updatable": False,
    }


def column_metadata(columns: list[str]) -> list[dict[str, Any]]:
    """`?columns=true` (what `sf data query` asks first): the SELECT list as a tree, parent
    relationships holding their fields in `joinColumns`, in SELECT order."""
    tree: dict[str, Any] = {}
    for column in columns:
        node = tree
        for part in column.split("."):
            node = node.setdefault(part, {})

    def build(nodes: dict[str, Any]) -> list[dict[str, Any]]:
        return [_column(name, build(children)) for name, children in nodes.items()]

    return build(tree)


async def run_query(request: Request, *, include_deleted: bool) -> Response:
    soql = request.query_params.get("q")
    if not soql or not soql.strip():
        raise SalesforceApiError(400, "MALFORMED_QUERY", "A query string has to be specified")
    try:
        result = await run_in_threadpool(
            execute, request.app.state.org, soql, include_deleted=include_deleted
        )
    except SoqlError as error:
        raise SalesforceApiError(400, error.code, error.message) from error
    if flag(request.query_params.get("columns")):
        return JSONResponse(
            {
                "columnMetadata": column_metadata(list(result.columns)),
                "entityName": result.sobject,
                "groupBy": False,
            }
        )
    if result.is_count:
        return JSONResponse({"totalSize": result.total_size, "done": True, "records": []})
    size = batch_size(request)
    cursors: QueryCursors = request.app.state.cursors
    if len(result.records) <= size:
        return JSONResponse({"totalSize": result.total_size, "done": True, "records": result.records})
    locator = cursors.open(result.records, size, result.total_size)
    cursor = cursors.get(locator)
    assert cursor is not None
    return JSONResponse(_page(request, locator, cursor, 0))


async def query(request: Request) -> Response:
    return await run_query(request, include_deleted=False)


async def query_all(request: Request) -> Response:
    return await run_query(request, include_deleted=True)


async def query_more(request: Request) -> Response:
    """`GET {nextRecordsUrl}`: the next batch of an open cursor."""
    match = _CURSOR_PATH.match(request.path_params["cursor"])
    cursor = request.app.state.cursors.get(match.group("locator")) if match else None
    if match is None or cursor is None:
        raise SalesforceApiError(400, *error_messages.BAD_QUERY_LOCATOR)
    return JSONResponse(_page(request, match.group("locator"), cursor, int(match.group("offset"))))
