"""The sObject Collections transport: up to 200 records a call, for the small sets where a Bulk
job's five-plus calls would cost more than they save.

The Collections API answers one result per record in the order sent [doc: REST API guide,
sObject Collections]: that order is the contract here, the only place results are matched by
position.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from loaders.load.http import OrgHttp
from loaders.load.records import DmlSpec, LoadRecord, Operation, RecordResult, api_json, failure

BATCH = 200


class CollectionsTransport:
    def __init__(self, http: OrgHttp) -> None:
        self.http = http

    def run(self, spec: DmlSpec, records: Sequence[LoadRecord]) -> Iterator[list[RecordResult]]:
        for start in range(0, len(records), BATCH):
            batch = records[start : start + BATCH]
            body = {"allOrNone": False, "records": [record_json(spec, record) for record in batch]}
            if spec.operation is Operation.UPSERT:
                answers = self.http.json(
                    "PATCH", f"composite/sobjects/{spec.sobject}/{spec.key_field}", json=body
                )
            elif spec.operation is Operation.UPDATE:
                answers = self.http.json("PATCH", "composite/sobjects", json=body)
            else:
                answers = self.http.json("POST", "composite/sobjects", json=body)
            yield [
                _result(record, answer, spec.operation) for record, answer in zip(batch, answers, strict=True)
            ]


def record_json(spec: DmlSpec, record: LoadRecord) -> dict[str, object]:
    """A record as Collections takes it; a lookup by external id is a nested parent reference."""
    body: dict[str, object] = {"attributes": {"type": spec.sobject}}
    if spec.operation is not Operation.INSERT or spec.key_field != "Id":
        body[spec.key_field] = record.key
    for name in spec.fields:
        if name == spec.key_field:
            continue
        value = record.values.get(name)
        if value is None and spec.operation is Operation.INSERT:
            continue
        body[name] = api_json(value)
    for parent in spec.parents:
        parent_key = record.parent_keys.get(parent.field)
        if parent_key:
            reference: dict[str, object] = {parent.external_id_field: parent_key}
            if parent.polymorphic:
                reference = {"attributes": {"type": parent.parent_sobject}, **reference}
            body[parent.relationship] = reference
    return body


def _result(record: LoadRecord, answer: dict, operation: Operation) -> RecordResult:
    if answer.get("success"):
        created = (
            bool(answer.get("created")) if operation is Operation.UPSERT else operation is Operation.INSERT
        )
        return RecordResult(record.key, answer.get("id"), True, created=created)
    errors = answer.get("errors") or [{}]
    first = errors[0]
    fields = ",".join(first.get("fields") or [])
    message = str(first.get("message") or "")
    return failure(
        record.key,
        str(first.get("statusCode") or "UNKNOWN"),
        f"{message} [{fields}]" if fields else message,
        answer.get("id"),
    )
