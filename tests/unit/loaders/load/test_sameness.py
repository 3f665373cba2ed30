"""Whether a sync value equals what the org answered: hand-written pairs in the API's own forms."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from loaders.load.plan import Lookup
from loaders.load.records import LoadRecord, ParentRef
from loaders.load.sameness import same_value, unchanged


@pytest.mark.parametrize(
    ("new", "old"),
    [
        ("Printer on fire", "Printer on fire"),
        ("", None),
        (None, None),
        (None, False),
        (None, "Medium"),
        ("49.0", 49.0),
        ("true", True),
        (True, True),
        (Decimal("12.50"), 12.5),
        (3, 3.0),
        (date(2024, 2, 29), "2024-02-29"),
        (datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC), "2024-01-02T03:04:05.678+0000"),
        (datetime(2024, 1, 2, 3, 4, 5), "2024-01-02T03:04:05.000Z"),
    ],
)
def test_equal_values_in_their_two_forms_and_an_empty_value_changes_nothing(new, old) -> None:
    assert same_value(new, old)


@pytest.mark.parametrize(
    ("new", "old"),
    [
        ("Printer on fire", "printer on fire"),
        ("x", None),
        (False, None),
        ("49.1", 49.0),
        ("yes", True),
        ("forty", 40),
        (True, "true"),
        (1, True),
        (Decimal("12.51"), 12.5),
        (datetime(2024, 1, 2, 3, 4, 6, tzinfo=UTC), "2024-01-02T03:04:05.000+0000"),
        (datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), "not a date"),
    ],
)
def test_different_values_or_doubtful_forms_count_as_changed(new, old) -> None:
    assert not same_value(new, old)


ACCOUNT = Lookup("ref__AccountId", ParentRef("AccountId", "Account", "Account"), deferred=False)


def test_a_lookup_is_unchanged_only_when_the_parent_resolves_to_the_held_id() -> None:
    record = LoadRecord("c-1", {"LastName": "Doe"}, {"AccountId": "a-1"})
    before = {"LastName": "Doe", "AccountId": "001000000000001AAA"}
    parents = {"Account": {"a-1": "001000000000001AAA", "a-2": "001000000000002AAA"}}
    assert unchanged(record, before, ["LastName"], [ACCOUNT], parents)
    moved = LoadRecord("c-1", {"LastName": "Doe"}, {"AccountId": "a-2"})
    assert not unchanged(moved, before, ["LastName"], [ACCOUNT], parents)
    unknown_parent = LoadRecord("c-1", {"LastName": "Doe"}, {"AccountId": "a-9"})
    assert not unchanged(unknown_parent, before, ["LastName"], [ACCOUNT], parents)
    assert not unchanged(
        LoadRecord("c-1", {"LastName": "Roe"}, {"AccountId": "a-1"}), before, ["LastName"], [ACCOUNT], parents
    )
