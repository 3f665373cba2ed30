"""Object rules of contract §4: Case, files, topics, email messages, audit fields, deletes, upsert."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from emulators.salesforce.org.store import Org
from emulators.salesforce.org.types import OpContext, SaveResult
from tests.fixtures.salesforce_org import SFDX_CUSTOM_OBJECT, sfdx_field

SMALL_FILE = {"Title": "a", "PathOnClient": "a.txt", "VersionData": "YQ=="}


def code_of(result: SaveResult) -> str:
    assert not result.success, result
    return result.errors[0].code


def agent_user(org: Org) -> str:
    """An active seeded user with no special permission."""
    return next(
        user["Id"] for user in org.scan("User") if user["IsActive"] and "@example.com" in user["Email"]
    )


def record(org: Org, record_id: str | None, *, include_deleted: bool = False) -> dict:
    assert record_id is not None
    found = org.get(record_id, include_deleted=include_deleted)
    assert found is not None
    return found


def test_case_closed_state_is_derived_from_status(org: Org, admin: OpContext) -> None:
    case = org.insert("Case", {"Subject": "s", "Status": "New"}, admin)
    assert record(org, case.id)["IsClosed"] is False
    assert record(org, case.id)["ClosedDate"] is None
    assert org.update("Case", case.id, {"Status": "Closed"}, admin).success
    closed = record(org, case.id)
    assert closed["IsClosed"] is True
    assert closed["ClosedDate"] is not None
    assert org.update("Case", case.id, {"Status": "Working"}, admin).success
    assert record(org, case.id)["ClosedDate"] is None


def test_case_numbers_are_assigned_and_unique(org: Org, admin: OpContext) -> None:
    numbers = [record(org, org.insert("Case", {"Subject": str(n)}, admin).id)["CaseNumber"] for n in range(3)]
    assert len(set(numbers)) == 3
    assert all(number.isdigit() and len(number) == 8 for number in numbers)


def test_content_version_creates_document_and_links(org: Org, admin: OpContext) -> None:
    case = org.insert("Case", {"Subject": "with file"}, admin)
    content = "Grüße, world\n".encode()
    version = org.insert(
        "ContentVersion",
        {
            "Title": "notes",
            "PathOnClient": "notes.PDF",
            "VersionData": base64.b64encode(content).decode(),
            "FirstPublishLocationId": case.id,
        },
        admin,
    )
    assert version.success, version
    stored = record(org, version.id)
    assert stored["ContentSize"] == len(content)
    assert stored["Checksum"] == hashlib.md5(content, usedforsecurity=False).hexdigest()
    assert (stored["FileExtension"], stored["FileType"], stored["VersionNumber"]) == ("pdf", "PDF", "1")
    assert org.version_data(version.id) == content
    document = record(org, stored["ContentDocumentId"])
    assert document["LatestPublishedVersionId"] == version.id
    linked = {
        link["LinkedEntityId"]
        for link in org.scan("ContentDocumentLink")
        if link["ContentDocumentId"] == document["Id"]
    }
    assert linked == {case.id, org.admin_user_id}


def test_new_version_of_an_existing_document(org: Org, admin: OpContext) -> None:
    first = org.insert("ContentVersion", SMALL_FILE, admin)
    document_id = record(org, first.id)["ContentDocumentId"]
    second = org.insert(
        "ContentVersion",
        {"Title": "a", "PathOnClient": "a.txt", "VersionData": "YWE=", "ContentDocumentId": document_id},
        admin,
    )
    assert second.success
    assert record(org, second.id)["VersionNumber"] == "2"
    assert record(org, first.id)["IsLatest"] is False
    assert record(org, document_id)["LatestPublishedVersionId"] == second.id
    assert len(list(org.scan("ContentDocument"))) == 1


def test_content_version_needs_data_and_path(org: Org, admin: OpContext) -> None:
    assert code_of(org.insert("ContentVersion", {"Title": "a", "PathOnClient": "a.txt"}, admin)) == (
        "REQUIRED_FIELD_MISSING"
    )
    assert code_of(org.insert("ContentVersion", {"Title": "a", "VersionData": "YQ=="}, admin)) == (
        "REQUIRED_FIELD_MISSING"
    )


def test_content_document_is_not_createable(org: Org, admin: OpContext) -> None:
    assert code_of(org.insert("ContentDocument", {"Title": "x"}, admin)) == "INVALID_TYPE"


def _document(org: Org, admin: OpContext) -> str:
    version = org.insert("ContentVersion", SMALL_FILE, admin)
    return str(record(org, version.id)["ContentDocumentId"])


def test_content_document_link_rules(org: Org, admin: OpContext) -> None:
    document_id = _document(org, admin)
    case = org.insert("Case", {"Subject": "s"}, admin)
    assert code_of(org.insert("ContentDocumentLink", {"ContentDocumentId": document_id}, admin)) == (
        "REQUIRED_FIELD_MISSING"
    )
    link = {"ContentDocumentId": document_id, "LinkedEntityId": case.id, "ShareType": "V"}
    assert code_of(org.insert("ContentDocumentLink", {**link, "ShareType": "X"}, admin)) == (
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    )
    assert code_of(org.insert("ContentDocumentLink", {**link, "Visibility": "Everyone"}, admin)) == (
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    )
    created = org.insert("ContentDocumentLink", link, admin)
    assert created.success
    assert code_of(org.insert("ContentDocumentLink", link, admin)) == "DUPLICATE_VALUE"
    other = org.insert("Case", {"Subject": "t"}, admin)
    assert code_of(org.update("ContentDocumentLink", created.id, {"LinkedEntityId": other.id}, admin)) == (
        "INVALID_FIELD_FOR_INSERT_UPDATE"
    )
    assert org.update("ContentDocumentLink", created.id, {"ShareType": "C"}, admin).success


def test_topic_assignments(deployed_org: Org, admin: OpContext) -> None:
    org = deployed_org
    topic = org.insert("Topic", {"Name": "billing"}, admin)
    case = org.insert("Case", {"Subject": "s"}, admin)
    assigned = org.insert("TopicAssignment", {"TopicId": topic.id, "EntityId": case.id}, admin)
    assert assigned.success
    stored = record(org, assigned.id)
    assert (stored["EntityKeyPrefix"], stored["EntityType"]) == ("500", "Case")
    assert code_of(org.update("TopicAssignment", assigned.id, {}, admin)) == "INVALID_TYPE"
    assert code_of(org.insert("TopicAssignment", {"TopicId": topic.id, "EntityId": case.id}, admin)) == (
        "DUPLICATE_VALUE"
    )
    event = org.insert("Ticket_Event__c", {"Kind__c": "created"}, admin)
    assert code_of(org.insert("TopicAssignment", {"TopicId": topic.id, "EntityId": event.id}, admin)) == (
        "FIELD_INTEGRITY_EXCEPTION"
    )


def test_email_message_is_frozen_unless_draft(org: Org, admin: OpContext) -> None:
    case = org.insert("Case", {"Subject": "s"}, admin)
    sent = org.insert("EmailMessage", {"ParentId": case.id, "Status": "3", "Subject": "hi"}, admin)
    draft = org.insert("EmailMessage", {"ParentId": case.id, "Status": "5", "Subject": "hi"}, admin)
    assert code_of(org.update("EmailMessage", sent.id, {"Subject": "edited"}, admin)) == (
        "FIELD_INTEGRITY_EXCEPTION"
    )
    assert org.update("EmailMessage", draft.id, {"Subject": "edited"}, admin).success
    assert record(org, draft.id)["Subject"] == "edited"


def test_audit_fields_need_toggle_and_permission(org: Org, integration: OpContext) -> None:
    history = {"LastName": "Old", "CreatedDate": "2019-05-01T10:00:00Z", "CreatedById": org.admin_user_id}
    assert code_of(org.insert("Contact", history, integration)) == "INVALID_FIELD_FOR_INSERT_UPDATE"
    org.set_toggles({"audit_fields_enabled": True})
    created = org.insert("Contact", history, integration)
    assert created.success
    stored = record(org, created.id)
    assert stored["CreatedDate"] == "2019-05-01T10:00:00.000+0000"
    assert stored["CreatedById"] == org.admin_user_id
    assert stored["SystemModstamp"] > stored["CreatedDate"]
    later = {"CreatedDate": "2019-05-02T10:00:00Z"}
    assert code_of(org.update("Contact", created.id, later, integration)) == "INVALID_FIELD_FOR_INSERT_UPDATE"
    assert (
        code_of(
            org.insert("Contact", {"LastName": "S", "SystemModstamp": "2019-05-01T10:00:00Z"}, integration)
        )
        == "INVALID_FIELD_FOR_INSERT_UPDATE"
    )


def test_audit_fields_denied_to_users_without_the_permission(org: Org) -> None:
    org.set_toggles({"audit_fields_enabled": True})
    plain_user = agent_user(org)
    ctx = OpContext(user_id=plain_user)
    assert code_of(org.insert("Case", {"CreatedDate": "2019-05-01T10:00:00Z"}, ctx)) == (
        "INVALID_FIELD_FOR_INSERT_UPDATE"
    )
    assert (
        code_of(
            org.insert(
                "Topic",
                {"Name": "t", "CreatedDate": "2019-05-01T10:00:00Z"},
                OpContext(user_id=org.admin_user_id),
            )
        )
        == "INVALID_FIELD_FOR_INSERT_UPDATE"
    )


def test_describe_shows_audit_fields_createable_per_user(org: Org) -> None:
    def createable(user_id: str) -> bool:
        fields = org.describe("Case", user_id=user_id)["fields"]
        return next(item for item in fields if item["name"] == "CreatedDate")["createable"]

    assert not createable(org.admin_user_id)
    org.set_toggles({"audit_fields_enabled": True})
    assert createable(org.admin_user_id)
    anonymous = org.describe("Case")["fields"]
    assert not next(item for item in anonymous if item["name"] == "CreatedDate")["createable"]


def test_soft_delete_then_writes_fail(org: Org, admin: OpContext) -> None:
    account = org.insert("Account", {"Name": "Gone"}, admin)
    assert org.delete(account.id, admin).success
    assert org.get(account.id) is None
    assert record(org, account.id, include_deleted=True)["IsDeleted"] is True
    assert account.id in {item["Id"] for item in org.scan("Account", include_deleted=True)}
    assert account.id not in {item["Id"] for item in org.scan("Account")}
    assert code_of(org.update("Account", account.id, {"Name": "Back"}, admin)) == "ENTITY_IS_DELETED"
    assert code_of(org.delete(account.id, admin)) == "ENTITY_IS_DELETED"


def test_delete_takes_activities_comments_and_links_along(org: Org, admin: OpContext) -> None:
    case = org.insert("Case", {"Subject": "s"}, admin)
    comment = org.insert("CaseComment", {"ParentId": case.id, "CommentBody": "c"}, admin)
    email = org.insert("EmailMessage", {"ParentId": case.id, "Status": "3"}, admin)
    assert org.delete(case.id, admin).success
    assert org.get(comment.id) is None
    assert org.get(email.id) is None


def test_hard_delete_needs_the_permission_and_removes(org: Org, admin: OpContext) -> None:
    account = org.insert("Account", {"Name": "Gone"}, admin)
    plain_user = agent_user(org)
    assert code_of(org.delete(account.id, OpContext(user_id=plain_user), hard=True)) == (
        "INSUFFICIENT_ACCESS_OR_READONLY"
    )
    assert org.delete(account.id, admin, hard=True).success
    assert org.get(account.id, include_deleted=True) is None


def test_unknown_and_malformed_ids_on_update_and_delete(org: Org, admin: OpContext) -> None:
    assert code_of(org.update("Account", "0018d00000ZZZZZAAA", {"Name": "x"}, admin)) == "ENTITY_IS_DELETED"
    contact = org.insert("Contact", {"LastName": "x"}, admin)
    assert code_of(org.update("Account", contact.id, {"Name": "x"}, admin)) == "MALFORMED_ID"
    assert code_of(org.delete("nonsense", admin)) == "MALFORMED_ID"


def test_upsert_creates_updates_and_reports_duplicates(deployed_org: Org, admin: OpContext) -> None:
    org = deployed_org
    created = org.upsert("Case", "Stames_Id__c", {"Stames_Id__c": "T-1", "Subject": "first"}, admin)
    assert (created.success, created.created) == (True, True)
    updated = org.upsert("Case", "stames_id__c", {"Stames_Id__c": "T-1", "Subject": "second"}, admin)
    assert (updated.success, updated.created, updated.id) == (True, False, created.id)
    assert record(org, created.id)["Subject"] == "second"
    org.insert("Case", {"Legacy_Key__c": "T-2"}, admin)
    org.insert("Case", {"Legacy_Key__c": "T-2"}, admin)
    duplicated = org.upsert("Case", "Legacy_Key__c", {"Legacy_Key__c": "T-2"}, admin)
    assert code_of(duplicated) == "DUPLICATE_EXTERNAL_ID"
    assert code_of(org.upsert("Case", "Stames_Id__c", {"Subject": "no key"}, admin)) == "MISSING_ARGUMENT"
    assert code_of(org.upsert("Case", "Subject", {"Subject": "x"}, admin)) == "INVALID_FIELD"


def test_case_insensitive_unique_field_rejects_values_differing_in_case(
    org: Org, admin: OpContext, tmp_path: Path
) -> None:
    # Salesforce's default for a Unique text field: "ABC" and "abc" are duplicate values
    fields = tmp_path / "sfdx" / "objects" / "Contact" / "fields"
    fields.mkdir(parents=True)
    (fields / "Badge__c.field-meta.xml").write_text(
        sfdx_field(
            "Badge__c",
            "<label>Badge</label><type>Text</type><length>20</length><unique>true</unique>"
            "<caseSensitive>false</caseSensitive><externalId>true</externalId>",
        ),
        encoding="utf-8",
    )
    assert org.deploy(tmp_path / "sfdx").success
    first = org.insert("Contact", {"LastName": "A", "Badge__c": "U-1"}, admin)
    failed = org.insert("Contact", {"LastName": "B", "Badge__c": "u-1"}, admin)
    assert code_of(failed) == "DUPLICATE_VALUE"
    assert first.id in failed.errors[0].message
    assert org.find_ids("Contact", "Badge__c", "u-1") == [first.id]
    updated = org.upsert("Contact", "Badge__c", {"Badge__c": "u-1", "LastName": "C"}, admin)
    assert (updated.created, updated.id) == (False, first.id)


def test_stames_id_keeps_ids_differing_in_case_apart(deployed_org: Org, admin: OpContext) -> None:
    # Stames_Id__c is Unique and case-sensitive: "abc" and "ABC" are two source records
    org = deployed_org
    lower = org.upsert("Contact", "Stames_Id__c", {"Stames_Id__c": "abc", "LastName": "Lower"}, admin)
    upper = org.upsert("Contact", "Stames_Id__c", {"Stames_Id__c": "ABC", "LastName": "Upper"}, admin)
    assert (lower.created, upper.created) == (True, True)
    assert lower.id != upper.id
    again = org.upsert("Contact", "Stames_Id__c", {"Stames_Id__c": "abc", "LastName": "Lower 2"}, admin)
    assert (again.created, again.id) == (False, lower.id)
    assert (record(org, lower.id)["LastName"], record(org, upper.id)["LastName"]) == ("Lower 2", "Upper")
    duplicate = org.insert("Contact", {"LastName": "Twin", "Stames_Id__c": "abc"}, admin)
    assert code_of(duplicate) == "DUPLICATE_VALUE"
    assert lower.id in duplicate.errors[0].message
    assert org.find_ids("Contact", "Stames_Id__c", "ABC") == [upper.id]
    assert org.find_ids("Contact", "Stames_Id__c", "Abc") == []


def test_accounts_and_contacts_with_cases_cannot_be_deleted(org: Org, admin: OpContext) -> None:
    account = org.insert("Account", {"Name": "Acme"}, admin)
    contact = org.insert("Contact", {"LastName": "Li", "AccountId": account.id}, admin)
    case = org.insert("Case", {"Subject": "s", "AccountId": account.id, "ContactId": contact.id}, admin)
    assert code_of(org.delete(contact.id, admin)) == "DELETE_FAILED"
    assert code_of(org.delete(account.id, admin)) == "DELETE_FAILED"
    assert org.delete(case.id, admin).success
    assert org.delete(contact.id, admin).success
    assert org.delete(account.id, admin).success


def test_lookup_by_parent_external_id(deployed_org: Org, admin: OpContext) -> None:
    org = deployed_org
    contact = org.insert("Contact", {"LastName": "Li", "Stames_Id__c": "U-9"}, admin)
    case = org.insert("Case", {"Subject": "s", "Contact": {"Stames_Id__c": "U-9"}}, admin)
    assert case.success, case
    assert record(org, case.id)["ContactId"] == contact.id
    owner = {"attributes": {"type": "User"}, "Username": "integration@stames-sf.example.org"}
    owned = org.insert("Case", {"Subject": "s", "Owner": owner}, admin)
    assert record(org, owned.id)["OwnerId"] == org.integration_user_id
    assert code_of(org.insert("Case", {"Subject": "s", "Contact": {"Stames_Id__c": "u-9"}}, admin)) == (
        "INVALID_FIELD"
    )
    assert code_of(org.insert("Case", {"Subject": "s", "Contact": {"Stames_Id__c": "nope"}}, admin)) == (
        "INVALID_FIELD"
    )
    assert code_of(org.insert("Case", {"Subject": "s", "Owner": {"Username": "x"}}, admin)) == "INVALID_FIELD"


def test_recycle_bin_keeps_unique_values_until_hard_delete(deployed_org: Org, admin: OpContext) -> None:
    org = deployed_org
    first = org.insert("Contact", {"LastName": "A", "Stames_Id__c": "U-7"}, admin)
    assert org.delete(first.id, admin).success
    assert org.find_ids("Contact", "Stames_Id__c", "U-7") == []
    again = org.upsert("Contact", "Stames_Id__c", {"LastName": "A", "Stames_Id__c": "U-7"}, admin)
    assert code_of(again) == "DUPLICATE_VALUE"
    assert first.id in again.errors[0].message
    assert org.delete(first.id, admin, hard=True).success
    assert org.upsert("Contact", "Stames_Id__c", {"LastName": "A", "Stames_Id__c": "U-7"}, admin).success


def test_user_insert_with_the_usual_fields(org: Org, admin: OpContext) -> None:
    profile = next(row["Id"] for row in org.scan("Profile") if row["Name"] == "Standard User")
    user = {
        "Username": "new.agent@example.com.sandbox",
        "Email": "new.agent@example.com",
        "LastName": "Agent",
        "Alias": "nagent",
        "TimeZoneSidKey": "Europe/Madrid",
        "LocaleSidKey": "es_ES",
        "EmailEncodingKey": "UTF-8",
        "LanguageLocaleKey": "es",
        "ProfileId": profile,
    }
    created = org.insert("User", user, admin)
    assert created.success, created
    stored = record(org, created.id)
    assert stored["CommunityNickname"].startswith("new.agent")
    assert stored["IsActive"] is True
    assert code_of(org.insert("User", {**user, "Email": "other@example.com"}, admin)) == "DUPLICATE_VALUE"
    assert code_of(org.insert("User", {**user, "Username": "x@example.com", "ProfileId": None}, admin)) == (
        "REQUIRED_FIELD_MISSING"
    )


def test_email_message_status_defaults_to_new(org: Org, admin: OpContext) -> None:
    case = org.insert("Case", {"Subject": "s"}, admin)
    email = org.insert("EmailMessage", {"ParentId": case.id, "Incoming": True, "Subject": "hi"}, admin)
    assert record(org, email.id)["Status"] == "0"


def test_task_on_a_custom_child_of_account_takes_that_account(
    org: Org, admin: OpContext, tmp_path: Path
) -> None:
    # object reference Task, AccountId: a WhatId that is a custom object child of Account gives its Account
    folder = tmp_path / "sfdx" / "objects" / "Contract_Note__c"
    (folder / "fields").mkdir(parents=True)
    (folder / "Contract_Note__c.object-meta.xml").write_text(
        SFDX_CUSTOM_OBJECT.replace("Ticket Event", "Contract Note"), encoding="utf-8"
    )
    (folder / "fields" / "Account__c.field-meta.xml").write_text(
        sfdx_field(
            "Account__c",
            "<label>Account</label><type>MasterDetail</type><referenceTo>Account</referenceTo>"
            "<relationshipName>Contract_Notes</relationshipName>",
        ),
        encoding="utf-8",
    )
    assert org.deploy(tmp_path / "sfdx").success
    account_id = org.insert("Account", {"Name": "Parent"}, admin).id
    note_id = org.insert("Contract_Note__c", {"Name": "n", "Account__c": account_id}, admin).id
    task_id = org.insert("Task", {"Subject": "Call", "WhatId": note_id}, admin).id
    assert record(org, task_id)["AccountId"] == account_id
