"""The Stames helpdesk as a dlt source: every collection of the Stames REST API v1.

Built on dlt's `rest_api`: cursor pagination on `next_cursor`, incremental `updated_since` feeds
merged on primary keys, definition lists replaced on each run. Configuration follows dlt's
providers (`SOURCES__STAMES__BASE_URL` / `SOURCES__STAMES__API_KEY`, then `.dlt/secrets.toml`,
then `.dlt/config.toml`); explicit arguments are never injected over.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import dlt
from dlt.extract import DltResource
from dlt.sources.rest_api import rest_api_resources

from dlt_pipelines.stames import settings
from dlt_pipelines.stames.cursors import (
    AfterIncrementalMap,
    CursorRejects,
    hold_malformed_cursor,
    restore_held_cursor,
)
from dlt_pipelines.stames.helpers import escape_lone_surrogates
from dlt_pipelines.stames.messages import CURSOR_FIELD as MESSAGES_CURSOR_FIELD
from dlt_pipelines.stames.messages import full_body_fetcher, messages_resource
from dlt_pipelines.stames.rounds import FeedRounds
from dlt_pipelines.stames.transport import StamesSession


def _join(base_url: str, path: str) -> str:
    return f"{base_url.rstrip('/')}/{path.lstrip('/')}"


def fetch_json(session: StamesSession, base_url: str, path: str) -> Any | None:
    """GET one JSON document; `None` for 404/410 (gone since it was listed)."""
    response = session.get(_join(base_url, path))
    if response.status_code in (404, 410):
        return None
    response.raise_for_status()
    return response.json()


def list_custom_object_keys(session: StamesSession, base_url: str) -> list[str]:
    """Object keys from `/custom_objects`; each becomes its own records resource."""
    body = fetch_json(session, base_url, settings.CUSTOM_OBJECTS_PATH) or {}
    return sorted({str(item["key"]) for item in body.get("data", [])})


def _incremental(resource: dict[str, Any]) -> dict[str, Any]:
    configured = copy.deepcopy(resource)
    configured["endpoint"].setdefault("incremental", settings.updated_since())
    configured.setdefault("columns", settings.KEEP_NEWEST)
    return configured


def _catalogue(resource: dict[str, Any]) -> dict[str, Any]:
    configured = copy.deepcopy(resource)
    configured["write_disposition"] = "replace"
    return configured


def endpoint_resources(
    base_url: str, custom_object_keys: Sequence[str], rounds: FeedRounds | None = None
) -> list[dict[str, Any]]:
    """The rest_api resource list: feeds, catalogues, custom-object records, tombstones.

    With `rounds`, every incremental feed pages with a paginator that stops at the round's cap.
    """
    tables = settings.custom_object_table_names(custom_object_keys)
    records = [settings.custom_object_records_endpoint(key, tables[key]) for key in custom_object_keys]
    resources = [
        copy.deepcopy(settings.ACCOUNT_ENDPOINT),
        *(_incremental(resource) for resource in settings.INCREMENTAL_ENDPOINTS),
        *(_incremental(resource) for resource in records),
        *(_catalogue(resource) for resource in settings.CATALOGUE_ENDPOINTS),
        copy.deepcopy(settings.DELETED_RECORDS_ENDPOINT),
    ]
    if rounds is not None:
        for name, cursor_field in cursor_fields(resources).items():
            feed = next(resource for resource in resources if resource["name"] == name)
            feed["endpoint"]["paginator"] = rounds.paginator(name, cursor_field)
    return resources


def cursor_fields(resources: Sequence[dict[str, Any]]) -> dict[str, str]:
    """The cursor field of every incremental resource in a rest_api resource list, by name."""
    return {
        resource["name"]: resource["endpoint"]["incremental"]["cursor_path"]
        for resource in resources
        if "incremental" in resource.get("endpoint", {})
    }


def guard_cursor(resource: DltResource, cursor_field: str, rejects: CursorRejects) -> None:
    """Keep records with a missing or malformed cursor value out of the cursor, and land them as is."""
    resource.add_map(hold_malformed_cursor(cursor_field), insert_at=1)  # right after the generator
    resource.add_step(AfterIncrementalMap(restore_held_cursor(resource.name, cursor_field, rejects)))


def _portal_note(session: StamesSession, base_url: str) -> Iterator[dict[str, Any]]:
    """Record that the self-service portal cannot be extracted (§3 #32), instead of failing."""
    response = session.get(_join(base_url, settings.PORTAL_PATH))
    extractable = response.status_code == 200
    yield {
        "topic": "portal",
        "extractable": extractable,
        "http_status": response.status_code,
        "note": (
            "The API exposes the self-service portal."
            if extractable
            else "Self-service portal configuration (theme, forms, article layout) is not exposed by "
            "the API (404): migrate it by hand."
        ),
        "checked_at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }


@dlt.source(name="stames")
def stames_source(
    base_url: str = dlt.config.value,
    api_key: str = dlt.secrets.value,
    session: StamesSession | None = None,
    cursor_rejects: CursorRejects | None = None,
    rounds: FeedRounds | None = None,
) -> list[DltResource]:
    """Every extractable Stames collection, incremental where the API allows it.

    `session` carries the shared rate limiter and counters; pass one to read them after the run.
    `cursor_rejects` collects the records landed without a usable cursor value. `rounds` caps the
    pages each incremental feed reads in one extraction (`rounds.py`); without it feeds read to the end.
    """
    # Raw means raw: legacy timezone-less `created_at` must stay the string the API sent.
    dlt.current.source_schema().remove_type_detection("iso_timestamp")
    http = session or StamesSession(api_key)
    custom_object_keys = list_custom_object_keys(http, base_url)
    config: dict[str, Any] = {
        "client": {
            "base_url": base_url.rstrip("/") + "/",
            "session": http,
            "paginator": {"type": "cursor", "cursor_path": "next_cursor", "cursor_param": "cursor"},
        },
        "resource_defaults": {
            "primary_key": "id",
            "write_disposition": "merge",
            "parallelized": True,
            "endpoint": {"data_selector": "data", "params": {"limit": settings.PAGE_LIMIT}},
            "processing_steps": [{"map": escape_lone_surrogates}],
        },
        "resources": endpoint_resources(base_url, custom_object_keys, rounds),
    }
    rejects = cursor_rejects if cursor_rejects is not None else CursorRejects()
    cursors = {**cursor_fields(config["resources"]), "messages": MESSAGES_CURSOR_FIELD}
    resources = rest_api_resources(config)  # type: ignore[arg-type]
    for resource in resources:
        if resource.name in settings.CUSTOM_FIELD_RESOURCES:
            resource.apply_hints(nested_hints=settings.CUSTOM_FIELD_VALUES_AS_TEXT)
    messages_paginator = rounds.paginator("messages", MESSAGES_CURSOR_FIELD) if rounds is not None else None
    messages = messages_resource(
        http, base_url, full_body_fetcher(http, base_url), paginator=messages_paginator
    )
    for resource in [*resources, messages]:
        if resource.name in cursors:
            guard_cursor(resource, cursors[resource.name], rejects)
    notes = dlt.resource(
        _portal_note(http, base_url),
        name=settings.NOTES_TABLE,
        primary_key="topic",
        write_disposition="merge",
    )
    return [*resources, messages, notes]
