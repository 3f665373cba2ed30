"""One reconciliation of one load run: counts per phase, the Case status distribution and the
sampled Cases compared field by field, gathered into a `Reconciliation` the report and the store
read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from expectations.sync_tables import sync_models
from loaders.load.http import OrgHttp
from loaders.load.ledger import Run
from loaders.load.org_reads import describe
from loaders.reconcile import org
from loaders.reconcile.compare import CaseResult, OrgCase, compare_case
from loaders.reconcile.counts import (
    LINKS_SUFFIX,
    Counts,
    OrgCount,
    PhaseCount,
    ledger_counts,
    org_count,
    phase_count,
    phase_sources,
    run_phases,
    source_balances,
    synced_rows,
)
from loaders.reconcile.expected import CaseDescribe, ExpectedSources, expected_cases
from loaders.reconcile.runs import loaded_ids
from loaders.reconcile.sample import draw_sample
from loaders.reconcile.status import StatusRow, status_rows, synced_statuses
from mapping.model import EXTERNAL_ID_FIELD as STAMES_ID
from mapping.model import Mapping


@dataclass(frozen=True)
class ReconcileRequest:
    run: Run
    mapping: Mapping
    work_root: Path
    sample_size: int
    seed: int
    now: datetime


@dataclass(frozen=True)
class Reconciliation:
    run: Run
    reconciled_at: datetime
    sample_size: int
    seed: int
    counts: Counts
    statuses: tuple[StatusRow, ...]
    cases: tuple[CaseResult, ...]

    @property
    def mismatches(self) -> int:
        return sum(len(case.mismatches) for case in self.cases)

    @property
    def unexplained(self) -> int:
        statuses = sum(row.unexplained for row in self.statuses)
        return self.counts.unexplained + statuses + self.mismatches

    @property
    def passed(self) -> bool:
        return self.unexplained == 0


def reconcile(con: duckdb.DuckDBPyConnection, http: OrgHttp, request: ReconcileRequest) -> Reconciliation:
    run_id = request.run.run_id
    counts = _counts(con, http, request)
    cases = loaded_ids(con, run_id, "Case")
    statuses = status_rows(synced_statuses(con), cases, org.case_statuses(http))
    sample = draw_sample(cases, request.sample_size, request.seed)
    return Reconciliation(
        run=request.run,
        reconciled_at=request.now,
        sample_size=request.sample_size,
        seed=request.seed,
        counts=counts,
        statuses=tuple(statuses),
        cases=tuple(_compare_sample(con, http, request, sample, cases)),
    )


def _counts(con: duckdb.DuckDBPyConnection, http: OrgHttp, request: ReconcileRequest) -> Counts:
    models = {model.sobject: model for model in sync_models(request.mapping) if not model.extension}
    balances = source_balances(con)
    custom_keys = {item.api_name: item.source_key for item in request.mapping.custom_objects}
    sources = phase_sources(set(models), request.mapping.strategies.status_history_object, custom_keys)
    rows: list[PhaseCount] = []
    for phase, sobject in run_phases(con, request.run.run_id):
        ledger = ledger_counts(con, request.run.run_id, phase, sobject)
        if phase.endswith(LINKS_SUFFIX):
            rows.append(phase_count(phase, sobject, None, None, ledger, None))
            continue
        model = models.get(sobject)
        synced = synced_rows(con, model) if model else None
        rows.append(
            phase_count(
                phase,
                sobject,
                balances.get(sources.get(sobject, "")),
                synced,
                ledger,
                _org_count(http, sobject, ledger.loaded_ids, _earlier_ids(con, request.run.run_id, sobject)),
            )
        )
    used = set(sources.values())
    others = tuple(balance for name, balance in balances.items() if name not in used)
    return Counts(tuple(rows), others)


def _earlier_ids(con: duckdb.DuckDBPyConnection, run_id: str, sobject: str) -> frozenset[str]:
    """Salesforce ids of `sobject` that other runs, not rolled back, loaded."""
    rows = con.execute(
        "SELECT DISTINCT r.salesforce_id FROM ops.load_records r JOIN ops.load_runs l USING (run_id) "
        "WHERE r.run_id <> ? AND r.sobject = ? AND r.salesforce_id IS NOT NULL "
        "AND r.action IN ('created', 'updated', 'linked', 'unchanged') AND l.status <> 'rolled_back'",
        [run_id, sobject],
    ).fetchall()
    return frozenset(sf_id for (sf_id,) in rows)


def _org_count(http: OrgHttp, sobject: str, loaded: frozenset[str], earlier: frozenset[str]) -> OrgCount:
    described = describe(http, sobject) or {"fields": []}
    keyed = any(item["name"] == STAMES_ID for item in described["fields"])
    if keyed:
        in_org = org.keyed_ids(http, sobject)
        return org_count(loaded, in_org, in_org, earlier)
    return org_count(loaded, org.existing_ids(http, sobject, sorted(loaded)), None)


def _compare_sample(
    con: duckdb.DuckDBPyConnection,
    http: OrgHttp,
    request: ReconcileRequest,
    sample: list[str],
    cases: dict[str, str],
) -> list[CaseResult]:
    case_describe = CaseDescribe(
        {item["name"]: item for item in (describe(http, "Case") or {"fields": []})["fields"]}
    )
    parents = {"Account", "Contact", "Case", *(item.api_name for item in request.mapping.custom_objects)}
    loaded = {sobject: loaded_ids(con, request.run.run_id, sobject) for sobject in parents}
    with_topics = bool(loaded_ids(con, request.run.run_id, "TopicAssignment"))
    expected = expected_cases(
        con, sample, case_describe, ExpectedSources(loaded, with_topics), request.work_root
    )
    ids = [cases[key] for key in sample]
    fields = sorted({name for case in expected for name in case.fields})
    records = org.cases(http, ids, fields)
    children = org.children(http, ids, topics=with_topics)
    results = []
    for case in expected:
        case_id = cases[case.stames_id]
        record = records.get(case_id)
        found = None
        if record is not None:
            found = OrgCase(
                salesforce_id=case_id,
                fields=record,
                messages=tuple(children.messages.get(case_id, ())),
                notes=frozenset(children.notes.get(case_id, ())),
                files=tuple(children.files.get(case_id, ())),
                topics=frozenset(children.topics.get(case_id, ())),
            )
        results.append(compare_case(case, found))
    return results
