"""Transform + validate of a generated dataset, next to the same transformation as plain SQL.

Set up, untimed: a generated dataset of BENCH_TRANSFORM_TICKETS tickets (default 100,000, about
650,000 messages) extracted over HTTP with the API limits lifted (no attachment downloads: every
file is then quarantined as "not downloaded"), the local org seeded, the mapping proposed and
confirmed as the demo does, its schema deployed.

Timed, each in its own process so peak memory is its own:
- `stames-sf transform` then `stames-sf validate` as one migration engineer runs them (dbt build
  with its data and unit tests, then the Great Expectations suites and reports);
- the same transformation as plain SQL: every model's SQL as dbt compiled it (target/manifest.json
  of the run above) executed in DuckDB in dependency order on a copy of the warehouse taken before
  the transform, without dbt, tests or validation.

The ratio is what dbt and Great Expectations cost on top of the SQL (target: at most 2x, and 3
minutes in all). `python -m benchmarks.transform --datasets DIR` keeps the generated dataset and the
extracted warehouse in DIR and reuses them on the next run.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.measure import cached_dataset, measure_table, peak_rss_mb, run_child, write_results

TICKETS = int(os.environ.get("BENCH_TRANSFORM_TICKETS", "100000"))
SEED = 42
TARGET_RATIO = 2.0
TARGET_SECONDS = 180.0


def _extracted(root: Path, dataset: Path, tickets: int = TICKETS, seed: int = SEED) -> Path:
    """The raw warehouse of `dataset` (extracted once per folder, then copied from)."""
    from emulators.serving import serve_in_thread
    from emulators.stames_api.app import create_app
    from emulators.stames_api.settings import DEFAULT_API_KEY, StamesSettings
    from stames_sf.extraction import run_load
    from stames_sf.workdir import WorkDir

    work = WorkDir.at(root / f"extracted{tickets}-seed{seed}")
    done = work.root / "extracted.ok"
    if not done.is_file():
        started = time.perf_counter()
        settings = StamesSettings(rate_limit_rps=0.0, download_rps=0.0)
        with serve_in_thread(create_app(dataset, settings)) as port:
            run_load(work, base_url=f"http://127.0.0.1:{port}/api/v1", api_key=DEFAULT_API_KEY)
        done.write_text("ok\n", encoding="utf-8")
        print(f"extracted in {time.perf_counter() - started:.1f} s", flush=True)
    return work.warehouse


def _count(warehouse: Path, table: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return int(con.execute(f"select count(*) from {table}").fetchone()[0])


def child_dbt(work_dir: str, connection_file: str) -> None:
    """Transform and validate the work folder; print the measurements as JSON."""
    from stames_sf.transform_service import run_transform
    from stames_sf.validate_service import run_validation
    from stames_sf.workdir import WorkDir

    work = WorkDir.at(Path(work_dir))
    started = time.perf_counter()
    transformed = run_transform(work, Path(connection_file))
    transform_s = time.perf_counter() - started
    started = time.perf_counter()
    validated = run_validation(work, Path(connection_file), datetime.now(UTC))
    validate_s = time.perf_counter() - started
    measured = {
        "transform_s": round(transform_s, 1),
        "validate_s": round(validate_s, 1),
        "dbt_passed": transformed.succeeded,
        "validation_passed": validated.passed,
        "peak_rss_mb": round(peak_rss_mb()),
    }
    print(json.dumps(measured))


def _models_in_order(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The manifest's models in dependency order (ephemeral ones are inlined by dbt's compiler)."""
    models = {key: node for key, node in manifest["nodes"].items() if node["resource_type"] == "model"}
    ordered: list[dict[str, Any]] = []
    placed: set[str] = set()

    def place(key: str) -> None:
        if key in placed or key not in models:
            return
        placed.add(key)
        for parent in models[key]["depends_on"]["nodes"]:
            place(parent)
        ordered.append(models[key])

    for key in sorted(models):
        place(key)
    return [node for node in ordered if node["config"]["materialized"] != "ephemeral"]


