"""The rollback plan from hand-written ledger rows and snapshots, and the proof's comparison."""

from __future__ import annotations

from loaders.load.ledger import SnapshotObject
from loaders.rollback.plan import Deletion, LedgerEntry, Restore, plan_rollback
from loaders.rollback.proof import compare_object


def entry(phase: str, order: int, sobject: str, key: str, sf_id: str, action: str, prior=None) -> LedgerEntry:
    return LedgerEntry(phase, order, sobject, key, sf_id, action, prior)


def test_created_records_are_deleted_latest_phase_first_and_updated_ones_restored() -> None:
    snapshot = {
        "Contact": {"003A": ("c-1", {"LastName": "Old"})},
        "Account": {"001P": (None, {"Name": "Acme"})},
    }
    plan = plan_rollback(
        [
            entry("Account", 1, "Account", "a-1", "001N", "created"),
            entry("Account", 1, "Account", "a-2", "001P", "updated", {"Name": "Acme"}),
            entry("Contact", 2, "Contact", "c-1", "003A", "updated", {"LastName": "Old"}),
            entry("Case", 3, "Case", "t-1", "500N", "created"),
            entry("Case:links", 3, "Case", "t-1", "500N", "linked"),
        ],
        snapshot,
    )
    assert plan.deletions == (Deletion("Case", "500N", 3), Deletion("Account", "001N", 1))
    assert plan.restores == (
        # The adopted Account had no Stames id before the run: it goes back to none.
        Restore("Account", "001P", {"Name": "Acme", "Stames_Id__c": None}),
        Restore("Contact", "003A", {"LastName": "Old"}),
    )


def test_the_earliest_prior_value_of_a_field_wins_and_unchanged_rows_need_nothing() -> None:
    snapshot = {"Case": {"500A": ("t-1", {"ParentId": None, "Subject": "First"})}}
    plan = plan_rollback(
        [
            entry("Case:links", 3, "Case", "t-1", "500A", "updated", {"ParentId": "500Z"}),
            entry("Case", 3, "Case", "t-1", "500A", "updated", {"ParentId": None, "Subject": "First"}),
            entry("Contact", 2, "Contact", "c-9", "003K", "failed", None),
        ],
        {**snapshot, "Contact": {"003K": ("c-9", {})}},
    )
    assert plan.restores == (Restore("Case", "500A", {"ParentId": None, "Subject": "First"}),)
    assert plan.deletions == ()
    assert plan.kept == {"Contact": 1}


def test_the_proof_names_gone_left_over_and_changed_records() -> None:
    taken = SnapshotObject("Contact", ("LastName",), True, 2)
    before = {"003A": ("c-1", {"LastName": "Old"}), "003B": (None, {"LastName": "Kept"})}
    now = {"003A": ("c-1", {"LastName": "New"}), "003C": ("c-2", {"LastName": "Extra"})}
    proof = compare_object(taken, before, now)
    assert not proof.identical
    assert proof.missing == ("003B",)
    assert proof.left_over == ("003C",)
    assert [(item.salesforce_id, item.field, item.before, item.now) for item in proof.changed] == [
        ("003A", "LastName", "Old", "New")
    ]
    assert compare_object(taken, before, dict(before)).identical


def test_a_record_the_run_deleted_is_listed_for_the_recycle_bin_not_restored_by_update() -> None:
    snapshot = {"Case": {"500D": ("t-7", {"Subject": "Gone"})}}
    plan = plan_rollback(
        [entry("Case.deletes", 99, "Case", "t-7", "500D", "deleted", {"Subject": "Gone"})], snapshot
    )
    assert plan.undeletes == (Deletion("Case", "500D", 99),)
    assert plan.restores == () and plan.deletions == ()
