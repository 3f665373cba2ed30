"""Run the Stames extraction into a DuckDB warehouse (schema `raw_stames`).

The caller says where things live (`duckdb_path`, `pipelines_dir`, `spill_dir`); the CLI resolves
them from its work folder, so this stage package knows nothing about the CLI.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dlt
from dlt.common.pipeline import LoadInfo
from dlt.common.storages import NormalizeStorage
from dlt.extract import DltSource

from dlt_pipelines.stames import settings, stames_source
from dlt_pipelines.stames.cursors import CursorRejects, cursor_rejects_resource
from dlt_pipelines.stames.native_heap import bound_native_heap
from dlt_pipelines.stames.rounds import FeedRounds
from dlt_pipelines.stames.transport import StamesSession, TransportStats
from dlt_pipelines.stames.warehouse import forget_config_lookups, warehouse_pipeline


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
    resumed_load_ids: list[str] = field(default_factory=list)
    """Packages a killed run extracted but did not load, finished before this run extracted."""
    step_seconds: dict[str, float] = field(default_factory=dict)
    cursor_rejects: int = 0
    """Records landed with a missing or malformed cursor field (listed in `raw_stames.cursor_rejects`)."""
    rounds: int = 1
    """Extract-normalize-load rounds this run took (`rounds.py`)."""

    @property
    def total_rows(self) -> int:
        return sum(self.rows_per_table.values())


def stames_pipeline(duckdb_path: Path, pipelines_dir: Path, spill_dir: Path | None = None) -> dlt.Pipeline:
    """The extraction's dlt pipeline: state in `pipelines_dir`, destination `duckdb_path`."""
    return warehouse_pipeline(settings.PIPELINE_NAME, duckdb_path, pipelines_dir, spill_dir)


def discard_killed_extracts(pipeline: dlt.Pipeline) -> list[Path]:
    """Delete the half-written extract folders of killed runs; return what was deleted.

    Each dlt extract writes into its own random folder under `normalize/` and moves the package to
    `normalize/extracted/` only when complete: a folder still there belongs to a run that died.
    Only safe while no other run uses the pipeline (the CLI holds the work folder lock).
    """
    normalize_dir = Path(pipeline.working_dir) / "normalize"
    if not normalize_dir.is_dir():
        return []
    leftovers = [
        folder
        for folder in sorted(normalize_dir.iterdir())
        if folder.is_dir() and folder.name != NormalizeStorage.EXTRACTED_FOLDER
    ]
    for folder in leftovers:
        shutil.rmtree(folder, ignore_errors=True)
    return leftovers


def empty_spill_dir(spill_dir: Path | None) -> None:
    """Delete DuckDB spill files a killed run left (DuckDB removes its own only when it closes)."""
    if spill_dir is None or not spill_dir.is_dir():
        return
    for leftover in spill_dir.iterdir():
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def finish_pending_packages(pipeline: dlt.Pipeline) -> list[str]:
    """Normalize and load what a killed run extracted but did not load; return those load ids.

    `pipeline.run(source)` would load them and then return without extracting (dlt's documented
    behaviour), so the rerun after a kill in the load step would miss every change since.
    """
    if not pipeline.has_pending_data:
        return []
    if pipeline.list_extracted_load_packages():
        pipeline.normalize()
    info = pipeline.load()
    info.raise_on_failed_jobs()
    return list(info.loads_ids)


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


