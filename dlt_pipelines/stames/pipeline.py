"""Run the Stames extraction into the work folder's warehouse (schema `raw_stames`)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import dlt
from dlt.common.pipeline import LoadInfo
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials

from dlt_pipelines.stames import settings, stames_source
from dlt_pipelines.stames.native_heap import bound_native_heap
from dlt_pipelines.stames.transport import StamesSession, TransportStats
from stames_sf.workdir import WorkDir


@dataclass(frozen=True)
class ExtractSummary:
    """What one extraction run did."""

    rows_per_table: dict[str, int]
    requests: int
    rate_limited: int
    retries: int
    cursor_restarts: int
    full_body_fetches: int
    duration_s: float
    load_ids: list[str] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(self.rows_per_table.values())


def warehouse_credentials(work: WorkDir) -> DuckDbCredentials:
    """The work folder's DuckDB with bounded memory: merges spill to disk instead of growing with data."""
    spill_dir = work.state / "duckdb-spill"
    spill_dir.mkdir(parents=True, exist_ok=True)
    return DuckDbCredentials(
        str(work.warehouse),
        global_config={
            "memory_limit": settings.DUCKDB_MEMORY_LIMIT,
            "threads": settings.DUCKDB_THREADS,
            "temp_directory": str(spill_dir),
            "preserve_insertion_order": False,
        },
    )


def stames_pipeline(work: WorkDir) -> dlt.Pipeline:
    """The dlt pipeline, with its state and its destination inside the work folder."""
    return dlt.pipeline(
        pipeline_name=settings.PIPELINE_NAME,
        pipelines_dir=str(work.dlt_dir),
        destination=dlt.destinations.duckdb(warehouse_credentials(work)),
        dataset_name=settings.DATASET_NAME,
    )


def _row_counts(pipeline: dlt.Pipeline) -> dict[str, int]:
    trace = pipeline.last_trace
    normalize_info = trace.last_normalize_info if trace else None
    if normalize_info is None:
        return {}
    return {
        table: count
        for table, count in sorted(normalize_info.row_counts.items())
        if not table.startswith("_dlt_")
    }


@contextmanager
def _request_progress(enabled: bool) -> Iterator[Callable[[TransportStats], None] | None]:
    """A rich status line with live request and 429 counts while dlt extracts."""
    if not enabled:
        yield None
        return
    from rich.console import Console

    console = Console(stderr=True)
    with console.status("Extracting from Stames…") as status:

        def show(stats: TransportStats) -> None:
            status.update(
                f"Extracting from Stames… {stats.requests} requests, {stats.rate_limited} rate-limited, "
                f"{stats.retries} retries"
            )

        yield show


def run_extract(work: WorkDir, *, base_url: str, api_key: str, progress: bool = False) -> ExtractSummary:
    """Extract every collection incrementally into `raw_stames`; safe to rerun or resume after a kill."""
    started = time.perf_counter()
    # A process-wide dlt setting; an explicit value in the environment wins.
    os.environ.setdefault("DATA_WRITER__BUFFER_MAX_ITEMS", str(settings.WRITER_BUFFER_ITEMS))
    bound_native_heap()
    with _request_progress(progress) as on_response:
        session = StamesSession(api_key, on_response=on_response)
        pipeline = stames_pipeline(work)
        source = stames_source(base_url=base_url, api_key=api_key, session=session)
        info: LoadInfo = pipeline.run(source, loader_file_format="parquet")
    info.raise_on_failed_jobs()
    return ExtractSummary(
        rows_per_table=_row_counts(pipeline),
        requests=session.stats.requests,
        rate_limited=session.stats.rate_limited,
        retries=session.stats.retries,
        cursor_restarts=session.stats.cursor_restarts,
        full_body_fetches=session.stats.full_body_fetches,
        duration_s=time.perf_counter() - started,
        load_ids=list(info.loads_ids),
    )


def resolve_connection(base_url: str | None, api_key: str | None) -> tuple[str, str]:
    """Explicit values first, then dlt's providers: env, `.dlt/secrets.toml`, `.dlt/config.toml`."""
    url = base_url or dlt.config.get("sources.stames.base_url", str)
    key = api_key or dlt.secrets.get("sources.stames.api_key", str)
    if not url:
        raise ValueError("No Stames base URL: pass --base-url or set SOURCES__STAMES__BASE_URL.")
    if not key:
        raise ValueError("No Stames API key: pass --api-key or set SOURCES__STAMES__API_KEY.")
    return str(url), str(key)
