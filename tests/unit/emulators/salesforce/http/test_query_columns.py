from __future__ import annotations

from emulators.salesforce.http.query import column_metadata


def test_parent_fields_nest_under_their_relationship_in_select_order() -> None:
    columns = column_metadata(["Id", "Account.Name", "Subject", "Account.Owner.Email", "Account.Industry"])
    assert [column["columnName"] for column in columns] == ["Id", "Account", "Subject"]
    account = columns[1]
    assert [child["columnName"] for child in account["joinColumns"]] == ["Name", "Owner", "Industry"]
    assert account["joinColumns"][1]["joinColumns"][0]["columnName"] == "Email"
    assert columns[0]["joinColumns"] == []
