"""The whole pipeline as `stames-sf demo` runs it: per stage wall time, Stames requests and 429s,
Salesforce API calls, records per second and peak memory, at 1,000, 10,000 and 50,000 tickets.

Per size (BENCH_PIPELINE_TICKETS, default "1000,10000,50000"; seed 42): `stames-sf demo --work
<scratch>/pipeline<N> --tickets N --seed 42 --log-format json` in its own process, started in a
fresh work folder. While it runs, the resident memory of its process tree (the demo, the two
emulators it serves in threads, anything it starts) is sampled every 0.2 s, and its JSON lines are
read as they come: each `stage` event says which stage the samples belong to and, when it
finishes, its wall time. The extraction's `reports/extract-summary.json` is copied when the
`extract` stage finishes, because the cutover delta's own extraction writes over it later.

After the run, from the work folder: the Stames requests, 429s and retries of the extraction (and
of the delta's), the Salesforce API calls of each load run (`ops.load_runs.api_calls`, the
loader's count; the schema, validate, agents and reconcile stages' calls are not in it), and the
records each run wrote (`ops.load_phases`: created + updated + linked, as `benchmarks.load`
counts them). Records per second: the load run's records over the `load` stage's wall time, and
the same records over the whole process's wall time.

Two limits of the local servers would measure the contract rather than the toolkit:
- The demo's Stames server reads its limits from STAMES_* variables. By default
  (BENCH_PIPELINE_STAMES_LIMITS=lifted) they are lifted (STAMES_RATE_LIMIT_RPS=0,
  STAMES_DOWNLOAD_RPS=0), as `benchmarks.load` does; `contract` keeps the contract's 10 requests/s
  and 4 file downloads/s (`benchmarks.extract` measures the extraction at those limits).
- The local org allows 15,000 API calls a day; the load alone needs about one call per distinct
  file (32,621 calls at 30,000 tickets in `benchmarks.load`). When the demo's `servers` stage
  finishes, the benchmark lifts that limit through the org's `/__admin/toggles` (as
  `benchmarks.load` does), before any stage but the connection test has called the org.

`python -m benchmarks.pipeline --datasets DIR` keeps each generated dataset in DIR (as
`ds<N>-seed42`, the cache the other benchmarks share) and the last work folder of each size in
DIR/pipeline<N> for inspection; a dataset found there is linked into the next work folder, so its
`dataset` stage is a reuse, which the results say. Without it everything is made in a temporary
folder and the demo generates the dataset itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.load import _machine
from benchmarks.measure import tree_rss_mb, write_results

ISSUE_SIZES = (1_000, 10_000, 50_000)
SIZES = tuple(
    int(size) for size in os.environ.get("BENCH_PIPELINE_TICKETS", ",".join(map(str, ISSUE_SIZES))).split(",")
)
SEED = 42
SAMPLE_S = 0.2
STAMES_LIMITS = os.environ.get("BENCH_PIPELINE_STAMES_LIMITS", "lifted")
LIFTED_STAMES_ENV = {"STAMES_RATE_LIMIT_RPS": "0", "STAMES_DOWNLOAD_RPS": "0"}
ORG_DAILY_API_LIMIT = 100_000_000
NOTE = os.environ.get("BENCH_PIPELINE_NOTE", "")
"""A line the results carry as given: why this recording measured what it did."""
BEFORE_FIRST_STAGE = "(start-up)"
BETWEEN_STAGES = "(between stages)"
SUMMARY_KEYS = ("run_id", "run_status", "passed", "source_records", "accounted_records", "unexplained")


# --- the demo's JSON lines (pure; tests/unit/benchmarks/test_pipeline.py) ---------------------


def parse_events(lines: Iterable[str]) -> list[dict[str, Any]]:
    """The JSON objects with an `event` among `lines`; anything else (a stray library line) skipped."""
    events = []
    for line in lines:
        text = line.strip()
        if not text.startswith("{"):
            continue
        try:
            parsed = json.loads(text)
        except ValueError:
            continue
        if isinstance(parsed, dict) and "event" in parsed:
            events.append(parsed)
    return events


def is_finished(event: dict[str, Any], stage: str) -> bool:
    return event["event"] == "stage" and event.get("stage") == stage and event.get("status") == "finished"


def _at(event: dict[str, Any]) -> float:
    return datetime.fromisoformat(event["at"]).timestamp()


def stage_times(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each stage in the order it started, with the seconds its `finished` event gives. A stage
    with no `finished` event (the process died in it) counts up to the last event, unfinished."""
    stages: dict[str, dict[str, Any]] = {}
    started_at: dict[str, float] = {}
    for event in events:
        if event["event"] != "stage":
            continue
        name = event["stage"]
        if event.get("status") == "started":
            stages[name] = {"stage": name, "seconds": None, "finished": False}
            started_at[name] = _at(event)
        elif event.get("status") == "finished" and name in stages:
            stages[name].update(seconds=float(event["seconds"]), finished=True)
    last = _at(events[-1]) if events else 0.0
    for name, stage in stages.items():
        if not stage["finished"]:
            stage["seconds"] = round(last - started_at[name], 1)
    return list(stages.values())


