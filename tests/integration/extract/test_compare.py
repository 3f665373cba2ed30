"""The extraction comparator is an oracle, so it must fail on a wrong warehouse.

A tiny dataset and the warehouse it should land as, both written by hand (the warehouse in plain
SQL, without the extractor or dlt); the correct warehouse passes, and each deliberate corruption
of it fails with a message that names the difference. No server, so this runs in a second.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.integration.extract.compare import assert_matches_dataset

TICKETS = [
    {
        "id": 101,
        "number": "ST-101",
        "subject": "Pantalla rota 📱",
        "status": "open",
        "requester": {"id": 1, "name": "Ana"},
        "tags": ["vip", "garantía"],
        "custom_fields": [
            {"field_id": 44, "key": "contact_reason", "value": "billing"},
            {"field_id": 45, "key": "refund_amount", "value": 12.5},
            {"field_id": 46, "key": "products", "value": ["x200", "x300"]},
        ],
        "legacy_ref": "OD-7",
        "updated_at": "2024-05-02T08:00:00.000Z",
    },
    {
        "id": 102,
        "number": "ST-102",
        "subject": "\ud83d roto",
        "status": "closed",
        "requester": {"id": 2, "name": "Bob"},
        "tags": [],
        "custom_fields": [],
        "legacy_ref": None,
        "updated_at": "2024-05-03T08:00:00.000Z",
    },
]
WARRANTIES = [
    {
        "id": "wr_1",
        "object_key": "warranty",
        "name": "WR-1",
        "fields": {"serial_number": "SN-1", "plan": "gold", "mrr": 3.5},
        "customer_id": 1,
        "ticket_ids": [101, 99999999],
        "updated_at": "2024-05-02T08:00:00.000Z",
    }
]

# The same records as raw_stames holds them: nested objects as `a__b` columns, lists as child
# tables linked by _dlt_parent_id, custom field values as text, the lone surrogate escaped.
WAREHOUSE = r"""
CREATE SCHEMA raw_stames;
CREATE TABLE raw_stames.tickets (
    id BIGINT, number VARCHAR, subject VARCHAR, status VARCHAR, requester__id BIGINT,
    requester__name VARCHAR, legacy_ref VARCHAR, updated_at VARCHAR, _dlt_load_id VARCHAR, _dlt_id VARCHAR);
INSERT INTO raw_stames.tickets VALUES
    (101, 'ST-101', 'Pantalla rota 📱', 'open', 1, 'Ana', 'OD-7', '2024-05-02T08:00:00.000Z', 'l1', 't101'),
    (102, 'ST-102', '\ud83d roto', 'closed', 2, 'Bob', NULL, '2024-05-03T08:00:00.000Z', 'l1', 't102');
CREATE TABLE raw_stames.tickets__tags (
    value VARCHAR, _dlt_root_id VARCHAR, _dlt_parent_id VARCHAR, _dlt_list_idx BIGINT, _dlt_id VARCHAR);
INSERT INTO raw_stames.tickets__tags VALUES
    ('vip', 't101', 't101', 0, 'tag0'), ('garantía', 't101', 't101', 1, 'tag1');
CREATE TABLE raw_stames.tickets__custom_fields (
    value VARCHAR, field_id BIGINT, key VARCHAR,
    _dlt_root_id VARCHAR, _dlt_parent_id VARCHAR, _dlt_list_idx BIGINT, _dlt_id VARCHAR);
INSERT INTO raw_stames.tickets__custom_fields VALUES
    ('billing', 44, 'contact_reason', 't101', 't101', 0, 'cf0'),
    ('12.5', 45, 'refund_amount', 't101', 't101', 1, 'cf1'),
    (NULL, 46, 'products', 't101', 't101', 2, 'cf2');
CREATE TABLE raw_stames.tickets__custom_fields__value (
    value VARCHAR, _dlt_root_id VARCHAR, _dlt_parent_id VARCHAR, _dlt_list_idx BIGINT, _dlt_id VARCHAR);
INSERT INTO raw_stames.tickets__custom_fields__value VALUES
    ('x200', 't101', 'cf2', 0, 'cfv0'), ('x300', 't101', 'cf2', 1, 'cfv1');
CREATE TABLE raw_stames.custom_object_records_warranty (
    fields JSON, id VARCHAR, object_key VARCHAR, name VARCHAR, customer_id BIGINT, updated_at VARCHAR,
    _dlt_load_id VARCHAR, _dlt_id VARCHAR);
INSERT INTO raw_stames.custom_object_records_warranty VALUES
    ('{"serial_number": "SN-1", "plan": "gold", "mrr": 3.5}', 'wr_1', 'warranty', 'WR-1', 1,
     '2024-05-02T08:00:00.000Z', 'l1', 'w1');
CREATE TABLE raw_stames.custom_object_records_warranty__ticket_ids (
    value BIGINT, _dlt_root_id VARCHAR, _dlt_parent_id VARCHAR, _dlt_list_idx BIGINT, _dlt_id VARCHAR);
