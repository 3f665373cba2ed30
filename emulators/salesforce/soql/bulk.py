"""Which queries Bulk API 2.0 accepts (contract §1.6: no GROUP BY, OFFSET, TYPEOF, aggregate
functions or parent-to-child subqueries; child-to-parent paths are fine)."""

from __future__ import annotations

from emulators.salesforce.soql.errors import SoqlError
from emulators.salesforce.soql.parser import parse

_REASONS = {
    "COUNT": "Aggregate functions such as COUNT() are not supported by Bulk API 2.0 query",
    "GROUP BY": "GROUP BY is not supported by Bulk API 2.0 query",
    "OFFSET": "OFFSET is not supported by Bulk API 2.0 query",
    "subquery": "Nested queries (parent-to-child subqueries) are not supported by Bulk API 2.0 query",
}
"""Our own wording: the org's exact messages for these refusals are not in the contract."""


def bulk_unsupported_reason(soql: str) -> str | None:
    """Why Bulk 2.0 refuses `soql`, or None if it accepts it. A query that does not parse is not
    judged here: running it fails the job with the parser's own error."""
    try:
        features = parse(soql).features
    except SoqlError:
        return None
    for feature, reason in _REASONS.items():
        if feature in features:
            return reason
    return None


def bulk_supported(soql: str) -> bool:
    """True if Bulk 2.0 can run `soql` (see `bulk_unsupported_reason`)."""
    return bulk_unsupported_reason(soql) is None