def summarize_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    """What the JSON lines alone say about a demo: its stages, how it ended and its summary."""
    stages = stage_times(events)
    done = [event for event in events if event["event"] == "done"]
    summaries = [event for event in events if event["event"] == "summary"]
    summary = {key: summaries[-1].get(key) for key in SUMMARY_KEYS} if summaries else None
    return {
        "stages": stages,
        "stages_s": round(sum(stage["seconds"] for stage in stages), 1),
        "exit_code": done[-1].get("exit_code") if done else None,
        "errors": [event.get("message", "") for event in events if event["event"] == "error"],
        "summary": summary,
    }


class StageWatch:
    """Which stage the demo is in, from its events as they arrive, and the largest memory sample
    seen overall and during each stage; fed by the reader, sampled by another thread."""

    def __init__(self) -> None:
        self.current = BEFORE_FIRST_STAGE
        self.peak_mb = 0.0
        self.stage_peaks_mb: dict[str, float] = {}
        self._lock = threading.Lock()

    def feed(self, event: dict[str, Any]) -> None:
        if event["event"] != "stage":
            return
        with self._lock:
            self.current = event["stage"] if event.get("status") == "started" else BETWEEN_STAGES

    def record(self, rss_mb: float) -> None:
        with self._lock:
            self.peak_mb = max(self.peak_mb, rss_mb)
            previous = self.stage_peaks_mb.get(self.current, 0.0)
            self.stage_peaks_mb[self.current] = max(previous, rss_mb)


def records_per_s(records: int | None, seconds: float | None) -> float | None:
    if not records or not seconds:
        return None
    return round(records / seconds, 1)


# --- one size ---------------------------------------------------------------------------------


def lift_org_limit(work: Path) -> int | str:
    """Lift the daily API limit of the org the demo serves (`/__admin/toggles`, as
    `benchmarks.load` does); the limit it then has, or why it could not be lifted."""
    from loaders.connection import http_session

    try:
        connection = json.loads((work / "salesforce-org" / "connection.json").read_text(encoding="utf-8"))
        session = http_session(Path(connection["ca_file"]) if connection.get("ca_file") else None)
        with session:
            response = session.post(
                f"{connection['instance_url']}/__admin/toggles",
                json={"daily_api_limit": ORG_DAILY_API_LIMIT},
                timeout=30,
            )
            response.raise_for_status()
            return int(response.json()["daily_api_limit"])
    except (OSError, ValueError, KeyError) as failed:  # requests' errors are OSErrors
        return f"not lifted: {failed}"


def _dataset_name(tickets: int) -> str:
    return f"demo-n{tickets}-s{SEED}"  # as stames_sf.demo.ensure_dataset names it


def _cached(datasets_root: Path | None, tickets: int) -> Path | None:
    """The kept dataset of this size (the name `benchmarks.measure.cached_dataset` gives it)."""
    return datasets_root / f"ds{tickets}-seed{SEED}" if datasets_root is not None else None


def _child_env() -> tuple[dict[str, str], dict[str, str]]:
    """The demo's environment, and the STAMES_* variables in it (recorded)."""
    env = dict(os.environ)
    if STAMES_LIMITS == "lifted":
        env.update(LIFTED_STAMES_ENV)
    elif STAMES_LIMITS == "contract":
        for name in LIFTED_STAMES_ENV:
            env.pop(name, None)
    else:
        raise ValueError(f"BENCH_PIPELINE_STAMES_LIMITS is 'lifted' or 'contract', not {STAMES_LIMITS!r}")
    return env, {name: value for name, value in sorted(env.items()) if name.startswith("STAMES_")}


