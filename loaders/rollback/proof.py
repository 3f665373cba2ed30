"""The proof of a rollback: every object the run touched, read back now and compared with the
snapshot the load took before it started, record by record on the fields the run could change
(and `Stames_Id__c`). Pre-existing records must be identical, and nothing else may be left."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from loaders.load.ledger import SnapshotObject
from loaders.rollback.plan import Snapshot
from mapping.model import EXTERNAL_ID_FIELD as STAMES_ID

Records = dict[str, tuple[str | None, dict]]
"""Salesforce id → (Stames id, field values)."""


@dataclass(frozen=True)
class FieldDifference:
    sobject: str
    salesforce_id: str
    field: str
    before: object
    now: object


@dataclass(frozen=True)
class ObjectProof:
    sobject: str
    before: int
    now: int
    missing: tuple[str, ...]
    """Pre-existing records that are gone."""
    left_over: tuple[str, ...]
    """Records that were not there before the run."""
    changed: tuple[FieldDifference, ...]

    @property
    def identical(self) -> bool:
        return not (self.missing or self.left_over or self.changed)


@dataclass(frozen=True)
class Proof:
    objects: tuple[ObjectProof, ...]

    @property
    def identical(self) -> bool:
        return all(item.identical for item in self.objects)


def compare_object(taken: SnapshotObject, before: Records, now: Records) -> ObjectProof:
    changed: list[FieldDifference] = []
    for sf_id in sorted(before.keys() & now.keys()):
        key_before, values_before = before[sf_id]
        key_now, values_now = now[sf_id]
        if taken.keyed and key_before != key_now:
            changed.append(FieldDifference(taken.sobject, sf_id, STAMES_ID, key_before, key_now))
        for name in taken.fields:
            if values_before.get(name) != values_now.get(name):
                changed.append(
                    FieldDifference(taken.sobject, sf_id, name, values_before.get(name), values_now.get(name))
                )
    return ObjectProof(
        taken.sobject,
        len(before),
        len(now),
        tuple(sorted(before.keys() - now.keys())),
        tuple(sorted(now.keys() - before.keys())),
        tuple(changed),
    )


def prove(
    taken_objects: Iterable[SnapshotObject], snapshot: Snapshot, read_now: Callable[[SnapshotObject], Records]
) -> Proof:
    """Each object the snapshot took, as it was (`snapshot`) against as it is (`read_now`)."""
    return Proof(
        tuple(
            compare_object(taken, snapshot.get(taken.sobject, {}), read_now(taken)) for taken in taken_objects
        )
    )
