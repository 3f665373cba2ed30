"""Counts per phase, side by side: Stames source → sync table (quarantined, excluded by a rule) →
ledger (loaded, failed by error) → org (read back by SOQL). Each row's `unexplained` is what no
quarantine, exclusion or recorded failure covers: that is what fails a reconciliation.

The Stames side comes from `sync_salesforce__reconciliation` (per Stames object). Objects fed by
exactly one Stames object carry its numbers on their phase row; a Stames object that feeds
several (messages → EmailMessage, Task, CaseComment) or only part of one (attachments →
ContentVersion, beside cut bodies and inline images) gets a balance row of its own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Set
from dataclasses import dataclass

import duckdb

from expectations.sync_tables import RECONCILIATION_TABLE, SYNC_SCHEMA, SyncModel
from loaders.load.ledger import SCHEMA, SUCCESS_ACTIONS

ONE_TO_ONE_SOURCES: dict[str, str] = {"Contact": "customer", "Case": "ticket"}
"""Standard objects whose sync table holds exactly one Stames object's synced rows (mirrors the
`counted_objects` of the reconciliation model); the status history and custom objects are added
from the mapping."""
LINKS_SUFFIX = ".links"


@dataclass(frozen=True)
class SourceBalance:
    """One row of `sync_salesforce__reconciliation`."""

    object: str
    source_rows: int
    synced: int
    quarantined: int
    excluded: int
    excluded_by_rule: str | None

    @property
    def unexplained(self) -> int:
        return abs(self.source_rows - self.synced - self.quarantined - self.excluded)


@dataclass(frozen=True)
class LedgerCounts:
    loaded: int
    failed: int
    failed_by_error: Mapping[str, int]
    """Error code → failed records; the explanation of every failure."""
    loaded_ids: frozenset[str]
    """Distinct Salesforce ids the phase loaded (a file uploaded once serves several rows)."""


@dataclass(frozen=True)
class OrgCount:
    found: int
    """How many of the run's loaded Ids the org holds."""
    extra: int | None
    """Records with a Stames id no run accounts for (None: the object has no Stames id)."""
    from_earlier_runs: int = 0
    """Records with a Stames id an earlier live run loaded and this run did not: their source left
    the sync tables (a ticket deleted in Stames, listed by the delta for a decision)."""


@dataclass(frozen=True)
class PhaseCount:
    phase: str
    sobject: str
    source: SourceBalance | None
    synced: int | None
    loaded: int
    failed: int
    failed_by_error: Mapping[str, int]
    expected_in_org: int | None
    in_org: int | None
    extra_in_org: int | None
    from_earlier_runs: int = 0

    @property
    def not_attempted(self) -> int:
        """Synced rows the ledger has no row for."""
        return 0 if self.synced is None else abs(self.synced - self.loaded - self.failed)

    @property
    def missing_in_org(self) -> int:
        if self.expected_in_org is None or self.in_org is None:
            return 0
        return self.expected_in_org - self.in_org

    @property
    def unexplained(self) -> int:
        source = self.source.unexplained if self.source else 0
        return source + self.not_attempted + self.missing_in_org + (self.extra_in_org or 0)


@dataclass(frozen=True)
class Counts:
    phases: tuple[PhaseCount, ...]
    sources: tuple[SourceBalance, ...]
    """Stames objects with no phase of their own (their balance row)."""

    @property
    def unexplained(self) -> int:
        return sum(row.unexplained for row in self.phases) + sum(row.unexplained for row in self.sources)


def source_balances(con: duckdb.DuckDBPyConnection) -> dict[str, SourceBalance]:
    rows = con.execute(
        "SELECT object, source_rows, synced, quarantined, excluded, excluded_by_rule "
        f'FROM {SYNC_SCHEMA}."{RECONCILIATION_TABLE}" ORDER BY object'
    ).fetchall()
    return {row[0]: SourceBalance(*row) for row in rows}


