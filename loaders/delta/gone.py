"""Tickets deleted (or marked spam) or merged in Stames after a run loaded them as Cases.

A deleted or spam ticket leaves the sync tables by the transform's stated rule, so no load touches
its Case again: it is listed for a decision and deleted in Salesforce only when asked, with a
ledger row holding its values. A merged ticket stays a Case (closed, under the Case it was merged
into, by the transform's rule): it is listed so the customer sees it, and never deleted here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from expectations.sync_tables import SYNC_SCHEMA
from loaders.load.http import OrgHttp
from loaders.load.ledger import SCHEMA, SUCCESS_ACTIONS, Ledger, LedgerRow
from loaders.rollback.org_writes import delete

DELETED = "deleted"
MERGED = "merged"
DELETE_PHASE = "Case.deletes"
CASES_TABLE = "sync_salesforce__cases"


@dataclass(frozen=True)
class GoneTicket:
    stames_id: str
    case_id: str
    reason: str
    """deleted, spam, or merged."""
    merged_into: str | None
    still_in_org: bool


def find_gone_tickets(con: duckdb.DuckDBPyConnection) -> list[GoneTicket]:
    """Cases some live run loaded whose ticket Stames has since deleted, marked spam or merged."""
    rows = con.execute(
        f"""
        WITH loaded AS (
            SELECT r.stames_id, arg_max(r.salesforce_id, r.recorded_at) AS case_id,
                   bool_or(r.action = 'deleted') AS deleted_by_delta, min(l.started_at) AS loaded_at
            FROM {SCHEMA}.load_records r JOIN {SCHEMA}.load_runs l USING (run_id)
            WHERE r.sobject = 'Case' AND r.salesforce_id IS NOT NULL
              AND r.action IN {(*SUCCESS_ACTIONS, DELETED)} AND l.status <> 'rolled_back'
            GROUP BY r.stames_id
        )
        SELECT loaded.stames_id, loaded.case_id,
               CASE WHEN t.merged_into_id IS NOT NULL THEN 'merged'
                    WHEN t.status = 'spam' OR t.is_spam THEN 'spam' ELSE 'deleted' END,
               CAST(t.merged_into_id AS VARCHAR), NOT loaded.deleted_by_delta
        FROM loaded JOIN raw_stames.tickets t ON CAST(t.id AS VARCHAR) = loaded.stames_id
        WHERE (t.merged_into_id IS NOT NULL OR t.status IN ('deleted', 'spam') OR t.is_spam
               OR loaded.stames_id NOT IN (SELECT "Stames_Id__c" FROM {SYNC_SCHEMA}."{CASES_TABLE}"))
          -- what was already so when it was loaded is the transform's business, not a change
          AND try_cast(coalesce(t.deleted_at, t.updated_at) AS TIMESTAMPTZ) > loaded.loaded_at
        ORDER BY loaded.stames_id
        """
    ).fetchall()
    return [GoneTicket(*row) for row in rows]


def delete_gone_cases(
    http: OrgHttp, ledger: Ledger, run_id: str, gone: Sequence[GoneTicket], now_rows: dict[str, dict]
) -> list[LedgerRow]:
    """Delete the Cases of deleted and spam tickets still in the org; each gets a ledger row of
    `run_id` with its values before (`now_rows`: Case Id → the run snapshot's values)."""
    doomed = [item for item in gone if item.reason != MERGED and item.still_in_org]
    by_id = {item.case_id: item for item in doomed}
    written: list[LedgerRow] = []
    for rows in delete(http, "Case", list(by_id)):
        ledger_rows = [
            LedgerRow(
                DELETE_PHASE,
                "Case",
                by_id[row.salesforce_id].stames_id,
                row.salesforce_id,
                DELETED if row.action == "deleted" else "failed",
                1,
                prior_values=now_rows.get(row.salesforce_id, {}),
                error_code=row.error_code,
                error_message=row.error_message,
            )
            for row in rows
        ]
        ledger.record(run_id, ledger_rows, http.clock.now())
        written += ledger_rows
    return written
