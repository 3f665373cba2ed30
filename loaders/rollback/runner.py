"""A rollback from start to end: read the run's ledger and snapshot, adopt into the ledger what an
interrupted call created unrecorded, restore, delete in reverse load order, then prove the org
matches the snapshot. Every step is recorded in `ops.rollback_records`, so a rollback killed
halfway and run again finishes the job, and a second rollback of the same run changes nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from loaders.load.context import LoadProgress
from loaders.load.http import Clock, OrgHttp
from loaders.load.ledger import SCHEMA, Ledger, LedgerRow, SnapshotObject
from loaders.load.org_reads import all_records, records_by_id, records_with_stames_id
from loaders.rollback import org_writes
from loaders.rollback.plan import (
    DOCUMENT_OBJECT,
    FILE_OBJECT,
    LedgerEntry,
    RollbackPlan,
    Snapshot,
    plan_rollback,
)
from loaders.rollback.proof import Proof, Records, prove
from loaders.rollback.report import RollbackReport, build_report, write_report
from loaders.rollback.store import RollbackRow, RollbackStore

ROLLED_BACK = "rolled_back"
ADOPTED_MESSAGE = (
    "found in the org by the rollback: an interrupted call created it and the ledger never heard back"
)


class RollbackRefusedError(Exception):
    """The rollback cannot start; the message says why in one line."""


@dataclass(frozen=True)
class RollbackRequest:
    warehouse: Path
    reports_dir: Path
    run_id: str
    http: OrgHttp
    dry_run: bool = False


@dataclass(frozen=True)
class RollbackOutcome:
    report: RollbackReport
    markdown_path: Path
    html_path: Path

    @property
    def succeeded(self) -> bool:
        return self.report.dry_run or (self.report.identical and not self.report.failures)


def run_rollback(request: RollbackRequest, clock: Clock, progress: LoadProgress) -> RollbackOutcome:
    with duckdb.connect(str(request.warehouse)) as con:
        ledger = Ledger(con)
        _require_rollable(ledger, request.run_id)
        taken = ledger.snapshot_objects(request.run_id)
        if not taken:
            raise RollbackRefusedError(
                f"run {request.run_id} has no snapshot (it stopped before reading the org): "
                "nothing of it can be in the org"
            )
        snapshot = {item.sobject: ledger.snapshot_by_id(request.run_id, item.sobject) for item in taken}
        if not request.dry_run:
            _adopt_unrecorded(con, ledger, request, taken, snapshot, clock)
        plan = plan_rollback(ledger_entries(con, request.run_id), snapshot)
        if request.dry_run:
            report = build_report(request.run_id, plan, None, [])
            return RollbackOutcome(report, *write_report(report, request.reports_dir))
        store = RollbackStore(con)
        store.start(request.run_id, clock.now())
        _undo(request, plan, store, clock, progress)
        proof = _prove(request.http, taken, snapshot)
        report = build_report(request.run_id, plan, proof, store.failures(request.run_id))
        markdown_path, html_path = write_report(report, request.reports_dir)
        store.finish(request.run_id, clock.now(), proof.identical, str(markdown_path))
        if proof.identical and not report.failures:
            ledger.set_run(request.run_id, status=ROLLED_BACK)
        return RollbackOutcome(report, markdown_path, html_path)


def _require_rollable(ledger: Ledger, run_id: str) -> None:
    run = ledger.run(run_id)
    if run is None:
        raise RollbackRefusedError(f"there is no run {run_id} in the ledger (`ops.load_runs`)")
    later = ledger.con.execute(
        f"SELECT run_id FROM {SCHEMA}.load_runs WHERE started_at > ? AND status NOT IN (?, 'superseded') "
        "ORDER BY started_at",
        [run.started_at, ROLLED_BACK],
    ).fetchall()
    if later:
        names = ", ".join(name for (name,) in later)
        raise RollbackRefusedError(
            f"run {run_id} has later runs that may have changed the same records ({names}): "
            "roll those back first"
        )


def ledger_entries(con: duckdb.DuckDBPyConnection, run_id: str) -> list[LedgerEntry]:
    rows = con.execute(
        f"SELECT r.phase, coalesce(p.phase_order, 0), r.sobject, r.stames_id, r.salesforce_id, r.action, "
        f"r.prior_values FROM {SCHEMA}.load_records r LEFT JOIN {SCHEMA}.load_phases p "
        "ON p.run_id = r.run_id AND p.phase = r.phase "
        "WHERE r.run_id = ? AND r.salesforce_id IS NOT NULL AND r.action <> 'unchanged'",
        [run_id],
    ).fetchall()
    return [
        LedgerEntry(phase, order, sobject, key, sf_id, action, json.loads(prior) if prior else None)
        for phase, order, sobject, key, sf_id, action, prior in rows
    ]


def _adopt_unrecorded(
    con: duckdb.DuckDBPyConnection,
    ledger: Ledger,
    request: RollbackRequest,
    taken: list[SnapshotObject],
    snapshot: Snapshot,
    clock: Clock,
) -> None:
    """Records with a Stames id that neither existed before the run nor are named by any run's
    ledger: a call the kill interrupted created them. They go into this run's ledger first, so
    the rollback still touches only what the ledger names."""
    phases = dict(
        con.execute(
            f"SELECT sobject, phase FROM {SCHEMA}.load_phases WHERE run_id = ? AND phase NOT LIKE '%:links'",
            [request.run_id],
        ).fetchall()
    )
    for item in taken:
        if not item.keyed or item.sobject not in phases:
            continue
        named = {
            sf_id
            for (sf_id,) in con.execute(
                f"SELECT salesforce_id FROM {SCHEMA}.load_records "
                "WHERE sobject = ? AND salesforce_id IS NOT NULL",
                [item.sobject],
            ).fetchall()
        }
        before = snapshot.get(item.sobject, {})
        found = [
            LedgerRow(
                phases[item.sobject], item.sobject, key, sf_id, "created", 0, error_message=ADOPTED_MESSAGE
            )
            for sf_id, key, _ in records_with_stames_id(request.http, item.sobject, [])
            if sf_id not in before and sf_id not in named
        ]
        ledger.record(request.run_id, found, clock.now())


def _undo(
    request: RollbackRequest, plan: RollbackPlan, store: RollbackStore, clock: Clock, progress: LoadProgress
) -> None:
    done = store.done_ids(request.run_id)
    store.record(request.run_id, _undeleted(request.http, plan, done), clock.now())
    restores = [item for item in plan.restores if item.salesforce_id not in done]
    progress.start("restore", len(restores))
    for rows in org_writes.restore(request.http, restores):
        store.record(request.run_id, rows, clock.now())
        progress.advance("restore", len(rows))
    progress.finish("restore")
    for sobject, ids in plan.deletions_by_object().items():
        pending = [sf_id for sf_id in ids if sf_id not in done]
        name = f"delete {sobject}"
        progress.start(name, len(pending))
        for rows in _delete(request.http, sobject, pending):
            store.record(request.run_id, rows, clock.now())
            progress.advance(name, len(rows))
        progress.finish(name)


def _undeleted(http: OrgHttp, plan: RollbackPlan, done: set[str]) -> list[RollbackRow]:
    """Records the run deleted come back from the Recycle Bin, with what their delete took along."""
    pending = [item for item in plan.undeletes if item.salesforce_id not in done]
    rows: list[RollbackRow] = []
    for sobject in sorted({item.sobject for item in pending}):
        ids = [item.salesforce_id for item in pending if item.sobject == sobject]
        live = {sf_id for sf_id, _, _ in records_by_id(http, sobject, ids, [], keyed=False)}
        rows += [RollbackRow(sobject, sf_id, "restored") for sf_id in ids if sf_id in live]
        for batch in org_writes.undelete(http, sobject, [sf_id for sf_id in ids if sf_id not in live]):
            rows += batch
    return rows


def _delete(http: OrgHttp, sobject: str, ids: list[str]):  # noqa: ANN202 - an iterator of row batches
    """Files go through their ContentDocument (its versions and links go with it)."""
    if sobject != FILE_OBJECT:
        yield from org_writes.delete(http, sobject, ids)
        return
    documents = org_writes.documents_of(http, ids)
    gone = [RollbackRow(sobject, sf_id, "deleted") for sf_id in ids if sf_id not in documents]
    if gone:
        yield gone
    version_of = {document: version for version, document in documents.items()}
    for rows in org_writes.delete(http, DOCUMENT_OBJECT, list(version_of)):
        yield [
            RollbackRow(sobject, version_of[row.salesforce_id], row.action, row.error_code, row.error_message)
            for row in rows
        ]


def _prove(http: OrgHttp, taken: list[SnapshotObject], snapshot: Snapshot) -> Proof:
    def read_now(item: SnapshotObject) -> Records:
        return {
            sf_id: (key, values)
            for sf_id, key, values in all_records(http, item.sobject, item.fields, keyed=item.keyed)
        }

    return prove(taken, snapshot, read_now)
