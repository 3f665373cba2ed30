"""The load into the local org: API calls against the minimum the data needs, speed and memory.

Set up, untimed, per size (BENCH_LOAD_TICKETS, default 3,000 and 30,000 tickets): a work folder
ready to load, made exactly as the demo makes it but stopping before the load (`run_demo` with
`load=False`: generate, serve, extract with attachments, discover, propose and auto-confirm the
mapping, plan and deploy the schema into the local org, transform, validate, agents resolved
with the fallback owner). The demo's Stames server reads its limits from STAMES_* variables; the
set-up lifts them (STAMES_RATE_LIMIT_RPS=0, STAMES_DOWNLOAD_RPS=0) so a 30,000-ticket extraction
is not paced at 10 requests/s: that only changes how long the set-up takes, not the data. The
ready folder is kept (a marker file says it is complete) and copied before each timed run, so
the org (sqlite under `<work>/salesforce-org`) starts fresh every time. The org is then served by
`stames-sf salesforce serve` in its own process, its daily API limit lifted through
`/__admin/toggles`, and its API usage read before and after the load.

Timed: `run_load_stage` (every gate, then the run) in a child process that reports its own wall
time and peak RSS (VmHWM), the API calls the loader counted (from `Sforce-Limit-Info`) and the
per-phase counts; the emulator's own count of the calls is read after.

The minimum the data needs is computed from the sync tables without the loader's code: per target
object, 5 calls per Bulk 2.0 upload chunk (create job, upload, close, one poll, one results read)
with one chunk per 100 MB of CSV (estimated as the bytes of the loaded columns' values), unless
sObject Collections needs fewer (200 records a call); plus one call per distinct file, plus one
call per 200 rows that share a file already uploaded (their links). Targets: calls used / minimum
at most 1.5 at every size, and peak RSS at most 1.5x when the data grows tenfold.

`python -m benchmarks.load --datasets DIR` keeps the ready work folders in DIR and reuses them on
the next run; without it they are made in a temporary folder.
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import requests

from benchmarks.measure import peak_rss_mb, write_results

SIZES = tuple(int(size) for size in os.environ.get("BENCH_LOAD_TICKETS", "3000,30000").split(","))
SEED = 42
TARGET_CALL_RATIO = 1.5
TARGET_MEMORY_GROWTH = 1.5
READY_MARKER = "ready-to-load.json"
LIFTED_DAILY_LIMIT = 100_000_000
BULK_CALLS_PER_CHUNK = 5  # create job, upload, close, one poll, one results read
BULK_CHUNK_BYTES = 100_000_000  # 100 MB of CSV per upload
COLLECTION_RECORDS = 200  # records per sObject Collections call
SYNC = "salesforce"
RECORD_TABLES = (
    "accounts",
    "contacts",
    "cases",
    "case_comments",
    "case_status_history",
    "email_messages",
    "tasks",
    "topics",
    "topic_assignments",
)
EXTENSION_TABLES = {"contacts": "contact_custom_fields", "cases": "case_custom_fields"}
CUSTOM_OBJECT_RECORDS = "custom_object_records"
FILES_TABLE = "content_versions"
STAMES_ID = "Stames_Id__c"
FIELD_VALUES = "stames__field_values"


# --- set-up (untimed) ------------------------------------------------------------------------


def child_setup(folder: str, tickets: int) -> None:
    """Run the demo up to the load into `folder`; print its console output if it fails."""
    from rich.console import Console

    from stames_sf.demo import DemoSettings, run_demo
    from stames_sf.workdir import WorkDir

    output = io.StringIO()
    try:
        run_demo(
            WorkDir.at(folder), DemoSettings(tickets=tickets, seed=SEED, load=False), Console(file=output)
        )
    except BaseException:
        print(output.getvalue()[-8000:], file=sys.stderr)
        raise


def _ready(root: Path, tickets: int) -> tuple[Path, dict[str, Any]]:
    """The work folder of `tickets` ready to load, made once per `root`."""
    folder = root / f"ready{tickets}-seed{SEED}"
    marker = folder / READY_MARKER
    if not marker.is_file():
        if folder.exists():
            shutil.rmtree(folder)  # a set-up that did not finish
        folder.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "STAMES_RATE_LIMIT_RPS": "0", "STAMES_DOWNLOAD_RPS": "0"}
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-m", "benchmarks.load", "--child-setup", str(folder), str(tickets)],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"set-up of {tickets:,} tickets failed:\n{completed.stderr[-8000:]}")
        made = {"tickets": tickets, "setup_s": round(time.perf_counter() - started, 1)}
        marker.write_text(json.dumps(made) + "\n", encoding="utf-8")
        print(f"made a {tickets:,}-ticket work folder ready to load in {made['setup_s']:.0f} s", flush=True)
    return folder, json.loads(marker.read_text(encoding="utf-8"))


def _fresh_copy(ready: Path, target: Path) -> Path:
    """A copy of the ready folder without its lock, its generated dataset or its old connection."""

    def ignore(directory: str, names: list[str]) -> list[str]:
        skipped = [name for name in names if name in ("run.lock", READY_MARKER)]
        if Path(directory) == ready:
            skipped += [name for name in names if name == "datasets"]
        if Path(directory) == ready / "salesforce-org":
            skipped += [name for name in names if name == "connection.json"]
        return skipped

    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ready, target, ignore=ignore)
    return target


# --- the minimum the data needs (independent of the loader) ----------------------------------


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
            "ORDER BY ordinal_position",
            [SYNC, f"sync_salesforce__{table}"],
        ).fetchall()
    ]


def _loaded_columns(columns: list[str], *, keep: tuple[str, ...] = ()) -> list[str]:
    """The columns whose values go into the CSV: not the transform's `stames__` helpers."""
    return [name for name in columns if not name.startswith("stames__") or name in keep]


