"""Validate the sync tables: build the suites, run them, write the sign-off, record the result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from expectations.checkpoint import CHUNK_ROWS, Outcome, run_checkpoints
from expectations.record import ValidationRecord, data_hash, record_validation
from expectations.signoff import SignoffData, read_quarantine, read_reconciliation, render_signoff
from expectations.suites import build_suites, sync_table_columns
from mapping.document import content_hash
from mapping.model import Mapping
from mapping.org import OrgSnapshot

DUCKDB_MEMORY_LIMIT = "128MB"
"""DuckDB's buffer pool while validating: the scan streams the bodies through it (only their
lengths leave it), so a small pool keeps them from being cached."""


class NoSyncTablesError(Exception):
    """The warehouse has none of the mapping's sync tables yet."""


@dataclass(frozen=True)
class ReportPaths:
    data_docs: Path
    signoff_html: Path
    signoff_markdown: Path

    @classmethod
    def under(cls, reports: Path) -> ReportPaths:
        return cls(reports / "data-docs", reports / "signoff.html", reports / "signoff.md")


@dataclass(frozen=True)
class ValidationResult:
    record: ValidationRecord
    outcomes: list[Outcome]
    paths: ReportPaths

    @property
    def passed(self) -> bool:
        return self.record.passed


def validate_warehouse(
    warehouse: Path,
    mapping: Mapping,
    org: OrgSnapshot,
    paths: ReportPaths,
    now: datetime,
    chunk_rows: int = CHUNK_ROWS,
) -> ValidationResult:
    """Run every suite on the warehouse's sync tables; `now` is the validation's time (timestamps
    after it fail, and it is the record's `validated_at`)."""
    if not warehouse.exists():
        raise NoSyncTablesError(f"No warehouse at {warehouse}: extract, map and transform first.")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(f"SET TimeZone = 'UTC'; SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
        suites = build_suites(mapping, org, sync_table_columns(con), now)
        if not suites:
            raise NoSyncTablesError(
                f"No sync table in {warehouse} (schema salesforce): run the transform (dbt build) first."
            )
        fingerprint = data_hash(con)
        outcomes = run_checkpoints(con, suites, paths.data_docs, chunk_rows)
        reconciliation = read_reconciliation(con)
        quarantine = read_quarantine(con)
    failed = sum(1 for outcome in outcomes if not outcome.success)
    record = ValidationRecord(
        validated_at=now,
        passed=failed == 0,
        data_hash=fingerprint,
        mapping_hash=content_hash(mapping),
        failed_expectations=failed,
        report_path=str(paths.signoff_html),
    )
    render_signoff(
        SignoffData(
            validated_at=now,
            passed=record.passed,
            data_hash=fingerprint,
            mapping_hash=record.mapping_hash,
            outcomes=outcomes,
            reconciliation=reconciliation,
            quarantine=quarantine,
            exclusions=mapping.exclusions,
            data_docs_index=str(paths.data_docs / "index.html"),
        ),
        paths.signoff_html,
        paths.signoff_markdown,
    )
    record_validation(warehouse, record)
    return ValidationResult(record, outcomes, paths)
