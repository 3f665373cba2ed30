"""The attachment step: fresh signed URL per file, streamed to the content-addressed store.

Runs after the dlt load (and alone). URLs embedded in list pages expire, so each download asks
`/attachments/{id}` for a fresh one right before fetching the bytes (§3 #20). Every attachment
ends with one status row; a failure is recorded and the run goes on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin

import requests

from dlt_pipelines.stames.attachment_store import (
    CHUNK_BYTES,
    AttachmentLedger,
    AttachmentRef,
    DownloadOutcome,
    DownloadStatus,
    commit_blob,
    discard_partials,
    stream_to_temp,
)
from dlt_pipelines.stames.transport import (
    DEFAULT_FILE_RPS,
    StamesSession,
    TokenBucket,
    backoff_seconds,
    parse_retry_after,
)
from stames_sf.workdir import WorkDir

MAX_ATTEMPTS = 6
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


class _AttemptError(Exception):
    """One download attempt failed in a way worth retrying with a fresh URL."""

    def __init__(self, message: str, *, expired: bool = False, wait_s: float | None = None) -> None:
        super().__init__(message)
        self.expired = expired
        self.wait_s = wait_s


BeforeDownload = Callable[[int, int], None]
"""Called with (attachment id, attempt) between the fresh-URL request and the byte request."""


class AttachmentDownloader:
    """Downloads one attachment at a time per thread; share one instance across a thread pool."""

    def __init__(
        self,
        work: WorkDir,
        *,
        base_url: str,
        api_key: str,
        file_rps: float = DEFAULT_FILE_RPS,
        before_download: BeforeDownload | None = None,
    ) -> None:
        self.work = work
        self.before_download = before_download
        self.base_url = base_url.rstrip("/") + "/"
        self.api = StamesSession(api_key, max_retries=4, backoff_cap_s=BACKOFF_CAP_S)
        self.file_bucket = TokenBucket(file_rps)
        self.files = requests.Session()
        self.files.trust_env = False
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=max(4, int(file_rps) * 2))
        self.files.mount("http://", adapter)
        self.files.mount("https://", adapter)
        self._file_requests = 0
        self._count_lock = threading.Lock()

    def close(self) -> None:
        self.api.close()
        self.files.close()

    @property
    def requests(self) -> int:
        return self.api.stats.requests + self._file_requests

    def download(self, ref: AttachmentRef) -> DownloadOutcome:
        """Try until stored, definitively unavailable, or out of attempts; never raises."""
        outcome = DownloadOutcome(ref.attachment_id, ref.message_id, ref.ticket_id, DownloadStatus.FAILED)
        refreshes = 0
        for attempt in range(1, MAX_ATTEMPTS + 1):
            outcome = replace(outcome, attempts=attempt, url_refreshes=refreshes)
            try:
                return self._attempt(outcome)
            except _AttemptError as error:
                outcome = replace(outcome, last_error=str(error))
                if error.expired:
                    refreshes += 1
                    outcome = replace(outcome, url_refreshes=refreshes)
                    continue
                wait_s = error.wait_s if error.wait_s is not None else backoff_seconds(attempt, BACKOFF_CAP_S)
                time.sleep(wait_s)
            except Exception as error:  # one bad file must never stop the run
                outcome = replace(outcome, last_error=f"{type(error).__name__}: {error}")
                time.sleep(backoff_seconds(attempt, BACKOFF_CAP_S))
        return replace(outcome, status=DownloadStatus.FAILED)

    def _metadata(self, attachment_id: int) -> dict[str, Any] | None:
        response = self.api.get(urljoin(self.base_url, f"attachments/{attachment_id}"))
        if response.status_code in (404, 410):
            return None
        if response.status_code != 200:
            raise _AttemptError(f"metadata: HTTP {response.status_code} {response.text[:200]}")
        return dict(response.json())

    def _attempt(self, outcome: DownloadOutcome) -> DownloadOutcome:
        # Take the file-bucket slot first: the fresh URL is then used at once, not after a wait.
        self.file_bucket.acquire()
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
        with self._count_lock:
            self._file_requests += 1
        with self.files.get(url, stream=True, timeout=120) as response:
            self.file_bucket.observe(response.headers)
            if response.status_code != 200:
                return self._refused(outcome, response)
            streamed = stream_to_temp(self.work.files, response.iter_content(CHUNK_BYTES))
        mismatch = _mismatch(outcome, streamed.size_bytes, streamed.sha256)
        if mismatch:
            streamed.temp_path.unlink(missing_ok=True)
            raise _AttemptError(mismatch)
        stored_at = commit_blob(self.work.files, streamed)
        status = DownloadStatus.EXPIRED_REFRESHED if outcome.url_refreshes else DownloadStatus.STORED
        return replace(
            outcome,
            status=status,
            size_bytes=streamed.size_bytes,
            sha256=streamed.sha256,
            storage_path=stored_at.relative_to(self.work.root).as_posix(),
        )

    def _refused(self, outcome: DownloadOutcome, response: requests.Response) -> DownloadOutcome:
        code = _error_code(response)
        if response.status_code == 403 and code == "url_expired":
            raise _AttemptError("download URL expired", expired=True)
        if response.status_code == 403:
            return replace(outcome, status=DownloadStatus.QUARANTINED, last_error=f"403 {code}")
        if response.status_code in (404, 410):
            return replace(outcome, status=DownloadStatus.PURGED, last_error=f"{response.status_code} {code}")
        wait_s = parse_retry_after(response.headers.get("Retry-After"))
        if response.status_code == 429 and wait_s is not None:
            # The file bucket is shared by every download thread: all of them wait.
            self.file_bucket.pause(wait_s)
            wait_s = 0.0
        raise _AttemptError(f"file: HTTP {response.status_code} {code or ''}".strip(), wait_s=wait_s)


def _error_code(response: requests.Response) -> str | None:
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return None


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


def download_attachments(
    work: WorkDir,
    *,
    base_url: str,
    api_key: str,
    progress: bool = False,
    before_download: BeforeDownload | None = None,
) -> AttachmentSummary:
    """Download every listed attachment not settled yet; one ledger row per attachment.

    `before_download` is an observation point (tests use it to move the server clock past a URL's
    expiry); production runs leave it unset.
    """
    started = time.perf_counter()
    downloader = AttachmentDownloader(
        work, base_url=base_url, api_key=api_key, before_download=before_download
    )
    this_run: dict[str, int] = {}
    discard_partials(work.files)
    with AttachmentLedger(work) as ledger:
        listed = ledger.listed_attachments()
        settled = ledger.settled_ids()
        pending = [ref for ref in listed if ref.attachment_id not in settled]
        workers = max(1, int(downloader.file_bucket.capacity))
        with (
            _progress_bar(progress, len(pending)) as advance,
            ThreadPoolExecutor(max_workers=workers, thread_name_prefix="attachment") as pool,
        ):
            futures = [pool.submit(downloader.download, ref) for ref in pending]
            for future in as_completed(futures):
                outcome = future.result()
                ledger.record(outcome)
                this_run[str(outcome.status)] = this_run.get(str(outcome.status), 0) + 1
                advance()
        counts = ledger.status_counts()
    downloader.close()
    return AttachmentSummary(
        counts=counts,
        attempted=len(pending),
        skipped_already_stored=len(listed) - len(pending),
        duration_s=time.perf_counter() - started,
        requests=downloader.requests,
        outcomes_this_run=dict(sorted(this_run.items())),
    )