def _bytes_sql(alias: str, columns: list[str]) -> str:
    if not columns:
        return "0"
    return " + ".join(f'coalesce(strlen(CAST({alias}."{name}" AS VARCHAR)), 0)' for name in columns)


def _object_minimum(rows: int, csv_bytes: int) -> dict[str, Any]:
    chunks = max(1, math.ceil(csv_bytes / BULK_CHUNK_BYTES))
    bulk = BULK_CALLS_PER_CHUNK * chunks
    collections = math.ceil(rows / COLLECTION_RECORDS)
    return {
        "rows": rows,
        "csv_mb": round(csv_bytes / 1e6, 1),
        "bulk_chunks": chunks,
        "minimum_calls": min(bulk, collections) if rows else 0,
        "by": ("collections" if collections < bulk else "bulk") if rows else "-",
    }


def minimum_calls(warehouse: Path) -> dict[str, Any]:
    """The fewest API calls that could load these sync tables, per target object and in all."""
    objects: dict[str, dict[str, Any]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {
            name.removeprefix("sync_salesforce__")
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", [SYNC]
            ).fetchall()
        }
        for table in RECORD_TABLES:
            if table not in tables:
                continue
            main = _loaded_columns(_columns(con, table))
            size = _bytes_sql("main", main)
            join = ""
            extension = EXTENSION_TABLES.get(table)
            if extension in tables:
                extra = [name for name in _loaded_columns(_columns(con, extension)) if name != STAMES_ID]
                size = f"{size} + {_bytes_sql('ext', extra)}"
                on = f'ext."{STAMES_ID}" = main."{STAMES_ID}"'
                join = f'LEFT JOIN {SYNC}."sync_salesforce__{extension}" ext ON {on}'
            relation = f'{SYNC}."sync_salesforce__{table}" main {join}'
            rows, csv_bytes = con.execute(
                f"SELECT count(*), coalesce(sum({size}), 0) FROM {relation}"
            ).fetchone()
            objects[table] = _object_minimum(int(rows), int(csv_bytes))
        if CUSTOM_OBJECT_RECORDS in tables:
            loaded = _loaded_columns(_columns(con, CUSTOM_OBJECT_RECORDS), keep=(FIELD_VALUES,))
            for sobject, rows, csv_bytes in con.execute(
                f"SELECT stames__sobject, count(*), coalesce(sum({_bytes_sql('main', loaded)}), 0) "
                f'FROM {SYNC}."sync_salesforce__{CUSTOM_OBJECT_RECORDS}" main GROUP BY 1 ORDER BY 1'
            ).fetchall():
                objects[str(sobject)] = _object_minimum(int(rows), int(csv_bytes))
        files = {"rows": 0, "distinct": 0}
        if FILES_TABLE in tables:
            relation = f'{SYNC}."sync_salesforce__{FILES_TABLE}"'
            rows, distinct = con.execute(
                f"SELECT count(*), count(DISTINCT stames__sha256) FROM {relation}"
            ).fetchone()
            files = {"rows": int(rows), "distinct": int(distinct)}
    duplicates = files["rows"] - files["distinct"]
    files["duplicate_rows"] = duplicates
    files["minimum_calls"] = files["distinct"] + math.ceil(duplicates / COLLECTION_RECORDS)
    total = sum(item["minimum_calls"] for item in objects.values()) + files["minimum_calls"]
    return {"objects": objects, "files": files, "total": total}


