"""Value parsing per field type and wire format (CSV strings, JSON values)."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from emulators.salesforce.org import record_errors
from emulators.salesforce.org.fields import FieldRule, FieldSpec
from emulators.salesforce.org.values import Rejected, coerce, text_length


def rule(type_: str, **extra: Any) -> FieldRule:
    return FieldRule.from_describe(FieldSpec("F__c", type_, "F", **extra).to_describe())


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("FALSE", False), ("1", True), ("0", False)])
def test_csv_booleans(raw: str, expected: bool) -> None:
    assert coerce(rule("boolean"), raw, "csv") is expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("9.12260031E8", 912260031.0), ("-1.5e-2", -0.015), ("42", 42.0)]
)
def test_csv_numbers_accept_scientific_notation(raw: str, expected: float) -> None:
    assert coerce(rule("double", precision=18, scale=6), raw, "csv") == pytest.approx(expected)


def test_number_is_rounded_to_scale_and_range_checked() -> None:
    score = rule("double", precision=5, scale=2)
    assert coerce(score, "12.345", "csv") == pytest.approx(12.35)
    with pytest.raises(Rejected) as caught:
        coerce(score, 1000, "json")
    assert caught.value.error.code == record_errors.NUMBER_RANGE_CODE


@pytest.mark.parametrize(("raw", "expected"), [("1940-06-07", "1940-06-07"), ("1940-06-07Z", "1940-06-07")])
def test_dates_accept_a_trailing_z(raw: str, expected: str) -> None:
    assert coerce(rule("date"), raw, "csv") == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022-01-02T21:33:43.000+0000", "2022-01-02T21:33:43.000+0000"),
        ("2022-01-02T21:33:43Z", "2022-01-02T21:33:43.000+0000"),
        ("2022-01-02T23:33:43.5+02:00", "2022-01-02T21:33:43.500+0000"),
        ("2022-01-02T16:33:43.123-05:00", "2022-01-02T21:33:43.123+0000"),
    ],
)
def test_datetimes_are_normalised_to_utc(raw: str, expected: str) -> None:
    assert coerce(rule("datetime"), raw, "csv") == expected


@pytest.mark.parametrize(
    ("type_", "raw"),
    [
        ("date", "2022-13-01"),
        ("date", "01/02/2022"),
        ("datetime", "2022-01-02"),
        ("double", "12,5"),
        ("boolean", "yes"),
        ("int", "1.5"),
        ("double", "nan"),
    ],
)
def test_unparseable_values_fail_with_the_type_code(type_: str, raw: str) -> None:
    with pytest.raises(Rejected) as caught:
        coerce(rule(type_, digits=9), raw, "csv")
    assert caught.value.error.code == record_errors.TYPE_ERROR_CODE


def test_json_objects_are_not_text() -> None:
    with pytest.raises(Rejected) as caught:
        coerce(rule("string", length=10), {"nested": 1}, "json")
    assert caught.value.error.code == record_errors.TYPE_ERROR_CODE


def test_empty_text_is_stored_as_null() -> None:
    assert coerce(rule("string", length=10), "", "json") is None


def test_length_counts_utf16_units() -> None:
    assert text_length("héllo") == 5
    assert text_length("a😀") == 3
    with pytest.raises(Rejected) as caught:
        coerce(rule("string", length=2), "a😀", "json")
    assert caught.value.error.code == "STRING_TOO_LONG"


@pytest.mark.parametrize(
    "bad", ["plainaddress", "a@b", "a b@example.com", "ana@exa mple.com", "ana@@example.com"]
)
def test_invalid_emails(bad: str) -> None:
    with pytest.raises(Rejected) as caught:
        coerce(rule("email", length=80), bad, "json")
    assert caught.value.error.code == "INVALID_EMAIL_ADDRESS"


def test_valid_email_passes() -> None:
    address = "o'brien+tag@mail.example.co.uk"
    assert coerce(rule("email", length=80), address, "json") == address


def test_multipicklist_values_are_checked_one_by_one() -> None:
    channels = rule("multipicklist", length=4099, picklist=("email", "chat"), restricted=True)
    assert coerce(channels, "email;chat;email", "csv") == "email;chat"
    with pytest.raises(Rejected) as caught:
        coerce(channels, "email;fax", "csv")
    assert caught.value.error.code == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"


def test_json_base64_over_the_limit_is_refused_but_bytes_pass() -> None:
    blob = rule("base64")
    too_big = base64.b64encode(bytes(record_errors.JSON_BASE64_MAX_BYTES + 1)).decode()
    with pytest.raises(Rejected) as caught:
        coerce(blob, too_big, "json")
    assert caught.value.error.code == "STRING_TOO_LONG"
    assert coerce(blob, "YWJjZA==", "json") == b"abcd"
    multipart_bytes = bytes(record_errors.JSON_BASE64_MAX_BYTES + 1)
    assert coerce(blob, multipart_bytes, "json") == multipart_bytes


@pytest.mark.parametrize(
    ("raw", "scale", "expected"), [("8.5", 0, 9.0), ("-8.5", 0, -9.0), ("2.345", 2, 2.35)]
)
def test_numbers_round_half_up(raw: str, scale: int, expected: float) -> None:
    assert coerce(rule("currency", precision=18, scale=scale), raw, "csv") == expected


@pytest.mark.parametrize(("type_", "raw"), [("date", "0001-01-01"), ("datetime", "4001-01-01T00:00:00Z")])
def test_dates_outside_salesforce_range_fail(type_: str, raw: str) -> None:
    with pytest.raises(Rejected) as caught:
        coerce(rule(type_), raw, "csv")
    assert caught.value.error.code == record_errors.TYPE_ERROR_CODE