def _run_demo(work: Path, tickets: int, stderr_path: Path) -> dict[str, Any]:
    """The demo as a subprocess: its events, its wall time, its memory, the extraction's summary
    as it was when the `extract` stage finished."""
    env, _ = _child_env()
    command = [
        str(Path(sys.executable).parent / "stames-sf"),
        "demo",
        "--work",
        str(work),
        "--tickets",
        str(tickets),
        "--seed",
        str(SEED),
        "--log-format",
        "json",
    ]
    watch = StageWatch()
    events: list[dict[str, Any]] = []
    extract_summary: dict[str, Any] | None = None
    org_limit: int | str | None = None
    stop = threading.Event()
    started = time.perf_counter()
    with stderr_path.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)

        def sample() -> None:
            while not stop.is_set():
                watch.record(tree_rss_mb(process.pid))
                stop.wait(SAMPLE_S)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            assert process.stdout is not None
            for line in process.stdout:
                for event in parse_events([line]):
                    events.append(event)
                    watch.feed(event)
                    if is_finished(event, "servers"):
                        org_limit = lift_org_limit(work)
                    if is_finished(event, "extract"):
                        extract_summary = _read_json(work / "reports" / "extract-summary.json")
            process.wait()
        finally:
            stop.set()
            sampler.join()
            if process.poll() is None:
                process.kill()
                process.wait()
    wall_s = time.perf_counter() - started
    return {
        "events": events,
        "returncode": process.returncode,
        "wall_s": round(wall_s, 1),
        "peak_rss_mb": round(watch.peak_mb),
        "stage_peaks_mb": {name: round(mb) for name, mb in watch.stage_peaks_mb.items()},
        "extract_summary": extract_summary,
        "org_daily_api_limit": org_limit,
    }


def _read_json(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _extraction(summary: dict[str, Any] | None) -> dict[str, Any] | None:
    """Requests, 429s and rows of one extraction, from its `extract-summary.json`."""
    if summary is None:
        return None
    load = summary.get("load") or {}
    files = summary.get("attachments") or {}
    rows = sum((load.get("rows_per_table") or {}).values())
    return {
        "requests": load.get("requests", 0) + files.get("requests", 0),
        "dlt_requests": load.get("requests", 0),
        "attachment_requests": files.get("requests", 0),
        "rate_limited_429": load.get("rate_limited", 0),
        "retries": load.get("retries", 0),
        "full_body_fetches": load.get("full_body_fetches", 0),
        "rows": rows,
        "files_downloaded": files.get("attempted", 0),
        "dlt_s": round(load.get("duration_s", 0.0), 1),
        "attachments_s": round(files.get("duration_s", 0.0), 1),
    }


def _load_runs(warehouse: Path) -> list[dict[str, Any]]:
    """Each load run of the demo, oldest first (the load, then the delta's): its status, the
    loader's API calls and what it wrote, from the run ledger."""
    if not warehouse.is_file():
        return []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {
            name
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'ops'"
            ).fetchall()
        }
        if not {"load_runs", "load_phases"} <= tables:
            return []
        rows = con.execute(
            "SELECT r.run_id, r.status, r.stop_reason, r.forecast_calls, r.api_calls, "
            "epoch(r.finished_at) - epoch(r.started_at), "
            "sum(p.created), sum(p.updated), sum(p.linked), sum(p.unchanged), sum(p.failed) "
            "FROM ops.load_runs r LEFT JOIN ops.load_phases p USING (run_id) "
            "GROUP BY r.run_id, r.status, r.stop_reason, r.forecast_calls, r.api_calls, r.started_at, "
            "r.finished_at ORDER BY r.started_at"
        ).fetchall()
    runs = []
    for index, row in enumerate(rows):
        run_id, status, reason, forecast, calls, seconds, created, updated, linked, unchanged, failed = row
        created, updated, linked = int(created or 0), int(updated or 0), int(linked or 0)
        runs.append(
            {
                "kind": "load" if index == 0 else "delta",
                "run_id": run_id,
                "status": status,
                "stop_reason": reason,
                "forecast_calls": forecast,
                "api_calls": calls,
                "ledger_s": round(float(seconds or 0), 1),
                "records": created + updated + linked,
                "created": created,
                "updated": updated,
                "linked": linked,
                "unchanged": int(unchanged or 0),
                "failed": int(failed or 0),
            }
        )
    return runs


