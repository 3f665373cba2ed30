"""The extract stage as one call: the dlt load, then the attachment step, then a summary file.

`stames-sf extract` and the demo both run it, so they report the same numbers in the same place
(`reports/extract-summary.json`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from rich.console import Console

from dlt_pipelines.stames.attachments import AttachmentSummary, download_attachments
from dlt_pipelines.stames.pipeline import ExtractSummary, run_extract
from stames_sf.workdir import WorkDir


@dataclass(frozen=True)
class ExtractionResult:
    """What one extraction did: the load (None when skipped) and the attachments (None when skipped)."""

    load: ExtractSummary | None
    attachments: AttachmentSummary | None


def _print_load(summary: ExtractSummary, console: Console) -> None:
    console.print(
        f"Extracted {summary.total_rows:,} rows in {summary.duration_s:.1f} s: "
        f"{summary.requests:,} requests, {summary.rate_limited} rate-limited (429), "
        f"{summary.cursor_restarts} cursor restarts"
    )
    for table, rows in summary.rows_per_table.items():
        console.print(f"  {table}: {rows:,}")


def _print_attachments(files: AttachmentSummary, console: Console) -> None:
    counts = ", ".join(f"{status} {count:,}" for status, count in files.counts.items()) or "none"
    console.print(
        f"Attachments: {counts} ({files.attempted:,} attempted, "
        f"{files.skipped_already_stored:,} already settled)"
    )


def run_extraction(
    work: WorkDir,
    *,
    base_url: str,
    api_key: str,
    console: Console,
    load: bool = True,
    attachments: bool = True,
    progress: bool = True,
) -> ExtractionResult:
    """Load every Stames object into `raw_stames`, then download the attachments."""
    summary = run_extract(work, base_url=base_url, api_key=api_key, progress=progress) if load else None
    if summary is not None:
        _print_load(summary, console)
    files = (
        download_attachments(work, base_url=base_url, api_key=api_key, progress=progress)
        if attachments
        else None
    )
    if files is not None:
        _print_attachments(files, console)
    result = ExtractionResult(load=summary, attachments=files)
    report = {key: value for key, value in asdict(result).items() if value is not None}
    summary_file = work.reports / "extract-summary.json"
    summary_file.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    return result
