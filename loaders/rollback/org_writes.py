"""The rollback's writes: Collections deletes and updates, 200 records a call, every answer per
record [doc: REST API guide, sObject Collections]."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from loaders.load.http import OrgHttp
from loaders.load.org_reads import records_by_id
from loaders.load.records import api_json
from loaders.rollback.plan import Restore
from loaders.rollback.store import RollbackRow

BATCH = 200
ALREADY_GONE = frozenset({"ENTITY_IS_DELETED", "INVALID_CROSS_REFERENCE_KEY"})
"""A delete of a record that is no longer there: an earlier attempt or a cascade took it."""


def delete(http: OrgHttp, sobject: str, ids: Sequence[str]) -> Iterator[list[RollbackRow]]:
    """Delete `ids` (records of `sobject`), one batch's rows at a time."""
    for start in range(0, len(ids), BATCH):
        batch = list(ids[start : start + BATCH])
        answers = http.json(
            "DELETE", "composite/sobjects", params={"ids": ",".join(batch), "allOrNone": "false"}
        )
        yield [_deleted(sobject, sf_id, answer) for sf_id, answer in zip(batch, answers, strict=True)]


def _deleted(sobject: str, sf_id: str, answer: dict) -> RollbackRow:
    if answer.get("success"):
        return RollbackRow(sobject, sf_id, "deleted")
    error = (answer.get("errors") or [{}])[0]
    code = str(error.get("statusCode") or "UNKNOWN")
    if code in ALREADY_GONE:
        return RollbackRow(sobject, sf_id, "deleted")
    return RollbackRow(sobject, sf_id, "failed", code, str(error.get("message") or ""))


def restore(http: OrgHttp, restores: Sequence[Restore]) -> Iterator[list[RollbackRow]]:
    """Put the prior values back, by Id."""
    for start in range(0, len(restores), BATCH):
        batch = restores[start : start + BATCH]
        body = {
            "allOrNone": False,
            "records": [
                {
                    "attributes": {"type": item.sobject},
                    "Id": item.salesforce_id,
                    **{name: api_json(value) for name, value in item.values.items()},
                }
                for item in batch
            ],
        }
        answers = http.json("PATCH", "composite/sobjects", json=body)
        yield [_restored(item, answer) for item, answer in zip(batch, answers, strict=True)]


def _restored(item: Restore, answer: dict) -> RollbackRow:
    if answer.get("success"):
        return RollbackRow(item.sobject, item.salesforce_id, "restored")
    error = (answer.get("errors") or [{}])[0]
    return RollbackRow(
        item.sobject,
        item.salesforce_id,
        "failed",
        str(error.get("statusCode") or "UNKNOWN"),
        str(error.get("message") or ""),
    )


def documents_of(http: OrgHttp, version_ids: Sequence[str]) -> dict[str, str]:
    """ContentVersion Id → its ContentDocument Id, for the versions still in the org."""
    return {
        sf_id: str(values["ContentDocumentId"])
        for sf_id, _, values in records_by_id(http, "ContentVersion", version_ids, ["ContentDocumentId"])
        if values.get("ContentDocumentId")
    }
