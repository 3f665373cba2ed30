"""Whether a record the org already holds would change: a rerun or a cutover delta sends only the
records that differ, so an unchanged record keeps its LastModifiedDate and costs no API call.

A value from the sync tables (Python: text, numbers, booleans, dates, datetimes) is compared with
the value the org answered in JSON (text, numbers, booleans; dates and datetimes as text). When in
doubt the answer is "changed": a needless update is harmless, a missed one is not.

An empty sync value never counts as a change: Bulk API 2.0 ignores an empty cell on update, so the
load does not empty a field, and the org's own value (a picklist default such as Priority
"Medium", a checkbox's false) stays. A field emptied in Stames after a load stays as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from loaders.load.plan import Lookup
from loaders.load.records import LoadRecord, Value, api_text

EMPTY = (None, "")
"""Salesforce stores an empty string as null."""


def same_value(new: Value, old: object) -> bool:
    if new in EMPTY:
        return True
    if old in EMPTY:
        return False
    if isinstance(new, str) and not isinstance(old, str):
        return _same_as_text(new, old)
    if isinstance(new, bool) or isinstance(old, bool):
        return isinstance(new, bool) and isinstance(old, bool) and new is old
    if isinstance(new, datetime):
        return isinstance(old, str) and _same_moment(new, old)
    if isinstance(new, date):
        return old == new.isoformat()
    if isinstance(new, int | float | Decimal):
        return isinstance(old, int | float) and float(new) == float(old)
    return isinstance(old, str) and api_text(new) == old


def _same_as_text(new: str, old: object) -> bool:
    """A value the sync tables carry as text (a custom object's field values are JSON text)."""
    if isinstance(old, bool):
        return new.strip().lower() == ("true" if old else "false")
    if isinstance(old, int | float):
        try:
            return float(new) == float(old)
        except ValueError:
            return False
    return False


def _same_moment(new: datetime, old: str) -> bool:
    try:
        stored = datetime.fromisoformat(old.replace("Z", "+00:00"))
    except ValueError:
        return False
    as_utc = new.replace(tzinfo=UTC) if new.tzinfo is None else new.astimezone(UTC)
    # The API keeps milliseconds.
    return abs((as_utc - stored.astimezone(UTC)).total_seconds()) < 0.001


def unchanged(
    record: LoadRecord,
    before: Mapping[str, object],
    fields: Sequence[str],
    lookups: Sequence[Lookup],
    parent_ids: Mapping[str, Mapping[str, str]],
) -> bool:
    """True when sending `fields` and `lookups` of `record` would leave `before` as it is."""
    if not all(same_value(record.values.get(name), before.get(name)) for name in fields):
        return False
    for lookup in lookups:
        parent_key = record.parent_keys.get(lookup.parent.field)
        if not parent_key:
            continue  # no parent is sent, so none is cleared
        wanted = parent_ids.get(lookup.parent.parent_sobject, {}).get(parent_key)
        held = before.get(lookup.parent.field)
        if not wanted or not isinstance(held, str) or wanted[:15] != held[:15]:
            return False
    return True
