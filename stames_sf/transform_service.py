"""The transform stage as one call: `dbt build` of dbt_project/ on a work folder's warehouse.

dbt runs in-process (`dbtRunner`), with the project and its profile from the repository and
everything it writes (target/, dbt.log) inside the work folder. It runs only on a confirmed,
unchanged mapping that is also the one copied into the warehouse.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb

from mapping.document import MappingError, mapping_path, require_confirmed
from mapping.model import Mapping
from stames_sf.workdir import WorkDir

PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
WAREHOUSE_ENV = "STAMES_SF_WAREHOUSE"
"""Read by dbt_project/profiles.yml: the warehouse dbt builds in."""


class TransformRefusedError(Exception):
    """The transform cannot start; the message is one line saying what to do."""


class TransformFailedError(Exception):
    """dbt build ran and failed: the message names the failed nodes and dbt's log."""

    def __init__(self, result: TransformResult) -> None:
        super().__init__(f"{result.summary()}: {'; '.join(result.failures)} (dbt's log: {result.log_file})")
        self.result = result


@dataclass(frozen=True)
class Reconciliation:
    object: str
    source_rows: int
    synced: int
    quarantined: int
    excluded: int
    excluded_by_rule: str | None

    def line(self) -> str:
        rules = f" ({self.excluded_by_rule})" if self.excluded_by_rule else ""
        return (
            f"{self.object}: {self.source_rows:,} = {self.synced:,} synced + {self.quarantined:,} "
            f"quarantined + {self.excluded:,} excluded{rules}"
        )


@dataclass(frozen=True)
class TransformResult:
    succeeded: bool
    counts: dict[str, int]
    """Finished nodes per kind and outcome, e.g. {"model ok": 40, "test fail": 1}."""
    failures: list[str] = field(default_factory=list)
    """One line per node that errored or failed: its name and dbt's first message line."""
    reconciliation: list[Reconciliation] = field(default_factory=list)
    log_file: Path | None = None
    account_matching: str = ""
    """One line: what the org's Accounts were for this build (read, not reachable, not asked for)."""
    generated_files: str = ""
    """One line: the generated files (over-long bodies, data: images) written after the build."""

    def summary(self) -> str:
        kinds = ", ".join(f"{count} {name}" for name, count in sorted(self.counts.items()))
        return f"dbt build {'passed' if self.succeeded else 'FAILED'}: {kinds or 'nothing ran'}"


def dbt_target_dir(work: WorkDir) -> Path:
    return work.state / "dbt" / "target"


def check_mapping(work: WorkDir) -> Mapping:
    """The confirmed mapping; refuse unless the file is confirmed, unchanged, and the warehouse
    holds that copy."""
    try:
        mapping = require_confirmed(mapping_path(work.root))
    except MappingError as error:
        raise TransformRefusedError(str(error)) from None
    if not work.warehouse.exists():
        raise TransformRefusedError(f"No warehouse in {work.root}: run `stames-sf extract` first.")
    with duckdb.connect(str(work.warehouse), read_only=True) as con:
        present = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'mapping' and table_name = 'confirmation'"
        ).fetchone()
        row = con.execute("select content_hash from mapping.confirmation").fetchone() if present[0] else None
    confirmed_hash = mapping.confirmation.content_hash if mapping.confirmation else None
    if row is None or row[0] != confirmed_hash:
        raise TransformRefusedError(
            f"The warehouse {work.warehouse} does not hold the confirmed mapping of "
            f"{mapping_path(work.root)}: run `stames-sf map confirm` to copy it in."
        )
    return mapping


def _warehouse_env(warehouse: Path) -> AbstractContextManager[None]:
    return _env(WAREHOUSE_ENV, str(warehouse))


@contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    """Environment variable `name` set to `value` for the block (dbt's profiles.yml reads it)."""
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


ENGINES = ("duckdb", "spark")
"""The dbt targets of dbt_project/profiles.yml that `stames-sf transform --engine` runs."""


def run_dbt_build(work: WorkDir, project_dir: Path = PROJECT_DIR, engine: str = "duckdb") -> TransformResult:
    """`dbt build` of the work folder's warehouse on `engine`; dbt's own output goes to
    <work>/logs/dbt.log. On Spark the sources go out as Parquet and what dbt built comes back
    into the warehouse (stames_sf/spark_lake.py), so every later stage reads it the same way."""
    if engine not in ENGINES:
        raise TransformRefusedError(f"Unknown engine {engine!r}: choose one of {', '.join(ENGINES)}.")
    work.logs.mkdir(parents=True, exist_ok=True)
    if engine == "spark":
        outcome = _build_on_spark(work, project_dir)
    else:
        outcome = _invoke_dbt_on_duckdb(work, project_dir)
    return _result_of(outcome, work)


def _invoke_dbt_on_duckdb(work: WorkDir, project_dir: Path, command: tuple[str, ...] = ("build",)) -> Any:
    with _warehouse_env(work.warehouse):
        try:
            return _invoke_dbt(work, project_dir, "duckdb", command)
        finally:
            _release_dbt_database()


