"""Masking: no raw email or phone survives, and ordinary values are left alone."""

import pytest

from stames_sf.discovery.masking import (
    FieldKind,
    field_kind,
    mask_contact,
    mask_email,
    mask_name,
    mask_phone,
    redact,
    safe_example,
    safe_spelling,
)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("ana.perez@example.com", "a***@e***.com"),
        ("Ana.Perez@Example.com ", "A***@E***.com"),
        ("marta＠acme.example", "m***@a***.example"),
        ("x@mail.example.co.uk", "x***@m***.uk"),
    ],
)
def test_mask_email_keeps_first_letters_and_top_level_domain(raw, masked):
    assert mask_email(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("+34600111222", "+*********22"),
        ("600 11 12 22", "*******22"),
        ("+34 600-111-222", "+*********22"),
        ("12", "***"),
    ],
)
def test_mask_phone_keeps_only_the_last_two_digits(raw, masked):
    assert mask_phone(raw) == masked


def test_redact_masks_emails_and_phones_inside_free_text():
    text = "Llámame al 600 11 12 22 o escribe a ana.perez@example.com (wa:34600111222)"
    redacted = redact(text)
    assert "ana.perez" not in redacted
    assert "example.com" not in redacted
    assert "600 11 12" not in redacted
    assert "34600111222" not in redacted
    assert "a***@e***.com" in redacted
    assert redacted.startswith("Llámame al ")


@pytest.mark.parametrize(
    "kept",
    ["2024-05-01", "2019-03-02 14:05:00", "2024-05-01T08:12:45.120Z", "02/11/2023", "1.234,50", "ST-10234",
     "1,234,567", "sha 9f2c1234567890abcdef", "2026-12-02 15:23:45.123488+00",
     "2026-12-02 15:23:45.123488+00:00", "0 … 31457280", "ticket 10234567890123",
     "at 14:05:07.25 on 2024-05-01", "192.168.1.10", "3.5", "ig_sid:17841400000000001"],
)  # fmt: skip
def test_redact_leaves_dates_timestamps_amounts_and_ids_alone(kept):
    assert redact(kept) == kept


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Llámenos al 600 11 12 22.", "Llámenos al *******22."),
        ("call +34 600-111-222 today", "call +*********22 today"),
        ("or 0034600111222", "or ***********22"),
        ("(555) 123-4567", "********67"),
        ("Tel:600 111 222, wa:34600111222", "Tel:*******22, wa:*********22"),
        ("on 2024-05-01 14:05 call +34600111222", "on 2024-05-01 14:05 call +*********22"),
    ],
)
def test_redact_masks_phones_written_as_phones(text, masked):
    assert redact(text) == masked


@pytest.mark.parametrize(
    ("table", "column", "kind"),
    [
        ("customers", "email", FieldKind.EMAIL),
        ("tickets", "requester__email", FieldKind.EMAIL),
        ("customers", "phone_raw", FieldKind.PHONE),
        ("customers", "name", FieldKind.PERSON_NAME),
        ("agents", "name", FieldKind.PERSON_NAME),
        ("messages", "author__name", FieldKind.PERSON_NAME),
        ("customers__identities", "value", FieldKind.CONTACT),
        ("tickets", "channel__source_ref", FieldKind.CONTACT),
        ("tags", "name", FieldKind.FREE_TEXT),
        ("custom_objects", "name", FieldKind.FREE_TEXT),
        ("messages", "body_text", FieldKind.FREE_TEXT),
    ],
)
def test_field_kind_follows_what_the_column_holds(table, column, kind):
    assert field_kind(table, column) is kind


def test_names_and_contact_handles_are_masked_whole():
    assert mask_name("Ana Pérez") == "A*** P***"
    assert mask_contact("wa:34600111222") == "wa:*********22"
    assert mask_contact("ig_sid:17841400000000001") == "ig_sid:***************01"
    assert mask_contact("Ana.Perez@Example.com ") == "A***@E***.com "
    assert safe_example("Ana Pérez", kind=FieldKind.PERSON_NAME) == "A*** P***"


def test_safe_example_redacts_before_cutting():
    # The email sits across the cut: redacting after cutting would leave `someone.with.a.lo…`.
    value = "x" * 70 + " someone.with.a.long.name@example.com"
    shown = safe_example(value, limit=80)
    assert "someone" not in shown
    assert len(shown) <= 80


def test_safe_example_shows_bidi_overrides_and_zero_width_characters():
    shown = safe_example("\u202eשלום\u200b ok")
    assert "\u202e" not in shown
    assert "\u200b" not in shown
    assert shown == "⟨U+202E⟩שלום⟨U+200B⟩ ok"


def test_a_spelling_keeps_its_edge_whitespace_visible_and_stays_masked():
    assert safe_spelling("VIP ") == "VIP␠"
    assert safe_spelling("\u00a0vip") == "⟨U+00A0⟩vip"
    assert safe_spelling("vip") == "vip"
    assert safe_spelling(" ") == "␠"
    assert safe_spelling("call ana@example.com ") == "call a***@e***.com␠"
