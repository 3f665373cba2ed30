"""Org store throughput: a Bulk-sized upsert of 100,000 Cases through `Org.upsert`, committed per
10,000-row batch as Bulk 2.0 does, then the same rows again (all updates), a full scan and a reopen.

Target: the store's share of a 100,000-row Bulk upsert stays well under the one-minute budget of the
whole job (≈ a few hundred µs per row at most).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.measure import measure_table, peak_rss_mb, write_results
from benchmarks.org_setup import deploy_external_id
from emulators.salesforce.org.store import Org
from emulators.salesforce.org.types import OpContext

ROWS = 100_000
BATCH = 10_000
BUDGET_SECONDS = 60.0


def _deploy_external_id(org: Org, root: Path) -> None:
    result = deploy_external_id(org, root)
    if not result.success:
        raise RuntimeError(result.errors)


def _upsert_all(org: Org, ctx: OpContext, account_id: str, round_name: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one pass; CPU time is the fair number on a shared machine."""
    started, cpu_started = time.perf_counter(), time.process_time()
    for start in range(0, ROWS, BATCH):
        with org.atomic():
            for number in range(start, start + BATCH):
                row = {
                    "Stames_Id__c": f"T-{number}",
                    "Subject": f"{round_name} ticket {number}",
                    "Status": "Closed" if number % 3 == 0 else "New",
                    "Origin": "Phone",
                    "Priority": "High",
                    "AccountId": account_id,
                    "Description": "Customer reports a problem. " * 8,
                }
                result = org.upsert("Case", "Stames_Id__c", row, ctx)
                if not result.success:
                    raise RuntimeError(result.errors)
    return time.perf_counter() - started, time.process_time() - cpu_started


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="org-bench-") as folder:
        root = Path(folder)
        org = Org.open(root / "state")
        _deploy_external_id(org, root / "source")
        ctx = OpContext(user_id=org.admin_user_id, wire="csv", api="bulk")
        account = org.insert("Account", {"Name": "Benchmark account"}, ctx)
        inserts, inserts_cpu = _upsert_all(org, ctx, str(account.id), "first")
        updates, updates_cpu = _upsert_all(org, ctx, str(account.id), "second")
        started = time.perf_counter()
        scanned = sum(1 for _ in org.scan("Case"))
        scan_seconds = time.perf_counter() - started
        org.close()
        started = time.perf_counter()
        Org.open(root / "state").close()
        reopen_seconds = time.perf_counter() - started
    results = {
        "rows": ROWS,
        "insert_seconds": round(inserts, 2),
        "update_seconds": round(updates, 2),
        "insert_cpu_seconds": round(inserts_cpu, 2),
        "update_cpu_seconds": round(updates_cpu, 2),
        "insert_cpu_us_per_row": round(inserts_cpu / ROWS * 1e6),
        "update_cpu_us_per_row": round(updates_cpu / ROWS * 1e6),
        "scan_seconds": round(scan_seconds, 2),
        "scanned": scanned,
        "reopen_seconds": round(reopen_seconds, 3),
        "peak_rss_mb": round(peak_rss_mb()),
        "within_budget": max(inserts, updates) < BUDGET_SECONDS,
    }
    markdown = measure_table("Org store: 100,000-row Case upsert", results)
    write_results("org_store", results, markdown)
    print(markdown)


if __name__ == "__main__":
    main()
