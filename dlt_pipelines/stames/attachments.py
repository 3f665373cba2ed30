"""The attachment step: fresh signed URL per file, streamed to the content-addressed store.

Runs after the dlt load (and alone). URLs embedded in list pages expire, so each download asks
`/attachments/{id}` for a fresh one right before fetching the bytes (§3 #20). Every attachment
ends with one status row; a failed file is recorded and the run goes on. A refused key or a
missing scope is different: no file can succeed, so the step stops at the first one.

Transport faults (429, 5xx, lost connections) before the answer's headers are retried by the
`StamesSession`. The bytes are streamed after the session has returned, so a connection cut while
they flow is retried here: the file is asked again (fresh URL included) up to the session's
`max_retries` times, waiting on its clock with backoff. This module also retries what the domain
asks for: a fresh URL when one expired, and bytes that do not match their sha256 (a bounded number
of times). A failed file's `last_error` never carries a signed URL's query string.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin

import requests

from dlt_pipelines.stames.attachment_store import (
    CHUNK_BYTES,
    AttachmentLedger,
    AttachmentPaths,
    AttachmentRef,
    DownloadOutcome,
    DownloadStatus,
    commit_blob,
    discard_partials,
    stream_to_temp,
)
from dlt_pipelines.stames.transport import (
    API_KEY_HEADER,
    TRANSIENT_ERRORS,
    StamesSession,
    backoff_seconds,
    error_code,
    missing_scope,
)

MAX_URL_REFRESHES = 5
MAX_MISMATCH_ATTEMPTS = 3
"""Bytes that disagree with their sha256 are fetched this many times in all, then `failed`."""
IN_FLIGHT_PER_WORKER = 2
"""Downloads submitted ahead per worker: enough to keep every worker busy, few enough to stay flat."""
TRANSPORT_RETRIES = 4
BACKOFF_CAP_S = 8.0


@dataclass(frozen=True)
class AttachmentSummary:
    """Attachments per final status after this run, and what this run did."""

    counts: dict[str, int]
    attempted: int
    skipped_already_stored: int
    duration_s: float
    requests: int = 0
    outcomes_this_run: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        """Attachments whose latest outcome is `failed` (a rerun asks for them again)."""
        return self.counts.get(str(DownloadStatus.FAILED), 0)


class AttachmentAccessError(Exception):
    """Stames refused the key (401) or its scope (403) on attachment metadata: no file can succeed."""


class _DomainRetryError(Exception):
    """An attempt worth repeating with a fresh URL; carries what the attempt learned of the file."""

    def __init__(self, message: str, described: DownloadOutcome) -> None:
        super().__init__(message)
        self.described = described


class _UrlExpiredError(_DomainRetryError):
    """The signed URL expired before its bytes were fetched: ask for a fresh one."""


class _BytesMismatchError(_DomainRetryError):
    """The received bytes disagree with the metadata's sha256 (or size, without a hash)."""


class _StreamCutError(_DomainRetryError):
    """The connection failed while the bytes streamed, after the session had returned the answer."""


class _UnavailableError(Exception):
    """The server gave a final answer that is neither the file nor a known status."""


BeforeDownload = Callable[[int, int], None]
"""Called with (attachment id, attempt) between the fresh-URL request and the byte request."""


def refusal_message(response: requests.Response) -> str:
    """One line naming what the key lacks, never the URL (which carries the attachment id)."""
    stopped = "the attachment step stopped; files already recorded keep their ledger rows."
    if response.status_code == 401:
        code = error_code(response) or "unauthorized"
        return (
            f"Stames refused the API key (401 {code}) when asked for attachment metadata; "
            f"check --api-key or SOURCES__STAMES__API_KEY; {stopped}"
        )
    code = error_code(response) or "forbidden"
    scope = missing_scope(response) or "required"
    return f"The Stames API key lacks the {scope} scope ({response.status_code} {code}); {stopped}"


_QUERY_STRING = re.compile(r"(?<=[\w/.~%-])\?[^\s'\"()<>]+")


def error_text(error: BaseException) -> str:
    """The exception's type and message, any URL's query string (a signed URL's `sig`) removed."""
    return f"{type(error).__name__}: {_QUERY_STRING.sub('', str(error))}"


