"""Header rows resolved against a real Org's describe data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulators.salesforce.bulk.columns import JobFailedError, id_column_index, plan_columns
from emulators.salesforce.org.store import Org


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Org]:
    opened = Org.open(tmp_path_factory.mktemp("org"))
    yield opened
    opened.close()


def test_plain_fields_match_case_insensitively_and_keep_the_callers_spelling(org: Org) -> None:
    columns = plan_columns(org, "Contact", ["lastname", "EMAIL"])
    assert [(column.header, column.field) for column in columns] == [
        ("lastname", "LastName"),
        ("EMAIL", "Email"),
    ]
    assert not any(column.is_relationship for column in columns)


def test_relationship_column_targets_the_lookup_and_the_parent_key(org: Org) -> None:
    [column] = plan_columns(org, "Contact", ["reportsto.email"])
    assert (column.field, column.parent_object, column.parent_field) == ("ReportsToId", "Contact", "Email")


def test_polymorphic_owner_uses_the_prefix_as_the_parent_object(org: Org) -> None:
    [column] = plan_columns(org, "Case", ["User:Owner.Username"])
    assert (column.field, column.parent_object, column.parent_field) == ("OwnerId", "User", "Username")


@pytest.mark.parametrize(
    ("sobject", "header"),
    [
        ("Contact", "Nope__c"),  # no such field
        ("Case", "Owner.Username"),  # polymorphic without the type prefix
        ("Contact", "User:Owner.Username"),  # prefix on a plain lookup
        ("Case", "Account:Owner.Username"),  # prefix that is not a target of the lookup
        ("Contact", "Account.Name"),  # parent field neither External Id nor idLookup
        ("Contact", "Account.Parent.Id"),  # grandparent
    ],
)
def test_headers_salesforce_refuses_fail_the_job(org: Org, sobject: str, header: str) -> None:
    with pytest.raises(JobFailedError, match="InvalidBatch"):
        plan_columns(org, sobject, [header])


def test_a_repeated_header_fails_the_job(org: Org) -> None:
    with pytest.raises(JobFailedError, match="Duplicate"):
        plan_columns(org, "Contact", ["LastName", "lastName"])


def test_delete_needs_an_id_column(org: Org) -> None:
    assert id_column_index(["Name", "ID"]) == 1
    with pytest.raises(JobFailedError):
        id_column_index(["Name"])
