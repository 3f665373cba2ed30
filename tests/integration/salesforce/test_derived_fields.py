"""Fields the platform fills, read back through simple-salesforce as a client sees them.

Expected values come from the object reference: Task.AccountId is the WhatId's Account, or with
any other WhatId the Account of the Contact in WhoId; non-nillable booleans read false (true for
EmailMessage.IsExternallyVisible, "the default value true"); HasAttachment says whether the email
has files; a non-draft EmailMessage's Status changes only from New (0) to Read (1) (contract §4.1).
"""

from __future__ import annotations

import base64

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest


@pytest.fixture
def people(sf: Salesforce) -> dict[str, str]:
    account = sf.Account.create({"Name": "Globex"})["id"]
    other_account = sf.Account.create({"Name": "Initech"})["id"]
    contact = sf.Contact.create({"LastName": "Simpson", "AccountId": account})["id"]
    case = sf.Case.create({"Subject": "Reactor", "ContactId": contact})["id"]
    return {"account": account, "other_account": other_account, "contact": contact, "case": case}


def _task_account(sf: Salesforce, values: dict[str, str]) -> str | None:
    task_id = sf.Task.create({"Subject": "Call", **values})["id"]
    return sf.Task.get(task_id)["AccountId"]  # type: ignore[no-any-return]


def test_task_on_a_case_takes_the_account_of_its_contact(sf: Salesforce, people: dict[str, str]) -> None:
    assert _task_account(sf, {"WhatId": people["case"], "WhoId": people["contact"]}) == people["account"]


def test_task_on_an_account_takes_that_account_over_the_contacts(
    sf: Salesforce, people: dict[str, str]
) -> None:
    values = {"WhatId": people["other_account"], "WhoId": people["contact"]}
    assert _task_account(sf, values) == people["other_account"]


def test_task_on_a_case_without_a_contact_has_no_account(sf: Salesforce, people: dict[str, str]) -> None:
    assert _task_account(sf, {"WhatId": people["case"]}) is None


def test_task_account_follows_a_later_change_of_who(sf: Salesforce, people: dict[str, str]) -> None:
    task_id = sf.Task.create({"Subject": "Call", "WhatId": people["case"]})["id"]
    sf.Task.update(task_id, {"WhoId": people["contact"]})
    assert sf.Task.get(task_id)["AccountId"] == people["account"]


def _email(sf: Salesforce, case_id: str, status: str = "0") -> str:
    values = {"ParentId": case_id, "Subject": "Hello", "Status": status, "Incoming": True}
    return str(sf.EmailMessage.create(values)["id"])


def test_non_nillable_booleans_read_their_defaults(sf: Salesforce, people: dict[str, str]) -> None:
    email = sf.EmailMessage.get(_email(sf, people["case"]))
    assert (email["HasAttachment"], email["IsOpened"], email["IsExternallyVisible"]) == (False, False, True)
    assert sf.Contact.get(people["contact"])["IsEmailBounced"] is False
    account = sf.Account.get(people["account"])
    assert (account["IsPartner"], account["IsCustomerPortal"]) == (False, False)
    assert sf.Task.get(sf.Task.create({"Subject": "Call"})["id"])["IsArchived"] is False
    topic = sf.Topic.get(sf.Topic.create({"Name": "Billing"})["id"])
    assert topic["TalkingAbout"] == 0
    version_id = sf.ContentVersion.create(
        {"Title": "a", "PathOnClient": "a.txt", "VersionData": base64.b64encode(b"a").decode()}
    )["id"]
    document_id = sf.ContentVersion.get(version_id)["ContentDocumentId"]
    document = sf.ContentDocument.get(document_id)
    assert (document["IsArchived"], document["IsInternalOnly"]) == (False, False)


def test_every_non_nillable_boolean_of_a_new_email_has_a_value(
    sf: Salesforce, people: dict[str, str]
) -> None:
    email = sf.EmailMessage.get(_email(sf, people["case"]))
    fields = sf.EmailMessage.describe()["fields"]
    unset = [
        f["name"] for f in fields if f["type"] == "boolean" and not f["nillable"] and email[f["name"]] is None
    ]
    assert unset == []


def test_has_attachment_follows_the_files_of_the_email(sf: Salesforce, people: dict[str, str]) -> None:
    email_id = _email(sf, people["case"], status="3")
    version_id = sf.ContentVersion.create(
        {
            "Title": "invoice",
            "PathOnClient": "invoice.pdf",
            "VersionData": base64.b64encode(b"%PDF-1.4").decode(),
            "FirstPublishLocationId": email_id,
        }
    )["id"]
    assert sf.EmailMessage.get(email_id)["HasAttachment"] is True
    sf.ContentDocument.delete(sf.ContentVersion.get(version_id)["ContentDocumentId"])
    assert sf.EmailMessage.get(email_id)["HasAttachment"] is False


def test_a_new_email_can_be_marked_read(sf: Salesforce, people: dict[str, str]) -> None:
    email_id = _email(sf, people["case"], status="0")
    assert sf.EmailMessage.update(email_id, {"Status": "1"}) == 204
    assert sf.EmailMessage.get(email_id)["Status"] == "1"


@pytest.mark.parametrize(
    ("status", "change"),
    [("1", {"Status": "0"}), ("3", {"Status": "1"}), ("0", {"Status": "2"}), ("0", {"Subject": "Edited"})],
)
def test_other_changes_of_a_non_draft_email_are_refused(
    sf: Salesforce, people: dict[str, str], status: str, change: dict[str, str]
) -> None:
    email_id = _email(sf, people["case"], status=status)
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.EmailMessage.update(email_id, change)
    assert refused.value.content[0]["errorCode"] == "FIELD_INTEGRITY_EXCEPTION"
    assert sf.EmailMessage.get(email_id)["Status"] == status
