"""One rule per test: a violating record fails with Salesforce's error code, a valid one passes."""

from __future__ import annotations

from emulators.salesforce.org.store import Org
from emulators.salesforce.org.types import OpContext, SaveResult


def code_of(result: SaveResult) -> str:
    assert not result.success, result
    assert result.id is None or len(result.id) == 18
    return result.errors[0].code


def test_required_field_missing(org: Org, admin: OpContext) -> None:
    failed = org.insert("Contact", {"FirstName": "Ana"}, admin)
    assert code_of(failed) == "REQUIRED_FIELD_MISSING"
    assert failed.errors[0].fields == ["LastName"]
    assert org.insert("Contact", {"FirstName": "Ana", "LastName": "García"}, admin).success


def test_empty_string_does_not_satisfy_a_required_field(org: Org, admin: OpContext) -> None:
    assert code_of(org.insert("Account", {"Name": ""}, admin)) == "REQUIRED_FIELD_MISSING"


def test_nulling_a_required_field_on_update(org: Org, admin: OpContext) -> None:
    account = org.insert("Account", {"Name": "Acme"}, admin)
    assert code_of(org.update("Account", account.id, {"Name": None}, admin)) == "REQUIRED_FIELD_MISSING"
    assert org.update("Account", account.id, {"Name": "Acme 2"}, admin).success


def test_unknown_field(org: Org, admin: OpContext) -> None:
    failed = org.insert("Account", {"Name": "Acme", "Stames_Id__c": "x"}, admin)
    assert code_of(failed) == "INVALID_FIELD"


def test_field_names_are_case_insensitive(org: Org, admin: OpContext) -> None:
    created = org.insert("Account", {"NAME": "Acme", "industry": "Retail"}, admin)
    assert created.success
    record = org.get(created.id)
    assert record is not None
    assert (record["Name"], record["Industry"]) == ("Acme", "Retail")


def test_not_createable_field_on_insert(org: Org, admin: OpContext) -> None:
    failed = org.insert("Case", {"Subject": "s", "IsClosed": True}, admin)
    assert code_of(failed) == "INVALID_FIELD_FOR_INSERT_UPDATE"
    assert failed.errors[0].fields == ["IsClosed"]
    assert code_of(org.insert("Case", {"Subject": "s", "ClosedDate": "2020-01-01T00:00:00Z"}, admin)) == (
        "INVALID_FIELD_FOR_INSERT_UPDATE"
    )


def test_create_only_field_on_update(org: Org, admin: OpContext) -> None:
    case = org.insert("Case", {"Subject": "s"}, admin)
    comment = org.insert("CaseComment", {"ParentId": case.id, "CommentBody": "hello"}, admin)
    other = org.insert("Case", {"Subject": "t"}, admin)
    assert code_of(org.update("CaseComment", comment.id, {"ParentId": other.id}, admin)) == (
        "INVALID_FIELD_FOR_INSERT_UPDATE"
    )
    assert org.update("CaseComment", comment.id, {"CommentBody": "edited"}, admin).success


def test_id_in_insert_is_refused(org: Org, admin: OpContext) -> None:
    assert code_of(org.insert("Account", {"Name": "A", "Id": "001000000000001AAA"}, admin)) == (
        "INVALID_FIELD_FOR_INSERT_UPDATE"
    )


def test_invalid_email(org: Org, admin: OpContext) -> None:
    assert code_of(org.insert("Contact", {"LastName": "X", "Email": "not-an-email"}, admin)) == (
        "INVALID_EMAIL_ADDRESS"
    )
    assert org.insert("Contact", {"LastName": "X", "Email": "x@example.com"}, admin).success


def test_invalid_date_and_datetime(org: Org, admin: OpContext) -> None:
    assert code_of(org.insert("Contact", {"LastName": "X", "Birthdate": "31/12/1990"}, admin)) == (
        "INVALID_TYPE_ON_FIELD_IN_RECORD"
    )
    assert code_of(org.insert("Task", {"Subject": "x", "ReminderDateTime": "tomorrow"}, admin)) == (
        "INVALID_TYPE_ON_FIELD_IN_RECORD"
    )


def test_invalid_number_and_boolean(org: Org, admin: OpContext) -> None:
    assert code_of(org.insert("Account", {"Name": "A", "NumberOfEmployees": "many"}, admin)) == (
        "INVALID_TYPE_ON_FIELD_IN_RECORD"
    )
    assert code_of(org.insert("Case", {"Subject": "s", "IsEscalated": "perhaps"}, admin)) == (
        "INVALID_TYPE_ON_FIELD_IN_RECORD"
    )


def test_string_too_long(org: Org, admin: OpContext) -> None:
    failed = org.insert("Case", {"Subject": "x" * 256}, admin)
    assert code_of(failed) == "STRING_TOO_LONG"
    assert failed.errors[0].fields == ["Subject"]
    assert org.insert("Case", {"Subject": "x" * 255}, admin).success


def test_restricted_picklist(org: Org, admin: OpContext) -> None:
    case = org.insert("Case", {"Subject": "s"}, admin)
    bad = {"ParentId": case.id, "Status": "9", "Incoming": True}
    assert code_of(org.insert("EmailMessage", bad, admin)) == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    assert org.insert("EmailMessage", {**bad, "Status": "3"}, admin).success


def test_unrestricted_standard_picklist_takes_new_values(org: Org, admin: OpContext) -> None:
    assert org.insert("Case", {"Subject": "s", "Origin": "Carrier pigeon"}, admin).success


