"""What a rollback does, from the run ledger and the run's snapshot alone.

A record the ledger names is *restored* when the snapshot holds it (it existed before the run:
its prior values go back, `Stames_Id__c` included when the run set it) and *deleted* when the
snapshot does not (the run created it). Deletions go in reverse load order, children before
parents; a file goes through its ContentDocument, which takes its versions and links along.
A record the ledger does not name is never touched. A record a delta deleted (`--apply-deletes`)
comes back from the Recycle Bin (SOAP `undelete()`: the REST API has none), within the 15 days
Salesforce keeps it there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from mapping.model import EXTERNAL_ID_FIELD as STAMES_ID

DELETED = "deleted"
FILE_OBJECT = "ContentVersion"
DOCUMENT_OBJECT = "ContentDocument"


@dataclass(frozen=True)
class LedgerEntry:
    """One `ops.load_records` row of the run that names a Salesforce record."""

    phase: str
    phase_order: int
    sobject: str
    stames_id: str
    salesforce_id: str
    action: str
    prior_values: dict | None


@dataclass(frozen=True)
class Restore:
    sobject: str
    salesforce_id: str
    values: dict


@dataclass(frozen=True)
class Deletion:
    sobject: str
    salesforce_id: str
    order: int


@dataclass(frozen=True)
class RollbackPlan:
    restores: tuple[Restore, ...]
    deletions: tuple[Deletion, ...]
    """In the order they must go: the latest phase first."""
    kept: dict[str, int] = field(default_factory=dict)
    """Per object, the records the ledger names that existed before and need nothing back."""
    undeletes: tuple[Deletion, ...] = ()
    """Records the run deleted: undeleted from the Recycle Bin."""

    def deletions_by_object(self) -> dict[str, list[str]]:
        """Object → Ids to delete, objects in deletion order."""
        grouped: dict[str, list[str]] = {}
        for deletion in self.deletions:
            grouped.setdefault(deletion.sobject, []).append(deletion.salesforce_id)
        return grouped


Snapshot = dict[str, dict[str, tuple[str | None, dict]]]
"""Object → Salesforce id → (Stames id, field values) before the run."""


def plan_rollback(entries: Iterable[LedgerEntry], snapshot: Snapshot) -> RollbackPlan:
    restore_values: dict[tuple[str, str], dict] = {}
    deletions: dict[str, Deletion] = {}
    kept: dict[str, int] = {}
    # Earlier phases first: when two rows name a field, the first one's prior value is the pre-run one.
    undeletes: list[Deletion] = []
    for entry in sorted(entries, key=lambda item: (item.phase_order, item.phase.endswith(":links"))):
        if entry.action == DELETED:
            undeletes.append(Deletion(entry.sobject, entry.salesforce_id, entry.phase_order))
            continue
        before = snapshot.get(entry.sobject, {}).get(entry.salesforce_id)
        if before is None:
            known = deletions.get(entry.salesforce_id)
            if known is None or entry.phase_order > known.order:
                deletions[entry.salesforce_id] = Deletion(
                    entry.sobject, entry.salesforce_id, entry.phase_order
                )
            continue
        values = restore_values.setdefault((entry.sobject, entry.salesforce_id), {})
        for name, value in (entry.prior_values or {}).items():
            values.setdefault(name, value)
        stames_id_before = before[0]
        if stames_id_before != entry.stames_id and STAMES_ID not in values and _sets_stames_id(entry):
            values[STAMES_ID] = stames_id_before
    restores = []
    for (sobject, sf_id), values in sorted(restore_values.items()):
        if values:
            restores.append(Restore(sobject, sf_id, values))
        else:
            kept[sobject] = kept.get(sobject, 0) + 1
    ordered = sorted(deletions.values(), key=lambda item: (-item.order, item.sobject, item.salesforce_id))
    return RollbackPlan(tuple(restores), tuple(ordered), kept, tuple(undeletes))


def _sets_stames_id(entry: LedgerEntry) -> bool:
    """An update that matched by Id (an adopted record) wrote the Stames id; an upsert matched on it."""
    return entry.action in ("updated", "linked")
