"""Masking of personal data before anything reaches a report.

A scope report is shared with people who must not see customer contact data, so every value
that leaves the warehouse for a report passes through `redact`. Emails are unambiguous and
are masked wherever they appear; phone-like digit runs are masked in free text too, with
guards so dates, times and amounts survive.
"""

from __future__ import annotations

import re
import unicodedata

# `＠` (full-width) is matched as well: the source holds look-alike duplicates (§3 #2).
_EMAIL_PART = r"[^\s@＠<>()\[\],;:\"']+"
EMAIL_PATTERN = re.compile(rf"({_EMAIL_PART})\s*[@＠]\s*({_EMAIL_PART}\.{_EMAIL_PART})")

# At least 7 digits, optionally led by `+`, separated by spaces, dashes, dots or brackets; not
# glued to letters or digits, and not followed by `:` (that would be a time, `2019-03-02 14:05`).
PHONE_PATTERN = re.compile(r"(?<![\w+.,/])\+?\d(?:[ \-().]*\d){6,}(?![\w:/])")

# Digit runs that are dates (`2024-05-01`, `02/11/2023`, `20240501`), not phone numbers.
DATE_PATTERN = re.compile(r"\d{4}[-./]?\d{2}[-./]?\d{2}|\d{2}[-./]\d{2}[-./]\d{4}")

MASK = "***"


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


def redact(text: str) -> str:
    """Mask every email and phone number found anywhere in `text`."""
    without_emails = EMAIL_PATTERN.sub(_masked_email, text)
    return PHONE_PATTERN.sub(_masked_phone_unless_date, without_emails)


def _masked_phone_unless_date(match: re.Match[str]) -> str:
    candidate = match.group(0)
    return candidate if DATE_PATTERN.fullmatch(candidate.strip()) else mask_phone(candidate)


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


def safe_example(value: object, limit: int = 80) -> str:
    """A value as it may be shown in a report: redacted, invisible characters shown, then shortened.

    Redacting before shortening matters: a cut could leave half an email that the pattern no
    longer recognises.
    """
    return shorten(reveal_invisible(redact(str(value))), limit)


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
