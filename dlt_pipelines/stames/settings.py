"""The Stames API v1 endpoints as data: what to extract, how it pages, how it is keyed.

When the real Stames API differs from the contract, this file is the one place that changes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Any, Final
from urllib.parse import quote

from dlt.common.normalizers.naming.snake_case import NamingConvention as SnakeCaseNaming

PAGE_LIMIT: Final = 100
INITIAL_CURSOR: Final = "1970-01-01T00:00:00.000Z"
PIPELINE_NAME: Final = "stames"
DATASET_NAME: Final = "raw_stames"
NOTES_TABLE: Final = "_extraction_notes"
DUCKDB_MEMORY_LIMIT: Final = "64MB"
"""DuckDB spills merges to disk past this, and fills its cache up to it: the limit is most of what
the load step adds at scale. A merge needs memory in proportion to the rows of one load package
(its semi-join on the deduplicated row ids must fit): one package of 650,000 messages (100,000
tickets in a single round) failed at 64 and 96 MB ("Out of Memory Error: failed to pin block of
size 256.0 KiB") and passed at 128 MB. Packages are bounded by ROUND_PAGES, so 64 MB holds any
instance; at 10,000 tickets it took the peak from 421 to 371 MB, and 32 MB fails even at 1,000."""
ROUND_PAGES: Final = 50
"""Pages (of PAGE_LIMIT records) each incremental feed reads per extraction round before the round
is normalized and loaded (`rounds.py`): the rows of one load package, and so the memory of its
merge, stay bounded however large the instance. Measured peaks, 1,000 and 10,000 tickets: 340 and
374 MB with 100 pages a round, 330 and 353 MB with 50; a 1,000-ticket instance takes two rounds."""
DUCKDB_THREADS: Final = 1
"""Each DuckDB thread keeps some buffers outside the limit; a second thread did not make the load faster."""
MALLOC_MMAP_THRESHOLD_BYTES: Final = 128 * 1024
"""Heap blocks from this size up are mapped on their own and returned on free (glibc; see native_heap)."""
MALLOC_ARENAS: Final = 2
"""glibc heaps shared by the extraction's threads (default: 8 per core)."""
WRITER_BUFFER_ITEMS: Final = 100
"""Rows dlt buffers per table before writing (dlt's default is 5,000). Messages carry bodies of up to
megabytes, and normalize holds a buffer's rows more than once (parsed, flattened, as Arrow), so its
peak follows the biggest bodies that share a buffer: at 10,000 tickets, 100 rows (one list page)
instead of 1,000 took 40 MB off the normalize peak."""
WRITER_FILE_ITEMS: Final = 5_000
"""Rows per file dlt writes before starting the next one (dlt's default: one file per table). A
Parquet writer keeps every row group's metadata until the file closes, and a 100-row buffer is a
row group: one file of 300,000 messages grew the normalize step by 130 MB at 30,000 tickets."""
PORTAL_PATH: Final = "portal"
CUSTOM_OBJECTS_PATH: Final = "custom_objects"
CUSTOM_OBJECT_RESOURCE_PREFIX: Final = "custom_object_records_"

KEEP_NEWEST: Final[dict[str, Any]] = {"updated_at": {"dedup_sort": "desc"}}
"""Rows seen twice in one run (inclusive boundary, no snapshot isolation) keep the newest version."""


def updated_since(cursor_path: str = "updated_at", start_param: str = "updated_since") -> dict[str, Any]:
    """The incremental binding of §2.3: inclusive lower bound, dedup of boundary rows by key.

    A record without a usable cursor value is included but never becomes the cursor (`cursors.py`)."""
    return {
        "start_param": start_param,
        "cursor_path": cursor_path,
        "initial_value": INITIAL_CURSOR,
        "on_cursor_value_missing": "include",
    }


_AS_TEXT: Final[dict[str, Any]] = {"columns": {"value": {"name": "value", "data_type": "text"}}}

CUSTOM_FIELD_VALUES_AS_TEXT: Final[dict[tuple[str, ...], dict[str, Any]]] = {
    ("custom_fields",): _AS_TEXT,
    ("custom_fields", "value"): _AS_TEXT,
}
"""Custom field values are of every type in one column (§3 #24: checkbox `true`, `"1"`, amounts,
dropdown keys, multi-select lists). Left to inference, dlt types the column by the first value and
coerces the rest: after a checkbox `true`, an amount 1234.5 lands as `true` and `"no"` as `false`.
As text, every scalar keeps its value: `1234.5`, `0034`, `no`; booleans read `True`/`False`.
Applied to these resources after `rest_api` builds them (its config does not take nested hints)."""

CUSTOM_FIELD_RESOURCES: Final = ("tickets", "customers")


def _nullable(
    text: tuple[str, ...] = (), bigint: tuple[str, ...] = (), boolean: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Column hints for fields the contract allows to be null: a load in which every row has them
    null (a small or early instance: nothing merged or deleted yet) still creates the columns the
    transform reads. Timestamps stay text, as the API sends them."""
    hinted: dict[str, dict[str, str]] = {}
    for names, data_type in ((text, "text"), (bigint, "bigint"), (boolean, "bool")):
        hinted.update({name: {"data_type": data_type} for name in names})
    return {**KEEP_NEWEST, **hinted}


TICKET_COLUMNS: Final = _nullable(
    text=("deleted_at", "sla_due_at", "reminder__trigger", "reminder__remind_at", "channel__source_ref",
          "priority", "description_html"),
    bigint=("merged_into_id", "assignee_id", "team_id", "reminder__offset_minutes", "channel__inbox_id"),
    boolean=("sms_notification",),
)  # fmt: skip
CUSTOMER_COLUMNS: Final = _nullable(
    text=("email", "phone", "phone_raw", "company"), bigint=("merged_into_id",)
)
MESSAGE_COLUMNS: Final = _nullable(
    text=("body_html", "external_id", "delivery_status", "author__name"),
    bigint=("author__id", "channel__inbox_id"),
)

INCREMENTAL_ENDPOINTS: Final[tuple[dict[str, Any], ...]] = (
    {"name": "agents", "endpoint": {"path": "agents", "params": {"status": "all"}}},
    {
        "name": "customers",
        "endpoint": {"path": "customers", "params": {"include_merged": "true"}},
        "columns": CUSTOMER_COLUMNS,
    },
    {
        "name": "tickets",
        "endpoint": {"path": "tickets", "params": {"include_deleted": "true", "include_spam": "true"}},
        "columns": TICKET_COLUMNS,
    },
    {"name": "status_changes", "endpoint": {"path": "status_changes"}},
)
"""Feeds sorted by (updated_at, id) that accept `updated_since`; merged on `id`."""

MESSAGES_PARAMS: Final[dict[str, str]] = {
    "include_deleted": "true",
    "include_private": "true",
    "include_system": "true",
}
"""`/messages` is incremental too, but has its own resource (`messages.py`) to complete bodies."""

CATALOGUE_ENDPOINTS: Final[tuple[dict[str, Any], ...]] = (
    {"name": "tags", "primary_key": "name", "endpoint": {"path": "tags"}},
    {"name": "ticket_statuses", "primary_key": "key", "endpoint": {"path": "ticket_statuses"}},
    {"name": "channels", "primary_key": "id", "endpoint": {"path": "channels"}},
    {
        "name": "custom_fields",
        "primary_key": "id",
        "endpoint": {"path": "custom_fields"},
        # read by the transform whether or not any field is a lookup
        "columns": {
            "lookup__target": {"data_type": "text"},
            "lookup__object_key": {"data_type": "text"},
        },
    },
    {"name": "custom_objects", "primary_key": "key", "endpoint": {"path": CUSTOM_OBJECTS_PATH}},
)
"""Small definition lists without `updated_since`: replaced whole on every run."""

ACCOUNT_ENDPOINT: Final[dict[str, Any]] = {
    "name": "account",
    "primary_key": "id",
    "write_disposition": "replace",
    "endpoint": {"path": "account", "data_selector": "$", "paginator": "single_page"},
    # An instance without a legacy import sends no `legacy_import`; the staging model reads these
    # columns all the same, so they exist whatever the first load saw.
    "columns": {
        "legacy_import__source": {"data_type": "text"},
        "legacy_import__imported_at": {"data_type": "text"},
        "legacy_import__timestamps_local_time": {"data_type": "bool"},
    },
}

DELETED_RECORDS_ENDPOINT: Final[dict[str, Any]] = {
    "name": "deleted_records",
    "primary_key": ["object", "id", "deleted_at", "reason"],
    "endpoint": {
        "path": "deleted_records",
        "incremental": updated_since(cursor_path="deleted_at", start_param="deleted_since"),
    },
}
"""Tombstones, kept for good (the API forgets them after 90 days). Keyed by the whole event, so a
ticket merged and later deleted keeps both of its tombstones."""


def custom_object_table_names(object_keys: Sequence[str]) -> dict[str, str]:
    """The raw table of each custom object key, never shared by two keys.

    dlt normalises table names to snake case, so `Warranty-Plus`, `WarrantyPlus` and
    `warranty_plus` would all land in `custom_object_records_warranty_plus`, and records of
    different objects with the same id would overwrite each other on merge. Within such a group,
    a key that is already its own normal form keeps the plain name and every other key gets a
    suffix from a hash of the key, so the names do not depend on the order the API lists keys in.
    """
    naming = SnakeCaseNaming()
    plain = {
        key: naming.normalize_table_identifier(f"{CUSTOM_OBJECT_RESOURCE_PREFIX}{key}") for key in object_keys
    }
    shared = {name for name, count in Counter(plain.values()).items() if count > 1}
    names: dict[str, str] = {}
    for key, name in plain.items():
        if name in shared and f"{CUSTOM_OBJECT_RESOURCE_PREFIX}{key}" != name:
            name = f"{name}_{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"
        names[key] = name
    return names


def custom_object_records_endpoint(object_key: str, table_name: str | None = None) -> dict[str, Any]:
    """One incremental resource per custom object type found in `/custom_objects`."""
    endpoint: dict[str, Any] = {
        "name": f"{CUSTOM_OBJECT_RESOURCE_PREFIX}{object_key}",
        "endpoint": {"path": f"{CUSTOM_OBJECTS_PATH}/{quote(object_key, safe='')}/records"},
        # `fields` is free-form per object type: kept as one JSON value, so a later record's 3.5
        # is never coerced to the type an earlier record's `true` gave a flattened column.
        "columns": {"fields": {"data_type": "json"}},
    }
    if table_name is not None:
        endpoint["table_name"] = table_name
    return endpoint
