"""Masking of personal data before anything reaches a report.

A scope report is shared with people who must not see customer contact data, yet it must show
sizes, ids and dates as they are. So masking follows what a field holds:

* a column known to hold an email, a phone, a person's name or a contact handle is masked
  as such (`field_kind`);
* any other text is free text: emails and phone numbers found inside it are masked, while
  dates, timestamps, times, decimal numbers and plain digit ids are left alone;
* numbers, timestamps and booleans are never masked (the profiler does not pass them here).
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

# `＠` (full-width) is matched as well: the source holds look-alike duplicates (§3 #2).
_EMAIL_PART = r"[^\s@＠<>()\[\],;:\"']+"
EMAIL_PATTERN = re.compile(rf"({_EMAIL_PART})\s*[@＠]\s*({_EMAIL_PART}\.{_EMAIL_PART})")

# Digit runs that are not phone numbers, tried first at each position so they are kept whole:
# ISO dates and timestamps (any precision and offset), dd/mm/yyyy, times, decimal and grouped
# numbers (`3.5`, `1.234,50`, `1,234,567`).
_NOT_A_PHONE = (
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s?(?:Z|[+-]\d{2}(?::?\d{2})?))?)?"
    r"|\d{4}[./]\d{2}[./]\d{2}"
    r"|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}"
    r"|\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
    r"|\d+(?:[.,]\d+)+"
)
# A phone number in free text: international (`+34 600-111-222`, `0034600111222`), written in
# three or more groups (`600 11 12 22`, `(555) 123-4567`), or after a messaging scheme
# (`wa:34600111222`). A bare digit run is an id, not a phone.
_PHONE = (
    r"(?:\+|\b00)\d(?:[ \-().]{0,2}\d)+"
    r"|\(?\d{2,5}\)?(?:[ \-]\(?\d{2,5}\)?){2,}"
    r"|(?:tel|wa|sms|phone|whatsapp):\s?\+?\d(?:[ \-().]{0,2}\d)*"
)
FREE_TEXT_PATTERN = re.compile(
    rf"(?<![\w+])(?:(?P<kept>{_NOT_A_PHONE})|(?P<phone>{_PHONE}))(?![\w])", re.IGNORECASE
)
# E.164 allows at most 15 digits; fewer than 7 is an extension, a count or a code.
PHONE_DIGITS = range(7, 16)

MASK = "***"


class FieldKind(Enum):
    """What a text column holds, as far as masking is concerned."""

    EMAIL = "email"
    PHONE = "phone"
    PERSON_NAME = "person name"
    CONTACT = "contact handle"  # an identity value or a channel reference: email, phone or platform id
    FREE_TEXT = "free text"


PHONE_LEAVES = frozenset({"phone", "phone_raw", "mobile"})
NAME_LEAVES = frozenset({"name", "first_name", "last_name", "full_name", "display_name"})
PERSON_TABLES = frozenset({"customers", "agents"})
# Nested objects that describe a person (`requester__name`, `author__name`).
PERSON_OWNERS = frozenset({"requester", "author", "customer", "assignee", "agent", "sender", "changed_by"})
CONTACT_COLUMNS = frozenset({("customers__identities", "value")})
CONTACT_LEAVES = frozenset({"source_ref"})


def field_kind(table: str, column: str) -> FieldKind:
    """The kind of a text column, from its table and (dlt-flattened) column name."""
    parts = column.lower().split("__")
    leaf, owner = parts[-1], (parts[-2] if len(parts) > 1 else None)
    if leaf == "email" or leaf.endswith("_email"):
        return FieldKind.EMAIL
    if leaf in PHONE_LEAVES or leaf.endswith("_phone"):
        return FieldKind.PHONE
    if leaf in NAME_LEAVES and (owner in PERSON_OWNERS or (owner is None and table in PERSON_TABLES)):
        return FieldKind.PERSON_NAME
    if (table, column) in CONTACT_COLUMNS or leaf in CONTACT_LEAVES:
        return FieldKind.CONTACT
    return FieldKind.FREE_TEXT


def mask_email(email: str) -> str:
    """`ana.perez@example.com` → `a***@e***.com`: enough to tell records apart, not to contact them."""
    match = EMAIL_PATTERN.search(email)
    if match is None:
        return MASK
    return _masked_email(match)


def _masked_email(match: re.Match[str]) -> str:
    local, domain = match.group(1), match.group(2)
    domain_name, _, top_level = domain.rpartition(".")
    return f"{local[:1]}{MASK}@{domain_name[:1]}{MASK}.{top_level}"


def mask_phone(phone: str) -> str:
    """Keep only the last two digits (`+34600111222` → `+*********22`)."""
    digits = [char for char in phone if char.isdigit()]
    if len(digits) <= 2:
        return MASK
    prefix = "+" if phone.lstrip().startswith("+") else ""
    return prefix + "*" * (len(digits) - 2) + "".join(digits[-2:])


def mask_name(name: str) -> str:
    """`Ana Pérez` → `A*** P***`: initials tell records apart without naming anyone."""
    return " ".join(word[:1] + MASK for word in name.split()) or MASK


SCHEME_PATTERN = re.compile(r"^[A-Za-z_]+:\s?")


def mask_contact(handle: str) -> str:
    """An identity or channel handle: `wa:34600111222` → `wa:*********22`, emails as emails."""
    if EMAIL_PATTERN.search(handle):
        return redact(handle)
    scheme = SCHEME_PATTERN.match(handle.strip())
    prefix = scheme.group(0) if scheme else ""
    return prefix + mask_phone(handle.strip()[len(prefix) :])


def redact(text: str) -> str:
    """Free text with every email and phone number masked; dates, amounts and ids kept."""
    without_emails = EMAIL_PATTERN.sub(_masked_email, text)
    return FREE_TEXT_PATTERN.sub(_masked_phone, without_emails)


def _masked_phone(match: re.Match[str]) -> str:
    candidate = match.group(0)
    if match.group("kept") is not None or sum(char.isdigit() for char in candidate) not in PHONE_DIGITS:
        return candidate
    return mask_contact(candidate)


MASKS = {
    FieldKind.EMAIL: mask_email,
    FieldKind.PHONE: mask_phone,
    FieldKind.PERSON_NAME: mask_name,
    FieldKind.CONTACT: mask_contact,
    FieldKind.FREE_TEXT: redact,
}


def shorten(text: str, limit: int = 80) -> str:
    """One line of at most `limit` characters, so long bodies stay readable in a table."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


