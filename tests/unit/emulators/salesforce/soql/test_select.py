"""SELECT: REST record shape, canonical names, parent paths and child subqueries."""

from emulators.salesforce.soql import execute
from tests.fixtures.soql_store import Helpdesk


def by_id(helpdesk: Helpdesk, soql: str) -> dict[str, dict]:
    return {record["Id"]: record for record in execute(helpdesk.store, soql).records}


def test_records_carry_attributes_and_fields_in_select_order(helpdesk: Helpdesk) -> None:
    result = execute(helpdesk.store, "SELECT Subject, Id, Status FROM Case")
    first = result.records[0]
    assert list(first) == ["attributes", "Subject", "Id", "Status"]
    assert first["attributes"] == {"type": "Case", "url": f"/services/data/v62.0/sobjects/Case/{first['Id']}"}
    assert result.sobject == "Case"


def test_names_are_returned_in_describe_spelling(helpdesk: Helpdesk) -> None:
    result = execute(helpdesk.store, "select subject, account.name from CASE")
    assert result.sobject == "Case"
    assert result.columns == ["subject", "account.name"]
    record = next(r for r in result.records if r["Account"] is not None)
    assert set(record) == {"attributes", "Subject", "Account"}
    assert set(record["Account"]) == {"attributes", "Name"}


def test_parent_fields_nest_under_relationship_or_are_null(helpdesk: Helpdesk) -> None:
    records = by_id(helpdesk, "SELECT Id, Account.Name, Account.NumberOfEmployees FROM Case")
    login = records[helpdesk.login_case]["Account"]
    assert login["attributes"] == {
        "type": "Account",
        "url": f"/services/data/v62.0/sobjects/Account/{helpdesk.acme}",
    }
    assert (login["Name"], login["NumberOfEmployees"]) == ("Acme", 120)
    assert records[helpdesk.queued_case]["Account"] is None


def test_polymorphic_owner_resolves_to_user_or_group(helpdesk: Helpdesk) -> None:
    records = by_id(helpdesk, "SELECT Id, Owner.Name, Owner.Username, Owner.Type FROM Case")
    user_owner = records[helpdesk.login_case]["Owner"]
    assert user_owner["attributes"] == {
        "type": "Name",
        "url": f"/services/data/v62.0/sobjects/User/{helpdesk.ann}",
    }
    assert (user_owner["Name"], user_owner["Username"], user_owner["Type"]) == (
        "Ann Ahlberg",
        "ann@example.com",
        "User",
    )
    queue_owner = records[helpdesk.queued_case]["Owner"]
    assert queue_owner["attributes"]["url"].endswith(f"/sobjects/Group/{helpdesk.queue}")
    assert (queue_owner["Name"], queue_owner["Username"], queue_owner["Type"]) == (
        "Support Queue",
        None,
        "Queue",
    )


def test_owner_type_filter_finds_queue_owned_cases(helpdesk: Helpdesk) -> None:
    records = execute(helpdesk.store, "SELECT Id FROM Case WHERE Owner.Type = 'Queue'").records
    assert [r["Id"] for r in records] == [helpdesk.queued_case]


def test_two_level_path(helpdesk: Helpdesk) -> None:
    records = by_id(helpdesk, "SELECT Id, Account.Owner.Username, Parent.Account.Name FROM Case")
    assert records[helpdesk.login_case]["Account"]["Owner"]["Username"] == "ann@example.com"
    assert records[helpdesk.invoice_case]["Account"]["Owner"]["Username"] == "bob@example.com"
    assert records[helpdesk.followup_case]["Parent"]["Account"]["Name"] == "Acme"
    assert records[helpdesk.login_case]["Parent"] is None


def test_deleted_rows_only_with_include_deleted(helpdesk: Helpdesk) -> None:
    live = {r["Id"] for r in execute(helpdesk.store, "SELECT Id FROM Case").records}
    everything = execute(helpdesk.store, "SELECT Id, IsDeleted FROM Case", include_deleted=True).records
    assert helpdesk.deleted_case not in live
    assert {r["Id"] for r in everything} == live | {helpdesk.deleted_case}
    assert {r["Id"] for r in everything if r["IsDeleted"]} == {helpdesk.deleted_case}


def test_api_version_appears_in_urls(helpdesk: Helpdesk) -> None:
    result = execute(
        helpdesk.store, "SELECT Id, Account.Name FROM Case WHERE Stames_Id__c = 't-1'", api_version="58.0"
    )
    record = result.records[0]
    assert record["attributes"]["url"].startswith("/services/data/v58.0/sobjects/Case/")
    assert record["Account"]["attributes"]["url"].startswith("/services/data/v58.0/sobjects/Account/")


def test_child_subquery_lists_children_or_null(helpdesk: Helpdesk) -> None:
    records = by_id(helpdesk, "SELECT Id, (SELECT Subject FROM Cases ORDER BY Subject) FROM Account")
    acme_cases = records[helpdesk.acme]["Cases"]
    assert acme_cases["totalSize"] == 2
    assert acme_cases["done"] is True
    assert [c["Subject"] for c in acme_cases["records"]] == ["Cannot log in", "Re: cannot log in"]
    assert records[helpdesk.initech]["Cases"] is None  # its only case is deleted


def test_object_name_prefix_on_own_fields(helpdesk: Helpdesk) -> None:
    records = execute(helpdesk.store, "SELECT Account.Name FROM Account WHERE Stames_Id__c = 'org-2'").records
    assert records[0]["Name"] == "Globex"


def test_object_alias_prefixes_paths(helpdesk: Helpdesk) -> None:
    soql = "SELECT c.Subject, c.Account.Name FROM Case c WHERE c.Status = 'Working' ORDER BY c.Subject"
    result = execute(helpdesk.store, soql)
    assert [(r["Subject"], r["Account"]["Name"]) for r in result.records] == [
        ("Invoice 100% wrong", "Globex")
    ]
