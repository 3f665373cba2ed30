"""The Case status distribution, per Salesforce Status: which Stames statuses feed it, how many
Cases the sync table holds and the run loaded with it, and how many the org holds now. A Case
whose Status changed in the org after the load moves one Case between two rows: both are flagged."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

from expectations.sync_tables import STANDARD_TABLES, SYNC_SCHEMA

NO_STATUS = "(none)"


@dataclass(frozen=True)
class StatusRow:
    status: str
    stames_statuses: str
    """`open: 12, pending: 3`: the Stames statuses of the synced tickets with this Status."""
    synced: int
    loaded: int
    in_org: int

    @property
    def unexplained(self) -> int:
        return abs(self.loaded - self.in_org)


def synced_statuses(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str | None, str | None]]:
    """(Stames id, Stames status, synced Status) of every synced Case."""
    return con.execute(
        f'SELECT c."Stames_Id__c", t.status, c."Status" FROM {SYNC_SCHEMA}."{STANDARD_TABLES["Case"]}" c '
        'LEFT JOIN raw_stames.tickets t ON t.id::varchar = c."Stames_Id__c"'
    ).fetchall()


def status_rows(
    synced: list[tuple[str, str | None, str | None]],
    loaded_ids: Mapping[str, str],
    org_statuses: Mapping[str, str | None],
) -> list[StatusRow]:
    """`loaded_ids`: Stames id → Salesforce id of the run's Cases; `org_statuses`: Id → Status."""
    by_status: dict[str, Counter[str]] = {}
    synced_count: Counter[str] = Counter()
    loaded_count: Counter[str] = Counter()
    for key, stames_status, status in synced:
        name = status or NO_STATUS
        by_status.setdefault(name, Counter())[stames_status or NO_STATUS] += 1
        synced_count[name] += 1
        if key in loaded_ids:
            loaded_count[name] += 1
    run_ids = set(loaded_ids.values())
    org_count = Counter(status or NO_STATUS for case_id, status in org_statuses.items() if case_id in run_ids)
    names = sorted(set(synced_count) | set(org_count))
    return [
        StatusRow(
            status=name,
            stames_statuses=", ".join(
                f"{stames}: {count}" for stames, count in sorted(by_status.get(name, {}).items())
            ),
            synced=synced_count[name],
            loaded=loaded_count[name],
            in_org=org_count[name],
        )
        for name in names
    ]
