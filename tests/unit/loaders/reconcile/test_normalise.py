from datetime import UTC, datetime

from loaders.reconcile.normalise import normalise_body, same_value


def test_body_normalisation_forgives_line_endings_trailing_space_and_composition() -> None:
    assert normalise_body("Hola \r\nque\u0301 tal\t\r\n\r\n") == "Hola\nqué tal"
    assert normalise_body(None) == normalise_body("") == ""


def test_body_normalisation_keeps_inner_whitespace_and_case() -> None:
    assert normalise_body("a  b") != normalise_body("a b")
    assert normalise_body("Hola") != normalise_body("hola")


def test_org_timestamp_text_equals_a_naive_utc_datetime() -> None:
    assert same_value(datetime(2018, 6, 7, 5, 23, 59), "2018-06-07T05:23:59.000+0000")
    assert same_value(datetime(2018, 6, 7, 5, 23, 59, tzinfo=UTC), "2018-06-07T07:23:59.000+0200")
    assert not same_value(datetime(2018, 6, 7, 5, 23, 59), "2018-06-07T05:24:00.000+0000")


def test_empty_string_is_null_and_numbers_booleans_picklists_compare_by_value() -> None:
    assert same_value("", None)
    assert not same_value("x", None)
    assert same_value(3, 3.0)
    assert same_value(True, "true")
    assert not same_value(False, True)
    assert same_value("b;a", "a;b", multi_select=True)
    assert not same_value("b;a", "a;b")
    assert not same_value("Printer jams", "Printer jams!")
