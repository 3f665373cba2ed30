"""The sObject Collections body: parents by external id, polymorphic parents typed, nulls."""

from __future__ import annotations

from loaders.load.collections import record_json
from loaders.load.records import DmlSpec, LoadRecord, Operation, ParentRef

WHAT = ParentRef("WhatId", "What", "Case", polymorphic=True)
CONTACT = ParentRef("ContactId", "Contact", "Contact")


def test_an_upsert_names_its_key_and_its_parents_by_their_stames_id() -> None:
    spec = DmlSpec("Task", Operation.UPSERT, ("Subject", "ActivityDate"), (WHAT, CONTACT))
    body = record_json(
        spec,
        LoadRecord("n-1", {"Subject": "Call", "ActivityDate": None}, {"WhatId": "10", "ContactId": None}),
    )
    assert body == {
        "attributes": {"type": "Task"},
        "Stames_Id__c": "n-1",
        "Subject": "Call",
        "ActivityDate": None,  # an update clears what became empty
        "What": {"attributes": {"type": "Case"}, "Stames_Id__c": "10"},
    }


def test_an_insert_without_a_key_field_leaves_out_nulls_and_the_key() -> None:
    spec = DmlSpec("TopicAssignment", Operation.INSERT, ("TopicId", "EntityId"), key_field="Id")
    body = record_json(spec, LoadRecord("10:billing", {"TopicId": "0TO1", "EntityId": None}))
    assert body == {"attributes": {"type": "TopicAssignment"}, "TopicId": "0TO1"}


def test_booleans_and_numbers_stay_json_values() -> None:
    spec = DmlSpec("Case", Operation.UPDATE, ("IsEscalated", "Units__c"), key_field="Id")
    body = record_json(spec, LoadRecord("5008d000000001AAA", {"IsEscalated": False, "Units__c": 3}))
    assert body["Id"] == "5008d000000001AAA"
    assert body["IsEscalated"] is False
    assert body["Units__c"] == 3
