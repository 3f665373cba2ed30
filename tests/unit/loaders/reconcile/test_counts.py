"""The org side of a phase's count, from hand-written Id sets."""

from __future__ import annotations

from loaders.reconcile.counts import org_count


def test_records_no_run_accounts_for_are_unexplained_and_earlier_runs_records_are_not() -> None:
    loaded = {"500A", "500B", "500C"}
    # 500C is gone; 500D came from an earlier run; 500E from nowhere
    in_org = {"500A", "500B", "500D", "500E"}
    count = org_count(loaded, in_org, in_org, earlier_ids={"500D", "500X"})
    assert (count.found, count.extra, count.from_earlier_runs) == (2, 1, 1)


def test_an_object_without_a_stames_id_counts_only_what_the_run_loaded() -> None:
    count = org_count({"069A", "069B"}, {"069A"}, None)
    assert (count.found, count.extra, count.from_earlier_runs) == (1, None, 0)
