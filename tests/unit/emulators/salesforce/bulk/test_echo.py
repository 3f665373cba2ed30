"""Values echoed in successfulResults the way Salesforce stores them."""

from __future__ import annotations

import pytest

from emulators.salesforce.bulk.echo import echo_value, java_double


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (912260031.0, "9.12260031E8"),  # the Bulk guide's own example
        (2676.0, "2676.0"),
        (0.5, "0.5"),
        (10_000_000.0, "1.0E7"),
        (0.0001, "1.0E-4"),
        (-123456789.5, "-1.234567895E8"),
        (0.0, "0.0"),
    ],
)
def test_java_double_formatting(number: float, expected: str) -> None:
    assert java_double(number) == expected


def test_double_and_currency_fields_echo_java_doubles() -> None:
    assert echo_value("912260031", "currency") == "9.12260031E8"
    assert echo_value("1.5e3", "double") == "1500.0"


def test_int_and_text_fields_echo_as_uploaded() -> None:
    assert echo_value("2676", "int") == "2676"
    assert echo_value("912260031", "string") == "912260031"


def test_booleans_echo_lower_case_and_bad_numbers_are_left_alone() -> None:
    assert echo_value("TRUE", "boolean") == "true"
    assert echo_value("0", "boolean") == "false"
    assert echo_value("n/a", "double") == "n/a"
