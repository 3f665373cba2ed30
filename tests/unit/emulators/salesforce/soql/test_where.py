"""WHERE semantics: operators, null rules, case-insensitivity, literal types and Ids."""

import pytest

from emulators.salesforce.soql import SoqlError, execute
from tests.fixtures.soql_store import Helpdesk


def ids(soql_desk: Helpdesk, where: str, sobject: str = "Case", *, include_deleted: bool = False) -> set[str]:
    result = execute(
        soql_desk.store, f"SELECT Id FROM {sobject} WHERE {where}", include_deleted=include_deleted
    )
    return {record["Id"] for record in result.records}


def all_live_cases(soql_desk: Helpdesk) -> set[str]:
    return {soql_desk.login_case, soql_desk.invoice_case, soql_desk.followup_case, soql_desk.queued_case}


def test_equality_on_text_ignores_case(soql_desk: Helpdesk) -> None:
    assert ids(soql_desk, "Subject = 'CANNOT LOG IN'") == {soql_desk.login_case}
    assert ids(soql_desk, "Name = 'INITECH'", "Account") == {soql_desk.initech}


def test_not_equal_includes_nulls(soql_desk: Helpdesk) -> None:
    assert ids(soql_desk, "Priority != 'High'") == all_live_cases(soql_desk) - {soql_desk.login_case}
    assert ids(soql_desk, "Priority <> 'High'") == ids(soql_desk, "Priority != 'High'")


def test_null_comparisons(soql_desk: Helpdesk) -> None:
    assert ids(soql_desk, "Subject = null") == {soql_desk.queued_case}
    assert ids(soql_desk, "Subject != NULL") == all_live_cases(soql_desk) - {soql_desk.queued_case}


def test_picklist_in_and_not_in(soql_desk: Helpdesk) -> None:
    assert ids(soql_desk, "Status IN ('new', 'Working')") == {
        soql_desk.login_case,
        soql_desk.invoice_case,
        soql_desk.queued_case,
    }
    assert ids(soql_desk, "Priority NOT IN ('High', 'Low')") == {
        soql_desk.followup_case,
        soql_desk.queued_case,
    }


def test_like_wildcards_and_escapes(soql_desk: Helpdesk) -> None:
    assert ids(soql_desk, "Subject LIKE '%log in'") == {soql_desk.login_case, soql_desk.followup_case}
    assert ids(soql_desk, "Subject LIKE 're:_cannot%'") == {soql_desk.followup_case}
    assert ids(soql_desk, r"Subject LIKE '%100\%%'") == {soql_desk.invoice_case}
    assert ids(soql_desk, r"Subject LIKE '%1000\%%'") == set()


def test_and_or_not_with_parentheses(soql_desk: Helpdesk) -> None:
    where = "Status = 'New' AND (Priority = 'High' OR Subject = null)"
    assert ids(soql_desk, where) == {soql_desk.login_case, soql_desk.queued_case}
    assert ids(soql_desk, "NOT Status = 'New'") == {soql_desk.invoice_case, soql_desk.followup_case}
    where = "(Status = 'Closed' OR Priority = 'Low') AND IsEscalated = false"
    assert ids(soql_desk, where) == {soql_desk.invoice_case, soql_desk.followup_case}


def test_numbers_compare_numerically(soql_desk: Helpdesk) -> None:
    assert ids(soql_desk, "NumberOfEmployees > 10", "Account") == {soql_desk.acme}
    assert ids(soql_desk, "NumberOfEmployees <= 8", "Account") == {soql_desk.globex}
    assert ids(soql_desk, "AnnualRevenue >= 5.5e6", "Account") == {soql_desk.acme}


def test_booleans(soql_desk: Helpdesk) -> None:
    assert ids(soql_desk, "IsEscalated = TRUE") == {soql_desk.login_case}
    assert ids(soql_desk, "IsDeleted = true", include_deleted=True) == {soql_desk.deleted_case}


