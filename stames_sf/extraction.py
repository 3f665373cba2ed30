"""The extract stage as one call: the dlt load, then the attachment step, then a summary file.

`stames-sf extract` and the demo both run it, so they report the same numbers in the same place
(`reports/extract-summary.json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass

import requests
from rich.console import Console

from dlt_pipelines.stames.attachment_store import AttachmentPaths
from dlt_pipelines.stames.attachments import AttachmentAccessError, AttachmentSummary, download_attachments
from dlt_pipelines.stames.pipeline import ExtractSummary, run_extract
from dlt_pipelines.stames.settings import ROUND_PAGES
from dlt_pipelines.stames.transport import (
    SYSTEM_CLOCK,
    TRANSIENT_ERRORS,
    Clock,
    StamesSession,
    error_code,
    missing_scope,
)
from stames_sf.workdir import WorkDir, exclusive_run


@dataclass(frozen=True)
class ExtractionResult:
    """What one extraction did: the load (None when skipped) and the attachments (None when skipped)."""

    load: ExtractSummary | None
    attachments: AttachmentSummary | None

    @property
    def failed_files(self) -> int:
        """Attachments left `failed` (bytes that never matched their sha256, or unreachable)."""
        return self.attachments.failed if self.attachments is not None else 0


def _print_load(summary: ExtractSummary, console: Console) -> None:
    if summary.resumed_load_ids:
        console.print(
            f"Loaded {len(summary.resumed_load_ids)} package(s) an interrupted run had extracted, "
            "then extracted as usual"
        )
    rounds = f" in {summary.rounds} rounds" if summary.rounds > 1 else ""
    console.print(
        f"Extracted {summary.total_rows:,} rows{rounds} in {summary.duration_s:.1f} s: "
        f"{summary.requests:,} requests, {summary.rate_limited} rate-limited (429), "
        f"{summary.cursor_restarts} cursor restarts"
    )
    for table, rows in summary.rows_per_table.items():
        console.print(f"  {table}: {rows:,}")
    if summary.cursor_rejects:
        console.print(
            f"{summary.cursor_rejects:,} record(s) have a missing or malformed updated_at/deleted_at: "
            "landed as they are, kept out of the incremental cursor, listed in raw_stames.cursor_rejects"
        )


def run_load(
    work: WorkDir,
    *,
    base_url: str,
    api_key: str,
    progress: bool = False,
    round_pages: int | None = ROUND_PAGES,
) -> ExtractSummary:
    """The dlt load into the work folder's warehouse, its state and spill space in the work folder."""
    return run_extract(
        duckdb_path=work.warehouse,
        pipelines_dir=work.dlt_dir,
        spill_dir=work.duckdb_spill,
        base_url=base_url,
        api_key=api_key,
        progress=progress,
        round_pages=round_pages,
    )


def _print_attachments(files: AttachmentSummary, console: Console) -> None:
    counts = ", ".join(f"{status} {count:,}" for status, count in files.counts.items()) or "none"
    console.print(
        f"Attachments: {counts} ({files.attempted:,} attempted, "
        f"{files.skipped_already_stored:,} already settled)"
    )
    if files.failed:
        console.print(
            f"{files.failed:,} attachment(s) failed: see last_error in raw_stames.attachment_downloads; "
            "a rerun asks for them again."
        )


def attachment_paths(work: WorkDir) -> AttachmentPaths:
    """Where the attachment step keeps bytes, ledger, dlt state and its journal in this work folder."""
    return AttachmentPaths(
        files_dir=work.files,
        duckdb_path=work.warehouse,
        pipelines_dir=work.dlt_dir,
        journal_path=work.state / "attachment-downloads.jsonl",
    )


PREFLIGHT_RETRIES = 2
PREFLIGHT_BACKOFF_CAP_S = 2.0
PREFLIGHT_TIMEOUT_S = 10.0


