"""Type choice for new fields and type compatibility with existing ones, on profiles written by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mapping.propose.profile import FieldProfile
from mapping.propose.types import (
    custom_field_name,
    custom_object_name,
    field_kind,
    new_custom_field,
    type_compatibility,
)

BASE = FieldProfile(
    source="ticket.custom.x", object="ticket", key="x", stored_type="text", rows=10, filled=10, custom=True
)


def profile(**changes: object) -> FieldProfile:
    return replace(BASE, **changes)  # type: ignore[arg-type]


def test_short_text_is_a_text_field_of_255() -> None:
    choice = new_custom_field(profile(max_length=13, values=("X200", "TabOne 10")), "Stames_X__c", "Modelo")
    assert (choice.field.type, choice.field.length, choice.field.label) == ("Text", 255, "Modelo")
    assert choice.warnings == ()


def test_text_over_255_characters_is_a_long_text_area() -> None:
    choice = new_custom_field(profile(max_length=400), "Stames_X__c", "X")
    assert (choice.field.type, choice.field.length, choice.field.visible_lines) == ("LongTextArea", 32768, 5)


def test_text_longer_than_any_field_says_it_will_be_cut() -> None:
    choice = new_custom_field(profile(stored_type="textarea", max_length=200_000), "Stames_X__c", "X")
    assert choice.field.length == 131072
    assert choice.warnings == (
        "values up to 200000 characters; the field holds 131072: longer ones will be cut",
    )


def test_text_of_phone_numbers_is_a_phone_field() -> None:
    phones = profile(max_length=17, values=("+49 151 2345678", "+33 6 12 34 56 78"))
    assert field_kind(phones) == "phone"
    assert new_custom_field(phones, "Stames_X__c", "X").field.type == "Phone"


def test_text_of_dates_is_neither_phone_nor_date_and_says_so() -> None:
    dates = profile(max_length=10, values=("02.04.2024", "15.03.2024"), date_like_text=("02.04.2024",))
    choice = new_custom_field(dates, "Stames_X__c", "X")
    assert choice.field.type == "Text"
    assert choice.warnings == ("text that looks like a date (02.04.2024): kept as text",)
    assert choice.confidence == 0.8


def test_decimal_keeps_the_measured_scale_and_flags_a_decimal_comma() -> None:
    amounts = profile(stored_type="decimal", max_scale=2, decimal_comma=("1.234,50",))
    choice = new_custom_field(amounts, "Stames_X__c", "X")
    assert (choice.field.type, choice.field.precision, choice.field.scale) == ("Number", 18, 2)
    assert choice.warnings == (
        "numbers written with a decimal comma (1.234,50): the transform must read them",
    )


def test_a_number_that_is_no_number_lowers_the_confidence() -> None:
    choice = new_custom_field(
        profile(stored_type="decimal", max_scale=2, not_numbers=("1079.48 €",)), "Stames_X__c", "X"
    )
    assert choice.confidence < 0.8
    assert "1079.48 €" in choice.warnings[0]


def test_whole_numbers_have_scale_0() -> None:
    assert new_custom_field(profile(stored_type="number", max_scale=0), "Stames_X__c", "X").field.scale == 0


def test_dropdown_values_are_the_options_then_the_values_found_beyond_them() -> None:
    reasons = profile(
        stored_type="dropdown", options=("billing", "returns", "tech"), values=("billing", "returns_legacy")
    )
    choice = new_custom_field(reasons, "Stames_X__c", "Motivo")
    assert choice.field.type == "Picklist"
    assert choice.field.picklist_values == ["billing", "returns", "tech", "returns_legacy"]
    assert choice.warnings == (
        "values outside the field's options, added as picklist values: returns_legacy",
    )


def test_a_picklist_value_over_255_characters_says_it_will_be_cut() -> None:
    long_value = "x" * 300
    choice = new_custom_field(profile(stored_type="dropdown", options=("a", long_value)), "Stames_X__c", "X")
    assert choice.warnings == (f"1 values are longer than 255 characters and will be cut: {'x' * 40}…",)


def test_multi_select_is_a_multi_select_picklist() -> None:
    features = profile(stored_type="multi_select", options=("camera", "wifi"), values=("wifi",))
    field = new_custom_field(features, "Stames_X__c", "X").field
    assert (field.type, field.picklist_values, field.visible_lines) == (
        "MultiselectPicklist",
        ["camera", "wifi"],
        4,
    )


@pytest.mark.parametrize(
    ("target", "object_key", "reference_to"),
    [
        ("custom_object", "warranty", "Stames_Warranty__c"),
        ("agent", None, "User"),
        ("customer", None, "Contact"),
        ("ticket", None, "Case"),
    ],
)
def test_lookups_point_at_the_object_their_records_become(
    target: str, object_key: str | None, reference_to: str
) -> None:
    lookup = profile(stored_type="lookup", lookup_target=target, lookup_object_key=object_key)
    field = new_custom_field(lookup, "Stames_Warranty_Record__c", "Garantía").field
    assert (field.type, field.reference_to, field.relationship_name) == (
        "Lookup",
        reference_to,
        "Stames_Warranty_Record",
    )


def test_a_checkbox_holding_other_words_says_they_become_false() -> None:
    choice = new_custom_field(
        profile(stored_type="checkbox", values=("ja", "nein", "true")), "Stames_X__c", "X"
    )
    assert choice.field.type == "Checkbox"
    assert choice.warnings == ("values that are not true/false (ja, nein) become false",)


def test_an_unknown_stames_type_is_short_text_at_low_confidence() -> None:
    choice = new_custom_field(profile(stored_type="rating", max_length=1), "Stames_X__c", "X")
    assert (choice.field.type, choice.field.length) == ("Text", 255)
    assert choice.confidence < 0.8
    assert "'rating'" in choice.warnings[0]


@pytest.mark.parametrize(
    ("kind", "describe_type", "fits"),
    [("phone", "phone", True), ("text", "string", True), ("date", "date", True),
     ("dropdown", "picklist", True), ("textarea", "string", False), ("datetime", "date", False),
     ("text", "boolean", False)],
)  # fmt: skip
def test_type_compatibility(kind: str, describe_type: str, fits: bool) -> None:
    assert (type_compatibility(kind, describe_type) >= 0.8) is fits


def test_names_are_salesforce_api_names() -> None:
    assert custom_field_name("steps_to_reproduce", prefix="Stames_") == "Stames_Steps_To_Reproduce__c"
    assert custom_field_name("Größe", prefix="Stames_") == "Stames_Grosse__c"
    assert custom_field_name("2fa_code", prefix="") == "F_2fa_Code__c"
    assert len(custom_field_name("a_very_long_key_that_goes_on_and_on_and_on", prefix="Stames_")) <= 43
    assert custom_object_name("warranty") == "Stames_Warranty__c"
