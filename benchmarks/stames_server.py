"""Local Stames server: start-up time, memory and full-scan throughput on generated datasets.

Datasets are generated into a temporary folder first; each size is then served by its own process
(so peak RSS belongs to the server alone) on a free port with rate limits off, and paged through
/tickets and /messages with limit=100 the way the extractor does.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.measure import peak_rss_mb, write_results

SIZES = tuple(int(size) for size in os.environ.get("STAMES_BENCH_SIZES", "3000,100000").split(","))
SEED = 42


def _scan(client: httpx.Client, path: str) -> tuple[int, int, float]:
    """(records, pages, seconds) for one full keyset scan."""
    started = time.perf_counter()
    params: dict[str, Any] = {"limit": 100}
    records = pages = 0
    while True:
        body = client.get(path, params=params).raise_for_status().json()
        records += len(body["data"])
        pages += 1
        if not body["has_more"]:
            return records, pages, time.perf_counter() - started
        params = {"limit": 100, "cursor": body["next_cursor"]}


def measure_one(tickets: int, dataset: Path) -> dict[str, Any]:
    """Load and serve one generated dataset in this process; report time, memory and throughput."""
    from emulators.serving import serve_in_thread
    from emulators.stames_api.app import create_app
    from emulators.stames_api.settings import DEFAULT_API_KEY, StamesSettings

    rss_before = peak_rss_mb()
    started = time.perf_counter()
    app = create_app(dataset, StamesSettings(rate_limit_rps=0, download_rps=0))
    load_seconds = time.perf_counter() - started
    rss_loaded = peak_rss_mb()
    headers = {"X-Stames-Api-Key": DEFAULT_API_KEY}
    with serve_in_thread(app) as port:
        api_url = f"http://127.0.0.1:{port}/api/v1"
        with httpx.Client(base_url=api_url, headers=headers, timeout=60) as client:
            latencies = []
            for _ in range(50):
                begun = time.perf_counter()
                client.get("/tickets", params={"limit": 100}).raise_for_status()
                latencies.append(time.perf_counter() - begun)
            ticket_count, ticket_pages, ticket_seconds = _scan(client, "/tickets")
            message_count, message_pages, message_seconds = _scan(client, "/messages")
    return {
        "tickets": tickets,
        "dataset_mb": round(sum(p.stat().st_size for p in dataset.rglob("*") if p.is_file()) / 2**20, 1),
        "load_seconds": round(load_seconds, 2),
        "peak_rss_mb_before_load": round(rss_before, 1),
        "peak_rss_mb_after_load": round(rss_loaded, 1),
        "peak_rss_mb_end": round(peak_rss_mb(), 1),
        "tickets_page_ms_p50": round(statistics.median(latencies) * 1000, 1),
        "tickets_scanned": ticket_count,
        "tickets_per_second": round(ticket_count / ticket_seconds),
        "ticket_pages": ticket_pages,
        "messages_scanned": message_count,
        "messages_per_second": round(message_count / message_seconds),
        "message_pages": message_pages,
        "load_average_1m": round(os.getloadavg()[0], 1),
    }


def measure_in_child(tickets: int, dataset: Path) -> dict[str, Any]:
    """Run `measure_one` in a fresh interpreter so its peak RSS is the server's alone."""
    child = subprocess.run(
        [sys.executable, "-m", "benchmarks.stames_server", str(tickets), str(dataset)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(child.stdout.strip().splitlines()[-1])


def report(runs: list[dict[str, Any]]) -> None:
    lines = [
        "# Local Stames server",
        "",
        f"Generated datasets (seed {SEED}), rate limits off, limit=100, one client, loopback HTTP.",
        "Rows stay memory-mapped: RSS includes the file pages the load touched (clean, reclaimable).",
        "`load avg` is the machine's 1-minute load at the end of the run (other work slows every number).",
        "",
        "| tickets | dataset MB | load s | RSS loaded MB | page p50 ms | tickets/s "
        "| messages | messages/s | load avg |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['tickets']:,} | {r['dataset_mb']} | {r['load_seconds']} | {r['peak_rss_mb_after_load']} | "
        f"{r['tickets_page_ms_p50']} | {r['tickets_per_second']:,} | {r['messages_scanned']:,} | "
        f"{r['messages_per_second']:,} | {r['load_average_1m']} |"
        for r in runs
    ]
    write_results("stames_server", {"seed": SEED, "runs": runs}, "\n".join(lines))


def main() -> None:
    from emulators.stames_api.generator import generate_dataset

    runs = []
    for tickets in SIZES:
        with tempfile.TemporaryDirectory(prefix="stames-server-bench-") as folder:
            dataset = Path(folder) / "dataset"
            generate_dataset(dataset, tickets, SEED)
            runs.append(measure_in_child(tickets, dataset))
        print(runs[-1], flush=True)
    report(runs)


if __name__ == "__main__":
    if len(sys.argv) == 3:
        print(json.dumps(measure_one(int(sys.argv[1]), Path(sys.argv[2]))))
    else:
        main()
