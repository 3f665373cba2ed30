"""FIELDS(ALL | STANDARD | CUSTOM) expands from the describe."""

import pytest

from emulators.salesforce.soql import SoqlError, execute
from tests.fixtures.soql_store import DESCRIBES, Helpdesk

ACCOUNT_FIELDS = [field["name"] for field in DESCRIBES["Account"]["fields"]]


def test_fields_standard_lists_every_non_custom_field(soql_desk: Helpdesk) -> None:
    result = execute(soql_desk.store, f"SELECT FIELDS(STANDARD) FROM Account WHERE Id = '{soql_desk.acme}'")
    standard = [name for name in ACCOUNT_FIELDS if not name.endswith("__c")]
    assert result.columns == standard
    (record,) = result.records
    assert list(record)[1:] == standard
    assert record["Name"] == "Acme"


def test_fields_custom_needs_a_limit_of_at_most_200(soql_desk: Helpdesk) -> None:
    for soql in ("SELECT FIELDS(CUSTOM) FROM Account", "SELECT FIELDS(ALL) FROM Account LIMIT 201"):
        with pytest.raises(SoqlError) as raised:
            execute(soql_desk.store, soql)
        assert raised.value.code == "MALFORMED_QUERY"
    result = execute(soql_desk.store, "SELECT FIELDS(CUSTOM) FROM Account ORDER BY Stames_Id__c LIMIT 200")
    assert result.columns == [name for name in ACCOUNT_FIELDS if name.endswith("__c")]
    assert "Stames_Id__c" in result.columns
    assert [r["Stames_Id__c"] for r in result.records] == [None, "org-1", "org-2"]


def test_explicit_field_next_to_fields_all_is_a_duplicate(soql_desk: Helpdesk) -> None:
    with pytest.raises(SoqlError) as raised:
        execute(soql_desk.store, "SELECT Id, FIELDS(ALL) FROM Account LIMIT 200")
    assert (raised.value.code, raised.value.message) == ("INVALID_FIELD", "duplicate field selected: Id")
