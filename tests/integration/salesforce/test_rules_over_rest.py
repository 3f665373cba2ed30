"""Each rule family of the org reaches a REST client as Salesforce reports it: status and errorCode.

The org's unit tests prove the rules; these prove REST carries them unchanged.
"""

from __future__ import annotations

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest


def _refusal(call: object) -> tuple[int, str, list[str]]:
    with pytest.raises(SalesforceMalformedRequest) as raised:
        call()  # type: ignore[operator]
    first = raised.value.content[0]
    return raised.value.status, first["errorCode"], first.get("fields", [])


def test_required_field_missing(sf: Salesforce) -> None:
    status, code, fields = _refusal(lambda: sf.Contact.create({"FirstName": "Ana"}))
    assert (status, code, fields) == (400, "REQUIRED_FIELD_MISSING", ["LastName"])


def test_non_createable_field(sf: Salesforce) -> None:
    status, code, _ = _refusal(lambda: sf.Case.create({"Subject": "x", "IsClosed": True}))
    assert (status, code) == (400, "INVALID_FIELD_FOR_INSERT_UPDATE")


def test_restricted_picklist(sf: Salesforce) -> None:
    status, code, _ = _refusal(lambda: sf.Task.create({"Subject": "Call", "CallType": "Sideways"}))
    assert (status, code) == (400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")


def test_reference_to_a_missing_record(sf: Salesforce) -> None:
    account = sf.Account.create({"Name": "Gone soon"})
    sf.Account.delete(account["id"])
    status, code, _ = _refusal(lambda: sf.Contact.create({"LastName": "Orphan", "AccountId": account["id"]}))
    assert status == 400
    assert code in {"INVALID_CROSS_REFERENCE_KEY", "ENTITY_IS_DELETED"}


def test_reference_to_the_wrong_object(sf: Salesforce) -> None:
    case = sf.Case.create({"Subject": "Not an account"})
    status, code, _ = _refusal(lambda: sf.Contact.create({"LastName": "Odd", "AccountId": case["id"]}))
    assert (status, code) == (400, "FIELD_INTEGRITY_EXCEPTION")


def test_polymorphic_reference_to_an_object_outside_its_targets(sf: Salesforce) -> None:
    # object reference EmailMessage: RelatedToId names non-human records, so never a Contact
    case = sf.Case.create({"Subject": "Mail"})
    contact = sf.Contact.create({"LastName": "Person"})
    email = {"ParentId": case["id"], "Status": "3", "RelatedToId": contact["id"]}
    status, code, fields = _refusal(lambda: sf.EmailMessage.create(email))
    assert (status, code, fields) == (400, "FIELD_INTEGRITY_EXCEPTION", ["RelatedToId"])


def test_duplicate_unique_value(sf: Salesforce) -> None:
    admin = sf.query("SELECT Username, ProfileId FROM User LIMIT 1")["records"][0]
    clone = {
        "Username": admin["Username"],
        "LastName": "Clone",
        "Email": "clone@example.com",
        "Alias": "clone",
        "CommunityNickname": "clone",
        "TimeZoneSidKey": "GMT",
        "LocaleSidKey": "en_US",
        "EmailEncodingKey": "UTF-8",
        "LanguageLocaleKey": "en_US",
        "ProfileId": admin["ProfileId"],
    }
    status, code, _ = _refusal(lambda: sf.User.create(clone))
    assert (status, code) == (400, "DUPLICATE_VALUE")


def test_string_too_long(sf: Salesforce) -> None:
    status, code, fields = _refusal(lambda: sf.Account.create({"Name": "x" * 256}))
    assert (status, code, fields) == (400, "STRING_TOO_LONG", ["Name"])