def check_connection(base_url: str, api_key: str, *, clock: Clock = SYSTEM_CLOCK) -> None:
    """`GET /account`, the contract's connection test, before any work starts.

    The same session kind as the extraction (same proxy and TLS settings), but with a short retry
    budget: the extraction retries a lost connection for minutes (right for a transient fault in a
    long run), while a wrong URL or key should fail in seconds. Raises `requests` errors, which
    `extraction_failure` turns into one readable line. A 429 here is not a failure.
    """
    with StamesSession(
        api_key,
        max_retries=PREFLIGHT_RETRIES,
        backoff_cap_s=PREFLIGHT_BACKOFF_CAP_S,
        timeout_s=PREFLIGHT_TIMEOUT_S,
        clock=clock,
    ) as session:
        response = session.get(f"{base_url.rstrip('/')}/account")
    if response.status_code == 429:
        return
    response.raise_for_status()
    if not _is_json_object(response):
        raise NotStamesError(
            f"{base_url} answered GET /account with something other than the Stames API's JSON "
            f"({response.headers.get('Content-Type') or 'no content type'}): check --base-url "
            "(it ends in /api/v1)."
        )


class NotStamesError(RuntimeError):
    """The base URL answers, but not as the Stames API: a wrong URL, not a fault to retry."""


def _is_json_object(response: requests.Response) -> bool:
    try:
        return isinstance(response.json(), dict)
    except ValueError:
        return False


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
    """Load every Stames object into `raw_stames`, then download the attachments.

    Holds the work folder's run lock throughout: raises `WorkDirBusyError` if another run has it.
    """
    with exclusive_run(work) as lock:
        if lock.taken_over_from_pid:
            console.print(f"Took over the work folder lock left by process {lock.taken_over_from_pid}")
        check_connection(base_url, api_key)
        summary = run_load(work, base_url=base_url, api_key=api_key, progress=progress) if load else None
        result = ExtractionResult(load=summary, attachments=None)
        if summary is not None:
            _print_load(summary, console)
            # Written now too, so a refused or failed attachment step does not lose the load's numbers.
            _write_summary(work, result)
        if attachments:
            files = download_attachments(
                attachment_paths(work), base_url=base_url, api_key=api_key, progress=progress
            )
            _print_attachments(files, console)
            result = ExtractionResult(load=summary, attachments=files)
            _write_summary(work, result)
    return result


def _write_summary(work: WorkDir, result: ExtractionResult) -> None:
    report = {key: value for key, value in asdict(result).items() if value is not None}
    summary_file = work.reports / "extract-summary.json"
    summary_file.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and what caused it: dlt wraps a resource's HTTP error in two layers of its own."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _http_failure(error: requests.HTTPError, base_url: str) -> str:
    status = error.response.status_code if error.response is not None else None
    if status == 401:
        return (
            f"Stames at {base_url} refused the API key (401 unauthorized): "
            "check --api-key or SOURCES__STAMES__API_KEY."
        )
    if status == 403:
        scope = missing_scope(error.response) if error.response is not None else None
        needed = f"the {scope} scope" if scope else "a scope the extraction needs"
        code = error_code(error.response) if error.response is not None else None
        return (
            f"The Stames API key lacks {needed} (403 {code or 'forbidden'}): give the key {needed} and rerun."
        )
    return f"Stames at {base_url} answered with an error the extraction cannot get past: {error}"


UNUSABLE_URL_ERRORS = (
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
)


def extraction_failure(error: BaseException, base_url: str) -> str | None:
    """One readable line for a failure caused by the Stames side (unreachable, key refused, HTTP error).

    `None` means the failure is not about talking to Stames: the caller lets it surface with its
    traceback, because that is a defect to debug, not a setting to fix.
    """
    for cause in _causes(error):
        if isinstance(cause, (AttachmentAccessError, NotStamesError)):
            return str(cause)
        if isinstance(cause, UNUSABLE_URL_ERRORS):
            return f"{base_url} is not a usable http(s) URL ({type(cause).__name__}): check --base-url."
        if isinstance(cause, requests.HTTPError):
            return _http_failure(cause, base_url)
        if isinstance(cause, (requests.ConnectionError, requests.Timeout)):
            kind = type(cause).__name__
            return f"Cannot reach Stames at {base_url} ({kind}): is the server up and the URL right?"
        if isinstance(cause, TRANSIENT_ERRORS):
            kind = type(cause).__name__
            return (
                f"Stames at {base_url} kept cutting responses off ({kind}) after every retry: "
                "the server or a proxy in between drops connections mid-response."
            )
    return None
