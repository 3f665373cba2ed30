"""Turns stored field values and query literals into values that compare the way the org compares.

Text compares case-insensitively, Ids compare in their 18-character form whatever case or length was
written, dates and datetimes compare as instants, and date literals (TODAY, LAST_N_DAYS:n) become
half-open ranges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from emulators.salesforce.soql import errors
from emulators.salesforce.soql.dates import day_range
from emulators.salesforce.soql.nodes import Value
from emulators.salesforce.soql.schema import FieldInfo, ValueKind

_CHECKSUM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def id_checksum(id15: str) -> str:
    """The three-character case checksum that turns a 15-character Id into 18 (contract §3)."""
    suffix = ""
    for chunk_start in range(0, 15, 5):
        bits = sum(1 << i for i, char in enumerate(id15[chunk_start : chunk_start + 5]) if "A" <= char <= "Z")
        suffix += _CHECKSUM_ALPHABET[bits]
    return suffix


def canonical_id(value: str) -> str | None:
    """The 18-character Id `value` names, or None if it is not a well-formed Id.

    An 18-character Id carries the case of its first 15 characters in its checksum, so it is
    matched whatever case it was written in.
    """
    if len(value) not in (15, 18) or not value.isalnum() or not value.isascii():
        return None
    if len(value) == 15:
        return value + id_checksum(value)
    checksum = value[15:].upper()
    if any(char not in _CHECKSUM_ALPHABET for char in checksum):
        return None
    restored = []
    for chunk_index, checksum_char in enumerate(checksum):
        bits = _CHECKSUM_ALPHABET.index(checksum_char)
        for i, char in enumerate(value[chunk_index * 5 : chunk_index * 5 + 5]):
            restored.append(char.upper() if bits >> i & 1 else char.lower())
    id15 = "".join(restored)
    return id15 + checksum if id_checksum(id15) == checksum else None


@dataclass(frozen=True)
class Range:
    """A date literal's span: `low` included, `high` excluded."""

    low: Any
    high: Any


def parse_datetime(text: str) -> datetime:
    """A datetime in REST form (`...000+0000`), SOQL literal form (`...Z`, `+01:00`) or CSV form."""
    normalized = text.strip()
    if normalized.endswith("Z"):
        normalized = normalized[:-1] + "+00:00"
    elif len(normalized) > 5 and normalized[-5] in "+-" and normalized[-3] != ":":
        normalized = f"{normalized[:-2]}:{normalized[-2:]}"
    parsed = datetime.fromisoformat(normalized)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_date(text: str) -> date:
    """A `YYYY-MM-DD` date (a trailing `Z`, as some CSV files carry, is ignored)."""
    return date.fromisoformat(text.strip().rstrip("Z")[:10])


def stored_value(kind: ValueKind, raw: Any) -> Any:
    """A stored field value in comparable form; None for null (and for empty text)."""
    if raw is None or raw == "":
        return None
    if kind == "text":
        return str(raw).casefold()
    if kind == "multi":
        return frozenset(part.strip().casefold() for part in str(raw).split(";") if part.strip())
    if kind == "id":
        return canonical_id(str(raw)) or str(raw)
    if kind == "boolean":
        return raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1")
    try:
        if kind == "number":
            return float(raw)
        if kind == "date":
            return parse_date(str(raw))
        if kind == "datetime":
            return parse_datetime(str(raw))
    except ValueError:
        return None  # a value the store could not have accepted: it matches no filter
    return str(raw)


def sort_value(kind: ValueKind, raw: Any) -> Any:
    """A stored value as an ORDER BY key; multi-select picklists sort by their text."""
    if kind == "multi":
        return None if raw in (None, "") else str(raw).casefold()
    return stored_value(kind, raw)


class LiteralChecker:
    """Checks each literal against its field's type and converts it, raising the org's errors."""

    def __init__(self, soql: str, zone: tzinfo = UTC, today: date | None = None) -> None:
        self.soql = soql
        self.zone = zone
        self.today = today or datetime.now(zone).date()

    def convert(self, field: FieldInfo, literal: Value) -> Any:
        """The literal as a comparable value, a `Range`, or None for NULL."""
        if literal.kind == "null":
            return None
        kind = field.kind
        converter = {
            "text": self._text,
            "multi": self._multi,
            "id": self._id,
            "boolean": self._boolean,
            "number": self._number,
            "date": self._date,
            "datetime": self._datetime,
        }.get(kind, self._text)
        return converter(field, literal)

    def _wrong(self, field: FieldInfo, literal: Value) -> errors.SoqlError:
        return errors.wrong_literal_type(
            self.soql, literal.offset, field.name, field.soap_type, literal.kind == "string"
        )

    def _text(self, field: FieldInfo, literal: Value) -> Any:
        if literal.kind != "string":
            raise self._wrong(field, literal)
        return literal.text.casefold()

    def _multi(self, field: FieldInfo, literal: Value) -> Any:
        if literal.kind != "string":
            raise self._wrong(field, literal)
        return frozenset(part.strip().casefold() for part in literal.text.split(";") if part.strip())

    def _id(self, field: FieldInfo, literal: Value) -> Any:
        if literal.kind != "string":
            raise self._wrong(field, literal)
        if literal.text == "":
            return ""  # matches nothing, as no record has an empty Id
        converted = canonical_id(literal.text)
        if converted is None:
            raise errors.invalid_id(self.soql, literal.offset, literal.text)
        return converted

    def _boolean(self, field: FieldInfo, literal: Value) -> Any:
        if literal.kind != "boolean":
            raise self._wrong(field, literal)
        return literal.text == "true"

    def _number(self, field: FieldInfo, literal: Value) -> Any:
        if literal.kind != "number":
            raise self._wrong(field, literal)
        return float(literal.text)

    def _date(self, field: FieldInfo, literal: Value) -> Any:
        if literal.kind == "date":
            return date.fromisoformat(literal.text)
        if literal.kind == "date_literal":
            low, high = day_range(literal.text, literal.n, self.today)
            return Range(low, high)
        raise self._wrong(field, literal)

    def _datetime(self, field: FieldInfo, literal: Value) -> Any:
        if literal.kind == "datetime":
            return parse_datetime(literal.text)
        if literal.kind == "date_literal":
            low, high = day_range(literal.text, literal.n, self.today)
            return Range(datetime.combine(low, time(), self.zone), datetime.combine(high, time(), self.zone))
        raise self._wrong(field, literal)


def compare(operator: str, value: Any, literal: Any) -> bool:
    """Apply one comparison operator with SOQL's null rules: `!=` is true for null values and
    ordering operators are false for them."""
    if literal is None:
        if operator == "=":
            return value is None
        return value is not None if operator == "!=" else False
    if value is None:
        return operator == "!="
    if isinstance(literal, Range):
        return _compare_range(operator, value, literal)
    if isinstance(literal, frozenset) or isinstance(value, frozenset):
        return (value == literal) == (operator == "=") if operator in ("=", "!=") else False
    try:
        return _ORDERING[operator](value, literal)
    except TypeError:
        return False


def _compare_range(operator: str, value: Any, span: Range) -> bool:
    inside = span.low <= value < span.high
    outcome = {
        "=": inside,
        "!=": not inside,
        "<": value < span.low,
        "<=": value < span.high,
        ">": value >= span.high,
        ">=": value >= span.low,
    }
    return outcome[operator]


_ORDERING = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
