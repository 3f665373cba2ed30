"""Queries the org refuses, with its error codes and wording."""

import pytest

from emulators.salesforce.soql import SoqlError, execute
from emulators.salesforce.soql.errors import CONTENT_DOCUMENT_LINK_FILTER, CONTENT_DOCUMENT_LINK_NON_ID_FILTER
from tests.fixtures.soql_store import Helpdesk


def error_of(soql_desk: Helpdesk, soql: str) -> SoqlError:
    with pytest.raises(SoqlError) as raised:
        execute(soql_desk.store, soql)
    return raised.value


def test_unknown_field(soql_desk: Helpdesk) -> None:
    error = error_of(soql_desk, "SELECT Id, Stames_Id FROM Account")
    assert error.code == "INVALID_FIELD"
    assert error.message.endswith(
        "No such column 'Stames_Id' on entity 'Account'. If you are attempting to use a custom field, "
        "be sure to append the '__c' after the custom field name. Please reference your WSDL or the "
        "describe call for the appropriate names."
    )


def test_unknown_field_in_where_and_order_by(soql_desk: Helpdesk) -> None:
    assert error_of(soql_desk, "SELECT Id FROM Case WHERE Nope = 'x'").code == "INVALID_FIELD"
    assert error_of(soql_desk, "SELECT Id FROM Case ORDER BY Nope").code == "INVALID_FIELD"


def test_unknown_parent_field_names_the_parent_entity(soql_desk: Helpdesk) -> None:
    error = error_of(soql_desk, "SELECT Account.Nope FROM Case")
    assert "No such column 'Nope' on entity 'Account'" in error.message


def test_unknown_relationship(soql_desk: Helpdesk) -> None:
    error = error_of(soql_desk, "SELECT Acount.Name FROM Case")
    assert error.code == "INVALID_FIELD"
    assert "Didn't understand relationship 'Acount' in field path" in error.message


def test_custom_field_through_polymorphic_owner_is_refused(soql_desk: Helpdesk) -> None:
    error = error_of(soql_desk, "SELECT Owner.Stames_Id__c FROM Case")
    assert error.code == "INVALID_FIELD"


def test_unknown_object(soql_desk: Helpdesk) -> None:
    error = error_of(soql_desk, "SELECT Id FROM Ticket__c")
    assert error.code == "INVALID_TYPE"
    assert "sObject type 'Ticket__c' is not supported." in error.message


def test_duplicate_field(soql_desk: Helpdesk) -> None:
    error = error_of(soql_desk, "SELECT Id, Name, name FROM Account")
    assert (error.code, error.message) == ("INVALID_FIELD", "duplicate field selected: Name")


def test_offset_above_2000(soql_desk: Helpdesk) -> None:
    assert execute(soql_desk.store, "SELECT Id FROM Case OFFSET 2000").records == []
    assert error_of(soql_desk, "SELECT Id FROM Case OFFSET 2001").code == "NUMBER_OUTSIDE_VALID_RANGE"


def test_non_filterable_and_non_sortable_fields(soql_desk: Helpdesk) -> None:
    # Case.Description is a long text area: the describe marks it neither filterable nor sortable.
    assert "can not be filtered" in error_of(soql_desk, "SELECT Id FROM Case WHERE Description = 'x'").message
    assert "can not be sorted" in error_of(soql_desk, "SELECT Id FROM Case ORDER BY Description").message


@pytest.mark.parametrize(
    "soql",
    [
        "SELECT Id FROM ContentDocumentLink",
        "SELECT Id FROM ContentDocumentLink WHERE ShareType = 'V'",
        "SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId != '001000000000001AAA'",
        "SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '001000000000001AAA' OR ShareType = 'V'",
    ],
)
def test_content_document_link_needs_an_id_filter(soql_desk: Helpdesk, soql: str) -> None:
    error = error_of(soql_desk, soql)
    assert (error.code, error.message) == ("MALFORMED_QUERY", CONTENT_DOCUMENT_LINK_FILTER)


def test_content_document_link_with_filter_runs(soql_desk: Helpdesk) -> None:
    link = soql_desk.store.add("ContentDocumentLink", LinkedEntityId=soql_desk.login_case, ShareType="V")
    result = execute(
        soql_desk.store,
        f"SELECT Id, LinkedEntityId FROM ContentDocumentLink WHERE LinkedEntityId = '{soql_desk.login_case}'",
    )
    assert [r["Id"] for r in result.records] == [link]
    case_filter = f"LinkedEntityId = '{soql_desk.login_case}'"
    by_entity = f"SELECT Id FROM ContentDocumentLink WHERE ShareType = 'V' AND {case_filter}"
    assert [r["Id"] for r in execute(soql_desk.store, by_entity).records] == [link]
    in_list = f"SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId IN ('{soql_desk.acme}')"
    assert execute(soql_desk.store, in_list).records == []


def test_content_document_link_non_id_filter_needs_linked_entity_equality(soql_desk: Helpdesk) -> None:
    soql = (
        f"SELECT Id FROM ContentDocumentLink WHERE ShareType = 'V' AND LinkedEntityId IN ('{soql_desk.acme}')"
    )
    error = error_of(soql_desk, soql)
    assert (error.code, error.message) == ("MALFORMED_QUERY", CONTENT_DOCUMENT_LINK_NON_ID_FILTER)


def test_rest_body_is_a_json_array(soql_desk: Helpdesk) -> None:
    error = error_of(soql_desk, "SELECT Id FROM Nope")
    assert error.rest_body() == [{"message": error.message, "errorCode": "INVALID_TYPE"}]
