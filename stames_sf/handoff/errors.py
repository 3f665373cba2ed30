"""The records a run could not write: `errors-<object>.csv`, one per object, from the ledger."""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from loaders.load.ledger import SCHEMA
from mapping.propose.values import count_of
from stames_sf.handoff.pack import PackEntry, PackSection
from stames_sf.handoff.run import has_table

ERROR_COLUMNS = ("stames_id", "salesforce_id", "error_code", "error_message")
UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True)
class FailedRecord:
    stames_id: str
    salesforce_id: str | None
    error_code: str | None
    error_message: str | None


def failed_records(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, list[FailedRecord]]:
    """Salesforce object → its failed ledger rows, in phase and Stames id order."""
    if not has_table(con, SCHEMA, "load_records"):
        return {}
    rows = con.execute(
        f"SELECT sobject, stames_id, salesforce_id, error_code, error_message FROM {SCHEMA}.load_records "
        "WHERE run_id = ? AND action = 'failed' ORDER BY sobject, phase, stames_id",
        [run_id],
    ).fetchall()
    by_object: dict[str, list[FailedRecord]] = {}
    for sobject, *record in rows:
        by_object.setdefault(sobject, []).append(FailedRecord(*record))
    return by_object


def error_file_name(sobject: str) -> str:
    return f"errors-{UNSAFE_IN_FILE_NAME.sub('_', sobject)}.csv"


def errors_by_code(records: list[FailedRecord]) -> str:
    """`CODE: count, …`, the most frequent first."""
    counts = Counter(record.error_code or "no code" for record in records)
    return ", ".join(f"{code}: {count:,}" for code, count in counts.most_common())


def write_error_csvs(failed: dict[str, list[FailedRecord]], pack: Path, at: datetime) -> PackSection:
    entries = []
    for sobject, records in failed.items():
        name = error_file_name(sobject)
        with (pack / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(ERROR_COLUMNS)
            writer.writerows(
                (
                    record.stames_id,
                    record.salesforce_id or "",
                    record.error_code or "",
                    record.error_message or "",
                )
                for record in records
            )
        description = (
            f"{count_of(len(records), sobject + ' record')} the load could not write "
            f"({errors_by_code(records)})."
        )
        entries.append(PackEntry(name, description, at))
    note = None if entries else "No failed records in this run: no error CSV."
    return PackSection("Errors", tuple(entries), note=note)
