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

from benchmarks.measure import (
    RESULTS_DIR,
    cached_dataset,
    measure_table,
    run_child,
    tree_rss_mb,
    write_results,
)

TICKETS = int(os.environ.get("BENCH_ENGINES_TICKETS", "100000"))
SEED = 42
ENGINES = tuple(os.environ.get("BENCH_ENGINES", "duckdb,spark").split(","))
"""`BENCH_ENGINES=spark` measures one engine again and keeps the other's last recorded figures."""


@contextmanager
def tree_peak_rss() -> Iterator[list[float]]:
    """The peak of `tree_rss_mb(this process)` while the block runs, in a one-item list."""
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss_mb(os.getpid()))
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
    results: dict[str, Any] = {**_recorded_other_engines(), "tickets": TICKETS, "messages": messages}
    with running_server(prepared.salesforce_state, match_agent_emails=agent_emails(dataset)) as org:
        connection_file = connection_path(org.state_dir)
        propose_and_auto_confirm(prepared, connection_file, console)
        plan_and_deploy_schema(prepared, org, console)
        results["load_average_at_start"] = round(os.getloadavg()[0], 2)
        for engine in ENGINES:
            work = WorkDir.at(scratch / engine)
            last = engine == ENGINES[-1]
            # at 100,000 tickets a warehouse is 7 GB: the last engine takes the prepared one
            (shutil.move if last else shutil.copy)(prepared.warehouse, work.warehouse)
            shutil.copytree(prepared.root / "mapping", work.root / "mapping")
            arguments = ("--child", engine, str(work.root), str(connection_file))
            try:
                measured = run_child("benchmarks.transform_engines", *arguments)
            except RuntimeError as failed:
                results[f"{engine}_failures"] = _failure_with_log(failed, work.logs / "spark.log")
                _write(results)
                raise
            results[f"{engine}_s"] = measured["seconds"]
            results[f"{engine}_peak_rss_mb"] = measured["peak_rss_mb"]
            results[f"{engine}_passed"] = measured["passed"]
            results[f"{engine}_failures"] = "; ".join(measured["failures"]) or "none"
            results[f"{engine}_cases_synced"] = _count(work.warehouse, "salesforce.sync_salesforce__cases")
            _write(results)  # an engine's figures are kept even if the next one never finishes
            shutil.rmtree(work.root)  # at 100,000 tickets each copy holds several GB of disk
    if not {"duckdb_s", "spark_s"} <= results.keys():
        return results
    results["spark_to_duckdb_time"] = (
        round(results["spark_s"] / results["duckdb_s"], 2) if results["duckdb_s"] else None
    )
    results["spark_to_duckdb_memory"] = (
        round(results["spark_peak_rss_mb"] / results["duckdb_peak_rss_mb"], 2)
        if results["duckdb_peak_rss_mb"]
        else None
    )
    return results


def _recorded_other_engines() -> dict[str, Any]:
    """The last recorded figures of the engines not measured in this run (same size only)."""
    recorded_file = RESULTS_DIR / "transform_engines.json"
    if set(ENGINES) == {"duckdb", "spark"} or not recorded_file.is_file():
        return {}
    recorded = json.loads(recorded_file.read_text(encoding="utf-8"))
    if recorded.get("tickets") != TICKETS:
        return {}
    kept = {key: value for key, value in recorded.items() if key.split("_")[0] not in ENGINES}
    kept = {key: value for key, value in kept.items() if key.split("_")[0] in ("duckdb", "spark")}
    return {**kept, "note": f"{', '.join(ENGINES)} measured again in a later run; the others as recorded"}


def _failure_with_log(failed: RuntimeError, log: Path) -> str:
    """The child's error and, on Spark, the last lines of its log (the work folder is temporary)."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:] if log.is_file() else []
    return " / ".join([" ".join(str(failed).split())[-1500:], *lines])


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
