"""SOQL over a 100,000-Case org: the queries a loader and a reconcile step run, timed.

Targets: an external-id or Id lookup answers in milliseconds (no scan); a filtered scan with a
parent path, a COUNT() and a sorted top-10 over 100,000 rows each stay under 10 s; rendering every
row as Bulk CSV stays under 10 s.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.measure import measure_table, peak_rss_mb, write_results
from benchmarks.org_setup import deploy_external_id
from emulators.salesforce.org.store import Org
from emulators.salesforce.org.types import OpContext
from emulators.salesforce.soql import csv_rows, execute

ROWS = 100_000
BATCH = 10_000
SCAN_BUDGET_SECONDS = 10.0
LOOKUP_BUDGET_SECONDS = 0.05


def _load(org: Org, source: Path) -> str:
    """Deploy the external id, insert one account and ROWS cases; the Id of the last case."""
    if not deploy_external_id(org, source).success:
        raise RuntimeError("deploy failed")
    ctx = OpContext(user_id=org.admin_user_id, wire="json", api="bulk")
    account = str(org.insert("Account", {"Name": "Benchmark account"}, ctx).id)
    last = ""
    for start in range(0, ROWS, BATCH):
        with org.atomic():
            for number in range(start, start + BATCH):
                values = {
                    "Stames_Id__c": f"T-{number}",
                    "Subject": f"Ticket {number}",
                    "Status": "Closed" if number % 3 == 0 else "New",
                    "AccountId": account,
                }
                last = str(org.insert("Case", values, ctx).id)
    return last


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    outcome = work()
    return time.perf_counter() - started, outcome


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="soql-bench-") as folder:
        org = Org.open(Path(folder) / "state")
        last_id = _load(org, Path(folder) / "source")
        queries = {
            "external_id_lookup": f"SELECT Id, Subject FROM Case WHERE Stames_Id__c = 'T-{ROWS - 1}'",
            "id_lookup": f"SELECT Id, Subject FROM Case WHERE Id = '{last_id[:15]}'",
            "filtered_scan_with_parent": "SELECT Id, Subject, Account.Name FROM Case WHERE Status = 'New'",
            "count": "SELECT COUNT() FROM Case WHERE Subject LIKE 'Ticket 9%'",
            "sorted_top_10": "SELECT Id, CaseNumber FROM Case ORDER BY CaseNumber DESC LIMIT 10",
        }
        seconds: dict[str, float] = {}
        sizes: dict[str, int] = {}
        for name, soql in queries.items():
            seconds[name], result = _timed(lambda soql=soql: execute(org, soql))
            sizes[name] = result.total_size
        full = execute(org, "SELECT Id, Subject, Status, CreatedDate, Account.Name FROM Case")
        csv_seconds, rendered = _timed(lambda: sum(1 for _ in csv_rows(full)))
        org.close()
    results: dict[str, Any] = {
        "rows": ROWS,
        **{f"{name}_seconds": round(value, 4) for name, value in seconds.items()},
        **{f"{name}_rows": value for name, value in sizes.items()},
        "csv_render_seconds": round(csv_seconds, 2),
        "csv_rows": rendered - 1,
        "peak_rss_mb": round(peak_rss_mb()),
    }
    lookups = max(seconds["external_id_lookup"], seconds["id_lookup"])
    scans = max(seconds[name] for name in ("filtered_scan_with_parent", "count", "sorted_top_10"))
    results["within_budget"] = (
        lookups < LOOKUP_BUDGET_SECONDS and scans < SCAN_BUDGET_SECONDS and csv_seconds < SCAN_BUDGET_SECONDS
    )
    markdown = measure_table("SOQL over 100,000 Cases", results)
    write_results("soql", results, markdown)
    print(markdown)


if __name__ == "__main__":
    main()
