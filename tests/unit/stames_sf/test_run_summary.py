"""The summary a demo or run ends with: read back from what reconcile stored, its arithmetic, its text."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from rich.console import Console

from loaders.load.ledger import DDL as LEDGER_DDL
from loaders.reconcile.store import DDL as RECONCILIATION_DDL
from stames_sf.run_summary import ObjectCounts, read_summary, show_summary
from stames_sf.steps import Report

RUN = "load-1"
EARLY = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LATE = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
PHASES = (  # phase, order
    ("Account", 0),
    ("Contact", 1),
    ("Case", 2),
    ("Case.links", 9),
    ("EmailMessage", 5),
    ("Task", 6),
)
LATE_ROWS = (  # phase, sobject, source, synced, quarantined, excluded, loaded, failed, in_org, unexplained
    ("Account", "Account", None, 14, None, None, 14, 0, 14, 0),
    ("Contact", "Contact", 20, 17, 0, 3, 17, 0, 17, 0),
    ("Case", "Case", 40, 38, 1, 1, 36, 2, 36, 0),
    ("Case.links", "Case", None, None, None, None, 7, 0, None, 0),
    ("EmailMessage", "EmailMessage", None, 259, None, None, 259, 0, 259, 0),
    ("Task", "Task", None, 30, None, None, 30, 0, 30, 0),
    ("source:message", None, 308, 289, 0, 19, None, None, None, 0),
)


def warehouse(folder: Path, *, reconciled: bool) -> Path:
    path = folder / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(LEDGER_DDL)
        con.execute(RECONCILIATION_DDL)
        con.execute(
            "INSERT INTO ops.load_runs (run_id, started_at, status, target, mapping_hash, data_hash) "
            "VALUES (?, ?, 'completed', 'sandbox', 'm', 'd')",
            [RUN, EARLY],
        )
        for phase, order in PHASES:
            con.execute(
                "INSERT INTO ops.load_phases (run_id, phase, phase_order, sobject, status) "
                "VALUES (?, ?, ?, ?, 'done')",
                [RUN, phase, order, phase.split(".")[0]],
            )
        if reconciled:
            for at, passed, unexplained in ((EARLY, False, 5), (LATE, True, 0)):
                con.execute(
                    "INSERT INTO ops.reconciliations VALUES (?, ?, ?, 30, 1, ?, 'r.html', NULL, NULL)",
                    [RUN, at, passed, unexplained],
                )
            con.executemany(
                "INSERT INTO ops.reconciliation_phases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [[RUN, LATE, *row] for row in LATE_ROWS]
                + [[RUN, EARLY, "Case", "Case", 1, 1, 0, 0, 0, 0, 0, 5]],
            )
        con.execute("CREATE SCHEMA salesforce")
        con.execute(
            "CREATE TABLE salesforce.sync_salesforce__reconciliation (object VARCHAR, source_rows BIGINT, "
            "synced BIGINT, quarantined BIGINT, excluded BIGINT, excluded_by_rule VARCHAR)"
        )
        con.execute(
            "INSERT INTO salesforce.sync_salesforce__reconciliation VALUES "
            "('ticket', 40, 38, 1, 1, 'deleted: 1'), ('customer', 20, 16, 0, 3, 'merged: 3')"
        )
    return path


def test_the_latest_reconciliation_is_read_back_in_load_order_without_the_links_pass(tmp_path: Path) -> None:
    summary = read_summary(warehouse(tmp_path, reconciled=True))
    assert (summary.run_id, summary.reconciled_at, summary.passed, summary.unexplained) == (
        RUN,
        LATE,
        True,
        0,
    )
    assert [row.name for row in summary.objects] == [
        "Account", "Contact", "Case", "EmailMessage", "Task", "Stames message"
    ]  # fmt: skip
    case = summary.objects[2]
    assert (case.source, case.synced, case.quarantined, case.excluded, case.loaded, case.failed) == (
        40, 38, 1, 1, 36, 2
    )  # fmt: skip


def test_every_source_record_is_loaded_failed_quarantined_or_excluded(tmp_path: Path) -> None:
    summary = read_summary(warehouse(tmp_path, reconciled=True))
    accounted = {row.name: row.accounted for row in summary.objects}
    # Contact 17 + 3; Case 36 loaded + 2 failed + 1 + 1; messages 289 synced (into two objects) + 19
    assert accounted == {
        "Account": None, "Contact": 20, "Case": 40, "EmailMessage": None, "Task": None, "Stames message": 308
    }  # fmt: skip
    assert (summary.source_records, summary.accounted_records) == (368, 368)
    assert summary.every_record_accounted_for


@pytest.mark.parametrize(
    ("row", "accounted"),
    [
        (ObjectCounts("Case", 10, 9, 1, 0, 7, 1), 9),  # one synced row never attempted
        (ObjectCounts("Case", 10, 10, 0, 0, None, None), 10),  # not loaded yet: the balance
        (ObjectCounts("Account", None, 5, None, None, 5, 0), None),  # no Stames object of its own
    ],
)
def test_accounted_counts_what_went_somewhere(row: ObjectCounts, accounted: int | None) -> None:
    assert row.accounted == accounted


def test_a_gap_or_an_unexplained_difference_is_not_accounted_for(tmp_path: Path) -> None:
    summary = read_summary(warehouse(tmp_path, reconciled=True))
    gap = replace(summary, objects=(*summary.objects, ObjectCounts("Case2", 10, 9, 0, 0, 8, 0)))
    assert (gap.source_records - gap.accounted_records, gap.every_record_accounted_for) == (2, False)
    assert not replace(summary, unexplained=1).every_record_accounted_for


def test_before_any_reconciliation_the_summary_is_the_transforms_balance(tmp_path: Path) -> None:
    summary = read_summary(warehouse(tmp_path, reconciled=False))
    assert (summary.run_id, summary.reconciled_at, summary.passed) == (RUN, None, None)
    rows = {row.name: row for row in summary.objects}
    assert set(rows) == {"ticket", "customer"}
    assert rows["customer"].unexplained == 1 and summary.unexplained == 1  # 20 != 16 + 0 + 3
    assert rows["ticket"].loaded is None and rows["ticket"].accounted == 40
    assert not summary.every_record_accounted_for
    assert read_summary(tmp_path / "none.duckdb").objects == ()


def test_the_text_names_the_run_the_verdict_the_notes_and_every_report(tmp_path: Path) -> None:
    reports = [
        Report("scope", tmp_path / "reports" / "scope.html"),
        Report("handoff pack", tmp_path / "i.html"),
    ]
    summary = read_summary(warehouse(tmp_path, reconciled=True)).with_reports(reports, ["Demo shortcut: x"])
    console = Console(record=True, width=200)
    show_summary(summary, console)
    text = console.export_text()
    assert f"Summary: load run {RUN}, reconciled 2026-01-05 10:00 (passed)" in text
    assert "Every Stames record accounted for: 368 of 368 Stames records loaded, failed" in text
    assert "Demo shortcut: x" in text
    assert f"scope         {tmp_path / 'reports' / 'scope.html'}" in text
    assert f"handoff pack  {tmp_path / 'i.html'}" in text
    as_json = summary.as_json()
    assert as_json["reports"]["scope"] == str(tmp_path / "reports" / "scope.html")
    assert as_json["objects"][2] == {
        "name": "Case", "source": 40, "synced": 38, "quarantined": 1, "excluded": 1, "loaded": 36,
        "failed": 2, "unexplained": 0,
    }  # fmt: skip
