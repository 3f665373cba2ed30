"""Small pure parts of the Stames server: truncation, Range parsing, timestamps, JSONL rows, buckets."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from emulators.stames_api.clock import format_timestamp, parse_loose, to_epoch_ms
from emulators.stames_api.errors import ApiError, encode_json
from emulators.stames_api.paging import collect
from emulators.stames_api.ratelimit import TokenBucket
from emulators.stames_api.render import truncate_utf8
from emulators.stames_api.routes_files import parse_range
from emulators.stames_api.store import Store
from emulators.stames_api.table import RawRows


@pytest.mark.parametrize("text", ["a" * 100, "ñ" * 100, "📱" * 100, "a" + "📱" * 100, "\ud83d" * 100])
def test_truncation_cuts_on_a_character_boundary_within_the_byte_limit(text: str) -> None:
    cut = truncate_utf8(text, 41)
    assert cut is not None
    assert text.startswith(cut)
    size = len(cut.encode("utf-8", "surrogatepass"))
    assert 41 - 3 <= size <= 41


def test_short_text_is_not_truncated() -> None:
    assert truncate_utf8("ñ" * 20, 40) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-0", (0, 1)),
        ("bytes=5-", (5, 10)),
        ("bytes=-3", (7, 10)),
        ("bytes=2-100", (2, 10)),
        ("bytes=0-1,4-5", None),
        ("items=0-1", None),
    ],
)
def test_range_parsing(header: str | None, expected: tuple[int, int] | None) -> None:
    assert parse_range(header, 10) == expected


@pytest.mark.parametrize("header", ["bytes=10-", "bytes=5-2"])
def test_unsatisfiable_ranges_raise_416(header: str) -> None:
    with pytest.raises(ApiError) as caught:
        parse_range(header, 10)
    assert caught.value.status == 416
    assert caught.value.headers["Content-Range"] == "bytes */10"


def test_timestamps_are_millisecond_utc_with_z() -> None:
    moment = datetime(2024, 6, 1, 11, 59, 0, 123000, tzinfo=UTC)
    assert format_timestamp(to_epoch_ms(moment)) == "2024-06-01T11:59:00.123Z"


def test_legacy_naive_timestamps_are_read_in_the_account_zone() -> None:
    madrid = ZoneInfo("Europe/Madrid")
    assert parse_loose("2019-03-02 14:05:00", madrid) == to_epoch_ms(datetime(2019, 3, 2, 13, 5, tzinfo=UTC))
    assert parse_loose("not a date") is None
    assert parse_loose(None) is None


def test_json_keeps_lone_surrogates_as_escapes() -> None:
    assert json.loads(encode_json({"name": "Bad \ud83d"})) == {"name": "Bad \ud83d"}
    assert encode_json({"name": "ñ"}).decode("utf-8") == '{"name":"ñ"}'


def test_raw_rows_skip_blank_lines_and_carriage_returns(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b'{"id": 1}\r\n\r\n  \n{"id": 2}')
    rows = RawRows(path)
    assert len(rows) == 2
    assert [json.loads(rows.get(index)) for index in range(2)] == [{"id": 1}, {"id": 2}]
    assert len(RawRows(tmp_path / "missing.jsonl")) == 0


def test_bucket_allows_its_capacity_then_refuses() -> None:
    bucket = TokenBucket(5)
    readings = [bucket.take() for _ in range(6)]
    assert [reading.allowed for reading in readings[:5]] == [True] * 5
    assert readings[5].allowed is False
    assert readings[5].remaining == 0
    assert readings[5].retry_after_seconds >= 1


def test_collect_returns_a_short_page_with_more_when_the_scan_budget_runs_out() -> None:
    entries = [((ms, ms), ms) for ms in range(100)]
    page = collect(iter(entries), limit=5, accept=lambda value: value >= 90, scan_budget=20)
    assert page.items == []
    assert page.has_more is True
    assert page.last_key == (19, 19)


def test_collect_stops_at_the_snapshot_bound() -> None:
    entries = [((ms, ms), ms) for ms in range(100)]
    page = collect(iter(entries), limit=50, accept=lambda value: True, upper_ms=9)
    assert page.items == list(range(10))
    assert page.has_more is False


def test_store_refuses_an_unknown_dataset_format(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"format": "stames-dataset/2"}')
    with pytest.raises(ValueError, match="stames-dataset/2"):
        Store.load(tmp_path)


def test_store_treats_missing_files_as_empty_collections(tmp_path: Path) -> None:
    store = Store.load(tmp_path)
    assert len(store.tickets) == len(store.messages) == len(store.deleted_records) == 0
    assert store.catalogs["tags"] == []
    assert store.account == {}
