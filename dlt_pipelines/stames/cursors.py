"""Guard the incremental cursors against records whose cursor field is missing or malformed.

dlt's incremental takes the largest cursor value it sees as the next run's `updated_since`. A
ticket with `"updated_at": null` makes it raise on every run; one with `"updated_at": "garbage"`
sorts after every timestamp, becomes the cursor, and every later run gets a 400. Such a record is
still landed as it came (raw means raw), never becomes the cursor, and is listed in
`raw_stames.cursor_rejects` for discover.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import dlt
from dlt.common.schema.typing import TTableSchemaColumns
from dlt.extract import DltResource
from dlt.extract.items_transform import MapItem

REJECTS_TABLE = "cursor_rejects"
HELD_CURSOR_KEY = "_stames_held_cursor"
"""Where the bad value waits while dlt's incremental step sees `None`; removed before loading."""
SERVER_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
"""Server-maintained timestamps are always `YYYY-MM-DDTHH:MM:SS.sssZ` (API.md §2.1)."""


def is_well_formed_cursor(value: Any) -> bool:
    """A cursor value the API wrote itself and accepts back as `updated_since` / `deleted_since`."""
    if not isinstance(value, str) or len(value) != len("2024-01-01T00:00:00.000Z"):
        return False
    try:
        datetime.strptime(value, SERVER_TIMESTAMP_FORMAT)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class CursorReject:
    """One record landed without advancing its resource's cursor."""

    object: str
    id: str
    cursor_field: str
    value: str | None
    """The value as JSON text (`"garbage"`, `12`); `None` when the field was null or missing."""


@dataclass
class CursorRejects:
    """Rejects seen by every resource of one run (resources run in parallel threads)."""

    found: list[CursorReject] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, reject: CursorReject) -> None:
        with self._lock:
            self.found.append(reject)


Row = dict[str, Any]


def hold_malformed_cursor(cursor_field: str) -> Callable[[Any], Any]:
    """Before dlt's incremental step: a bad cursor value is set aside and the field reads `None`,
    which the incremental (`on_cursor_value_missing="include"`) lets through without using it."""

    def hold(row: Any) -> Any:
        if not isinstance(row, dict) or is_well_formed_cursor(row.get(cursor_field)):
            return row
        held = {"present": cursor_field in row, "value": row.get(cursor_field)}
        return {**row, cursor_field: None, HELD_CURSOR_KEY: held}

    return hold


def restore_held_cursor(object_name: str, cursor_field: str, rejects: CursorRejects) -> Callable[[Any], Any]:
    """After dlt's incremental step: the record gets its own value back and is recorded as a reject."""

    def restore(row: Any) -> Any:
        if not isinstance(row, dict) or HELD_CURSOR_KEY not in row:
            return row
        restored: Row = {key: value for key, value in row.items() if key != HELD_CURSOR_KEY}
        held = row[HELD_CURSOR_KEY]
        if held["present"]:
            restored[cursor_field] = held["value"]
        else:
            restored.pop(cursor_field, None)
        value = held["value"]
        rejects.add(
            CursorReject(
                object=object_name,
                id=str(row.get("id")),
                cursor_field=cursor_field,
                value=None if value is None else json.dumps(value, ensure_ascii=False, default=str),
            )
        )
        return restored

    return restore


class AfterIncrementalMap(MapItem):
    """A map step dlt places after the incremental step (affinity 1), before `add_limit` (1.1)."""

    placement_affinity = 1.05


REJECTS_COLUMNS: TTableSchemaColumns = {
    "object": {"data_type": "text", "nullable": False},
    "id": {"data_type": "text", "nullable": False},
    "cursor_field": {"data_type": "text", "nullable": False},
    "value": {"data_type": "text", "nullable": True},
}


def cursor_rejects_resource(rejects: CursorRejects) -> DltResource:
    """This run's rejects as a dlt resource merged into `raw_stames.cursor_rejects`, so dlt owns the
    table like every other one in `raw_stames`."""
    return dlt.resource(
        [asdict(reject) for reject in rejects.found],
        name=REJECTS_TABLE,
        primary_key=("object", "id", "cursor_field"),
        write_disposition="merge",
        columns=REJECTS_COLUMNS,
    )
