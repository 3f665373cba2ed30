from datetime import UTC, datetime
from pathlib import Path

from loaders.load.ledger import Run
from loaders.reconcile.compare import CaseResult, Mismatch
from loaders.reconcile.counts import Counts, PhaseCount, SourceBalance
from loaders.reconcile.report import render_report, report_paths
from loaders.reconcile.run import Reconciliation
from loaders.reconcile.status import StatusRow

AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
SCRIPT = "<script>alert('x')</script>"
RECONCILIATION = Reconciliation(
    run=Run("load-1", "completed", "sandbox", "m", "d", AT),
    reconciled_at=AT,
    sample_size=25,
    seed=7,
    counts=Counts(
        phases=(
            PhaseCount(
                "Case",
                "Case",
                SourceBalance("ticket", 3, 2, 1, 0, None),
                2,
                1,
                1,
                {"INVALID_FIELD": 1},
                1,
                1,
                0,
            ),
        ),
        sources=(),
    ),
    statuses=(StatusRow("Closed", "closed: 2", 2, 1, 1),),
    cases=(
        CaseResult("10002", "500A", 12, (Mismatch("10002", "Subject", "Printer | jams", SCRIPT),)),
        CaseResult("10003", "500B", 12),
    ),
)


def test_values_are_escaped_in_both_reports_and_every_mismatch_is_listed(tmp_path: Path) -> None:
    paths = report_paths(tmp_path, "load-1", AT)
    render_report(RECONCILIATION, paths)
    html = paths.html.read_text("utf-8")
    markdown = paths.markdown.read_text("utf-8")
    assert SCRIPT not in html and SCRIPT not in markdown
    assert "&lt;script&gt;" in html and "&lt;script&gt;" in markdown
    assert "Printer \\| jams" in markdown
    assert "| 10002 | Subject | Printer \\| jams |" in markdown
    assert "| 10003 | 500B | 12 | pass |" in markdown
    assert "INVALID_FIELD: 1" in markdown and "INVALID_FIELD: 1" in html
    assert "FAILED" in html and "--seed 7" in markdown


def test_report_names_carry_the_run_and_the_time(tmp_path: Path) -> None:
    paths = report_paths(tmp_path, "load-1", AT)
    assert paths.markdown.name == "reconciliation-load-1-20260102T030405Z.md"
    assert paths.html.name == "reconciliation-load-1-20260102T030405Z.html"
