"""Extraction speed against the rate-limit ceiling, and memory from 3,000 to 30,000 tickets.

Throughput: a 3,000-ticket dataset served with the contract's default limits (10 requests/s);
the ceiling is 10 requests/s x 100 records per list page = 1,000 records/s. Memory: the same
extraction at 3,000 and 30,000 tickets with the rate limit lifted (memory does not depend on it),
each in its own subprocess so peak RSS is measured per size.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import peak_rss_mb, write_results

THROUGHPUT_TICKETS = 3_000
MEMORY_SIZES = (3_000, 30_000)
CEILING_RECORDS_PER_S = 10 * 100
TARGET_RATIO = 0.85
MEMORY_FLAT_FACTOR = 1.5
LIST_TABLES = (
    "account",
    "agents",
    "customers",
    "tickets",
    "messages",
    "status_changes",
    "deleted_records",
    "tags",
    "ticket_statuses",
    "channels",
    "custom_fields",
    "custom_objects",
)


def _records(rows_per_table: dict[str, int]) -> int:
    """Top-level records (child tables are parts of them, not extra records)."""
    return sum(
        count
        for table, count in rows_per_table.items()
        if table in LIST_TABLES or (table.startswith("custom_object_records_") and "__" not in table)
    )


def child(base_url: str, api_key: str, work_dir: str) -> None:
    """Run one extraction and print its measurements as JSON (the subprocess side)."""
    from stames_sf.extraction import run_load
    from stames_sf.workdir import WorkDir

    summary = run_load(WorkDir.at(work_dir), base_url=base_url, api_key=api_key)
    steps = summary.step_seconds
    print(
        json.dumps(
            {
                "wall_s": summary.duration_s,
                "extract_step_s": steps.get("extract"),
                "normalize_step_s": steps.get("normalize"),
                "load_step_s": steps.get("load"),
                "requests": summary.requests,
                "rate_limited_429": summary.rate_limited,
                "retries": summary.retries,
                "full_body_fetches": summary.full_body_fetches,
                "records": _records(summary.rows_per_table),
                "rows_all_tables": summary.total_rows,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


def _run_child(base_url: str, api_key: str, work_dir: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.extract", "--child", base_url, api_key, str(work_dir)]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _measure(dataset_dir: Path, work_dir: Path, **settings: Any) -> dict[str, Any]:
    from emulators.serving import serve_in_thread
    from emulators.stames_api.app import create_app
    from emulators.stames_api.settings import DEFAULT_API_KEY, StamesSettings

    app = create_app(dataset_dir, StamesSettings(**settings))
    with serve_in_thread(app) as port:
        return _run_child(f"http://127.0.0.1:{port}/api/v1", DEFAULT_API_KEY, work_dir)


def _markdown(speed: dict[str, Any], memory: dict[int, dict[str, Any]]) -> str:
    small, large = (memory[size]["peak_rss_mb"] for size in MEMORY_SIZES)
    lines = [
        "# Extraction benchmark",
        "",
        f"Throughput: {THROUGHPUT_TICKETS:,} tickets, default limits "
        f"(10 req/s; ceiling {CEILING_RECORDS_PER_S:,} records/s).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| records (top-level) | {speed['records']:,} |",
        f"| requests | {speed['requests']:,} |",
        f"| 429 responses | {speed['rate_limited_429']} |",
        f"| extract step | {speed['extract_step_s']:.1f} s |",
        f"| whole run (extract + normalize + load) | {speed['wall_s']:.1f} s |",
        f"| requests/s during extract | {speed['requests_per_s_extract_step']:.2f} |",
        f"| records/s during extract | {speed['records_per_s_extract_step']:.0f} |",
        f"| ratio to ceiling (extract step) | {speed['ratio_to_ceiling_extract_step']:.3f} "
        f"(target {TARGET_RATIO}) |",
        f"| ratio to ceiling (whole run) | {speed['ratio_to_ceiling_whole_run']:.3f} |",
        f"| full-body fetches (1 request each, no new records) | {speed['full_body_fetches']:,} |",
        f"| ratio to the list endpoints' share of the ceiling (extract step) | "
        f"{speed['ratio_to_list_ceiling_extract_step']:.3f} (target {TARGET_RATIO}) |",
        f"| peak memory | {speed['peak_rss_mb']:.0f} MB |",
        "",
        "Memory: rate limit lifted, each size in its own process.",
        "",
        "| tickets | records | wall | peak RSS |",
        "|---|---|---|---|",
        *(
            f"| {size:,} | {memory[size]['records']:,} | {memory[size]['wall_s']:.1f} s | "
            f"{memory[size]['peak_rss_mb']:.0f} MB |"
            for size in MEMORY_SIZES
        ),
        "",
        f"Growth factor {large / small:.2f} (flat if at most {MEMORY_FLAT_FACTOR}).",
    ]
    return "\n".join(lines)


def _throughput(dataset_dir: Path, work_dir: Path) -> dict[str, Any]:
    """One extraction at the default limits, with its ratios to the ceiling."""
    speed = _measure(dataset_dir, work_dir)
    records_per_s = speed["records"] / speed["extract_step_s"]
    speed["records_per_s_extract_step"] = records_per_s
    speed["ratio_to_ceiling_extract_step"] = records_per_s / CEILING_RECORDS_PER_S
    speed["ratio_to_ceiling_whole_run"] = speed["records"] / speed["wall_s"] / CEILING_RECORDS_PER_S
    speed["requests_per_s_extract_step"] = speed["requests"] / speed["extract_step_s"]
    # The contract makes each truncated message cost one detail request (no records): the
    # list endpoints' ceiling is the request budget they get, x 100 records per page.
    list_share = 1 - speed["full_body_fetches"] / speed["requests"]
    speed["list_request_share"] = list_share
    speed["ratio_to_list_ceiling_extract_step"] = records_per_s / (CEILING_RECORDS_PER_S * list_share)
    return speed


def main() -> None:
    from emulators.stames_api.generator.build import generate_dataset

    with tempfile.TemporaryDirectory(prefix="bench-extract-") as scratch:
        root = Path(scratch)
        datasets = {}
        for tickets in sorted({THROUGHPUT_TICKETS, *MEMORY_SIZES}):
            started = time.perf_counter()
            generate_dataset(root / f"ds{tickets}", tickets, 42)
            datasets[tickets] = root / f"ds{tickets}"
            print(f"generated {tickets} tickets in {time.perf_counter() - started:.1f} s", flush=True)

        speed = _throughput(datasets[THROUGHPUT_TICKETS], root / "work-speed")
        print(json.dumps(speed), flush=True)

        memory = {
            tickets: _measure(datasets[tickets], root / f"work-mem{tickets}", rate_limit_rps=100_000.0)
            for tickets in MEMORY_SIZES
        }
    small, large = (memory[size]["peak_rss_mb"] for size in MEMORY_SIZES)
    results = {
        "throughput": speed,
        "throughput_target_ratio": TARGET_RATIO,
        "throughput_met_strict": speed["ratio_to_ceiling_extract_step"] >= TARGET_RATIO,
        "throughput_met_list_ceiling": speed["ratio_to_list_ceiling_extract_step"] >= TARGET_RATIO,
        "memory": {str(size): memory[size] for size in MEMORY_SIZES},
        "memory_growth_factor": large / small,
        "memory_flat": large / small <= MEMORY_FLAT_FACTOR,
    }
    markdown = _markdown(speed, memory)
    write_results("extract", results, markdown)
    print(markdown)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
    elif len(sys.argv) == 3 and sys.argv[1] == "--throughput":
        with tempfile.TemporaryDirectory(prefix="bench-extract-") as scratch:
            print(json.dumps(_throughput(Path(sys.argv[2]), Path(scratch) / "work"), indent=2))
    else:
        main()