def measure_size(tickets: int, scratch: Path, datasets_root: Path | None) -> dict[str, Any]:
    work = scratch / f"pipeline{tickets}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    cached = _cached(datasets_root, tickets)
    reused = cached is not None and (cached / "manifest.json").is_file()
    if reused:
        (work / "datasets").mkdir()
        (work / "datasets" / _dataset_name(tickets)).symlink_to(cached.resolve(), target_is_directory=True)
    load_at_start = os.getloadavg()
    print(f"demo of {tickets:,} tickets in {work}", flush=True)
    ran = _run_demo(work, tickets, scratch / f"pipeline{tickets}.stderr")
    load_at_end = os.getloadavg()
    if cached is not None and not reused:
        generated = work / "datasets" / _dataset_name(tickets)
        if (generated / "manifest.json").is_file():
            cached.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(generated, cached)
            generated.symlink_to(cached.resolve(), target_is_directory=True)
    return size_results(
        tickets,
        ran,
        extract=_extraction(ran["extract_summary"]),
        delta_extract=_extraction(_read_json(work / "reports" / "extract-summary.json")),
        runs=_load_runs(work / "warehouse.duckdb"),
        load_average=(load_at_start, load_at_end),
        dataset="reused from --datasets" if reused else "generated by the demo",
        stderr_tail=(scratch / f"pipeline{tickets}.stderr").read_text(encoding="utf-8", errors="replace")[
            -3000:
        ],
    )


def size_results(
    tickets: int,
    ran: dict[str, Any],
    *,
    extract: dict[str, Any] | None,
    delta_extract: dict[str, Any] | None,
    runs: list[dict[str, Any]],
    load_average: tuple[tuple[float, ...], tuple[float, ...]],
    dataset: str,
    stderr_tail: str = "",
) -> dict[str, Any]:
    """One size's figures from the demo's events, its memory samples and its work folder."""
    events = summarize_events(ran["events"])
    stages = [
        {**stage, "peak_rss_mb": ran["stage_peaks_mb"].get(stage["stage"])} for stage in events["stages"]
    ]
    seconds = {stage["stage"]: stage["seconds"] for stage in stages}
    delta_ran = any(stage["stage"] == "delta" and stage["finished"] for stage in stages)
    load_run = next((run for run in runs if run["kind"] == "load"), None)
    completed = ran["returncode"] == 0 and events["exit_code"] == 0
    return {
        "tickets": tickets,
        "status": "completed" if completed else "failed",
        "org_daily_api_limit": ran.get("org_daily_api_limit"),
        "exit_code": ran["returncode"],
        "errors": events["errors"] or ([stderr_tail] if not completed and stderr_tail else []),
        "dataset": dataset,
        "wall_s": ran["wall_s"],
        "stages_s": events["stages_s"],
        "outside_stages_s": round(ran["wall_s"] - events["stages_s"], 1),
        "stages": stages,
        "outside_stages_peak_rss_mb": {
            name: mb
            for name, mb in ran["stage_peaks_mb"].items()
            if name in (BEFORE_FIRST_STAGE, BETWEEN_STAGES)
        },
        "peak_rss_mb": ran["peak_rss_mb"],
        "extract": extract,
        "delta_extract": delta_extract if delta_ran else None,
        "rows_per_s_extract": records_per_s(extract and extract["rows"], seconds.get("extract")),
        "load_runs": runs,
        "salesforce_api_calls": sum(run["api_calls"] or 0 for run in runs),
        "records_loaded": load_run["records"] if load_run else None,
        "failed_records": sum(run["failed"] for run in runs),
        "records_per_s_load_stage": records_per_s(load_run and load_run["records"], seconds.get("load")),
        "records_per_s_whole_run": records_per_s(load_run and load_run["records"], ran["wall_s"]),
        "summary": events["summary"],
        "load_average_at_start": [round(value, 2) for value in load_average[0]],
        "load_average_at_end": [round(value, 2) for value in load_average[1]],
    }


