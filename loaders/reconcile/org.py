"""What the reconciliation reads back from the org, all by SOQL: record Ids per object, Case
statuses, and the sampled Cases with their messages, notes, files and topics (200 Ids a query)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from loaders.load.http import OrgHttp
from loaders.load.org_reads import IDS_PER_QUERY, query_all, records_by_id, records_with_stames_id
from loaders.reconcile.compare import OrgFile, OrgMessage
from mapping.model import EXTERNAL_ID_FIELD as STAMES_ID


@dataclass(frozen=True)
class OrgChildren:
    """Per Case Id: its EmailMessages (MessageDate order), Task Stames ids, files and topics."""

    messages: dict[str, list[OrgMessage]]
    notes: dict[str, set[str]]
    files: dict[str, list[OrgFile]]
    topics: dict[str, set[str]]


def keyed_ids(http: OrgHttp, sobject: str) -> set[str]:
    """Ids of every record of `sobject` that carries a Stames id."""
    return {sf_id for sf_id, _, _ in records_with_stames_id(http, sobject, [])}


def existing_ids(http: OrgHttp, sobject: str, ids: Sequence[str]) -> set[str]:
    return {sf_id for sf_id, _, _ in records_by_id(http, sobject, ids, [], keyed=False)}


def case_statuses(http: OrgHttp) -> dict[str, str | None]:
    """Id → Status of every Case with a Stames id."""
    soql = f"SELECT Id, Status FROM Case WHERE {STAMES_ID} != null"
    return {record["Id"]: record.get("Status") for record in query_all(http, soql)}


def cases(http: OrgHttp, ids: Sequence[str], fields: Sequence[str]) -> dict[str, dict]:
    selected = ", ".join(dict.fromkeys(["Id", STAMES_ID, *fields]))
    found: dict[str, dict] = {}
    for chunk in _chunks(ids):
        for record in query_all(http, f"SELECT {selected} FROM Case WHERE Id IN ({chunk})"):
            found[record["Id"]] = record
    return found


def children(http: OrgHttp, case_ids: Sequence[str], *, topics: bool) -> OrgChildren:
    result = OrgChildren({}, {}, {}, {})
    for chunk in _chunks(case_ids):
        for record in query_all(
            http,
            f"SELECT Id, ParentId, {STAMES_ID}, Incoming, MessageDate, TextBody FROM EmailMessage "
            f"WHERE ParentId IN ({chunk}) ORDER BY MessageDate, CreatedDate, Id",
        ):
            message = OrgMessage(
                record.get(STAMES_ID),
                record.get("Incoming"),
                record.get("MessageDate"),
                record.get("TextBody"),
            )
            result.messages.setdefault(record["ParentId"], []).append(message)
        for record in query_all(http, f"SELECT Id, WhatId, {STAMES_ID} FROM Task WHERE WhatId IN ({chunk})"):
            result.notes.setdefault(record["WhatId"], set()).add(record.get(STAMES_ID) or record["Id"])
        for case_id, version in _linked_versions(http, chunk):
            result.files.setdefault(case_id, []).append(version)
        if topics:
            soql = f"SELECT EntityId, Topic.Name FROM TopicAssignment WHERE EntityId IN ({chunk})"
            for record in query_all(http, soql):
                name = (record.get("Topic") or {}).get("Name")
                result.topics.setdefault(record["EntityId"], set()).add(name or "")
    return result


def _linked_versions(http: OrgHttp, case_chunk: str) -> Iterator[tuple[str, OrgFile]]:
    links = list(
        query_all(
            http,
            "SELECT ContentDocumentId, LinkedEntityId FROM ContentDocumentLink "
            f"WHERE LinkedEntityId IN ({case_chunk})",
        )
    )
    documents = sorted({link["ContentDocumentId"] for link in links})
    latest: dict[str, OrgFile] = {}
    for chunk in _chunks(documents):
        soql = (
            "SELECT ContentDocumentId, ContentSize, Checksum FROM ContentVersion "
            f"WHERE ContentDocumentId IN ({chunk}) AND IsLatest = true"
        )
        for record in query_all(http, soql):
            latest[record["ContentDocumentId"]] = OrgFile(record.get("ContentSize"), record.get("Checksum"))
    for link in links:
        version = latest.get(link["ContentDocumentId"])
        if version is not None:
            yield link["LinkedEntityId"], version


def _chunks(ids: Sequence[str]) -> Iterator[str]:
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), IDS_PER_QUERY):
        yield ", ".join(
            "'" + value.replace("'", "\\'") + "'" for value in wanted[start : start + IDS_PER_QUERY]
        )
