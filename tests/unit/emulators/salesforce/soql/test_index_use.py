"""Id and external-id filters fetch rows directly instead of scanning the object."""

from emulators.salesforce.soql import execute
from tests.fixtures.soql_store import Helpdesk


def test_id_equality_uses_get(soql_desk: Helpdesk) -> None:
    store = soql_desk.store
    result = execute(store, f"SELECT Id, Subject FROM Case WHERE Id = '{soql_desk.invoice_case[:15]}'")
    assert [r["Subject"] for r in result.records] == ["Invoice 100% wrong"]
    assert store.scanned == []


def test_id_in_list_ignores_other_objects_and_still_filters(soql_desk: Helpdesk) -> None:
    store = soql_desk.store
    listed = f"'{soql_desk.login_case}', '{soql_desk.acme}', '{soql_desk.queued_case}'"
    soql = f"SELECT Id FROM Case WHERE Id IN ({listed}) AND Status = 'New' AND Priority = 'High'"
    assert [r["Id"] for r in execute(store, soql).records] == [soql_desk.login_case]
    assert store.scanned == []


def test_external_id_equality_uses_find_ids(soql_desk: Helpdesk) -> None:
    store = soql_desk.store
    result = execute(store, "SELECT Id FROM Case WHERE Stames_Id__c = 't-2' AND IsEscalated = false")
    assert [r["Id"] for r in result.records] == [soql_desk.invoice_case]
    assert store.scanned == []


def test_deleted_rows_by_id_only_with_include_deleted(soql_desk: Helpdesk) -> None:
    soql = f"SELECT Id FROM Case WHERE Id = '{soql_desk.deleted_case}'"
    assert execute(soql_desk.store, soql).records == []
    assert [r["Id"] for r in execute(soql_desk.store, soql, include_deleted=True).records] == [
        soql_desk.deleted_case
    ]


def test_or_filter_falls_back_to_a_scan(soql_desk: Helpdesk) -> None:
    store = soql_desk.store
    soql = f"SELECT Id FROM Case WHERE Id = '{soql_desk.login_case}' OR Stames_Id__c = 't-2'"
    assert {r["Id"] for r in execute(store, soql).records} == {soql_desk.login_case, soql_desk.invoice_case}
    assert store.scanned == ["Case"]


def test_parent_lookups_are_fetched_once_per_query(soql_desk: Helpdesk) -> None:
    store = soql_desk.store
    execute(store, "SELECT Id, Account.Name, Owner.Name FROM Case")
    # Distinct parents across the four live cases: Acme, Globex (accounts); Ann, Bob, the queue (owners).
    assert store.get_calls == 5