# --- results ----------------------------------------------------------------------------------


def _number(value: Any, suffix: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:,.1f}{suffix}"
    return f"{value:,}{suffix}"


def _loads(value: list[float]) -> str:
    return " / ".join(f"{item:.2f}" for item in value)


def markdown(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    machine = results["machine"]
    limits = (
        "lifted (STAMES_RATE_LIMIT_RPS=0, STAMES_DOWNLOAD_RPS=0): the extraction is not paced, so its "
        "time is the toolkit's, and no 429 is expected"
        if results["stames_limits"] == "lifted"
        else "the contract's defaults (10 requests/s, 4 file downloads/s): the extraction is paced by them"
    )
    lines = [
        "# The whole pipeline (`stames-sf demo`): stage times, requests, API calls, records/s, memory",
        "",
        f"Machine: {machine['cpus']} CPUs, {machine['memory_gb']} GB RAM. Load average (1, 5, 15 min) is "
        "recorded at the start and end of each size. Seed 42; each size runs `stames-sf demo --tickets N "
        "--seed 42 --log-format json` in its own process and fresh work folder; peak memory is the RSS of "
        "its whole process tree (the demo and the two emulators it serves in threads), sampled every "
        f"{SAMPLE_S} s.",
        "",
        f"Stames server limits: {limits}. Local org: its daily API limit (default 15,000; the load "
        f"needs about one call per file) lifted to {ORG_DAILY_API_LIMIT:,} through `/__admin/toggles` "
        "as soon as the demo has started it.",
    ]
    measured = [size["tickets"] for size in sizes]
    missing = [size for size in ISSUE_SIZES if size not in measured]
    if missing:
        lines += [
            "",
            f"**Not run in this recording: {', '.join(f'{size:,}' for size in missing)} tickets.**"
            + (f" {results['note']}" if results.get("note") else "")
            + " To run them (from the other benchmarks' figures, 50,000 tickets should take a few hours "
            "and several GB of disk): "
            f"`BENCH_PIPELINE_TICKETS={','.join(map(str, missing))} .venv/bin/python -m benchmarks.pipeline "
            "--datasets .stames-sf/bench` (or `make bench`, which runs every size of every benchmark).",
        ]
    elif results.get("note"):
        lines += ["", results["note"]]
    lines += [
        "",
        "| measure | " + " | ".join(f"{size['tickets']:,} tickets" for size in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]

    def row(label: str, values: Iterable[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    def extraction(size: dict[str, Any], key: str) -> Any:
        return size["extract"][key] if size["extract"] else None

    row("status (exit code)", [f"{size['status']} ({size['exit_code']})" for size in sizes])
    row("dataset", [size["dataset"] for size in sizes])
    row("org daily API limit during the run", [_number(size["org_daily_api_limit"]) for size in sizes])
    row("wall time, whole process", [_number(size["wall_s"], " s") for size in sizes])
    row(
        "of which in stages / outside (start-up, summary)",
        [f"{size['stages_s']:.1f} s / {size['outside_stages_s']:.1f} s" for size in sizes],
    )
    row("peak RSS, process tree", [_number(size["peak_rss_mb"], " MB") for size in sizes])
    row(
        "Stames requests: extract (dlt load + attachment step)",
        [
            f"{_number(extraction(size, 'requests'))} ({_number(extraction(size, 'dlt_requests'))} + "
            f"{_number(extraction(size, 'attachment_requests'))})"
            for size in sizes
        ],
    )
    row(
        "Stames 429s / retries: extract",
        [
            f"{_number(extraction(size, 'rate_limited_429'))} / {_number(extraction(size, 'retries'))}"
            for size in sizes
        ],
    )
    row(
        "Stames requests / 429s: cutover delta",
        [
            f"{_number(delta['requests'])} / {_number(delta['rate_limited_429'])}"
            if (delta := size["delta_extract"])
            else "–"
            for size in sizes
        ],
    )
    row(
        "rows landed by the extract / rows per s",
        [f"{_number(extraction(size, 'rows'))} / {_number(size['rows_per_s_extract'])}" for size in sizes],
    )
    row("files downloaded", [_number(extraction(size, "files_downloaded")) for size in sizes])
    row(
        "Salesforce API calls (loader's count): load + delta",
        [
            " + ".join(_number(run["api_calls"]) for run in size["load_runs"])
            + f" = {size['salesforce_api_calls']:,}"
            if size["load_runs"]
            else "–"
            for size in sizes
        ],
    )
    row(
        "records written by the load run (created + updated + linked)",
        [_number(size["records_loaded"]) for size in sizes],
    )
    row("failed records (all runs)", [_number(size["failed_records"]) for size in sizes])
    row("records/s, load stage", [_number(size["records_per_s_load_stage"]) for size in sizes])
    row("records/s, whole run", [_number(size["records_per_s_whole_run"]) for size in sizes])
    row(
        "every Stames record accounted for (summary)",
        [
            f"{size['summary']['accounted_records']:,} of {size['summary']['source_records']:,}, "
            f"{size['summary']['unexplained']:,} unexplained"
            if size["summary"]
            else "–"
            for size in sizes
        ],
    )
    row(
        "load average at start → end (1 / 5 / 15 min)",
        [
            f"{_loads(size['load_average_at_start'])} → {_loads(size['load_average_at_end'])}"
            for size in sizes
        ],
    )
    lines += [
        "",
        "Records/s: the load run's records over the `load` stage's wall time, and the same records over "
        "the whole process's wall time. API calls are the loader's count per load run "
        "(`ops.load_runs.api_calls`); the calls of the schema, validate, agents and reconcile stages are not "
        "counted. The attachment step's summary counts its requests but not its 429s.",
    ]
    for size in sizes:
        wall = size["wall_s"] or 0
        lines += [
            "",
            f"## {size['tickets']:,} tickets: per stage",
            "",
            "| stage | wall time | share | peak RSS during the stage |",
            "|---|---|---|---|",
            *(
                f"| {stage['stage']}{'' if stage['finished'] else ' (did not finish)'} | "
                f"{stage['seconds']:.1f} s | {100 * stage['seconds'] / wall:.0f} % | "
                f"{_number(stage['peak_rss_mb'], ' MB')} |"
                for stage in size["stages"]
            ),
            f"| outside stages | {size['outside_stages_s']:.1f} s | "
            f"{100 * size['outside_stages_s'] / wall:.0f} % | "
            f"{_number(max(size['outside_stages_peak_rss_mb'].values(), default=None), ' MB')} |",
        ]
        if size["load_runs"]:
            lines += [
                "",
                "| load run | status | API calls (forecast) | records written | unchanged | failed "
                "| ledger time |",
                "|---|---|---|---|---|---|---|",
                *(
                    f"| {run['kind']} `{run['run_id']}` | {run['status']} | {_number(run['api_calls'])} "
                    f"({_number(run['forecast_calls'])}) | {run['records']:,} | {run['unchanged']:,} | "
                    f"{run['failed']:,} | {run['ledger_s']:.1f} s |"
                    for run in size["load_runs"]
                ),
            ]
        if size["errors"]:
            lines += ["", "Errors: " + " / ".join(" ".join(error.split())[:1500] for error in size["errors"])]
    return "\n".join(lines)


def run(scratch: Path, datasets_root: Path | None) -> dict[str, Any]:
    machine = _machine()
    _, stames_env = _child_env()
    results: dict[str, Any] = {
        "machine": machine,
        "seed": SEED,
        "stames_limits": STAMES_LIMITS,
        "stames_env": stames_env,
        "org_daily_api_limit": ORG_DAILY_API_LIMIT,
        "note": NOTE,
        "sizes": [],
    }
    for tickets in SIZES:
        size = measure_size(tickets, scratch, datasets_root)
        results["sizes"].append(size)
        print(json.dumps({key: value for key, value in size.items() if key != "stages"}), flush=True)
        write_results("pipeline", results, markdown(results))  # a size's figures survive the next one
    return results


def main(datasets_root: Path | None = None) -> None:
    if datasets_root is not None:
        results = run(datasets_root, datasets_root)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as scratch:
            results = run(Path(scratch), None)
    print(markdown(results))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--datasets"]:
        main(Path(arguments[1]))
    else:
        main()
