"""The same dbt project on Apache Spark and on DuckDB: every sync model, row for row.

The generated dataset is extracted once and transformed twice, by `run_transform` on each
engine; the Spark build's tables come back into its warehouse, which is what validate and the
loader read, so both warehouses are compared the way the loader sees them.

Normalisation before comparing (written here, not taken from the product):
- a timestamp is the UTC instant to the microsecond (DuckDB keeps some as `timestamptz`, Spark
  has only `timestamp` in a UTC session);
- a number is compared as a decimal, a float first rounded to 12 significant digits (Spark and
  DuckDB may sum or divide in another order);
- JSON text is compared parsed, key order aside;
- rows are compared as multisets (neither engine promises an order).
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from stames_sf.transform_service import TransformResult, run_transform
from stames_sf.workdir import WorkDir
from tests.fixtures.transform import ExtractedDataset, confirmed_work

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("java") is None, reason="Spark needs Java: `apt-get install openjdk-17-jre-headless`"
    ),
]

SYNC_MODELS = (
    "sync_salesforce__accounts",
    "sync_salesforce__contacts",
    "sync_salesforce__contact_custom_fields",
    "sync_salesforce__cases",
    "sync_salesforce__case_custom_fields",
    "sync_salesforce__case_status_history",
    "sync_salesforce__case_comments",
    "sync_salesforce__email_messages",
    "sync_salesforce__tasks",
    "sync_salesforce__content_versions",
    "sync_salesforce__custom_object_records",
    "sync_salesforce__topics",
    "sync_salesforce__topic_assignments",
    "sync_salesforce__quarantine",
    "sync_salesforce__reconciliation",
)
"""The marts of dbt_project/models/marts/salesforce/, listed by hand."""

MUST_HOLD_ROWS = (
    "sync_salesforce__accounts",
    "sync_salesforce__contacts",
    "sync_salesforce__cases",
    "sync_salesforce__case_status_history",
    "sync_salesforce__email_messages",
    "sync_salesforce__content_versions",
    "sync_salesforce__quarantine",
    "sync_salesforce__reconciliation",
)
"""The generated dataset has records of these, so an empty table on both sides is a failure."""


@dataclass(frozen=True)
class Builds:
    duckdb: WorkDir
    duckdb_result: TransformResult
    spark: WorkDir
    spark_result: TransformResult


@pytest.fixture(scope="module")
def builds(extracted_small_dataset: ExtractedDataset, tmp_path_factory: pytest.TempPathFactory) -> Builds:
    root = tmp_path_factory.mktemp("engines")
    on_duckdb = confirmed_work(extracted_small_dataset, root / "duckdb")
    on_spark = confirmed_work(extracted_small_dataset, root / "spark")
    return Builds(
        duckdb=on_duckdb,
        duckdb_result=run_transform(on_duckdb, None, engine="duckdb"),
        spark=on_spark,
        spark_result=run_transform(on_spark, None, engine="spark"),
    )


def test_both_builds_pass_with_the_same_nodes(builds: Builds) -> None:
    assert builds.duckdb_result.succeeded, builds.duckdb_result.failures
    assert builds.spark_result.succeeded, builds.spark_result.failures
    assert builds.spark_result.counts == builds.duckdb_result.counts
    assert builds.spark_result.counts.get("model success", 0) > 50


def test_spark_logs_stay_in_the_work_folder(builds: Builds) -> None:
    assert (builds.spark.logs / "spark.log").is_file()
    assert (builds.spark.state / "spark" / "metastore_db").is_dir()


def test_staging_comes_back_as_views_over_the_raw_tables(builds: Builds) -> None:
    with duckdb.connect(str(builds.spark.warehouse), read_only=True) as con:
        kinds = dict(
            con.execute(
                "select table_name, table_type from information_schema.tables where table_schema = 'staging'"
            ).fetchall()
        )
        agents = con.execute("select count(*) from staging.stg_stames__agents").fetchone()[0]
        raw_agents = con.execute("select count(*) from raw_stames.agents").fetchone()[0]
    assert kinds.get("stg_stames__agents") == "VIEW"
    assert agents == raw_agents > 0


def test_the_same_sync_tables(builds: Builds) -> None:
    assert _sync_tables(builds.spark.warehouse) == _sync_tables(builds.duckdb.warehouse) == set(SYNC_MODELS)


@pytest.mark.parametrize("model", SYNC_MODELS)
def test_sync_model_rows_are_equal(builds: Builds, model: str) -> None:
    duckdb_columns, duckdb_rows = _rows(builds.duckdb.warehouse, model)
    spark_columns, spark_rows = _rows(builds.spark.warehouse, model)
    assert spark_columns == duckdb_columns
    if model in MUST_HOLD_ROWS:
        assert duckdb_rows, f"{model} is empty: the comparison would prove nothing"
    only_duckdb = duckdb_rows - spark_rows
    only_spark = spark_rows - duckdb_rows
    assert not only_duckdb and not only_spark, _describe_difference(duckdb_columns, only_duckdb, only_spark)


def _sync_tables(warehouse: Path) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'salesforce' and table_name like 'sync_salesforce__%'"
        ).fetchall()
    return {name for (name,) in rows}


def _rows(warehouse: Path, table: str) -> tuple[tuple[str, ...], Counter[tuple[Any, ...]]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(f'select * from salesforce."{table}"')
        columns = tuple(sorted(column[0] for column in cursor.description))
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    order = [names.index(column) for column in columns]
    return columns, Counter(tuple(_normalised(row[index]) for index in order) for row in rows)


def _normalised(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, datetime):
        instant = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return instant.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return Decimal(f"{value:.12g}").normalize()
    if isinstance(value, int | Decimal):
        return Decimal(value).normalize()
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.dumps(json.loads(value), sort_keys=True)
        except ValueError:
            return value
    return value


def _describe_difference(
    columns: tuple[str, ...], only_duckdb: Counter[tuple[Any, ...]], only_spark: Counter[tuple[Any, ...]]
) -> str:
    lines = [f"{sum(only_duckdb.values())} rows only on DuckDB, {sum(only_spark.values())} only on Spark"]
    for label, rows in (("duckdb", only_duckdb), ("spark", only_spark)):
        for row in list(rows)[:2]:
            values = zip(columns, row, strict=True)
            lines.append(f"{label}: " + ", ".join(f"{c}={str(v)[:80]!r}" for c, v in values))
    return "\n".join(lines)
