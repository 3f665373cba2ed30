"""Bulk 2.0 job records: their fields (JobInfo), states, Ids, and a SQLite table that outlives
the server so a client can poll a job after a restart."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

JobKind = Literal["ingest", "query"]

OPEN = "Open"
UPLOAD_COMPLETE = "UploadComplete"
IN_PROGRESS = "InProgress"
JOB_COMPLETE = "JobComplete"
FAILED = "Failed"
ABORTED = "Aborted"
TERMINAL_STATES = frozenset({JOB_COMPLETE, FAILED, ABORTED})
ACTIVE_STATES = frozenset({OPEN, UPLOAD_COMPLETE, IN_PROGRESS})

JOB_KEY_PREFIX = "750"
_CHECKSUM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def id_checksum(id15: str) -> str:
    """The 3-char case checksum that turns a 15-char Salesforce Id into its 18-char form."""
    suffix = ""
    for start in range(0, 15, 5):
        bits = sum(1 << offset for offset, char in enumerate(id15[start : start + 5]) if char.isupper())
        suffix += _CHECKSUM_ALPHABET[bits]
    return suffix


def job_id(sequence: int) -> str:
    """An 18-char job Id (`750…`): the Salesforce CLI rejects job Ids of any other shape."""
    digits = ""
    remaining = sequence
    while remaining:
        remaining, digit = divmod(remaining, 62)
        digits = _BASE62[digit] + digits
    id15 = JOB_KEY_PREFIX + "8d" + digits.rjust(10, "0")
    return id15 + id_checksum(id15)


def sf_timestamp(moment: datetime | None = None) -> str:
    """Salesforce's JSON datetime, e.g. `2022-01-02T21:33:43.000+0000`."""
    moment = moment or datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


@dataclass
class Job:
    """Everything JobInfo reports about one job, plus what processing needs."""

    id: str
    kind: JobKind
    operation: str
    object: str
    created_by_id: str
    created_date: str
    system_modstamp: str
    api_version: str
    state: str = OPEN
    content_type: str = "CSV"
    column_delimiter: str = "COMMA"
    line_ending: str = "LF"
    external_id_field_name: str | None = None
    assignment_rule_id: str | None = None
    query: str | None = None
    uploaded: bool = False
    number_records_processed: int = 0
    number_records_failed: int = 0
    retries: int = 0
    total_processing_time: int = 0
    api_active_processing_time: int = 0
    apex_processing_time: int = 0
    error_message: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_STATES

    def info(self, *, brief: bool = False) -> dict[str, Any]:
        """The JobInfo JSON. `brief` is the create/PATCH shape, without counters and jobType."""
        body: dict[str, Any] = {
            "id": self.id,
            "operation": self.operation,
            "object": self.object,
            "createdById": self.created_by_id,
            "createdDate": self.created_date,
            "systemModstamp": self.system_modstamp,
            "state": self.state,
            "concurrencyMode": "Parallel",
            "contentType": self.content_type,
            "apiVersion": float(self.api_version),
            "lineEnding": self.line_ending,
            "columnDelimiter": self.column_delimiter,
        }
        if self.external_id_field_name:
            body["externalIdFieldName"] = self.external_id_field_name
        if self.assignment_rule_id:
            body["assignmentRuleId"] = self.assignment_rule_id
        if self.kind == "ingest" and self.state == OPEN:
            body["contentUrl"] = f"services/data/v{self.api_version}/jobs/ingest/{self.id}/batches"
        if brief:
            return body
        body["jobType"] = "V2Ingest" if self.kind == "ingest" else "V2Query"
        body["numberRecordsProcessed"] = self.number_records_processed
        if self.kind == "ingest":
            body["numberRecordsFailed"] = self.number_records_failed
        body["retries"] = self.retries
        body["totalProcessingTime"] = self.total_processing_time
        if self.kind == "ingest":
            body["apiActiveProcessingTime"] = self.api_active_processing_time
            body["apexProcessingTime"] = self.apex_processing_time
        else:
            body["isPkChunkingSupported"] = False
        if self.error_message:
            body["errorMessage"] = self.error_message
        return body


