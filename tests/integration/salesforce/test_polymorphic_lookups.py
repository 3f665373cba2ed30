"""Polymorphic lookups as a client meets them: describe lists the targets and relationship names,
Bulk 2.0 takes the `ObjectType:Relationship.Field` header (contract §1.4) and REST the nested
`"What": {"attributes": {"type": "Case"}, …}` form.

Expected values come from the object reference: Task.WhatId (What) points to non-human records
such as Accounts and Cases, never to a Contact; EmailMessage.RelatedToId (RelatedTo),
ContentVersion.FirstPublishLocationId (FirstPublishLocation), ContentDocumentLink.LinkedEntityId
(LinkedEntity) and TopicAssignment.EntityId (Entity) are polymorphic.
"""

from __future__ import annotations

import pytest
from simple_salesforce import Salesforce

from tests.fixtures.salesforce_bulk import BulkHttp

FAST = {"wait": 0.05}

POLYMORPHIC_FIELDS = [
    ("Task", "WhatId", "What", {"Account", "Case"}),
    ("EmailMessage", "RelatedToId", "RelatedTo", {"Account", "Case"}),
    ("ContentVersion", "FirstPublishLocationId", "FirstPublishLocation", {"Account", "Case", "User"}),
    ("ContentDocumentLink", "LinkedEntityId", "LinkedEntity", {"Account", "Case", "User", "EmailMessage"}),
    ("TopicAssignment", "EntityId", "Entity", {"Account", "Case", "Contact", "Task"}),
]


def _field(sf: Salesforce, sobject: str, name: str) -> dict[str, object]:
    fields = getattr(sf, sobject).describe()["fields"]
    return next(field for field in fields if field["name"] == name)


@pytest.mark.parametrize(("sobject", "name", "relationship", "some_targets"), POLYMORPHIC_FIELDS)
def test_describe_lists_targets_and_relationship_name(
    sf: Salesforce, sobject: str, name: str, relationship: str, some_targets: set[str]
) -> None:
    field = _field(sf, sobject, name)
    assert field["relationshipName"] == relationship
    assert field["polymorphicForeignKey"] is True
    assert some_targets <= set(field["referenceTo"])  # type: ignore[arg-type]


def test_what_and_related_to_never_point_at_people(sf: Salesforce) -> None:
    for sobject, name in (("Task", "WhatId"), ("EmailMessage", "RelatedToId")):
        targets = set(_field(sf, sobject, name)["referenceTo"])  # type: ignore[arg-type]
        assert not targets & {"Contact", "Lead", "User", "Group"}


def test_bulk_upsert_sets_what_by_the_case_external_id(bulk_sf: Salesforce) -> None:
    case_id = bulk_sf.Case.create({"Subject": "Printer", "Stames_Id__c": "T-100"})["id"]
    records = [{"Subject": "Call back", "Case:What.Stames_Id__c": "T-100"}]
    [summary] = bulk_sf.bulk2.Task.upsert(records=records, external_id_field="Id", **FAST)
    assert (summary["numberRecordsProcessed"], summary["numberRecordsFailed"]) == (1, 0)
    [task] = bulk_sf.query("SELECT WhatId FROM Task WHERE Subject = 'Call back'")["records"]
    assert task["WhatId"] == case_id


def test_bulk_header_without_the_object_prefix_fails_the_job(bulk_http: BulkHttp) -> None:
    info = bulk_http.run_ingest("Subject,What.Stames_Id__c\nHi,T-1\n", object="Task", operation="insert")
    assert info["state"] == "Failed"


def test_bulk_header_naming_an_object_the_field_cannot_point_to_fails_the_job(bulk_http: BulkHttp) -> None:
    csv_text = "Subject,Contact:What.Email\nHi,a@example.com\n"
    info = bulk_http.run_ingest(csv_text, object="Task", operation="insert")
    assert info["state"] == "Failed"
    assert "Contact:What.Email" in info["errorMessage"]


def test_rest_nested_what_reference_resolves_to_the_case(bulk_sf: Salesforce) -> None:
    case_id = bulk_sf.Case.create({"Subject": "Refund", "Stames_Id__c": "T-200"})["id"]
    task_id = bulk_sf.Task.create(
        {"Subject": "Call", "What": {"attributes": {"type": "Case"}, "Stames_Id__c": "T-200"}}
    )["id"]
    assert bulk_sf.Task.get(task_id)["WhatId"] == case_id