class AttachmentDownloader:
    """Downloads one attachment at a time per thread; share one instance across a thread pool."""

    def __init__(
        self,
        paths: AttachmentPaths,
        *,
        base_url: str,
        session: StamesSession,
        before_download: BeforeDownload | None = None,
    ) -> None:
        self.paths = paths
        self.base_url = base_url.rstrip("/") + "/"
        self.session = session
        self.before_download = before_download

    def download(self, start: DownloadOutcome) -> DownloadOutcome:
        """Fetch until stored, definitively unavailable, or out of domain retries.

        Raises only `AttachmentAccessError`; every other problem becomes the file's `failed` row,
        keeping what `start` (the ledger's last row) knew about it.
        """
        outcome = start
        refreshes = 0
        mismatches = 0
        stream_cuts = 0
        while True:
            outcome = replace(outcome, attempts=outcome.attempts + 1, url_refreshes=refreshes)
            try:
                return self._attempt(outcome)
            except AttachmentAccessError:
                raise
            except _UrlExpiredError as error:
                refreshes += 1
                outcome = replace(error.described, url_refreshes=refreshes, last_error=str(error))
                if refreshes > MAX_URL_REFRESHES:
                    return replace(outcome, status=DownloadStatus.FAILED)
            except _BytesMismatchError as error:
                mismatches += 1
                outcome = replace(error.described, last_error=str(error))
                if mismatches >= MAX_MISMATCH_ATTEMPTS:
                    return replace(outcome, status=DownloadStatus.FAILED)
            except _StreamCutError as error:
                stream_cuts += 1
                outcome = replace(error.described, last_error=str(error))
                if stream_cuts > self.session.max_retries:
                    return replace(outcome, status=DownloadStatus.FAILED)
                self.session.clock.sleep(backoff_seconds(stream_cuts, self.session.backoff_cap_s))
            except _UnavailableError as error:
                return replace(outcome, status=DownloadStatus.FAILED, last_error=str(error))
            except Exception as error:  # the session already retried; one bad file must not stop the run
                return replace(outcome, status=DownloadStatus.FAILED, last_error=error_text(error))

    def _metadata(self, attachment_id: int) -> dict[str, Any] | None:
        response = self.session.get(urljoin(self.base_url, f"attachments/{attachment_id}"))
        if response.status_code in (404, 410):
            return None
        if response.status_code in (401, 403):
            raise AttachmentAccessError(refusal_message(response))
        if response.status_code != 200:
            raise _UnavailableError(
                f"metadata: HTTP {response.status_code} {error_code(response) or ''}".strip()
            )
        return dict(response.json())

    def _attempt(self, outcome: DownloadOutcome) -> DownloadOutcome:
        metadata = self._metadata(outcome.attachment_id)
        if metadata is None:
            return replace(outcome, status=DownloadStatus.PURGED, last_error="attachment gone (404/410)")
        described = replace(
            outcome,
            file_name=metadata.get("file_name"),
            content_type=metadata.get("content_type"),
            declared_size_bytes=metadata.get("size"),
            sha256=metadata.get("sha256"),
        )
        if metadata.get("status") == "purged" or not metadata.get("download_url"):
            return replace(described, status=DownloadStatus.PURGED)
        if metadata.get("status") == "quarantined":
            return replace(described, status=DownloadStatus.QUARANTINED)
        if self.before_download is not None:
            self.before_download(outcome.attachment_id, outcome.attempts)
        return self._fetch_bytes(described, urljoin(self.base_url, str(metadata["download_url"])))

    def _fetch_bytes(self, outcome: DownloadOutcome, url: str) -> DownloadOutcome:
        # The signed URL is its own authorisation: the API key is not sent to the file host.
        with self.session.get(url, stream=True, headers={API_KEY_HEADER: None}) as response:
            # Past this point the session's retries are over: a cut body is retried here.
            try:
                if response.status_code != 200:
                    return self._refused(outcome, response)
                streamed = stream_to_temp(self.paths.files_dir, response.iter_content(CHUNK_BYTES))
            except TRANSIENT_ERRORS as error:
                raise _StreamCutError(error_text(error), outcome) from error
        mismatch = _mismatch(outcome, streamed.size_bytes, streamed.sha256)
        if mismatch:
            streamed.temp_path.unlink(missing_ok=True)
            raise _BytesMismatchError(mismatch, outcome)
        stored_at = commit_blob(self.paths.files_dir, streamed)
        status = DownloadStatus.EXPIRED_REFRESHED if outcome.url_refreshes else DownloadStatus.STORED
        return replace(
            outcome,
            status=status,
            size_bytes=streamed.size_bytes,
            sha256=streamed.sha256,
            storage_path=stored_at.relative_to(self.paths.storage_root).as_posix(),
        )

    def _refused(self, outcome: DownloadOutcome, response: requests.Response) -> DownloadOutcome:
        code = error_code(response)
        if response.status_code == 403 and code == "url_expired":
            raise _UrlExpiredError("download URL expired", outcome)
        if response.status_code == 403:
            return replace(outcome, status=DownloadStatus.QUARANTINED, last_error=f"403 {code}")
        if response.status_code in (404, 410):
            return replace(outcome, status=DownloadStatus.PURGED, last_error=f"{response.status_code} {code}")
        # Final: the session already retried 429 and 5xx.
        last_error = f"file: HTTP {response.status_code} {code or ''}".strip()
        return replace(outcome, status=DownloadStatus.FAILED, last_error=last_error)


def _mismatch(outcome: DownloadOutcome, size: int, sha256: str) -> str | None:
    """Why the bytes cannot be trusted, or None.

    The sha256 decides when the metadata has one: a declared size that disagrees with hash-verified
    bytes is a mislabelled file (§3 #21), kept with both sizes in the ledger. Without a hash, the
    size is all there is to check.
    """
    if outcome.sha256:
        if outcome.sha256.lower() != sha256:
            return f"sha256 mismatch: metadata {outcome.sha256}, received {sha256}"
        return None
    if outcome.declared_size_bytes is not None and outcome.declared_size_bytes != size:
        return f"size mismatch: metadata {outcome.declared_size_bytes}, received {size}"
    return None


