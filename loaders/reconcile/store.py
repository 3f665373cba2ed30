"""Where reconciliations are recorded, beside the run ledger in schema `ops`:

- `ops.reconciliations`: one row per reconciliation (passed, sample, seed, unexplained, the report,
  and who signed it off). The load's production gate reads `passed AND signed_off_by IS NOT NULL`
  joined to `ops.load_runs` on run_id.
- `ops.reconciliation_phases`: its counts, one row per load phase and per Stames object balanced
  on its own (phase `source:<object>`).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from loaders.load.ledger import SCHEMA
from loaders.reconcile.run import Reconciliation

DDL = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
CREATE TABLE IF NOT EXISTS {SCHEMA}.reconciliations (
    run_id VARCHAR NOT NULL,
    reconciled_at TIMESTAMPTZ NOT NULL,
    passed BOOLEAN NOT NULL,
    sample_size INTEGER NOT NULL,
    seed BIGINT NOT NULL,
    unexplained INTEGER NOT NULL,
    report_path VARCHAR NOT NULL,
    signed_off_by VARCHAR,
    signed_off_at TIMESTAMPTZ,
    PRIMARY KEY (run_id, reconciled_at)
);
CREATE TABLE IF NOT EXISTS {SCHEMA}.reconciliation_phases (
    run_id VARCHAR NOT NULL,
    reconciled_at TIMESTAMPTZ NOT NULL,
    phase VARCHAR NOT NULL,
    sobject VARCHAR,
    source_rows INTEGER,
    synced INTEGER,
    quarantined INTEGER,
    excluded INTEGER,
    loaded INTEGER,
    failed INTEGER,
    in_org INTEGER,
    unexplained INTEGER NOT NULL,
    PRIMARY KEY (run_id, reconciled_at, phase)
);
"""
SOURCE_PHASE_PREFIX = "source:"


def save_reconciliation(
    con: duckdb.DuckDBPyConnection,
    reconciliation: Reconciliation,
    report_path: Path,
    signed_off_by: str | None,
) -> None:
    """Record one reconciliation; a sign-off is kept only on a passed one."""
    con.execute(DDL).fetchall()
    run_id, at = reconciliation.run.run_id, reconciliation.reconciled_at
    signer = signed_off_by if reconciliation.passed else None
    con.execute(
        f"INSERT INTO {SCHEMA}.reconciliations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            at,
            reconciliation.passed,
            len(reconciliation.cases),
            reconciliation.seed,
            reconciliation.unexplained,
            str(report_path),
            signer,
            at if signer else None,
        ],
    ).fetchall()
    rows = [
        [
            run_id,
            at,
            row.phase,
            row.sobject,
            row.source.source_rows if row.source else None,
            row.synced,
            row.source.quarantined if row.source else None,
            row.source.excluded if row.source else None,
            row.loaded,
            row.failed,
            row.in_org,
            row.unexplained,
        ]
        for row in reconciliation.counts.phases
    ]
    rows += [
        [
            run_id,
            at,
            f"{SOURCE_PHASE_PREFIX}{source.object}",
            None,
            source.source_rows,
            source.synced,
            source.quarantined,
            source.excluded,
            None,
            None,
            None,
            source.unexplained,
        ]
        for source in reconciliation.counts.sources
    ]
    if rows:
        con.executemany(
            f"INSERT INTO {SCHEMA}.reconciliation_phases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
        )
