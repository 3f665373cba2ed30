"""WHERE semantics: operators, null rules, case-insensitivity, literal types and Ids."""

import pytest

from emulators.salesforce.soql import SoqlError, execute
from tests.fixtures.soql_store import Helpdesk


def ids(helpdesk: Helpdesk, where: str, sobject: str = "Case", *, include_deleted: bool = False) -> set[str]:
    result = execute(
        helpdesk.store, f"SELECT Id FROM {sobject} WHERE {where}", include_deleted=include_deleted
    )
    return {record["Id"] for record in result.records}


def all_live_cases(helpdesk: Helpdesk) -> set[str]:
    return {helpdesk.login_case, helpdesk.invoice_case, helpdesk.followup_case, helpdesk.queued_case}


def test_equality_on_text_ignores_case(helpdesk: Helpdesk) -> None:
    assert ids(helpdesk, "Subject = 'CANNOT LOG IN'") == {helpdesk.login_case}
    assert ids(helpdesk, "Name = 'INITECH'", "Account") == {helpdesk.initech}


def test_not_equal_includes_nulls(helpdesk: Helpdesk) -> None:
    assert ids(helpdesk, "Priority != 'High'") == all_live_cases(helpdesk) - {helpdesk.login_case}
    assert ids(helpdesk, "Priority <> 'High'") == ids(helpdesk, "Priority != 'High'")


def test_null_comparisons(helpdesk: Helpdesk) -> None:
    assert ids(helpdesk, "Subject = null") == {helpdesk.queued_case}
    assert ids(helpdesk, "Subject != NULL") == all_live_cases(helpdesk) - {helpdesk.queued_case}


def test_picklist_in_and_not_in(helpdesk: Helpdesk) -> None:
    assert ids(helpdesk, "Status IN ('new', 'Working')") == {
        helpdesk.login_case,
        helpdesk.invoice_case,
        helpdesk.queued_case,
    }
    assert ids(helpdesk, "Priority NOT IN ('High', 'Low')") == {helpdesk.followup_case, helpdesk.queued_case}


def test_like_wildcards_and_escapes(helpdesk: Helpdesk) -> None:
    assert ids(helpdesk, "Subject LIKE '%log in'") == {helpdesk.login_case, helpdesk.followup_case}
    assert ids(helpdesk, "Subject LIKE 're:_cannot%'") == {helpdesk.followup_case}
    assert ids(helpdesk, r"Subject LIKE '%100\%%'") == {helpdesk.invoice_case}
    assert ids(helpdesk, r"Subject LIKE '%1000\%%'") == set()


def test_and_or_not_with_parentheses(helpdesk: Helpdesk) -> None:
    where = "Status = 'New' AND (Priority = 'High' OR Subject = null)"
    assert ids(helpdesk, where) == {helpdesk.login_case, helpdesk.queued_case}
    assert ids(helpdesk, "NOT Status = 'New'") == {helpdesk.invoice_case, helpdesk.followup_case}
    where = "(Status = 'Closed' OR Priority = 'Low') AND IsEscalated = false"
    assert ids(helpdesk, where) == {helpdesk.invoice_case, helpdesk.followup_case}


def test_numbers_compare_numerically(helpdesk: Helpdesk) -> None:
    assert ids(helpdesk, "NumberOfEmployees > 10", "Account") == {helpdesk.acme}
    assert ids(helpdesk, "NumberOfEmployees <= 8", "Account") == {helpdesk.globex}
    assert ids(helpdesk, "AnnualRevenue >= 5.5e6", "Account") == {helpdesk.acme}


def test_booleans(helpdesk: Helpdesk) -> None:
    assert ids(helpdesk, "IsEscalated = TRUE") == {helpdesk.login_case}
    assert ids(helpdesk, "IsDeleted = true", include_deleted=True) == {helpdesk.deleted_case}


