"""SELECT: REST record shape, canonical names, parent paths and child subqueries."""

from emulators.salesforce.soql import execute
from tests.fixtures.soql_store import Helpdesk


def by_id(soql_desk: Helpdesk, soql: str) -> dict[str, dict]:
    return {record["Id"]: record for record in execute(soql_desk.store, soql).records}


def test_records_carry_attributes_and_fields_in_select_order(soql_desk: Helpdesk) -> None:
    result = execute(soql_desk.store, "SELECT Subject, Id, Status FROM Case")
    first = result.records[0]
    assert list(first) == ["attributes", "Subject", "Id", "Status"]
    assert first["attributes"] == {"type": "Case", "url": f"/services/data/v62.0/sobjects/Case/{first['Id']}"}
    assert result.sobject == "Case"


def test_names_are_returned_in_describe_spelling(soql_desk: Helpdesk) -> None:
    result = execute(soql_desk.store, "select subject, account.name from CASE")
    assert result.sobject == "Case"
    assert result.columns == ["subject", "account.name"]
    record = next(r for r in result.records if r["Account"] is not None)
    assert set(record) == {"attributes", "Subject", "Account"}
    assert set(record["Account"]) == {"attributes", "Name"}


def test_parent_fields_nest_under_relationship_or_are_null(soql_desk: Helpdesk) -> None:
    records = by_id(soql_desk, "SELECT Id, Account.Name, Account.NumberOfEmployees FROM Case")
    login = records[soql_desk.login_case]["Account"]
    assert login["attributes"] == {
        "type": "Account",
        "url": f"/services/data/v62.0/sobjects/Account/{soql_desk.acme}",
    }
    assert (login["Name"], login["NumberOfEmployees"]) == ("Acme", 120)
    assert records[soql_desk.queued_case]["Account"] is None


def test_polymorphic_owner_resolves_to_user_or_group(soql_desk: Helpdesk) -> None:
    records = by_id(soql_desk, "SELECT Id, Owner.Name, Owner.Username, Owner.Type FROM Case")
    user_owner = records[soql_desk.login_case]["Owner"]
    assert user_owner["attributes"] == {
        "type": "Name",
        "url": f"/services/data/v62.0/sobjects/User/{soql_desk.ann}",
    }
    assert (user_owner["Name"], user_owner["Username"], user_owner["Type"]) == (
        "Ann Ahlberg",
        "ann@example.com",
        "User",
    )
    queue_owner = records[soql_desk.queued_case]["Owner"]
    assert queue_owner["attributes"]["url"].endswith(f"/sobjects/Group/{soql_desk.queue}")
    assert (queue_owner["Name"], queue_owner["Username"], queue_owner["Type"]) == (
        "Support Queue",
        None,
        "Queue",
    )


def test_owner_type_filter_finds_queue_owned_cases(soql_desk: Helpdesk) -> None:
    records = execute(soql_desk.store, "SELECT Id FROM Case WHERE Owner.Type = 'Queue'").records
    assert [r["Id"] for r in records] == [soql_desk.queued_case]


def test_two_level_path(soql_desk: Helpdesk) -> None:
    records = by_id(soql_desk, "SELECT Id, Account.Owner.Username, Parent.Account.Name FROM Case")
    assert records[soql_desk.login_case]["Account"]["Owner"]["Username"] == "ann@example.com"
    assert records[soql_desk.invoice_case]["Account"]["Owner"]["Username"] == "bob@example.com"
    assert records[soql_desk.followup_case]["Parent"]["Account"]["Name"] == "Acme"
    assert records[soql_desk.login_case]["Parent"] is None


def test_deleted_rows_only_with_include_deleted(soql_desk: Helpdesk) -> None:
    live = {r["Id"] for r in execute(soql_desk.store, "SELECT Id FROM Case").records}
    everything = execute(soql_desk.store, "SELECT Id, IsDeleted FROM Case", include_deleted=True).records
    assert soql_desk.deleted_case not in live
    assert {r["Id"] for r in everything} == live | {soql_desk.deleted_case}
    assert {r["Id"] for r in everything if r["IsDeleted"]} == {soql_desk.deleted_case}


def test_api_version_appears_in_urls(soql_desk: Helpdesk) -> None:
    result = execute(
        soql_desk.store, "SELECT Id, Account.Name FROM Case WHERE Stames_Id__c = 't-1'", api_version="58.0"
    )
    record = result.records[0]
    assert record["attributes"]["url"].startswith("/services/data/v58.0/sobjects/Case/")
    assert record["Account"]["attributes"]["url"].startswith("/services/data/v58.0/sobjects/Account/")


def test_child_subquery_lists_children_or_null(soql_desk: Helpdesk) -> None:
    records = by_id(soql_desk, "SELECT Id, (SELECT Subject FROM Cases ORDER BY Subject) FROM Account")
    acme_cases = records[soql_desk.acme]["Cases"]
    assert acme_cases["totalSize"] == 2
    assert acme_cases["done"] is True
    assert [c["Subject"] for c in acme_cases["records"]] == ["Cannot log in", "Re: cannot log in"]
    assert records[soql_desk.initech]["Cases"] is None  # its only case is deleted


def test_object_name_prefix_on_own_fields(soql_desk: Helpdesk) -> None:
    records = execute(
        soql_desk.store, "SELECT Account.Name FROM Account WHERE Stames_Id__c = 'org-2'"
    ).records
    assert records[0]["Name"] == "Globex"


def test_object_alias_prefixes_paths(soql_desk: Helpdesk) -> None:
    soql = "SELECT c.Subject, c.Account.Name FROM Case c WHERE c.Status = 'Working' ORDER BY c.Subject"
    result = execute(soql_desk.store, soql)
    assert [(r["Subject"], r["Account"]["Name"]) for r in result.records] == [
        ("Invoice 100% wrong", "Globex")
    ]