_JOB_FIELDS = {item.name for item in fields(Job)}


class JobTable:
    """Jobs in `<state_dir>/jobs.sqlite`; every method is safe to call from any thread."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS jobs (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE,"
            " kind TEXT, state TEXT, deleted INTEGER DEFAULT 0, body TEXT)"
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def next_id(self) -> str:
        with self._lock:
            row = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM jobs").fetchone()
        return job_id(int(row[0]) + 1 + 1_000_000)

    def add(self, job: Job) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO jobs (id, kind, state, body) VALUES (?, ?, ?, ?)",
                (job.id, job.kind, job.state, json.dumps(asdict(job))),
            )

    def get(self, job_id_: str, kind: JobKind | None = None) -> Job | None:
        """A live (not deleted) job; `kind` narrows to ingest or query jobs."""
        with self._lock:
            row = self._db.execute(
                "SELECT body, kind FROM jobs WHERE id = ? AND deleted = 0", (job_id_,)
            ).fetchone()
        if row is None or (kind is not None and row[1] != kind):
            return None
        return _job_from_json(row[0])

    def update(
        self, job_id_: str, change: Callable[[Job], None], *, only_in: frozenset[str] | None = None
    ) -> Job | None:
        """Apply `change` to a live job, atomically, if its state is in `only_in` (any when None).

        Returns the changed job, or None when the job is gone or in another state, so a worker
        never overwrites an abort that landed while it was running.
        """
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM jobs WHERE id = ? AND deleted = 0", (job_id_,)
            ).fetchone()
            if row is None:
                return None
            job = _job_from_json(row[0])
            if only_in is not None and job.state not in only_in:
                return None
            change(job)
            job.system_modstamp = sf_timestamp()
            self._db.execute(
                "UPDATE jobs SET state = ?, body = ? WHERE id = ?",
                (job.state, json.dumps(asdict(job)), job.id),
            )
            return job

    def transition(self, job_id_: str, allowed_from: frozenset[str], to_state: str) -> Job | None:
        """Move a job to `to_state` only if it is in one of `allowed_from`; the updated job or None."""

        def move(job: Job) -> None:
            job.state = to_state

        return self.update(job_id_, move, only_in=allowed_from)

    def mark_deleted(self, job_id_: str) -> None:
        with self._lock:
            self._db.execute("UPDATE jobs SET deleted = 1 WHERE id = ?", (job_id_,))

    def page(self, kind: JobKind, *, after_seq: int, limit: int) -> tuple[list[Job], int | None]:
        """A page of live jobs of `kind` in creation order and the sequence to continue from."""
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, body FROM jobs WHERE kind = ? AND deleted = 0 AND seq > ? ORDER BY seq LIMIT ?",
                (kind, after_seq, limit + 1),
            ).fetchall()
        more = len(rows) > limit
        page = rows[:limit]
        next_seq = int(page[-1][0]) if more and page else None
        return [_job_from_json(body) for _, body in page], next_seq

    def count_active(self, kind: JobKind) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM jobs WHERE kind = ? AND deleted = 0 AND state IN (?, ?, ?)",
                (kind, *sorted(ACTIVE_STATES)),
            ).fetchone()
        return int(row[0])

    def in_states(self, states: frozenset[str]) -> list[Job]:
        placeholders = ",".join("?" for _ in states)
        with self._lock:
            rows = self._db.execute(
                f"SELECT body FROM jobs WHERE deleted = 0 AND state IN ({placeholders}) ORDER BY seq",
                tuple(states),
            ).fetchall()
        return [_job_from_json(body) for (body,) in rows]


def _job_from_json(text: str) -> Job:
    data = json.loads(text)
    return Job(**{key: value for key, value in data.items() if key in _JOB_FIELDS})
