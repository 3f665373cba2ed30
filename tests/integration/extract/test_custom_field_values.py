"""Custom field values of mixed types land as they were sent, whatever type came first."""

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
    "account": {"id": 1, "subdomain": "values", "name": "Values", "timezone": "UTC"},
}


def _ticket(ticket_id: int, updated_at: str, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": ticket_id,
        "subject": "s",
        "status": "open",
        "customer_id": None,
        "assignee_id": None,
        "tags": [],
        "custom_fields": [
            {"field_id": index, "key": key, "value": value}
            for index, (key, value) in enumerate(values.items())
        ],
        "deleted_at": None,
        "is_spam": False,
        "merged_into_id": None,
        "created_at": "2024-01-01T00:00:00.000Z",
        "updated_at": updated_at,
    }


def test_a_checkbox_first_does_not_turn_later_amounts_and_codes_into_booleans(
    start_stames: StartStames, extract_from: ExtractFrom, tmp_path: Path
) -> None:
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    (dataset / "manifest.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    # The feed is sorted by updated_at, so the checkbox is the first value dlt sees.
    tickets = [
        _ticket(1, "2024-01-01T00:00:00.000Z", {"vip": True}),
        _ticket(
            2,
            "2024-01-02T00:00:00.000Z",
            {"amount": 1234.5, "code": "0034", "answer": "no", "quantity": 7, "features": ["x", 2.5, True]},
        ),
    ]
    (dataset / "tickets.jsonl").write_text("".join(json.dumps(t) + "\n" for t in tickets), encoding="utf-8")
    work = WorkDir.at(tmp_path / "work")
    extract_from(start_stames(dataset), work)

    with duckdb.connect(str(work.warehouse), read_only=True) as connection:
        scalars = dict(
            connection.execute(f"SELECT key, value FROM {SCHEMA}.tickets__custom_fields").fetchall()
        )
        listed = connection.execute(
            f"SELECT value FROM {SCHEMA}.tickets__custom_fields__value ORDER BY _dlt_list_idx"
        ).fetchall()

    assert scalars == {
        "vip": "True",
        "amount": "1234.5",
        "code": "0034",
        "answer": "no",
        "quantity": "7",
        "features": None,
    }
    assert listed == [("x",), ("2.5",), ("True",)]


def test_custom_object_record_fields_land_as_sent_whatever_type_came_first(
    start_stames: StartStames, extract_from: ExtractFrom, tmp_path: Path
) -> None:
    dataset = tmp_path / "dataset"
    (dataset / "custom_object_records").mkdir(parents=True)
    (dataset / "manifest.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    definition = {"key": "warranty", "name": "Warranty", "name_plural": "Warranties", "fields": []}
    (dataset / "custom_objects.jsonl").write_text(json.dumps(definition) + "\n", encoding="utf-8")
    fields_sent = [
        {"active": True, "mixed": [None, True, 3.5], "nested": {"a": 1}},
        {"active": 3.5, "mixed": "0034", "nested": {"a": "x", "b": [1, "2"]}},
    ]
    records = [
        {
            "id": f"wr_{index}",
            "object_key": "warranty",
            "name": f"WR-{index}",
            "fields": fields,
            "customer_id": None,
            "ticket_ids": [],
            "created_at": "2024-01-01T00:00:00.000Z",
            "updated_at": f"2024-01-0{index + 1}T00:00:00.000Z",
        }
        for index, fields in enumerate(fields_sent)
    ]
    lines = "".join(json.dumps(record) + "\n" for record in records)
    (dataset / "custom_object_records" / "warranty.jsonl").write_text(lines, encoding="utf-8")
    work = WorkDir.at(tmp_path / "work")
    extract_from(start_stames(dataset), work)

    with duckdb.connect(str(work.warehouse), read_only=True) as connection:
        landed = connection.execute(
            f"SELECT fields FROM {SCHEMA}.custom_object_records_warranty ORDER BY id"
        ).fetchall()

    assert [json.loads(row[0]) for row in landed] == fields_sent