# --- the timed load ---------------------------------------------------------------------------


def child_load(work_dir: str) -> None:
    """Run the load stage on `work_dir` against its served org; print the measurements as JSON."""
    from emulators.salesforce.http.server import connection_path
    from loaders.load.context import SilentProgress
    from loaders.load.http import Clock
    from stames_sf.load_service import LoadOptions, run_load_stage
    from stames_sf.workdir import WorkDir

    work = WorkDir.at(Path(work_dir))
    started = time.perf_counter()
    outcome = run_load_stage(
        work, connection_path(work.salesforce_state), LoadOptions(), Clock(), SilentProgress()
    )
    seconds = time.perf_counter() - started
    phases = [
        {
            "phase": summary.phase,
            "sobject": summary.sobject,
            "status": summary.status,
            "source_rows": summary.counts.source_rows,
            "attempted": summary.counts.attempted,
            "created": summary.counts.created,
            "updated": summary.counts.updated,
            "linked": summary.counts.linked,
            "unchanged": summary.counts.unchanged,
            "failed": summary.counts.failed,
        }
        for summary in outcome.phases
    ]
    measured = {
        "load_s": round(seconds, 1),
        "run_id": outcome.run_id,
        "status": outcome.status,
        "reason": outcome.reason,
        "forecast_calls": outcome.forecast_calls,
        "api_calls": outcome.api_calls,
        "phases": phases,
        "peak_rss_mb": round(peak_rss_mb()),
    }
    print(json.dumps(measured))


class OrgProcess:
    """`stames-sf salesforce serve` on a work folder, in its own process (its memory is not counted),
    over HTTPS or, with `http`, plain HTTP (what a Node client such as the sf CLI accepts)."""

    def __init__(self, work: Path, log: Path, *, http: bool = False) -> None:
        from loaders.connection import http_session

        self.work = work
        self._log = log.open("w", encoding="utf-8")
        stames_sf = Path(sys.executable).parent / "stames-sf"
        command = [str(stames_sf), "salesforce", "serve", "--work", str(work), "--port", "0"]
        self.process = subprocess.Popen(
            [*command, "--http"] if http else command, stdout=self._log, stderr=subprocess.STDOUT
        )
        connection_file = work / "salesforce-org" / "connection.json"
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the org server stopped: {log.read_text(encoding='utf-8')[-4000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError("the org server did not start within 120 s")
            if connection_file.is_file():
                try:
                    self.connection = json.loads(connection_file.read_text(encoding="utf-8"))
                    self.url = self.connection["instance_url"]
                    ca_file = self.connection["ca_file"]
                    self.session = http_session(Path(ca_file) if ca_file else None)
                    self.session.get(f"{self.url}/__admin/api-usage", timeout=5).raise_for_status()
                    break
                except (ValueError, KeyError, OSError, requests.RequestException):
                    pass
            time.sleep(0.2)

    def api_usage(self) -> dict[str, int]:
        response = self.session.get(f"{self.url}/__admin/api-usage", timeout=30)
        response.raise_for_status()
        return response.json()

    def lift_daily_limit(self) -> None:
        toggles = {"daily_api_limit": LIFTED_DAILY_LIMIT}
        self.session.post(f"{self.url}/__admin/toggles", json=toggles, timeout=30).raise_for_status()

    def stop(self) -> None:
        self.session.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def _phase_times(warehouse: Path, run_id: str) -> list[dict[str, Any]]:
    """Each phase's wall time from the run ledger (`ops.load_phases`)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT phase, sobject, status, epoch(finished_at) - epoch(started_at), attempted "
            "FROM ops.load_phases WHERE run_id = ? ORDER BY phase_order, phase",
            [run_id],
        ).fetchall()
        [(run_s,)] = con.execute(
            "SELECT epoch(finished_at) - epoch(started_at) FROM ops.load_runs WHERE run_id = ?", [run_id]
        ).fetchall()
    phases = [
        {
            "phase": phase,
            "sobject": sobject,
            "status": status,
            "seconds": round(float(s or 0), 1),
            "attempted": n,
        }
        for phase, sobject, status, s, n in rows
    ]
    return [*phases, {"phase": "(whole run, ledger)", "seconds": round(float(run_s or 0), 1)}]


def _failures(warehouse: Path, run_id: str) -> list[dict[str, Any]]:
    """The run's failed records (`ops.load_records`) by phase and error, with one message each."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT phase, sobject, error_code, count(*), min(error_message) FROM ops.load_records "
            "WHERE run_id = ? AND action = 'failed' GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 3 LIMIT 20",
            [run_id],
        ).fetchall()
    return [
        {
            "phase": phase,
            "sobject": sobject,
            "error_code": code,
            "records": n,
            "message": " ".join((text or "").split()).replace("|", "/")[:300],
        }
        for phase, sobject, code, n, text in rows
    ]


def _measure(ready: Path, scratch: Path, tickets: int) -> dict[str, Any]:
    work = _fresh_copy(ready, scratch / f"load{tickets}")
    minimum = minimum_calls(work / "warehouse.duckdb")
    org = OrgProcess(work, scratch / f"org{tickets}.log")
    try:
        org.lift_daily_limit()
        before = org.api_usage()
        load_at_start = os.getloadavg()[0]
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-m", "benchmarks.load", "--child-load", str(work)],
            capture_output=True,
            text=True,
            check=False,
        )
        process_s = time.perf_counter() - started
        load_at_end = os.getloadavg()[0]
        after = org.api_usage()
    finally:
        org.stop()
    if completed.returncode != 0:
        raise RuntimeError(f"the load of {tickets:,} tickets failed:\n{completed.stderr[-8000:]}")
    loaded = json.loads(completed.stdout.strip().splitlines()[-1])
    records = sum(phase["created"] + phase["updated"] + phase["linked"] for phase in loaded["phases"])
    files = sum(phase["created"] for phase in loaded["phases"] if phase["sobject"] == "ContentVersion")
    emulator_calls = after["used"] - before["used"]
    return {
        "tickets": tickets,
        "status": loaded["status"],
        "reason": loaded["reason"],
        "load_s": loaded["load_s"],
        "process_s": round(process_s, 1),
        "api_calls_loader": loaded["api_calls"],
        "api_calls_emulator": emulator_calls,
        "forecast_calls": loaded["forecast_calls"],
        "minimum_calls": minimum["total"],
        "call_ratio": round(emulator_calls / minimum["total"], 2),
        "call_ratio_loader_count": round(loaded["api_calls"] / minimum["total"], 2),
        "records": records,
        "records_per_s": round(records / loaded["load_s"], 1),
        "files_uploaded": files,
        "files_per_s": round(files / loaded["load_s"], 2),
        "peak_rss_mb": loaded["peak_rss_mb"],
        "load_average_at_start": round(load_at_start, 2),
        "load_average_at_end": round(load_at_end, 2),
        "minimum": minimum,
        "phases": loaded["phases"],
        "phase_seconds": _phase_times(work / "warehouse.duckdb", loaded["run_id"]),
        "failed_records": sum(phase["failed"] for phase in loaded["phases"]),
        "failures": _failures(work / "warehouse.duckdb", loaded["run_id"]),
    }


