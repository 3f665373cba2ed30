"""How two values are judged equal when one comes from the warehouse and the other from the org.

Body text normalisation (applied to both sides before message bodies are compared):

1. line endings: CRLF and lone CR become LF;
2. Unicode NFC (the org may store composed forms of what Stames sent decomposed);
3. trailing whitespace stripped from every line, and blank lines at the very end dropped;
4. an empty body is the same as no body (Salesforce stores an empty string as null).

Nothing else is forgiven: inner whitespace, case and punctuation must be equal.

Field values: `None` and `""` are equal (Salesforce stores an empty string as null); timestamps
are compared as UTC instants to the second, whatever their text form (`2024-01-02T03:04:05.000+0000`
from the org, a naive UTC `datetime` from the warehouse); numbers as numbers (`3` equals `3.0`);
booleans as booleans (`"true"` equals `True`); multi-select picklists as sets of `;`-separated values.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import UTC, date, datetime
from decimal import Decimal

TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
ORG_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}")


def normalise_body(text: str | None) -> str:
    """Body text as compared: see the module docstring."""
    if not text:
        return ""
    unified = text.replace("\r\n", "\n").replace("\r", "\n")
    composed = unicodedata.normalize("NFC", unified)
    return TRAILING_SPACE.sub("", composed).rstrip("\n")


def as_instant(value: object) -> datetime | None:
    """A timestamp as an aware UTC datetime cut to the second; None when `value` is not one."""
    if isinstance(value, datetime):
        instant = value if value.tzinfo else value.replace(tzinfo=UTC)
        return instant.astimezone(UTC).replace(microsecond=0)
    if isinstance(value, str) and ORG_DATETIME.match(value):
        text = value.replace(" ", "T", 1).replace("Z", "+00:00")
        text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
        try:
            return as_instant(datetime.fromisoformat(text))
        except ValueError:
            return None
    return None


def same_value(expected: object, actual: object, *, multi_select: bool = False) -> bool:
    """Whether the org's `actual` holds the warehouse's `expected` (rules in the module docstring)."""
    if _blank(expected) or _blank(actual):
        return _blank(expected) and _blank(actual)
    if multi_select:
        return _choices(expected) == _choices(actual)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return _as_bool(expected) == _as_bool(actual)
    if isinstance(expected, datetime) or isinstance(actual, datetime):
        return as_instant(expected) is not None and as_instant(expected) == as_instant(actual)
    if isinstance(expected, date) or isinstance(actual, date):
        return str(expected)[:10] == str(actual)[:10]
    if isinstance(expected, int | float | Decimal) or isinstance(actual, int | float | Decimal):
        return _same_number(expected, actual)
    if as_instant(expected) is not None and as_instant(actual) is not None:
        return as_instant(expected) == as_instant(actual)
    return str(expected) == str(actual)


def shown(value: object) -> str:
    """A value as the report prints it: `(empty)` for nothing, ISO text for instants."""
    if _blank(value):
        return "(empty)"
    if isinstance(value, datetime):
        instant = as_instant(value)
        return instant.isoformat() if instant else str(value)
    return str(value)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value == "")


def _choices(value: object) -> frozenset[str]:
    return frozenset(part.strip() for part in str(value).split(";") if part.strip())


def _as_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    return {"true": True, "false": False, "1": True, "0": False}.get(str(value).strip().lower())


def _same_number(expected: object, actual: object) -> bool:
    try:
        left, right = float(str(expected)), float(str(actual))
    except ValueError:
        return str(expected) == str(actual)
    return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-9)
