"""The Bulk API 2.0 CSV the loader uploads: header, cells, nulls and chunks [CONTRACT §1.4]."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from loaders.load.bulk import BulkSettings, csv_chunks, csv_header, csv_row
from loaders.load.records import DmlSpec, LoadRecord, Operation, ParentRef, parse_bulk_error

ACCOUNT = ParentRef("AccountId", "Account", "Account")
WHAT = ParentRef("WhatId", "What", "Case", polymorphic=True)


def test_the_header_has_the_key_first_then_fields_then_parents_by_external_id() -> None:
    spec = DmlSpec("Task", Operation.UPSERT, ("Subject", "Stames_Id__c", "Status"), (WHAT, ACCOUNT))
    assert csv_header(spec) == [
        "Stames_Id__c",
        "Subject",
        "Status",
        "Case:What.Stames_Id__c",
        "Account.Stames_Id__c",
    ]


def test_cells_are_written_as_the_api_reads_them() -> None:
    spec = DmlSpec(
        "Case", Operation.INSERT, ("Subject", "IsEscalated", "CreatedDate", "Amount__c"), (ACCOUNT,)
    )
    moment = datetime(2024, 3, 1, 12, 30, 5, 123456, tzinfo=timezone(timedelta(hours=2)))
    record = LoadRecord(
        "42",
        {
            "Subject": 'He said "hi", then left',
            "IsEscalated": True,
            "CreatedDate": moment,
            "Amount__c": Decimal("10.50"),
        },
        {"AccountId": "company:acme"},
    )
    assert csv_row(spec, record) == [
        "42",
        'He said "hi", then left',
        "true",
        "2024-03-01T10:30:05.123Z",
        "10.50",
        "company:acme",
    ]


def test_a_null_is_empty_on_insert_and_hash_na_on_upsert() -> None:
    record = LoadRecord("7", {"Subject": None}, {"AccountId": None})
    inserted = csv_row(DmlSpec("Case", Operation.INSERT, ("Subject",), (ACCOUNT,)), record)
    upserted = csv_row(DmlSpec("Case", Operation.UPSERT, ("Subject",), (ACCOUNT,)), record)
    assert inserted == ["7", "", ""]
    assert upserted == ["7", "#N/A", ""]  # a missing parent stays empty: "#N/A" would clear the lookup


def test_naive_timestamps_are_read_as_utc() -> None:
    spec = DmlSpec("Case", Operation.INSERT, ("CreatedDate",))
    row = csv_row(spec, LoadRecord("1", {"CreatedDate": datetime(2020, 1, 2, 3, 4, 5)}))
    assert row == ["1", "2020-01-02T03:04:05.000Z"]
    aware = csv_row(spec, LoadRecord("1", {"CreatedDate": datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)}))
    assert aware == row


def test_chunks_keep_under_the_row_and_byte_caps_and_each_carries_its_header() -> None:
    spec = DmlSpec("Contact", Operation.UPSERT, ("LastName",))
    records = [LoadRecord(str(number), {"LastName": "x" * 40}) for number in range(10)]
    chunks = list(csv_chunks(spec, records, BulkSettings(max_rows_per_job=4, max_bytes_per_job=10_000)))
    assert [len(chunk) for _, chunk in chunks] == [4, 4, 2]
    for body, chunk in chunks:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert rows[0] == ["Stames_Id__c", "LastName"]
        assert [row[0] for row in rows[1:]] == [record.key for record in chunk]
        assert b"\r\n" not in body  # the job says lineEnding LF

    # the header is 22 bytes and a row 43 ("n," + 40 x + newline): 100 bytes hold the header and one row
    small = list(csv_chunks(spec, records[:3], BulkSettings(max_rows_per_job=100, max_bytes_per_job=100)))
    assert [len(chunk) for _, chunk in small] == [1, 1, 1]


def test_bulk_errors_are_split_into_code_and_message() -> None:
    # sf__Error format from CONTRACT §1.3 (jsforce's test against a real org)
    assert parse_bulk_error("REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --") == (
        "REQUIRED_FIELD_MISSING",
        "Required fields are missing: [Name] [Name]",
    )
    assert parse_bulk_error("UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record: --") == (
        "UNABLE_TO_LOCK_ROW",
        "unable to obtain exclusive access to this record",
    )