def test_reference_to_a_missing_record(org: Org, admin: OpContext) -> None:
    failed = org.insert("Contact", {"LastName": "X", "AccountId": "0018d00000ZZZZZAAA"}, admin)
    assert code_of(failed) == "INVALID_CROSS_REFERENCE_KEY"
    assert failed.errors[0].fields == ["AccountId"]


def test_reference_of_the_wrong_type(org: Org, admin: OpContext) -> None:
    contact = org.insert("Contact", {"LastName": "X"}, admin)
    assert code_of(org.insert("Contact", {"LastName": "Y", "AccountId": contact.id}, admin)) == (
        "FIELD_INTEGRITY_EXCEPTION"
    )


def test_malformed_reference(org: Org, admin: OpContext) -> None:
    assert code_of(org.insert("Contact", {"LastName": "Y", "AccountId": "acme"}, admin)) == "MALFORMED_ID"


def test_reference_to_a_deleted_record(org: Org, admin: OpContext) -> None:
    account = org.insert("Account", {"Name": "Gone"}, admin)
    assert org.delete(account.id, admin).success
    failed = org.insert("Contact", {"LastName": "Y", "AccountId": account.id}, admin)
    assert code_of(failed) == "ENTITY_IS_DELETED"


def test_reference_accepts_15_char_ids(org: Org, admin: OpContext) -> None:
    account = org.insert("Account", {"Name": "Acme"}, admin)
    contact = org.insert("Contact", {"LastName": "Y", "AccountId": account.id[:15]}, admin)
    record = org.get(contact.id)
    assert record is not None
    assert record["AccountId"] == account.id


def test_owner_must_be_active(org: Org, admin: OpContext) -> None:
    inactive = next(user["Id"] for user in org.scan("User") if not user["IsActive"])
    failed = org.insert("Account", {"Name": "A", "OwnerId": inactive}, admin)
    assert code_of(failed) == "INACTIVE_OWNER_OR_USER"


def test_case_history_is_read_only(org: Org, admin: OpContext) -> None:
    case = org.insert("Case", {"Subject": "s"}, admin)
    assert code_of(org.insert("CaseHistory", {"CaseId": case.id}, admin)) == "INVALID_TYPE"


def test_users_cannot_be_deleted(org: Org, admin: OpContext) -> None:
    assert code_of(org.delete(org.integration_user_id, admin)) == "INVALID_TYPE"
    assert org.user(org.integration_user_id).is_active


def test_unknown_object(org: Org, admin: OpContext) -> None:
    assert code_of(org.insert("Ticket__c", {"Name": "x"}, admin)) == "INVALID_TYPE"


def test_csv_wire_values_are_parsed(org: Org) -> None:
    ctx = OpContext(user_id=org.admin_user_id, wire="csv", api="bulk")
    created = org.insert(
        "Account", {"Name": "Acme", "NumberOfEmployees": "1.2E3", "AnnualRevenue": "9.12260031E8"}, ctx
    )
    assert created.success
    record = org.get(created.id)
    assert record is not None
    assert record["NumberOfEmployees"] == 1200
    assert record["AnnualRevenue"] == 912260031.0


def test_what_id_never_names_a_person(org: Org, admin: OpContext) -> None:
    contact = org.insert("Contact", {"LastName": "X"}, admin)
    assert code_of(org.insert("Task", {"Subject": "call", "WhatId": contact.id}, admin)) == (
        "FIELD_INTEGRITY_EXCEPTION"
    )
    assert org.insert("Task", {"Subject": "call", "WhoId": contact.id}, admin).success


def test_polymorphic_lookup_refuses_objects_outside_its_reference_to(org: Org, admin: OpContext) -> None:
    # contract §2.4: a lookup to the wrong object type is FIELD_INTEGRITY_EXCEPTION. The org has Topics
    # and Users, but a Task is related to business records only (object reference TaskRelation) and a
    # file is published to records, users, groups and libraries, never to a Topic.
    topic = org.insert("Topic", {"Name": "billing"}, admin)
    assert topic.success
    task = org.insert("Task", {"Subject": "call", "WhatId": topic.id}, admin)
    assert code_of(task) == "FIELD_INTEGRITY_EXCEPTION"
    assert task.errors[0].fields == ["WhatId"]
    user_task = org.insert("Task", {"Subject": "call", "WhatId": org.admin_user_id}, admin)
    assert code_of(user_task) == "FIELD_INTEGRITY_EXCEPTION"
    file = {"Title": "a", "PathOnClient": "a.txt", "VersionData": "YQ==", "FirstPublishLocationId": topic.id}
    assert code_of(org.insert("ContentVersion", file, admin)) == "FIELD_INTEGRITY_EXCEPTION"
    case = org.insert("Case", {"Subject": "s"}, admin)
    assert org.insert("Task", {"Subject": "call", "WhatId": case.id}, admin).success


def test_case_takes_its_account_from_the_contact(org: Org, admin: OpContext) -> None:
    account = org.insert("Account", {"Name": "Acme"}, admin)
    contact = org.insert(
        "Contact", {"LastName": "X", "AccountId": account.id, "Email": "x@example.com"}, admin
    )
    case = org.insert("Case", {"Subject": "s", "ContactId": contact.id}, admin)
    stored = org.get(case.id)
    assert stored is not None
    assert (stored["AccountId"], stored["ContactEmail"]) == (account.id, "x@example.com")