def run_phases(con: duckdb.DuckDBPyConnection, run_id: str) -> list[tuple[str, str]]:
    """(phase, sobject) of the run, in load order."""
    return con.execute(
        f"SELECT phase, sobject FROM {SCHEMA}.load_phases WHERE run_id = ? ORDER BY phase_order, phase",
        [run_id],
    ).fetchall()


def synced_rows(con: duckdb.DuckDBPyConnection, model: SyncModel) -> int:
    [(count,)] = con.execute(f"SELECT count(*) FROM {model.relation()}").fetchall()
    return int(count)


def ledger_counts(con: duckdb.DuckDBPyConnection, run_id: str, phase: str, sobject: str) -> LedgerCounts:
    """The phase's ledger rows; the Ids checked in the org are those of the phase's own object (a
    file phase also links duplicate files with ContentDocumentLinks, which SOQL reads only by
    document or entity, and which the sample checks per Case)."""
    rows = con.execute(
        f"SELECT action, coalesce(error_code, 'UNKNOWN'), salesforce_id, sobject FROM {SCHEMA}.load_records "
        "WHERE run_id = ? AND phase = ?",
        [run_id, phase],
    ).fetchall()
    loaded = [sf_id for action, _, sf_id, row_sobject in rows if action in SUCCESS_ACTIONS]
    own = [
        sf_id
        for action, _, sf_id, row_sobject in rows
        if action in SUCCESS_ACTIONS and row_sobject == sobject
    ]
    errors: dict[str, int] = {}
    for action, code, _, _ in rows:
        if action == "failed":
            errors[code] = errors.get(code, 0) + 1
    return LedgerCounts(
        loaded=len(loaded),
        failed=sum(errors.values()),
        failed_by_error=dict(sorted(errors.items())),
        loaded_ids=frozenset(sf_id for sf_id in own if sf_id),
    )


def phase_sources(
    sobjects: Set[str], status_history_object: str, custom_object_keys: Mapping[str, str]
) -> dict[str, str]:
    """Target object → the Stames object (a reconciliation row) that alone feeds its sync table."""
    sources = {sobject: source for sobject, source in ONE_TO_ONE_SOURCES.items() if sobject in sobjects}
    if status_history_object in sobjects:
        sources[status_history_object] = "status_change"
    for api_name, key in custom_object_keys.items():
        if api_name in sobjects and api_name != status_history_object:
            sources[api_name] = f"custom_object.{key}"
    return sources


def org_count(
    loaded_ids: Set[str],
    org_ids: Set[str],
    keyed_org_ids: Set[str] | None,
    earlier_ids: Set[str] = frozenset(),
) -> OrgCount:
    """`org_ids`: which of the loaded Ids the org holds; `keyed_org_ids`: every org record of the
    object with a Stames id (None when the object has no such field); `earlier_ids`: what earlier
    live runs loaded."""
    if keyed_org_ids is None:
        return OrgCount(found=len(loaded_ids & org_ids), extra=None)
    outside = set(keyed_org_ids) - set(loaded_ids)
    earlier = outside & set(earlier_ids)
    return OrgCount(len(loaded_ids & org_ids), len(outside - earlier), len(earlier))


def phase_count(
    phase: str,
    sobject: str,
    source: SourceBalance | None,
    synced: int | None,
    ledger: LedgerCounts,
    org: OrgCount | None,
) -> PhaseCount:
    return PhaseCount(
        phase=phase,
        sobject=sobject,
        source=source,
        synced=synced,
        loaded=ledger.loaded,
        failed=ledger.failed,
        failed_by_error=ledger.failed_by_error,
        expected_in_org=None if org is None else len(ledger.loaded_ids),
        in_org=None if org is None else org.found,
        extra_in_org=None if org is None else org.extra,
        from_earlier_runs=0 if org is None else org.from_earlier_runs,
    )


def failed_by_error_json(row: PhaseCount) -> str:
    return json.dumps(dict(row.failed_by_error), sort_keys=True)
