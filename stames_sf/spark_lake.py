"""The transform on Apache Spark: the warehouse's sources as a Parquet lake, the same dbt models
run by dbt-spark's `session` method, and what they build read back into the warehouse.

Why an export rather than a second dlt destination: extraction stays one pipeline with one state
and one merge (dlt's filesystem destination cannot merge plain Parquet), so the DuckDB warehouse
stays the one source of truth. The lake is a copy made for one build: `<work>/state/spark/lake/
<schema>/<table>/`, registered in a Hive metastore kept in `<work>/state/spark/` so that `dbt build
--target spark` run by hand finds the same tables. The intermediate and sync tables come back
into the warehouse under their own names, so validate and load read them exactly as after DuckDB.
"""

from __future__ import annotations

import os
import shutil
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

import duckdb

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

SPARK_DIR_ENV = "STAMES_SF_SPARK_DIR"
"""Read by dbt_project/profiles.yml's `spark` target: the folder of the lake and metastore."""
SOURCE_SCHEMAS = ("raw_stames", "mapping", "org")
"""The warehouse schemas dbt reads as sources (models/staging/*/_*sources.yml)."""
RESULT_SCHEMAS = ("intermediate", "salesforce")
"""What dbt builds as data, read back into the warehouse: the loader and validate read the sync
tables, reconcile an intermediate table. Staging is views over the raw tables: the warehouse gets
them from DuckDB (transform_service), not as copies of their rows."""


@dataclass(frozen=True)
class SparkPaths:
    """Where Spark keeps its files inside one work folder."""

    root: Path

    @property
    def lake(self) -> Path:
        return self.root / "lake"

    @property
    def warehouse_dir(self) -> Path:
        """spark.sql.warehouse.dir: the tables dbt builds, as Parquet."""
        return self.root / "warehouse"

    @property
    def metastore(self) -> Path:
        return self.root / "metastore_db"

    @property
    def results(self) -> Path:
        """What dbt built, written out as Parquet for the warehouse to read back."""
        return self.root / "results"

    @property
    def log_config(self) -> Path:
        return self.root / "log4j2.properties"


def session_parameters(paths: SparkPaths) -> dict[str, str]:
    """The Spark configuration of a local session; dbt_project/profiles.yml names the same ones."""
    return {
        "spark.master": "local[2]",
        "spark.driver.memory": "4g",
        "spark.ui.enabled": "false",
        "spark.sql.shuffle.partitions": "4",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.warehouse.dir": str(paths.warehouse_dir),
        "spark.sql.catalogImplementation": "hive",
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={paths.metastore};create=true"
        ),
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.extraJavaOptions": (
            f"-Dderby.system.home={paths.root} -Dlog4j.configurationFile={paths.log_config}"
        ),
        "spark.sql.ansi.enabled": "false",
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    }


def export_sources(warehouse: Path, lake: Path) -> dict[tuple[str, str], Path]:
    """Every table of the source schemas as a Parquet folder; returns (schema, table) -> folder."""
    exported: dict[tuple[str, str], Path] = {}
    shutil.rmtree(lake, ignore_errors=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_type = 'BASE TABLE' and table_schema in {SOURCE_SCHEMAS!r} "
            "order by 1, 2"
        ).fetchall()
        for schema, table in tables:
            folder = lake / schema / table
            folder.mkdir(parents=True, exist_ok=True)
            con.execute(f'copy "{schema}"."{table}" to \'{folder / "part-0.parquet"}\' (format parquet)')
            exported[(schema, table)] = folder
    return exported


@contextmanager
def spark_session(paths: SparkPaths, log_file: Path | None = None) -> Iterator[SparkSession]:
    """A local Spark session with the Hive metastore of `paths`; Spark's own log goes to
    `log_file` (default `<spark dir>/spark.log`), not to the terminal."""
    from pyspark.sql import SparkSession

    paths.root.mkdir(parents=True, exist_ok=True)
    write_log_config(paths, log_file)
    # The Python workers that run stames_nfc and stames_strip_accents: this interpreter, whose
    # environment has this package, not whatever `python3` is first on the PATH. PySpark reads
    # only the variable, when the session's context starts.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("stames-sf transform").enableHiveSupport()
    for key, value in session_parameters(paths).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    register_text_functions(session)
    try:
        yield session
    finally:
        session.stop()


