"""One way to open a dlt pipeline on the work folder's DuckDB warehouse.

The extraction and the attachment ledger each have a pipeline of their own; both go through here so
both have bounded DuckDB memory and neither keeps dlt's runtime trace, which pickles resolved
config values (the API key among them) into the pipeline folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dlt
from dlt.common.configuration.utils import get_resolved_traces
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials
from dlt.pipeline.trace import TRACE_FILE_NAME

from dlt_pipelines.stames import settings


def warehouse_credentials(duckdb_path: Path, spill_dir: Path | None = None) -> DuckDbCredentials:
    """The DuckDB warehouse with bounded memory: merges spill to `spill_dir` instead of growing with data."""
    global_config: dict[str, Any] = {
        "memory_limit": settings.DUCKDB_MEMORY_LIMIT,
        "threads": settings.DUCKDB_THREADS,
        "preserve_insertion_order": False,
    }
    if spill_dir is not None:
        spill_dir.mkdir(parents=True, exist_ok=True)
        global_config["temp_directory"] = str(spill_dir)
    return DuckDbCredentials(str(duckdb_path), global_config=global_config)


def warehouse_pipeline(
    pipeline_name: str, duckdb_path: Path, pipelines_dir: Path, spill_dir: Path | None = None
) -> dlt.Pipeline:
    """A pipeline loading into `raw_stames` of `duckdb_path`, its state in `pipelines_dir`, no trace.

    A trace an earlier version left in the pipeline folder is deleted.
    """
    pipeline = dlt.pipeline(
        pipeline_name=pipeline_name,
        pipelines_dir=str(pipelines_dir),
        destination=dlt.destinations.duckdb(warehouse_credentials(duckdb_path, spill_dir)),
        dataset_name=settings.DATASET_NAME,
    )
    pipeline.config.enable_runtime_trace = False
    (Path(pipeline.working_dir) / TRACE_FILE_NAME).unlink(missing_ok=True)
    return pipeline


def forget_config_lookups() -> None:
    """Drop dlt's log of this thread's config lookups.

    dlt logs every lookup for its runtime trace and clears the log when a trace ends; with the
    trace off (see `warehouse_pipeline`) nothing clears it, and each extract, normalize and load
    adds thousands of entries and the objects they hold. Call it after each run of a pipeline."""
    get_resolved_traces().clear()