def test_datetime_literals_with_offsets(soql_desk: Helpdesk) -> None:
    # The follow-up was created at 08:00 +01:00, that is 07:00 UTC.
    assert ids(soql_desk, "CreatedDate = 2024-03-05T07:00:00Z") == {soql_desk.followup_case}
    assert ids(soql_desk, "CreatedDate = 2024-03-05T09:00:00+02:00") == {soql_desk.followup_case}
    assert ids(soql_desk, "CreatedDate < 2024-01-01T00:00:00Z") == {soql_desk.queued_case}
    assert ids(soql_desk, "CreatedDate >= 2024-03-02T23:15:00.000Z") == {
        soql_desk.invoice_case,
        soql_desk.followup_case,
    }


def test_date_literal_ranges_on_datetime_fields(soql_desk: Helpdesk) -> None:
    recent = ids(soql_desk, "CreatedDate = LAST_N_DAYS:3650")
    assert recent == all_live_cases(soql_desk)
    assert ids(soql_desk, "CreatedDate > TODAY") == set()
    assert ids(soql_desk, "CreatedDate < TODAY") == all_live_cases(soql_desk)


def test_ids_match_in_fifteen_or_eighteen_chars(soql_desk: Helpdesk) -> None:
    acme = soql_desk.acme
    assert ids(soql_desk, f"Id = '{acme[:15]}'", "Account") == {acme}
    assert ids(soql_desk, f"Id = '{acme.lower()}'", "Account") == {acme}
    assert ids(soql_desk, f"AccountId = '{acme[:15]}'") == {soql_desk.login_case, soql_desk.followup_case}
    assert ids(soql_desk, f"Id IN ('{acme}', '{soql_desk.globex[:15]}')", "Account") == {
        acme,
        soql_desk.globex,
    }


def test_filter_through_parent_path(soql_desk: Helpdesk) -> None:
    assert ids(soql_desk, "Account.Name = 'acme'") == {soql_desk.login_case, soql_desk.followup_case}
    assert ids(soql_desk, "Owner.Username = 'bob@example.com'") == {soql_desk.invoice_case}
    assert ids(soql_desk, "Account.Name != 'Acme'") == {soql_desk.invoice_case, soql_desk.queued_case}


def test_multi_select_includes_and_excludes(soql_desk: Helpdesk) -> None:
    assert ids(soql_desk, "Tags__c INCLUDES ('urgent')") == {soql_desk.login_case}
    assert ids(soql_desk, "Tags__c INCLUDES ('billing', 'login;urgent')") == {
        soql_desk.login_case,
        soql_desk.invoice_case,
    }
    assert ids(soql_desk, "Tags__c INCLUDES ('login;billing')") == set()
    assert ids(soql_desk, "Tags__c EXCLUDES ('urgent')") == all_live_cases(soql_desk) - {soql_desk.login_case}
    assert ids(soql_desk, "Tags__c = 'urgent;login'") == {soql_desk.login_case}


def test_semi_join(soql_desk: Helpdesk) -> None:
    assert ids(soql_desk, "Id IN (SELECT AccountId FROM Case WHERE Status = 'Working')", "Account") == {
        soql_desk.globex
    }
    assert ids(soql_desk, "Id NOT IN (SELECT AccountId FROM Case)", "Account") == {soql_desk.initech}


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
    soql_desk: Helpdesk, where: str, field: str, expected_type: str
) -> None:
    with pytest.raises(SoqlError) as raised:
        ids(soql_desk, where)
    assert raised.value.code == "INVALID_FIELD"
    assert (
        f"value of filter criterion for field '{field}' must be of type {expected_type}"
        in raised.value.message
    )


def test_malformed_id_literal(soql_desk: Helpdesk) -> None:
    with pytest.raises(SoqlError) as raised:
        ids(soql_desk, "AccountId = 'not-an-id'")
    assert raised.value.code == "INVALID_QUERY_FILTER_OPERATOR"
    assert raised.value.message.endswith("invalid ID field: not-an-id")