def register_sources(session: SparkSession, exported: dict[tuple[str, str], Path]) -> None:
    """Each exported file as an external table `<schema>.<table>` of the metastore."""
    for schema in sorted({schema for schema, _ in exported}):
        session.sql(f"drop database if exists {schema} cascade")
        session.sql(f"create database {schema}")
    for (schema, table), path in exported.items():
        session.sql(f"create table {schema}.`{table}` using parquet location '{path}'")


def _nfc(text: str | None) -> str | None:
    return None if text is None else unicodedata.normalize("NFC", text)


def _strip_accents(text: str | None) -> str | None:
    """What DuckDB's strip_accents does: decompose, drop the combining marks, compose again."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def register_text_functions(session: SparkSession) -> None:
    """The Unicode functions Spark SQL lacks, under the names the dbt macros call (portable.sql)."""
    session.udf.register("stames_nfc", _nfc, "string")
    session.udf.register("stames_strip_accents", _strip_accents, "string")


LOG_CONFIG = """\
rootLogger.level = warn
rootLogger.appenderRef.file.ref = file
appender.file.type = File
appender.file.name = file
appender.file.fileName = {log_file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{{yyyy-MM-dd HH:mm:ss}} %p %c{{1}}: %m%n
"""


def write_log_config(paths: SparkPaths, log_file: Path | None) -> None:
    paths.log_config.write_text(LOG_CONFIG.format(log_file=log_file or paths.root / "spark.log"))


def export_results(session: SparkSession, paths: SparkPaths) -> dict[tuple[str, str], Path]:
    """Every table and view dbt built in the result schemas, as a Parquet folder.

    A table dbt-spark stored as Parquet in the local warehouse is read where it lies: at 100,000
    tickets, writing the results out again through Spark's Parquet writer ended the JVM (twice,
    in `DataFrameWriter.parquet`), and it doubled the disk the results take. Anything else (a view,
    another format, a remote location) is written out to `paths.results`."""
    databases = {row[0].lower() for row in session.sql("show databases").collect()}
    exported: dict[tuple[str, str], Path] = {}
    for schema in RESULT_SCHEMAS:
        if schema not in databases:
            continue
        for row in session.sql(f"show tables in {schema}").collect():
            if row.isTemporary:
                continue
            table = f"{schema}.`{row.tableName}`"
            stored = _local_parquet_folder(session, table)
            if stored is None:
                stored = paths.results / schema / row.tableName
                session.table(table).write.mode("overwrite").parquet(str(stored))
            exported[(schema, row.tableName)] = stored
    return exported


def _local_parquet_folder(session: SparkSession, table: str) -> Path | None:
    """The folder of a table stored as Parquet on this machine, from `DESCRIBE TABLE EXTENDED`."""
    details = {
        str(row.col_name).strip(): str(row.data_type).strip()
        for row in session.sql(f"describe table extended {table}").collect()
    }
    if details.get("Type", "").upper() == "VIEW" or details.get("Provider", "").lower() != "parquet":
        return None
    location = urlparse(details.get("Location", ""))
    if location.scheme not in ("", "file") or not location.path:
        return None
    folder = Path(unquote(location.path))
    return folder if folder.is_dir() and any(folder.glob("*.parquet")) else None


def import_results(warehouse: Path, exported: dict[tuple[str, str], Path]) -> None:
    """Replace the warehouse's tables and views of the same names with what Spark built."""
    with duckdb.connect(str(warehouse)) as con:
        kinds = dict(
            con.execute(
                "select table_schema || '.' || table_name, table_type from information_schema.tables"
            ).fetchall()
        )
        for (schema, name), folder in sorted(exported.items()):
            con.execute(f'create schema if not exists "{schema}"')
            kind = kinds.get(f"{schema}.{name}")
            if kind is not None:
                con.execute(f'drop {"view" if kind == "VIEW" else "table"} "{schema}"."{name}"')
            con.execute(
                f'create table "{schema}"."{name}" as select * from read_parquet(\'{folder}/*.parquet\')'
            )
