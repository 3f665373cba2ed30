"""Extraction speed against the rate-limit ceiling, and memory from 1,000 to 30,000 tickets.

Throughput: a 3,000-ticket dataset served with the contract's default limits (10 requests/s);
the ceiling is 10 requests/s x 100 records per list page = 1,000 records/s. Memory: the same
extraction at 1,000 and 30,000 tickets with the API and file limits lifted (memory does not depend
on them), each in its own subprocess so peak RSS is measured per size: once when the dlt load has
finished (extract, normalize, load) and once more after the attachment step.

`python -m benchmarks.extract --datasets DIR` keeps the generated datasets in DIR (a git-ignored
folder such as `.stames-sf/bench`) and reuses them on the next run; without it they are generated
into a temporary folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.measure import cached_dataset, peak_rss_mb, write_results

THROUGHPUT_TICKETS = 3_000
MEMORY_SIZES = (1_000, 30_000)
SEED = 42
CEILING_RECORDS_PER_S = 10 * 100
TARGET_RATIO = 0.85
MEMORY_FLAT_FACTOR = 1.2
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


def child(base_url: str, api_key: str, work_dir: str, with_attachments: bool) -> None:
    """Run one extraction and print its measurements as JSON (the subprocess side)."""
    from stames_sf.workdir import WorkDir, exclusive_run

    work = WorkDir.at(work_dir)
    with exclusive_run(work):
        measure_child(work, base_url, api_key, with_attachments)


def measure_child(work: Any, base_url: str, api_key: str, with_attachments: bool) -> None:
    """Extract (and download) into `work`, holding its run lock, and print what was measured."""
    from dlt_pipelines.stames.attachments import download_attachments
    from stames_sf.extraction import attachment_paths, run_load

    summary = run_load(work, base_url=base_url, api_key=api_key)
    peak_after_load = peak_rss_mb()
    steps = summary.step_seconds
    measured: dict[str, Any] = {
        "wall_s": summary.duration_s,
        "extract_step_s": steps.get("extract"),
        "normalize_step_s": steps.get("normalize"),
        "load_step_s": steps.get("load"),
        "requests": summary.requests,
        "rate_limited_429": summary.rate_limited,
        "retries": summary.retries,
        "full_body_fetches": summary.full_body_fetches,
        "records": _records(summary.rows_per_table),
        "rounds": summary.rounds,
        "rows_all_tables": summary.total_rows,
        "peak_rss_mb": peak_after_load,
    }
    if with_attachments:
        files = download_attachments(attachment_paths(work), base_url=base_url, api_key=api_key)
        measured["attachments_attempted"] = files.attempted
        measured["attachments_s"] = files.duration_s
        measured["attachment_counts"] = files.counts
        measured["peak_rss_with_attachments_mb"] = peak_rss_mb()
    print(json.dumps(measured))


def _run_child(base_url: str, api_key: str, work_dir: Path, with_attachments: bool) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.extract", "--child", base_url, api_key, str(work_dir)]
    if with_attachments:
        command.append("--attachments")
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _measure(
    dataset_dir: Path, work_dir: Path, *, with_attachments: bool = False, **settings: Any
) -> dict[str, Any]:
    from emulators.serving import serve_in_thread
    from emulators.stames_api.app import create_app
    from emulators.stames_api.settings import DEFAULT_API_KEY, StamesSettings

    app = create_app(dataset_dir, StamesSettings(**settings))
    with serve_in_thread(app) as port:
        return _run_child(f"http://127.0.0.1:{port}/api/v1", DEFAULT_API_KEY, work_dir, with_attachments)


def _growth(memory: dict[int, dict[str, Any]], key: str) -> float:
    small, large = (memory[size][key] for size in MEMORY_SIZES)
    return float(large / small)


def _markdown(speed: dict[str, Any], memory: dict[int, dict[str, Any]]) -> str:
    small, large = MEMORY_SIZES
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
        f"Memory: API and file rate limits lifted, each size in its own process "
        f"(load average {memory[small]['load_average_at_start']:.1f} and "
        f"{memory[large]['load_average_at_start']:.1f} at the start of each).",
        "",
        "| tickets | records | rounds | attachments | load wall | peak RSS after the load | "
        "peak RSS with attachments |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {size:,} | {memory[size]['records']:,} | {memory[size].get('rounds', 1)} | "
            f"{memory[size]['attachments_attempted']:,} | "
            f"{memory[size]['wall_s']:.1f} s | {memory[size]['peak_rss_mb']:.0f} MB | "
            f"{memory[size]['peak_rss_with_attachments_mb']:.0f} MB |"
            for size in MEMORY_SIZES
        ),
        "",
        f"Growth from {small:,} to {large:,} tickets: {_growth(memory, 'peak_rss_mb'):.2f} after the load, "
        f"{_growth(memory, 'peak_rss_with_attachments_mb'):.2f} with attachments "
        f"(target: at most {MEMORY_FLAT_FACTOR}).",
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


def _memory(dataset_dir: Path, work_dir: Path) -> dict[str, Any]:
    load_at_start = os.getloadavg()[0]  # other work on the machine slows wall time; record it
    measured = _measure(dataset_dir, work_dir, with_attachments=True, rate_limit_rps=0.0, download_rps=0.0)
    return {**measured, "load_average_at_start": round(load_at_start, 2)}


def run(datasets_root: Path, scratch: Path) -> None:
    sizes = (THROUGHPUT_TICKETS, *MEMORY_SIZES)
    datasets = {tickets: cached_dataset(datasets_root, tickets, SEED) for tickets in sizes}
    speed = _throughput(datasets[THROUGHPUT_TICKETS], scratch / "work-speed")
    print(json.dumps(speed), flush=True)
    memory = {tickets: _memory(datasets[tickets], scratch / f"work-mem{tickets}") for tickets in MEMORY_SIZES}
    after_load = _growth(memory, "peak_rss_mb")
    with_attachments = _growth(memory, "peak_rss_with_attachments_mb")
    results = {
        "throughput": speed,
        "throughput_target_ratio": TARGET_RATIO,
        "throughput_met_strict": speed["ratio_to_ceiling_extract_step"] >= TARGET_RATIO,
        "throughput_met_list_ceiling": speed["ratio_to_list_ceiling_extract_step"] >= TARGET_RATIO,
        "memory": {str(size): memory[size] for size in MEMORY_SIZES},
        "memory_growth_factor": after_load,
        "memory_growth_factor_with_attachments": with_attachments,
        "memory_flat_target": MEMORY_FLAT_FACTOR,
        "memory_flat": max(after_load, with_attachments) <= MEMORY_FLAT_FACTOR,
    }
    markdown = _markdown(speed, memory)
    write_results("extract", results, markdown)
    print(markdown)


def main(datasets_root: Path | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as scratch:
        run(datasets_root or Path(scratch) / "datasets", Path(scratch))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--child"] and len(arguments) in (4, 5):
        child(*arguments[1:4], with_attachments=arguments[4:] == ["--attachments"])
    elif len(arguments) == 2 and arguments[0] == "--throughput":
        with tempfile.TemporaryDirectory(prefix="bench-extract-") as scratch:
            print(json.dumps(_throughput(Path(arguments[1]), Path(scratch) / "work"), indent=2))
    elif len(arguments) == 2 and arguments[0] == "--datasets":
        main(Path(arguments[1]))
    else:
        main()