@contextmanager
def _timed(seconds: dict[str, float], step: str) -> Iterator[None]:
    """Add the time the block takes to `seconds[step]` (summed over rounds)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds[step] = seconds.get(step, 0.0) + time.perf_counter() - started


def run_extract(
    *,
    duckdb_path: Path,
    pipelines_dir: Path,
    base_url: str,
    api_key: str,
    spill_dir: Path | None = None,
    progress: bool = False,
    round_pages: int | None = settings.ROUND_PAGES,
) -> ExtractSummary:
    """Extract every collection incrementally into `raw_stames`; safe to rerun or resume after a kill.

    First finishes what a killed run left (its half-written extract folders are discarded, its
    complete packages loaded), then extracts as usual, in rounds of at most `round_pages` pages per
    incremental feed, each round loaded before the next (`rounds.py`; `None`: one round). The
    caller makes sure no other run uses the same `pipelines_dir` and warehouse at the same time.
    """
    started = time.perf_counter()
    # Process-wide dlt settings; an explicit value in the environment wins.
    os.environ.setdefault("DATA_WRITER__BUFFER_MAX_ITEMS", str(settings.WRITER_BUFFER_ITEMS))
    os.environ.setdefault("DATA_WRITER__FILE_MAX_ITEMS", str(settings.WRITER_FILE_ITEMS))
    bound_native_heap()
    empty_spill_dir(spill_dir)
    pipeline = stames_pipeline(duckdb_path, pipelines_dir, spill_dir)
    discard_killed_extracts(pipeline)
    pipeline.sync_destination()
    resumed = finish_pending_packages(pipeline)
    totals = _RoundTotals()
    rejects = CursorRejects()
    rounds = FeedRounds(max_pages=round_pages)
    feeds: set[str] | None = None  # the first round reads every resource
    with (
        _request_progress(progress) as on_response,
        StamesSession(api_key, on_response=on_response) as session,
    ):
        while feeds is None or feeds:
            source = stames_source(
                base_url=base_url, api_key=api_key, session=session, cursor_rejects=rejects, rounds=rounds
            )
            if feeds is not None:
                source = source.with_resources(*sorted(feeds))
            _extract_round(pipeline, source, totals)
            feeds = rounds.next_round()
    if rejects.found:
        pipeline.run(cursor_rejects_resource(rejects)).raise_on_failed_jobs()
    return ExtractSummary(
        rows_per_table=dict(sorted(totals.rows_per_table.items())),
        requests=session.stats.requests,
        rate_limited=session.stats.rate_limited,
        retries=session.stats.retries,
        cursor_restarts=session.stats.cursor_restarts,
        full_body_fetches=session.stats.full_body_fetches,
        duration_s=time.perf_counter() - started,
        load_ids=totals.load_ids,
        resumed_load_ids=resumed,
        step_seconds=totals.step_seconds,
        cursor_rejects=len(rejects.found),
        rounds=totals.rounds,
    )


@dataclass
class _RoundTotals:
    rows_per_table: dict[str, int] = field(default_factory=dict)
    load_ids: list[str] = field(default_factory=list)
    step_seconds: dict[str, float] = field(default_factory=dict)
    rounds: int = 0


def _extract_round(pipeline: dlt.Pipeline, source: DltSource, totals: _RoundTotals) -> None:
    """Extract, normalize and load one round; add its rows, load ids and step times to `totals`."""
    with _timed(totals.step_seconds, "extract"):
        pipeline.extract(source, loader_file_format="parquet")
    with _timed(totals.step_seconds, "normalize"):
        normalized = pipeline.normalize()
    with _timed(totals.step_seconds, "load"):
        info: LoadInfo = pipeline.load()
    info.raise_on_failed_jobs()
    for table, count in normalized.row_counts.items():
        if not table.startswith("_dlt_"):
            totals.rows_per_table[table] = totals.rows_per_table.get(table, 0) + count
    totals.load_ids.extend(info.loads_ids)
    totals.rounds += 1
    forget_config_lookups()  # about 7,000 entries a round, and what they hold


def resolve_connection(base_url: str | None, api_key: str | None) -> tuple[str, str]:
    """Explicit values first, then dlt's providers: env, `.dlt/secrets.toml`, `.dlt/config.toml`."""
    url = base_url or dlt.config.get("sources.stames.base_url", str)
    key = api_key or dlt.secrets.get("sources.stames.api_key", str)
    if not url:
        raise ValueError("No Stames base URL: pass --base-url or set SOURCES__STAMES__BASE_URL.")
    if not key:
        raise ValueError("No Stames API key: pass --api-key or set SOURCES__STAMES__API_KEY.")
    return str(url), str(key)
