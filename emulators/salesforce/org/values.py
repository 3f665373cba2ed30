"""Turning one incoming value (JSON-typed or a CSV string) into its stored form, or rejecting it."""

from __future__ import annotations

import base64
import binascii
import math
import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from emulators.salesforce.org import record_errors
from emulators.salesforce.org.fields import FieldRule
from emulators.salesforce.org.ids import normalise
from emulators.salesforce.org.types import FieldError, Wire


class Rejected(Exception):  # noqa: N818 - reads as "the record was rejected"
    """A record-level error: the operation answers a failed SaveResult with it."""

    def __init__(self, error: FieldError) -> None:
        super().__init__(error.message)
        self.error = error


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})Z?$")
_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


def format_datetime(moment: datetime) -> str:
    """REST form: `2013-04-04T20:52:22.000+0000`, always UTC."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}+0000"


def parse_stored_datetime(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")


def text_length(value: str) -> int:
    """Length as Salesforce counts it (see `record_errors.LENGTH_IN_UTF16_UNITS`)."""
    if value.isascii() or not record_errors.LENGTH_IN_UTF16_UNITS:
        return len(value)
    return len(value.encode("utf-16-le")) // 2


def coerce(rule: FieldRule, raw: Any, wire: Wire) -> Any:
    """The stored value of `raw` for this field; raises `Rejected` with Salesforce's error."""
    if raw is None:
        return None
    kind = rule.type
    if kind in ("reference", "id"):
        return _reference(rule, raw)
    if kind == "boolean":
        return _boolean(rule, raw)
    if kind == "int":
        return _integer(rule, raw)
    if kind in ("double", "currency", "percent"):
        return _number(rule, raw)
    if kind == "date":
        return _date(rule, raw)
    if kind == "datetime":
        return _datetime(rule, raw)
    if kind == "base64":
        return _base64(rule, raw, wire)
    return _text(rule, raw)


def _as_text(rule: FieldRule, raw: Any) -> str:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int | float):
        return repr(raw) if isinstance(raw, float) else str(raw)
    raise Rejected(record_errors.type_error(rule.label, raw))


def _text(rule: FieldRule, raw: Any) -> str | None:
    value = _as_text(rule, raw)
    if value == "":
        return None  # Salesforce stores an empty string as null
    if rule.type == "multipicklist":
        value = _multipicklist(rule, value)
    elif rule.type == "picklist" and rule.restricted and value not in rule.picklist:
        raise Rejected(record_errors.bad_picklist(rule.name, rule.label, value))
    if rule.length and text_length(value) > rule.length:
        raise Rejected(record_errors.too_long(rule.name, rule.label, value, rule.length))
    if rule.type == "email" and value and not _EMAIL.match(value):
        raise Rejected(record_errors.invalid_email(rule.name, rule.label, value))
    return value


def _multipicklist(rule: FieldRule, value: str) -> str:
    chosen: list[str] = []
    for part in value.split(";"):
        item = part.strip()
        if not item or item in chosen:
            continue
        if rule.restricted and item not in rule.picklist:
            raise Rejected(record_errors.bad_picklist(rule.name, rule.label, item))
        chosen.append(item)
    return ";".join(chosen)


def _reference(rule: FieldRule, raw: Any) -> str:
    if not isinstance(raw, str):
        raise Rejected(record_errors.malformed_reference(rule.name, rule.label, str(raw)))
    canonical = normalise(raw)
    if canonical is None:
        raise Rejected(record_errors.malformed_reference(rule.name, rule.label, raw))
    return canonical


def _boolean(rule: FieldRule, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    raise Rejected(record_errors.type_error(rule.label, raw))


def _numeric(rule: FieldRule, raw: Any) -> float:
    if isinstance(raw, bool):
        raise Rejected(record_errors.type_error(rule.label, raw))
    if isinstance(raw, int | float):
        number = float(raw)
    elif isinstance(raw, str) and _NUMBER.match(raw.strip()):
        number = float(raw.strip())
    else:
        raise Rejected(record_errors.type_error(rule.label, raw))
    if math.isnan(number) or math.isinf(number):
        raise Rejected(record_errors.type_error(rule.label, raw))
    return number


def _integer(rule: FieldRule, raw: Any) -> int:
    number = _numeric(rule, raw)
    if number != int(number):
        raise Rejected(record_errors.type_error(rule.label, raw))
    value = int(number)
    max_digits = rule.digits or 9
    if len(str(abs(value))) > max_digits or abs(value) > 2**31 - 1:
        raise Rejected(record_errors.number_out_of_range(rule.name, rule.label, raw))
    return value


def _number(rule: FieldRule, raw: Any) -> float:
    """Rounded half up to the field's scale, as Salesforce rounds (Python's `round` rounds half to even)."""
    approximate = _numeric(rule, raw)
    integer_digits = rule.precision - rule.scale if rule.precision else 18
    if abs(approximate) >= 10**integer_digits:
        raise Rejected(record_errors.number_out_of_range(rule.name, rule.label, raw))
    exact = Decimal(raw.strip()) if isinstance(raw, str) else Decimal(repr(approximate))
    number = float(exact.quantize(Decimal(1).scaleb(-rule.scale), rounding=ROUND_HALF_UP))
    if abs(number) >= 10**integer_digits:
        raise Rejected(record_errors.number_out_of_range(rule.name, rule.label, raw))
    return number


def _date(rule: FieldRule, raw: Any) -> str:
    match = _DATE.match(raw) if isinstance(raw, str) else None
    if not match:
        raise Rejected(record_errors.type_error(rule.label, raw))
    try:
        parsed = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise Rejected(record_errors.type_error(rule.label, raw)) from exc
    if not record_errors.FIRST_YEAR <= parsed.year <= record_errors.LAST_YEAR:
        raise Rejected(record_errors.type_error(rule.label, raw))
    return parsed.isoformat()


def _datetime(rule: FieldRule, raw: Any) -> str:
    match = _DATETIME.match(raw) if isinstance(raw, str) else None
    if not match:
        raise Rejected(record_errors.type_error(rule.label, raw))
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")[:6]),
            tzinfo=_zone(zone),
        )
    except ValueError as exc:
        raise Rejected(record_errors.type_error(rule.label, raw)) from exc
    if not record_errors.FIRST_YEAR <= moment.year <= record_errors.LAST_YEAR:
        raise Rejected(record_errors.type_error(rule.label, raw))
    return format_datetime(moment)


def _zone(zone: str | None) -> timezone:
    if not zone or zone == "Z":
        return UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _base64(rule: FieldRule, raw: Any, wire: Wire) -> bytes:
    if isinstance(raw, bytes | bytearray):
        return bytes(raw)
    if not isinstance(raw, str):
        raise Rejected(record_errors.type_error(rule.label, raw))
    try:
        decoded = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Rejected(record_errors.type_error(rule.label, raw[:40])) from exc
    if wire == "json" and len(decoded) > record_errors.JSON_BASE64_MAX_BYTES:
        raise Rejected(
            record_errors.too_long(rule.name, rule.label, raw[:40], record_errors.JSON_BASE64_MAX_BYTES)
        )
    return decoded
