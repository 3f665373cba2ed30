"""What every phase of a run shares: the org channel, the ledger, the plan, settings, progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import duckdb

from loaders.load.bulk import BulkSettings, BulkTransport
from loaders.load.collections import CollectionsTransport
from loaders.load.dml import DmlStep, StepResult
from loaders.load.http import Clock, OrgHttp
from loaders.load.ledger import Ledger, LedgerRow
from loaders.load.plan import LoadPlan
from loaders.load.records import DmlSpec, LoadRecord, RecordResult

DEFAULT_DUCKDB_MEMORY = "64MB"
"""DuckDB fills its cache up to this while the loader reads the sync tables and writes the ledger.
The loader reads no generated file's content (the transform writes those files, see
`generated_files.py`), the column that made 128 and 256 MB too little at 30,000 tickets (one read
by rowid asked for 512 MiB at once)."""


@dataclass(frozen=True)
class LoadSettings:
    bulk_threshold: int = 1_000
    bulk: BulkSettings = field(default_factory=BulkSettings)
    files_in_flight: int = 4
    read_batch_rows: int = 10_000
    """Rows held at once (a Python record is several KB however short its text): one Bulk job's worth."""
    max_attempts: int = 3
    failure_threshold: float = 0.10
    """A phase whose failed share passes this stops the run before its children."""
    budget_share: float = 0.8
    """The share of the org's remaining daily API calls this run may use."""
    retry_backoff_s: float = 2.0
    duckdb_memory_limit: str = DEFAULT_DUCKDB_MEMORY


class LoadProgress(Protocol):
    def start(self, phase: str, total: int) -> None: ...
    def advance(self, phase: str, count: int) -> None: ...
    def finish(self, phase: str) -> None: ...
    def note(self, message: str) -> None: ...


class SilentProgress:
    def start(self, phase: str, total: int) -> None:
        pass

    def advance(self, phase: str, count: int) -> None:
        pass

    def finish(self, phase: str) -> None:
        pass

    def note(self, message: str) -> None:
        pass


@dataclass
class RunContext:
    http: OrgHttp
    con: duckdb.DuckDBPyConnection
    ledger: Ledger
    run_id: str
    plan: LoadPlan
    settings: LoadSettings
    work_root: Path
    clock: Clock
    progress: LoadProgress
    interrupted_phases: frozenset[str] = frozenset()
    """Phases a stopped or killed attempt of this run left unfinished: the org may hold records
    of theirs the ledger has not heard of."""
    step: DmlStep = field(init=False)

    def __post_init__(self) -> None:
        self.step = DmlStep(
            bulk=BulkTransport(self.http, self.settings.bulk),
            collections=CollectionsTransport(self.http),
            clock=self.clock,
            bulk_threshold=self.settings.bulk_threshold,
            max_attempts=self.settings.max_attempts,
            retry_backoff_s=self.settings.retry_backoff_s,
        )

    def write(self, rows: list[LedgerRow]) -> None:
        self.ledger.record(self.run_id, rows, self.clock.now())

    def insert(
        self,
        phase: str,
        sobject: str,
        spec: DmlSpec,
        records: list[LoadRecord],
        *,
        success: str = "created",
        duplicate: str = "unchanged",
    ) -> None:
        """Insert records of an object without an upsert key (a link, a Topic, an assignment) by
        Collections; DUPLICATE_VALUE means the record is already there."""
        if not records:
            return

        def write(results: list[StepResult]) -> None:
            rows = []
            for step_result in results:
                result = step_result.result
                if result.success or result.error_code == "DUPLICATE_VALUE":
                    action = success if result.success else duplicate
                    rows.append(
                        LedgerRow(
                            phase, sobject, result.key, result.salesforce_id, action, step_result.attempts
                        )
                    )
                else:
                    rows.append(_failed_row(phase, sobject, step_result))
            self.write(rows)
            self.progress.advance(phase, len(rows))

        self.step.run(spec, records, write, force_collections=True)

    def ids(self, sobject: str) -> dict[str, str]:
        """Stames id → Salesforce id of `sobject`: what existed before the run, then what it loaded."""
        known = {key: sf_id for key, (sf_id, _) in self.ledger.snapshot(self.run_id, sobject).items()}
        known.update(self.ledger.loaded_ids(self.run_id, sobject))
        return known


def ledger_rows(
    phase: str,
    sobject: str,
    results: list[StepResult],
    prior: dict[str, dict] | None = None,
    key_of: dict[str, str] | None = None,
) -> list[LedgerRow]:
    """Ledger rows for DML results; `key_of` maps a result key (an Id) back to the Stames id."""
    rows = []
    for step_result in results:
        result: RecordResult = step_result.result
        key = (key_of or {}).get(result.key, result.key)
        if result.success:
            action = "created" if result.created else "updated"
            prior_values = (
                ((prior or {}).get(key) or (prior or {}).get(result.key)) if action == "updated" else None
            )
            rows.append(
                LedgerRow(
                    phase, sobject, key, result.salesforce_id, action, step_result.attempts, prior_values
                )
            )
        else:
            rows.append(_failed_row(phase, sobject, step_result, key))
    return rows


def _failed_row(phase: str, sobject: str, step_result: StepResult, key: str | None = None) -> LedgerRow:
    result = step_result.result
    return LedgerRow(
        phase,
        sobject,
        key or result.key,
        result.salesforce_id,
        "failed",
        step_result.attempts,
        error_code=result.error_code,
        error_message=result.error_message,
    )