# Invisible characters that would reorder or hide the report's own text (bidi overrides,
# zero-width marks, control characters) are shown as their code point instead.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})


def reveal_invisible(text: str) -> str:
    """`\u202e` → `⟨U+202E⟩`, so a bidi override in the data cannot flip the table around it."""
    return "".join(
        f"⟨U+{ord(char):04X}⟩"
        if unicodedata.category(char) in INVISIBLE_CATEGORIES and char not in "\t\n\r"
        else char
        for char in text
    )


def safe_example(value: object, limit: int = 80, kind: FieldKind = FieldKind.FREE_TEXT) -> str:
    """A text value as it may be shown in a report: masked for its kind, invisible characters
    shown, then shortened.

    Masking before shortening matters: a cut could leave half an email that the pattern no
    longer recognises.
    """
    return shorten(reveal_invisible(MASKS[kind](str(value))), limit)


def shown_as_is(value: object, limit: int = 80) -> str:
    """A number, timestamp or boolean: nothing personal to mask, only shortened."""
    return shorten(reveal_invisible(str(value)), limit)


def _visible_edge(whitespace: str) -> str:
    return "".join("␠" if char == " " else f"⟨U+{ord(char):04X}⟩" for char in whitespace)


def safe_spelling(value: str, limit: int = 80) -> str:
    """`safe_example` for a value whose spelling is the point (tag variants such as `'VIP '`).

    `safe_example` folds whitespace to keep tables on one line, which would show `VIP ` and `VIP`
    as the same tag; here leading and trailing whitespace stay visible as `␠` or a code point.
    """
    core = value.strip()
    if not core:
        return _visible_edge(value)
    start = value.index(core)
    return (
        _visible_edge(value[:start]) + safe_example(core, limit) + _visible_edge(value[start + len(core) :])
    )