def test_datetime_literals_with_offsets(helpdesk: Helpdesk) -> None:
    # The follow-up was created at 08:00 +01:00, that is 07:00 UTC.
    assert ids(helpdesk, "CreatedDate = 2024-03-05T07:00:00Z") == {helpdesk.followup_case}
    assert ids(helpdesk, "CreatedDate = 2024-03-05T09:00:00+02:00") == {helpdesk.followup_case}
    assert ids(helpdesk, "CreatedDate < 2024-01-01T00:00:00Z") == {helpdesk.queued_case}
    assert ids(helpdesk, "CreatedDate >= 2024-03-02T23:15:00.000Z") == {
        helpdesk.invoice_case,
        helpdesk.followup_case,
    }


def test_date_literal_ranges_on_datetime_fields(helpdesk: Helpdesk) -> None:
    recent = ids(helpdesk, "CreatedDate = LAST_N_DAYS:3650")
    assert recent == all_live_cases(helpdesk)
    assert ids(helpdesk, "CreatedDate > TODAY") == set()
    assert ids(helpdesk, "CreatedDate < TODAY") == all_live_cases(helpdesk)


def test_ids_match_in_fifteen_or_eighteen_chars(helpdesk: Helpdesk) -> None:
    acme = helpdesk.acme
    assert ids(helpdesk, f"Id = '{acme[:15]}'", "Account") == {acme}
    assert ids(helpdesk, f"Id = '{acme.lower()}'", "Account") == {acme}
    assert ids(helpdesk, f"AccountId = '{acme[:15]}'") == {helpdesk.login_case, helpdesk.followup_case}
    assert ids(helpdesk, f"Id IN ('{acme}', '{helpdesk.globex[:15]}')", "Account") == {acme, helpdesk.globex}


def test_filter_through_parent_path(helpdesk: Helpdesk) -> None:
    assert ids(helpdesk, "Account.Name = 'acme'") == {helpdesk.login_case, helpdesk.followup_case}
    assert ids(helpdesk, "Owner.Username = 'bob@example.com'") == {helpdesk.invoice_case}
    assert ids(helpdesk, "Account.Name != 'Acme'") == {helpdesk.invoice_case, helpdesk.queued_case}


def test_multi_select_includes_and_excludes(helpdesk: Helpdesk) -> None:
    assert ids(helpdesk, "Tags__c INCLUDES ('urgent')") == {helpdesk.login_case}
    assert ids(helpdesk, "Tags__c INCLUDES ('billing', 'login;urgent')") == {
        helpdesk.login_case,
        helpdesk.invoice_case,
    }
    assert ids(helpdesk, "Tags__c INCLUDES ('login;billing')") == set()
    assert ids(helpdesk, "Tags__c EXCLUDES ('urgent')") == all_live_cases(helpdesk) - {helpdesk.login_case}
    assert ids(helpdesk, "Tags__c = 'urgent;login'") == {helpdesk.login_case}


def test_semi_join(helpdesk: Helpdesk) -> None:
    assert ids(helpdesk, "Id IN (SELECT AccountId FROM Case WHERE Status = 'Working')", "Account") == {
        helpdesk.globex
    }
    assert ids(helpdesk, "Id NOT IN (SELECT AccountId FROM Case)", "Account") == {helpdesk.initech}


@pytest.mark.parametrize(
    ("where", "field", "expected_type"),
    [
        ("CreatedDate > '2024-01-01T00:00:00Z'", "CreatedDate", "dateTime"),
        ("CreatedDate > 2024-01-01", "CreatedDate", "dateTime"),
        ("IsEscalated = 'true'", "IsEscalated", "boolean"),
        ("Subject = 5", "Subject", "string"),
    ],
)
def test_literal_of_the_wrong_type_is_invalid_field(
    helpdesk: Helpdesk, where: str, field: str, expected_type: str
) -> None:
    with pytest.raises(SoqlError) as raised:
        ids(helpdesk, where)
    assert raised.value.code == "INVALID_FIELD"
    assert (
        f"value of filter criterion for field '{field}' must be of type {expected_type}"
        in raised.value.message
    )


def test_malformed_id_literal(helpdesk: Helpdesk) -> None:
    with pytest.raises(SoqlError) as raised:
        ids(helpdesk, "AccountId = 'not-an-id'")
    assert raised.value.code == "INVALID_QUERY_FILTER_OPERATOR"
    assert raised.value.message.endswith("invalid ID field: not-an-id")
