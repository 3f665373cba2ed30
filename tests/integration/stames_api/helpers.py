"""Small helpers shared by the Stames API integration tests (no server logic re-implemented)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def scan(
    client: httpx.Client,
    path: str,
    params: dict[str, Any] | None = None,
    *,
    limit: int = 50,
    after_page: Callable[[int], None] | None = None,
) -> list[dict[str, Any]]:
    """Follow next_cursor to the end, re-sending the filters as dlt does; returns every item."""
    items: list[dict[str, Any]] = []
    query = {**(params or {}), "limit": limit}
    page_number = 0
    while True:
        response = client.get(path, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        items.extend(body["data"])
        page_number += 1
        if after_page is not None:
            after_page(page_number)
        if not body["has_more"]:
            assert body["next_cursor"] is None
            return items
        query = {**(params or {}), "limit": limit, "cursor": body["next_cursor"]}


def ids(items: list[dict[str, Any]]) -> list[Any]:
    return [item["id"] for item in items]