@contextmanager
def _progress_bar(enabled: bool, total: int) -> Iterator[Callable[[], None]]:
    if not enabled:
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("Attachments"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()
    ) as progress:
        task = progress.add_task("attachments", total=total)
        yield lambda: progress.advance(task)


def _starting_point(ref: AttachmentRef, known: DownloadOutcome | None) -> DownloadOutcome:
    """A `failed` row that keeps what the ledger knew about the file until this run learns more."""
    outcome = DownloadOutcome(ref.attachment_id, ref.message_id, ref.ticket_id, DownloadStatus.FAILED)
    if known is None:
        return outcome
    return replace(
        outcome,
        file_name=known.file_name,
        content_type=known.content_type,
        declared_size_bytes=known.declared_size_bytes,
        sha256=known.sha256,
    )


def download_attachments(
    paths: AttachmentPaths,
    *,
    base_url: str,
    api_key: str,
    session: StamesSession | None = None,
    progress: bool = False,
    before_download: BeforeDownload | None = None,
) -> AttachmentSummary:
    """Download every listed attachment not settled yet; one ledger row per attachment.

    Raises `AttachmentAccessError` at the first 401/403 on attachment metadata, after loading
    the outcomes recorded so far (downloads that finished meanwhile included). A session passed in
    stays open; one made here is closed however the step ends. `before_download` is an observation
    point (tests use it to move the server clock past a URL's expiry); production runs leave it
    unset.
    """
    started = time.perf_counter()
    owns_session = session is None
    session = session or StamesSession(api_key, max_retries=TRANSPORT_RETRIES, backoff_cap_s=BACKOFF_CAP_S)
    try:
        with AttachmentLedger(paths) as ledger:
            pending, skipped = _pending(ledger, paths)
            downloader = AttachmentDownloader(
                paths, base_url=base_url, session=session, before_download=before_download
            )
            try:
                this_run = _download_all(downloader, pending, ledger, progress=progress)
            except AttachmentAccessError:
                ledger.flush()  # the outcomes recorded before the refusal
                raise
            ledger.flush()
            counts = ledger.status_counts()
    finally:
        if owns_session:
            session.close()
    return AttachmentSummary(
        counts=counts,
        attempted=len(pending),
        skipped_already_stored=skipped,
        duration_s=time.perf_counter() - started,
        requests=session.stats.requests,
        outcomes_this_run=dict(sorted(this_run.items())),
    )


def _pending(ledger: AttachmentLedger, paths: AttachmentPaths) -> tuple[list[DownloadOutcome], int]:
    """Starting rows of the listed attachments not settled yet, and how many were settled."""
    discard_partials(paths.files_dir)
    ledger.flush()  # outcomes a killed run journalled but never loaded
    listed = ledger.listed_attachments()
    known = ledger.known_outcomes()
    settled = ledger.settled_ids(known)
    pending = [
        _starting_point(ref, known.get(ref.attachment_id))
        for ref in listed
        if ref.attachment_id not in settled
    ]
    return pending, len(listed) - len(pending)


def _download_all(
    downloader: AttachmentDownloader,
    pending: list[DownloadOutcome],
    ledger: AttachmentLedger,
    *,
    progress: bool,
) -> dict[str, int]:
    """Download in parallel and record each outcome as it comes; outcomes per status.

    At most IN_FLIGHT_PER_WORKER downloads per worker are submitted at a time, and a finished one
    is let go once recorded, so memory does not grow with the number of files. On a refused key
    every download that finished anyway is recorded before the refusal is raised; on any error (or
    Ctrl-C) queued downloads are cancelled instead of run to the end.
    """
    this_run: dict[str, int] = {}
    workers = max(1, int(downloader.session.file_bucket.capacity))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="attachment")
    in_flight: set[Future[DownloadOutcome]] = set()
    with _progress_bar(progress, len(pending)) as advance:

        def record(future: Future[DownloadOutcome]) -> None:
            outcome = future.result()
            ledger.record(outcome)
            this_run[str(outcome.status)] = this_run.get(str(outcome.status), 0) + 1
            advance()

        def record_finished(finished: set[Future[DownloadOutcome]]) -> None:
            unrecorded = set(finished)
            for future in finished:
                unrecorded.discard(future)
                try:
                    record(future)
                except AttachmentAccessError:
                    # Downloads in flight end on their own; the ones that finished are kept.
                    pool.shutdown(cancel_futures=True)
                    for other in unrecorded | in_flight:
                        if _succeeded(other):
                            record(other)
                    raise

        try:
            for start in pending:
                if len(in_flight) >= workers * IN_FLIGHT_PER_WORKER:
                    finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                    record_finished(finished)
                in_flight.add(pool.submit(downloader.download, start))
            while in_flight:
                finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                record_finished(finished)
        finally:
            pool.shutdown(cancel_futures=True)
    return this_run


def _succeeded(future: Future[DownloadOutcome]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None
