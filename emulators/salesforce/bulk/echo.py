"""Values echoed in successfulResults as Salesforce stores them, not as they were uploaded.

The Bulk guide's example returns an uploaded `912260031` as `9.12260031E8`: numbers come back in
Java `Double.toString` form and booleans in lower case.
"""

from __future__ import annotations

import math
from decimal import Decimal

_FLOATING_TYPES = frozenset({"double", "currency", "percent"})
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


def java_double(value: float) -> str:
    """`Double.toString`: plain between 10^-3 and 10^7, otherwise `d.dddE<exp>`."""
    if value == 0:
        return "0.0"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e7:
        return repr(value)
    _, digit_tuple, exponent = Decimal(repr(magnitude)).normalize().as_tuple()
    digits = "".join(str(digit) for digit in digit_tuple)
    scientific_exponent = len(digits) - 1 + int(exponent)
    mantissa = digits[0] + "." + (digits[1:] or "0")
    return ("-" if value < 0 else "") + f"{mantissa}E{scientific_exponent}"


def echo_value(value: str, field_type: str) -> str:
    """The stored form of one uploaded CSV value of a field of `field_type`."""
    if field_type in _FLOATING_TYPES:
        try:
            number = float(value)
        except ValueError:
            return value
        return java_double(number) if math.isfinite(number) else value
    if field_type == "boolean":
        lowered = value.lower()
        if lowered in _TRUE:
            return "true"
        if lowered in _FALSE:
            return "false"
    return value
