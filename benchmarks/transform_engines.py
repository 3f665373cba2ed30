"""The transform on Spark local mode next to DuckDB: same machine, same run, same data.

Set up, untimed, as `benchmarks/transform.py` does: a generated dataset of
BENCH_ENGINES_TICKETS tickets (default 100,000) extracted over HTTP with the API limits lifted, the
local org seeded, the mapping proposed and confirmed as the demo does, its schema deployed.

Timed, each engine in its own process on its own copy of that warehouse: `stames-sf transform
--engine duckdb|spark` as a migration engineer runs it (dbt build with its data and unit tests;
on Spark also the Parquet export of the sources and the read-back of the results). Peak memory is
that of the process tree (the Python process and, on Spark, its JVM), sampled every 0.2 s.

Nobody expects Spark to win on one machine: the figure says what the distributed path costs at
small scale. `python -m benchmarks.transform_engines --datasets DIR` reuses DIR's dataset and
extracted warehouse (the same cache as benchmarks.transform).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.measure import cached_dataset, measure_table, run_child, write_results

TICKETS = int(os.environ.get("BENCH_ENGINES_TICKETS", "100000"))
SEED = 42
ENGINES = ("duckdb", "spark")


def _tree_rss_mb(root_pid: int) -> float:
    """Resident memory of `root_pid` and all its descendants now, in MiB (Linux /proc)."""
    total_kb = 0
    pending = [root_pid]
    while pending:
        pid = pending.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
            for task in Path(f"/proc/{pid}/task").iterdir():
                children = (task / "children").read_text(encoding="ascii").split()
                pending.extend(int(child) for child in children)
        except (FileNotFoundError, ProcessLookupError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


@contextmanager
def tree_peak_rss() -> Iterator[list[float]]:
    """The peak of `_tree_rss_mb(this process)` while the block runs, in a one-item list."""
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss_mb(os.getpid()))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        stop.set()
        sampler.join()


def child(engine: str, work_dir: str, connection_file: str) -> None:
    """Transform the work folder on `engine`; print the measurements as JSON."""
    from stames_sf.transform_service import run_transform
    from stames_sf.workdir import WorkDir

    work = WorkDir.at(Path(work_dir))
    with tree_peak_rss() as peak:
        started = time.perf_counter()
        result = run_transform(work, Path(connection_file), engine=engine)
        seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": round(seconds, 1),
                "passed": result.succeeded,
                "failures": result.failures[:3],
                "nodes": result.counts,
                "peak_rss_mb": round(peak[0]),
            }
        )
    )


def run(datasets_root: Path, scratch: Path) -> dict[str, Any]:
    from rich.console import Console

    from benchmarks.transform import _count, _extracted
    from emulators.salesforce.http.server import connection_path, running_server
    from stames_sf.demo import agent_emails, plan_and_deploy_schema, propose_and_auto_confirm
    from stames_sf.workdir import WorkDir

    dataset = cached_dataset(datasets_root, TICKETS, SEED)
    raw = _extracted(datasets_root, dataset, TICKETS, SEED)
    prepared = WorkDir.at(scratch / "prepared")
    shutil.copy(raw, prepared.warehouse)
    console = Console(quiet=True)
    messages = _count(prepared.warehouse, "raw_stames.messages")
    results: dict[str, Any] = {"tickets": TICKETS, "messages": messages}
    with running_server(prepared.salesforce_state, match_agent_emails=agent_emails(dataset)) as org:
        connection_file = connection_path(org.state_dir)
        propose_and_auto_confirm(prepared, connection_file, console)
        plan_and_deploy_schema(prepared, org, console)
        results["load_average_at_start"] = round(os.getloadavg()[0], 2)
        for engine in ENGINES:
            work = WorkDir.at(scratch / engine)
            shutil.copy(prepared.warehouse, work.warehouse)
            shutil.copytree(prepared.root / "mapping", work.root / "mapping")
            arguments = ("--child", engine, str(work.root), str(connection_file))
            measured = run_child("benchmarks.transform_engines", *arguments)
            results[f"{engine}_s"] = measured["seconds"]
            results[f"{engine}_peak_rss_mb"] = measured["peak_rss_mb"]
            results[f"{engine}_passed"] = measured["passed"]
            results[f"{engine}_failures"] = "; ".join(measured["failures"]) or "none"
            results[f"{engine}_cases_synced"] = _count(work.warehouse, "salesforce.sync_salesforce__cases")
            _write(results)  # an engine's figures are kept even if the next one never finishes
    results["spark_to_duckdb_time"] = (
        round(results["spark_s"] / results["duckdb_s"], 2) if results["duckdb_s"] else None
    )
    results["spark_to_duckdb_memory"] = (
        round(results["spark_peak_rss_mb"] / results["duckdb_peak_rss_mb"], 2)
        if results["duckdb_peak_rss_mb"]
        else None
    )
    return results


def _write(results: dict[str, Any]) -> None:
    title = f"transform on Spark local mode next to DuckDB: {TICKETS:,} tickets, same machine, same run"
    write_results("transform_engines", results, measure_table(title, results))


def main(datasets_root: Path | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-engines-") as scratch:
        results = run(datasets_root or Path(scratch) / "datasets", Path(scratch))
    _write(results)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--child"]:
        child(arguments[1], arguments[2], arguments[3])
    elif arguments[:1] == ["--datasets"]:
        main(Path(arguments[1]))
    else:
        main()