def _invoke_dbt(work: WorkDir, project_dir: Path, target: str, command: tuple[str, ...] = ("build",)) -> Any:
    from dbt.cli.main import dbtRunner

    arguments = [
        *command,
        "--project-dir", str(project_dir),
        "--profiles-dir", str(project_dir),
        "--target", target,
        "--target-path", str(dbt_target_dir(work)),
        "--log-path", str(work.logs),
        "--log-level", "none",
        "--log-level-file", "info",
        "--no-use-colors",
    ]  # fmt: skip
    return dbtRunner().invoke(arguments)


def _build_on_spark(work: WorkDir, project_dir: Path) -> Any:
    from stames_sf import spark_lake

    paths = spark_lake.SparkPaths(work.state / "spark")
    sources = spark_lake.export_sources(work.warehouse, paths.lake)
    with spark_lake.spark_session(paths, log_file=work.logs / "spark.log") as session:
        spark_lake.register_sources(session, sources)
        with _env(spark_lake.SPARK_DIR_ENV, str(paths.root)):
            outcome = _invoke_dbt(work, project_dir, "spark")
        if outcome.success:
            spark_lake.import_results(work.warehouse, spark_lake.export_results(session, paths))
    if not outcome.success:
        return outcome
    # the staging views the agent gate reads, over the warehouse's own raw tables
    staging = _invoke_dbt_on_duckdb(work, project_dir, ("run", "--select", "staging"))
    return outcome if staging.success else staging


def _result_of(outcome: Any, work: WorkDir) -> TransformResult:
    counts: Counter[str] = Counter()
    failures: list[str] = []
    for node_result in getattr(outcome.result, "results", None) or []:
        kind = str(node_result.node.resource_type).split(".")[-1].replace("_", " ")
        status = str(node_result.status).split(".")[-1].lower()
        counts[f"{kind} {status}"] += 1
        if status in ("error", "fail"):
            failures.append(f"{node_result.node.name}: {_first_line(node_result.message or status)}")
    if outcome.exception is not None and not failures:
        failures.append(_first_line(getattr(outcome.exception, "msg", None) or str(outcome.exception)))
    reconciliation = read_reconciliation(work.warehouse) if outcome.success else []
    return TransformResult(
        succeeded=bool(outcome.success),
        counts=dict(counts),
        failures=failures,
        reconciliation=reconciliation,
        log_file=work.logs / "dbt.log",
    )


def _release_dbt_database() -> None:
    """Close the DuckDB instance dbt-duckdb keeps open in this process after a run.

    Left open, it holds the warehouse file: a later read-only connection in the same process
    (validate, after the demo's transform) is refused for its different configuration.
    `close_all_connections` only forgets the environment, so it is closed first.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment = DuckDBConnectionManager._ENV
        if environment is not None:
            environment.close()
        DuckDBConnectionManager.close_all_connections()


def _first_line(message: str) -> str:
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    return lines[0] if lines else message


def read_reconciliation(warehouse: Path) -> list[Reconciliation]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select object, source_rows, synced, quarantined, excluded, excluded_by_rule "
            "from salesforce.sync_salesforce__reconciliation order by object"
        ).fetchall()
    return [Reconciliation(*row) for row in rows]


def _credentials_configured() -> bool:
    """Whether `[salesforce.credentials]` can log in when there is no connection file."""
    from loaders.connection import SalesforceAuthError, load_credentials

    try:
        return load_credentials().is_configured()
    except SalesforceAuthError:  # unreadable secrets: validate and load report them in full
        return False


def copy_org_accounts(work: WorkDir, mapping: Mapping, connection_file: Path | None) -> str:
    """Copy the org's Accounts into the warehouse for the company match, when the mapping asks for
    it and the org can be reached; otherwise leave none to match. Returns the line to show."""
    from loaders.org_accounts import write_org_accounts

    if not mapping.strategies.match_existing_accounts:
        write_org_accounts(work.warehouse, [])
        return "Accounts: the mapping does not match companies to the org's Accounts."
    if connection_file is None or not (connection_file.is_file() or _credentials_configured()):
        write_org_accounts(work.warehouse, [])
        return (
            f"Accounts: not matched to the org's (no connection file at {connection_file}); "
            "every company becomes a new Account."
        )
    accounts = _read_org_accounts(connection_file)
    write_org_accounts(work.warehouse, accounts)
    return f"Accounts: {len(accounts):,} in the org, matched to companies by normalised name."


def _read_org_accounts(connection_file: Path) -> list[tuple[str, str]]:
    from loaders.org_accounts import fetch_org_accounts
    from stames_sf.org_access import OrgUnreachableError, read_from_org

    try:
        return read_from_org(connection_file, fetch_org_accounts)
    except OrgUnreachableError as error:
        raise TransformRefusedError(str(error)) from error


def run_transform(
    work: WorkDir, connection_file: Path | None = None, engine: str = "duckdb"
) -> TransformResult:
    """Check the mapping gate, copy the org's Accounts to match (when `connection_file` reaches
    one), then build on `engine`; raises `TransformRefusedError` when it cannot start."""
    mapping = check_mapping(work)
    account_matching = copy_org_accounts(work, mapping, connection_file)
    result = run_dbt_build(work, engine=engine)
    generated = write_generated(work) if result.succeeded else ""
    return replace(result, account_matching=account_matching, generated_files=generated)


def write_generated(work: WorkDir) -> str:
    """Write the files the build generated where the loader uploads them from; return the line."""
    from loaders.load.generated_files import write_generated_files

    with duckdb.connect(str(work.warehouse)) as con:
        return write_generated_files(con, work.root).line()