def child_sql(warehouse: str, manifest_file: str) -> None:
    """Run every model's compiled SQL in DuckDB, in order; print the measurements as JSON."""
    manifest = json.loads(Path(manifest_file).read_text(encoding="utf-8"))
    models = _models_in_order(manifest)
    started = time.perf_counter()
    with duckdb.connect(warehouse) as con:
        for node in models:
            kind = "view" if node["config"]["materialized"] == "view" else "table"
            con.execute(f'create schema if not exists "{node["schema"]}"')
            relation = f'"{node["schema"]}"."{node["alias"]}"'
            con.execute(f"create or replace {kind} {relation} as ({node['compiled_code']})")
    seconds = time.perf_counter() - started
    measured = {"sql_s": round(seconds, 1), "models": len(models), "peak_rss_mb": round(peak_rss_mb())}
    print(json.dumps(measured))


def _copy_org_accounts(transformed: Path, plain: Path) -> None:
    """The org's Accounts the transform read, for the plain SQL to match against (untimed)."""
    with duckdb.connect(str(plain)) as con:
        con.execute(f"ATTACH '{transformed}' AS transformed (READ_ONLY)")
        con.execute("CREATE SCHEMA IF NOT EXISTS org")
        con.execute("CREATE OR REPLACE TABLE org.accounts AS SELECT * FROM transformed.org.accounts")


def run(datasets_root: Path, scratch: Path) -> dict[str, Any]:
    from rich.console import Console

    from emulators.salesforce.http.server import connection_path, running_server
    from stames_sf.demo import agent_emails, plan_and_deploy_schema, propose_and_auto_confirm
    from stames_sf.workdir import WorkDir

    dataset = cached_dataset(datasets_root, TICKETS, SEED)
    raw = _extracted(datasets_root, dataset)
    work = WorkDir.at(scratch / "work")
    shutil.copy(raw, work.warehouse)
    console = Console(quiet=True)
    with running_server(work.salesforce_state, match_agent_emails=agent_emails(dataset)) as org:
        connection_file = connection_path(org.state_dir)
        propose_and_auto_confirm(work, connection_file, console)
        plan_and_deploy_schema(work, org, console)
        plain = scratch / "plain" / "warehouse.duckdb"  # the same catalog name as dbt's
        plain.parent.mkdir()
        shutil.copy(work.warehouse, plain)
        load_at_start = os.getloadavg()[0]
        dbt = run_child("benchmarks.transform", "--child-dbt", str(work.root), str(connection_file))
    _copy_org_accounts(work.warehouse, plain)
    manifest = work.state / "dbt" / "target" / "manifest.json"
    sql = run_child("benchmarks.transform", "--child-sql", str(plain), str(manifest))
    total = dbt["transform_s"] + dbt["validate_s"]
    return {
        "tickets": TICKETS,
        "messages": _count(work.warehouse, "raw_stames.messages"),
        "cases_synced": _count(work.warehouse, "salesforce.sync_salesforce__cases"),
        "email_messages_synced": _count(work.warehouse, "salesforce.sync_salesforce__email_messages"),
        "load_average_at_start": round(load_at_start, 2),
        "dbt_build_s": dbt["transform_s"],
        "validate_s": dbt["validate_s"],
        "transform_and_validate_s": round(total, 1),
        "transform_and_validate_peak_rss_mb": dbt["peak_rss_mb"],
        "dbt_passed": dbt["dbt_passed"],
        "validation_passed": dbt["validation_passed"],
        "plain_sql_s": sql["sql_s"],
        "plain_sql_models": sql["models"],
        "plain_sql_peak_rss_mb": sql["peak_rss_mb"],
        "ratio_to_plain_sql": round(total / sql["sql_s"], 2) if sql["sql_s"] else None,
        "ratio_dbt_build_to_plain_sql": round(dbt["transform_s"] / sql["sql_s"], 2) if sql["sql_s"] else None,
        "target_ratio": TARGET_RATIO,
        "target_seconds": TARGET_SECONDS,
        "met": bool(sql["sql_s"]) and total / sql["sql_s"] <= TARGET_RATIO and total <= TARGET_SECONDS,
    }


def main(datasets_root: Path | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-transform-") as scratch:
        results = run(datasets_root or Path(scratch) / "datasets", Path(scratch))
    title = f"transform + validate: {TICKETS:,} tickets, next to the same SQL without dbt and GX"
    write_results("transform", results, measure_table(title, results))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--child-dbt"]:
        child_dbt(arguments[1], arguments[2])
    elif arguments[:1] == ["--child-sql"]:
        child_sql(arguments[1], arguments[2])
    elif arguments[:1] == ["--datasets"]:
        main(Path(arguments[1]))
    else:
        main()