INSERT INTO raw_stames.custom_object_records_warranty__ticket_ids VALUES
    (101, 'w1', 'w1', 0, 'wt0'), (99999999, 'w1', 'w1', 1, 'wt1');
"""


def _write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    root = tmp_path / "dataset"
    _write_jsonl(root / "tickets.jsonl", TICKETS)
    _write_jsonl(root / "custom_object_records" / "warranty.jsonl", WARRANTIES)
    return root


def _warehouse(path: Path, *corruption: str) -> Path:
    with duckdb.connect(str(path)) as connection:
        connection.execute(WAREHOUSE)
        for statement in corruption:
            connection.execute(statement)
    return path


def test_the_warehouse_written_by_hand_matches(dataset: Path, tmp_path: Path) -> None:
    comparisons = assert_matches_dataset(_warehouse(tmp_path / "good.duckdb"), dataset)
    by_table = {result.table: result for result in comparisons}
    assert by_table["tickets"].warehouse_rows == 2
    assert by_table["tickets"].child_rows_found == {"custom_fields": 3, "custom_fields__value": 2, "tags": 2}
    assert by_table["custom_object_records_warranty"].child_rows_found == {"ticket_ids": 2}
    assert by_table["agents"].warehouse_rows == 0  # no agents.jsonl: an empty collection, no table


CORRUPTIONS = {
    "changed value": (
        ["UPDATE raw_stames.tickets SET subject = 'Pantalla rota' WHERE id = 101"],
        "tickets: 1 dataset rows not in the warehouse",
    ),
    "lone surrogate replaced": (
        ["UPDATE raw_stames.tickets SET subject = '\ufffd roto' WHERE id = 102"],
        "tickets: 1 dataset rows not in the warehouse",
    ),
    "unknown field lost": (
        ["UPDATE raw_stames.tickets SET legacy_ref = NULL WHERE id = 101"],
        "tickets: 1 dataset rows not in the warehouse",
    ),
    "row missing": (["DELETE FROM raw_stames.tickets WHERE id = 102"], "dataset_rows=2"),
    "row twice": (
        [
            "INSERT INTO raw_stames.tickets SELECT * REPLACE ('t101b' AS _dlt_id) "
            "FROM raw_stames.tickets WHERE id = 101"
        ],
        "duplicate keys in tickets",
    ),
    "integer column typed text": (
        ["ALTER TABLE raw_stames.tickets ALTER requester__id TYPE VARCHAR"],
        "tickets.requester__id is VARCHAR, expected BIGINT",
    ),
    "variant column": (
        ["ALTER TABLE raw_stames.tickets ADD COLUMN updated_at__v_timestamp TIMESTAMP"],
        "tickets.updated_at__v_timestamp (TIMESTAMP): a column neither the contract nor the dataset has",
    ),
    "column missing": (
        ["ALTER TABLE raw_stames.tickets DROP COLUMN status"],
        "tickets.status: missing, though the dataset has values for it",
    ),
    "tag on the wrong ticket": (
        ["UPDATE raw_stames.tickets__tags SET _dlt_parent_id = 't102' WHERE value = 'vip'"],
        "tickets__tags: 1 dataset rows not in the warehouse",
    ),
    "tags reordered": (
        ["UPDATE raw_stames.tickets__tags SET _dlt_list_idx = 1 - _dlt_list_idx"],
        "tickets__tags: 2 dataset rows not in the warehouse",
    ),
    "amount coerced to a checkbox": (
        ["UPDATE raw_stames.tickets__custom_fields SET value = 'true' WHERE field_id = 45"],
        "tickets__custom_fields: 1 dataset rows not in the warehouse",
    ),
    "multi-select option lost": (
        ["DELETE FROM raw_stames.tickets__custom_fields__value WHERE value = 'x300'"],
        "tickets__custom_fields__value: 1 dataset rows not in the warehouse",
    ),
    "orphan child row": (
        ["INSERT INTO raw_stames.tickets__tags VALUES ('vip', 'gone', 'gone', 0, 'tag9')"],
        "tickets__tags: 0 dataset rows not in the warehouse, 1 warehouse rows not in the dataset",
    ),
    "JSON member changed": (
        ['UPDATE raw_stames.custom_object_records_warranty SET fields = \'{"serial_number": "SN-1"}\''],
        "custom_object_records_warranty: 1 dataset rows not in the warehouse",
    ),
    "dangling ticket id dropped": (
        ["DELETE FROM raw_stames.custom_object_records_warranty__ticket_ids WHERE value = 99999999"],
        "custom_object_records_warranty__ticket_ids: 1 dataset rows not in the warehouse",
    ),
}


@pytest.mark.parametrize("corruption", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_a_corrupted_warehouse_fails_and_says_where(
    corruption: tuple[list[str], str], dataset: Path, tmp_path: Path
) -> None:
    statements, message = corruption
    warehouse = _warehouse(tmp_path / "corrupted.duckdb", *statements)
    with pytest.raises(AssertionError) as failure:
        assert_matches_dataset(warehouse, dataset)
    assert message in str(failure.value)
