"""The rollback's writes: Collections deletes and updates, 200 records a call, every answer per
record [doc: REST API guide, sObject Collections]; and the SOAP `undelete()` for what a run deleted."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from loaders.load.http import OrgError, OrgHttp
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


SOAP_ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP_PARTNER = "urn:partner.soap.sforce.com"


def undelete(http: OrgHttp, sobject: str, ids: Sequence[str]) -> Iterator[list[RollbackRow]]:
    """Bring records back from the Recycle Bin with their cascade: the SOAP API's `undelete()`,
    which the REST API has no counterpart for [doc: SOAP API, undelete()]; 200 Ids a call."""
    token = http.headers["Authorization"].removeprefix("Bearer ").strip()
    url = f"{http.instance_url}/services/Soap/u/{http.api_version}"
    for start in range(0, len(ids), BATCH):
        batch = list(ids[start : start + BATCH])
        envelope = (
            f'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="{SOAP_ENVELOPE}" '
            f'xmlns:urn="{SOAP_PARTNER}"><soapenv:Header><urn:SessionHeader><urn:sessionId>{escape(token)}'
            "</urn:sessionId></urn:SessionHeader></soapenv:Header><soapenv:Body><urn:undelete>"
            + "".join(f"<urn:ids>{escape(sf_id)}</urn:ids>" for sf_id in batch)
            + "</urn:undelete></soapenv:Body></soapenv:Envelope>"
        )
        headers = {"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '""'}
        try:
            response = http.request("POST", url, data=envelope.encode("utf-8"), headers=headers)
        except OrgError as error:
            yield [
                RollbackRow(sobject, sf_id, "failed", error.code or "SOAP_FAULT", str(error))
                for sf_id in batch
            ]
            continue
        yield _undeleted(sobject, batch, response.content)


def _undeleted(sobject: str, batch: list[str], content: bytes) -> list[RollbackRow]:
    root = ElementTree.fromstring(content)  # noqa: S314 - the org's own answer
    results = [item for item in root.iter() if _local(item.tag) == "result"]
    rows = []
    for sf_id, result in zip(batch, results, strict=True):
        fields = {_local(item.tag): (item.text or "") for item in result.iter()}
        if fields.get("success") == "true":
            rows.append(RollbackRow(sobject, sf_id, "restored"))
        else:
            rows.append(
                RollbackRow(
                    sobject, sf_id, "failed", fields.get("statusCode") or "UNKNOWN", fields.get("message")
                )
            )
    return rows


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
