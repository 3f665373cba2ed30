"""The work folder: everything one migration writes lives below it.

One warehouse, one ledger, one place for files, state, logs and reports, so every stage finds
what the previous one left without configuration. Nothing is written outside this folder.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

DEFAULT_WORK_DIR = Path(".stames-sf")
RAW_SCHEMA = "raw_stames"
LOCK_FILE_NAME = "run.lock"


@dataclass(frozen=True)
class WorkDir:
    """Paths inside one migration's work folder."""

    root: Path

    @classmethod
    def at(cls, root: Path | str = DEFAULT_WORK_DIR) -> WorkDir:
        """A work folder at `root`, created with its sub-folders if missing."""
        work = cls(Path(root).resolve())
        for folder in (work.root, work.files, work.state, work.logs, work.reports, work.dlt_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return work

    @property
    def warehouse(self) -> Path:
        """The single DuckDB file: raw data, dbt models, the run ledger."""
        return self.root / "warehouse.duckdb"

    @property
    def files(self) -> Path:
        """Content-addressed attachment store (sha256 → bytes)."""
        return self.root / "files"

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def dlt_dir(self) -> Path:
        """dlt's pipelines dir, kept inside the work folder instead of the user's home or /var."""
        return self.state / "dlt"

    @property
    def duckdb_spill(self) -> Path:
        """Where DuckDB spills merges that do not fit its memory limit."""
        return self.state / "duckdb-spill"

    @property
    def lock_file(self) -> Path:
        """Holds the process id of the run that has the folder (see `exclusive_run`)."""
        return self.root / LOCK_FILE_NAME

    @property
    def logs(self) -> Path:
        """dbt.log and spark.log (the tools' own), and one `<command>-<time>.log` per demo or run."""
        return self.root / "logs"

    def run_log(self, command: str, started_at: datetime) -> Path:
        """The log file of one `stames-sf <command>` started at `started_at` (UTC)."""
        return self.logs / f"{command}-{started_at.astimezone(UTC):%Y%m%dT%H%M%SZ}.log"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def handoff(self) -> Path:
        """One pack per load run (`handoff/<run id>/`): what the customer keeps."""
        return self.root / "handoff"

    @property
    def datasets(self) -> Path:
        """Generated Stames datasets (demo and tests)."""
        return self.root / "datasets"

    @property
    def salesforce_state(self) -> Path:
        """State folder of the local Salesforce org emulator, when the demo runs one."""
        return self.root / "salesforce-org"


class WorkDirBusyError(Exception):
    """Another process is running a stage in this work folder."""

    def __init__(self, root: Path, holder_pid: str) -> None:
        super().__init__(
            f"Another stames-sf run (process {holder_pid}) is using the work folder {root}: "
            "wait for it to finish (or stop it), then rerun."
        )
        self.holder_pid = holder_pid


@dataclass(frozen=True)
class RunLock:
    """The work folder's run lock, held by this process."""

    taken_over_from_pid: str | None
    """The process id a killed run left in the lock file, when this run took the lock over."""


@contextmanager
def exclusive_run(work: WorkDir) -> Iterator[RunLock]:
    """One run per work folder: raise `WorkDirBusyError` (naming the holder's process id) if another runs.

    The lock is an OS file lock (`flock`) on `run.lock`, so it dies with its process: a lock file
    left by a killed run is free to take, and the pid written in it says whose it was. Every stage
    that writes the warehouse (extract now; dbt and load later) takes this same lock.
    """
    work.root.mkdir(parents=True, exist_ok=True)
    handle = work.lock_file.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as busy:
            handle.seek(0)
            raise WorkDirBusyError(work.root, handle.read().strip() or "unknown") from busy
        handle.seek(0)
        previous_pid = handle.read().strip() or None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield RunLock(taken_over_from_pid=previous_pid)
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()
