"""Custom object keys that dlt would fold onto one table name still land record for record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from stames_sf.workdir import WorkDir
from tests.fixtures.extract import ExtractFrom
from tests.fixtures.stames_api import StartStames
from tests.integration.extract.compare import SCHEMA

MANIFEST = {
    "format": "stames-dataset/1",
    "now": "2024-06-01T12:00:00.000Z",
    "account": {"id": 1, "subdomain": "keys", "name": "Keys", "timezone": "UTC"},
}


def _object(key: str) -> dict[str, Any]:
    return {
        "key": key,
        "name": key,
        "name_plural": key,
        "fields": [{"key": "serial", "label": "Serial", "type": "text", "required": True}],
        "created_at": "2022-05-01T10:00:00.000Z",
        "updated_at": "2022-05-01T10:00:00.000Z",
    }


def _record(key: str, record_id: str, serial: str) -> dict[str, Any]:
    return {
        "id": record_id,
        "object_key": key,
        "name": serial,
        "fields": {"serial": serial},
        "customer_id": None,
        "ticket_ids": [],
        "created_at": "2023-11-02T12:00:00.000Z",
        "updated_at": "2024-05-02T16:40:03.511Z",
    }


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def _colliding_keys_dataset(root: Path) -> dict[str, list[tuple[str, str]]]:
    """Two object keys that both snake-case to `warranty_plus`, sharing one record id."""
    expected = {
        "Warranty-Plus": [("WR-1", "SN-DASH-1"), ("shared-id", "SN-DASH-2")],
        "warranty_plus": [("shared-id", "SN-UNDERSCORE")],
    }
    root.mkdir(parents=True)
    (root / "manifest.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    _write_jsonl(root / "custom_objects.jsonl", [_object(key) for key in expected])
    for key, rows in expected.items():
        _write_jsonl(
            root / "custom_object_records" / f"{key}.jsonl",
            [_record(key, record_id, serial) for record_id, serial in rows],
        )
    return expected


def test_keys_differing_only_in_case_and_dashes_keep_every_record(
    start_stames: StartStames, extract_from: ExtractFrom, tmp_path: Path
) -> None:
    dataset = tmp_path / "dataset"
    expected = _colliding_keys_dataset(dataset)
    work = WorkDir.at(tmp_path / "work")
    extract_from(start_stames(dataset), work)

    with duckdb.connect(str(work.warehouse), read_only=True) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", [SCHEMA]
            ).fetchall()
            if name.startswith("custom_object_records_") and "__" not in name
        ]
        landed: dict[str, list[tuple[str, str]]] = {}
        for table in tables:
            for key, record_id, serial in connection.execute(
                f"SELECT object_key, id, fields->>'$.serial' FROM {SCHEMA}.\"{table}\" ORDER BY id"
            ).fetchall():
                landed.setdefault(key, []).append((record_id, serial))

    assert len(tables) == 2, tables
    assert landed == expected