# --- results ----------------------------------------------------------------------------------


def _machine() -> dict[str, Any]:
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }


def _blank(value: Any) -> str:
    return "" if value is None else f"{value:,}"


def _verdict(met: bool) -> str:
    return "met" if met else "not met"


def _markdown(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    machine = results["machine"]
    lines = [
        "# Load into the local org: API calls against the minimum, speed, memory",
        "",
        f"Machine: {machine['cpus']} CPUs, {machine['memory_gb']} GB RAM, 1-minute load average "
        f"{machine['load_average_1m_at_start']} at the start. The org emulator runs in its own process "
        "on the same cores (its memory is not counted; its CPU competes with the loader's).",
        "",
        "| measure | " + " | ".join(f"{size['tickets']:,} tickets" for size in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    row("set-up (demo up to the load, untimed)", [f"{size['setup_s']:.0f} s" for size in sizes])
    row("load status", [size["status"] for size in sizes])
    row("failed records", [f"{size['failed_records']:,}" for size in sizes])
    row("load wall time (run_load_stage)", [f"{size['load_s']:.1f} s" for size in sizes])
    row(
        "API calls (loader / emulator)",
        [f"{s['api_calls_loader']:,} / {s['api_calls_emulator']:,}" for s in sizes],
    )
    row("minimum the data needs", [f"{size['minimum_calls']:,}" for size in sizes])
    row(
        f"ratio (emulator's count / minimum; target ≤ {TARGET_CALL_RATIO})",
        [f"{size['call_ratio']:.2f}" for size in sizes],
    )
    row("records created + updated + linked", [f"{size['records']:,}" for size in sizes])
    row("records/s", [f"{size['records_per_s']:,.0f}" for size in sizes])
    row("files uploaded / files per s", [f"{s['files_uploaded']:,} / {s['files_per_s']:.1f}" for s in sizes])
    row("peak RSS of the loader (VmHWM)", [f"{size['peak_rss_mb']:,} MB" for size in sizes])
    row(
        "load average (start / end)",
        [f"{s['load_average_at_start']} / {s['load_average_at_end']}" for s in sizes],
    )
    measured = ", ".join(f"{size['tickets']:,}" for size in sizes)
    lines += [
        "",
        f"Calls: {_verdict(results['call_ratio_met'])} at the sizes measured ({measured} tickets; largest "
        f"ratio {results['call_ratio_max']:.2f}, target ≤ {TARGET_CALL_RATIO} at every size).",
    ]
    if results.get("memory_growth") is None:
        lines.append("Memory: not measured (it needs two sizes, the second tenfold the first).")
    else:
        lines.append(
            f"Memory: {_verdict(results['memory_met'])} (peak RSS ×{results['memory_growth']:.2f} from "
            f"{results['memory_sizes'][0]:,} to {results['memory_sizes'][1]:,} tickets, target ≤ "
            f"×{TARGET_MEMORY_GROWTH} for tenfold data)."
        )
    lines += [
        "",
        "Minimum: per object, 5 calls per Bulk 2.0 chunk of 100 MB of CSV (create job, upload, close, "
        "one poll, one results read), or ceil(rows / 200) sObject Collections calls when that is fewer; "
        "one call per distinct file and ceil(duplicate file rows / 200) for their links. Computed from the "
        "sync tables, not by the loader.",
    ]
    for size in sizes:
        minimum = size["minimum"]
        lines += [
            "",
            f"## {size['tickets']:,} tickets",
            "",
            "| object | rows | CSV MB (est.) | minimum calls |",
            "|---|---|---|---|",
            *(
                f"| {name} | {item['rows']:,} | {item['csv_mb']} | {item['minimum_calls']} ({item['by']}) |"
                for name, item in minimum["objects"].items()
            ),
            f"| files | {minimum['files']['rows']:,} rows, {minimum['files']['distinct']:,} distinct | | "
            f"{minimum['files']['minimum_calls']:,} |",
            "",
            "| phase | attempted | seconds (ledger) |",
            "|---|---|---|",
            *(
                f"| {phase['phase']} | {_blank(phase.get('attempted'))} | {phase['seconds']} |"
                for phase in size["phase_seconds"]
            ),
        ]
        if size["failures"]:
            lines += [
                "",
                "| failed phase | object | error | records | a message |",
                "|---|---|---|---|---|",
                *(
                    f"| {item['phase']} | {item['sobject']} | {item['error_code']} | {item['records']:,} "
                    f"| {item['message']} |"
                    for item in size["failures"]
                ),
            ]
    return "\n".join(lines)


def run(datasets_root: Path, scratch: Path) -> dict[str, Any]:
    machine = _machine()
    measured = []
    for tickets in SIZES:
        ready, made = _ready(datasets_root, tickets)
        size = _measure(ready, scratch, tickets)
        size["setup_s"] = made["setup_s"]
        print(
            json.dumps({key: value for key, value in size.items() if key not in ("phases", "minimum")}),
            flush=True,
        )
        shutil.rmtree(scratch / f"load{tickets}", ignore_errors=True)
        measured.append(size)
    ratios = [size["call_ratio"] for size in measured]
    results: dict[str, Any] = {
        "machine": machine,
        "sizes": measured,
        "target_call_ratio": TARGET_CALL_RATIO,
        "call_ratio_max": max(ratios),
        "call_ratio_met": all(size["status"] == "completed" for size in measured)
        and max(ratios) <= TARGET_CALL_RATIO,
        "target_memory_growth": TARGET_MEMORY_GROWTH,
        "memory_growth": None,
        "memory_met": None,
    }
    if len(measured) >= 2:
        small, large = measured[0], measured[-1]
        growth = large["peak_rss_mb"] / small["peak_rss_mb"]
        results.update(
            memory_sizes=[small["tickets"], large["tickets"]],
            memory_growth=round(growth, 2),
            memory_met=growth <= TARGET_MEMORY_GROWTH,
        )
    return results


def main(datasets_root: Path | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-load-") as scratch:
        results = run(datasets_root or Path(scratch) / "datasets", Path(scratch))
    markdown = _markdown(results)
    write_results("load", results, markdown)
    print(markdown)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--child-setup"]:
        child_setup(arguments[1], int(arguments[2]))
    elif arguments[:1] == ["--child-load"]:
        child_load(arguments[1])
    elif arguments[:1] == ["--datasets"]:
        main(Path(arguments[1]))
    else:
        main()
