"""Great Expectations on hand-written sync tables: a clean warehouse passes; each corruption fails
exactly the expectation that guards it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from expectations.validation import ReportPaths, ValidationResult, validate_warehouse
from loaders.org_snapshot import fetch_org_snapshot
from loaders.schema import write_stames_id_field
from mapping.model import Mapping
from mapping.org import OrgSnapshot
from tests.fixtures.expectations import VALIDATED_AT
from tests.fixtures.salesforce_org import sfdx_field


def run(warehouse: Path, mapping: Mapping, org: OrgSnapshot, tmp_path: Path) -> ValidationResult:
    return validate_warehouse(warehouse, mapping, org, ReportPaths.under(tmp_path / "reports"), VALIDATED_AT)


def failed(result: ValidationResult) -> dict[tuple[str, str, str], list[str]]:
    return {
        (outcome.suite, outcome.check.rule, outcome.check.column): outcome.examples
        for outcome in result.outcomes
        if not outcome.success
    }


def test_clean_sync_tables_pass_and_the_result_is_recorded(
    sync_warehouse, validated_mapping, validation_org, tmp_path
) -> None:
    result = run(sync_warehouse, validated_mapping, validation_org, tmp_path)
    assert failed(result) == {}
    assert result.passed
    assert (tmp_path / "reports" / "data-docs" / "index.html").exists()
    with duckdb.connect(str(sync_warehouse), read_only=True) as con:
        rows = con.execute("SELECT passed, failed_expectations, mapping_hash FROM ops.validations").fetchall()
    assert rows == [(True, 0, validated_mapping.confirmation.content_hash)]


CORRUPTIONS = {
    "too long Subject": (
        "UPDATE salesforce.sync_salesforce__cases SET Subject = repeat('x', 256) WHERE Stames_Id__c = '103'",
        ("cases", "length", "Subject__length"),
        ["256"],
    ),
    "duplicate external id": (
        "INSERT INTO salesforce.sync_salesforce__contacts "
        "SELECT * FROM salesforce.sync_salesforce__contacts WHERE Stames_Id__c = '12'",
        ("contacts", "unique", "Stames_Id__c__repeated"),
        ["12"],
    ),
    "dangling Case reference": (
        "UPDATE salesforce.sync_salesforce__email_messages SET ref__ParentId = '999' "
        "WHERE Stames_Id__c = '1003'",
        ("email_messages", "reference", "ref__ParentId__unresolved"),
        ["999"],
    ),
    "picklist value the org lacks": (
        "UPDATE salesforce.sync_salesforce__cases SET Status = 'Pending' WHERE Stames_Id__c = '102'",
        ("cases", "picklist", "Status"),
        ["Pending"],
    ),
    "tag the org lacks": (
        "UPDATE salesforce.sync_salesforce__cases SET Stames_Tags__c = 'vip;garantia' "
        "WHERE Stames_Id__c = '101'",
        ("cases", "picklist", "Stames_Tags__c"),
        ["vip;garantia"],
    ),
    "owner not in the org": (
        "UPDATE salesforce.sync_salesforce__accounts SET OwnerId = '005000000000000AAA' "
        "WHERE Stames_Id__c = 'acc:1'",
        ("accounts", "owner", "OwnerId"),
        ["005000000000000AAA"],
    ),
    "column the org lacks": (
        "ALTER TABLE salesforce.sync_salesforce__cases ADD COLUMN Stames_Product_Model__c VARCHAR",
        ("cases", "field", "Stames_Product_Model__c (not a field of Case in the org)"),
        [],
    ),
    "bad email": (
        "UPDATE salesforce.sync_salesforce__contacts SET Email = 'ana at example' WHERE Stames_Id__c = '11'",
        ("contacts", "email", "Email"),
        ["ana at example"],
    ),
}


@pytest.mark.parametrize("corruption", CORRUPTIONS.keys())
def test_a_corrupted_sync_table_fails_the_expectation_that_guards_it(
    corruption, sync_warehouse, validated_mapping, validation_org, tmp_path
) -> None:
    statement, expected_failure, examples = CORRUPTIONS[corruption]
    with duckdb.connect(str(sync_warehouse)) as con:
        con.execute(statement)
    result = run(sync_warehouse, validated_mapping, validation_org, tmp_path)
    assert not result.passed
    assert failed(result) == {expected_failure: examples}


def test_a_timestamp_after_the_validation_time_fails(
    sync_warehouse, validated_mapping, validation_org, tmp_path
) -> None:
    later = VALIDATED_AT + timedelta(minutes=1)
    with duckdb.connect(str(sync_warehouse)) as con:
        con.execute(
            "UPDATE salesforce.sync_salesforce__email_messages SET MessageDate = ? "
            "WHERE Stames_Id__c = '1002'",
            [later],
        )
    result = run(sync_warehouse, validated_mapping, validation_org, tmp_path)
    assert list(failed(result)) == [("email_messages", "timestamp", "MessageDate__utc")]


def test_a_missing_required_column_fails(sync_warehouse, validated_mapping, validation_org, tmp_path) -> None:
    with duckdb.connect(str(sync_warehouse)) as con:
        con.execute('ALTER TABLE salesforce.sync_salesforce__contacts DROP COLUMN "LastName"')
    result = run(sync_warehouse, validated_mapping, validation_org, tmp_path)
    assert list(failed(result)) == [("contacts", "required", "LastName")]


def test_chunks_of_one_row_still_see_duplicates_and_add_up_the_failures(
    sync_warehouse, validated_mapping, validation_org, tmp_path
) -> None:
    with duckdb.connect(str(sync_warehouse)) as con:
        con.execute(
            "INSERT INTO salesforce.sync_salesforce__contacts "
            "SELECT * FROM salesforce.sync_salesforce__contacts WHERE Stames_Id__c = '12'"
        )
        con.execute("UPDATE salesforce.sync_salesforce__cases SET Status = 'Pending' WHERE Status <> 'New'")
    paths = ReportPaths.under(tmp_path / "reports")
    result = validate_warehouse(
        sync_warehouse, validated_mapping, validation_org, paths, VALIDATED_AT, chunk_rows=1
    )
    outcomes = {(outcome.suite, outcome.check.column): outcome for outcome in result.outcomes}
    repeated = outcomes[("contacts", "Stames_Id__c__repeated")]
    assert (repeated.success, repeated.unexpected_count, repeated.examples) == (False, 2, ["12"])
    status = outcomes[("cases", "Status")]
    assert (status.success, status.unexpected_count, status.row_count) == (False, 2, 3)


def test_a_user_lookup_holding_an_inactive_or_unknown_user_fails(
    sync_warehouse, validated_mapping, sf_server, sf, tmp_path
) -> None:
    # A Case lookup to User (an escalation agent) holds the User Id itself: only an active user
    # of the org can be written there.
    package = tmp_path / "user-lookup" / "force-app" / "main" / "default"
    fields = package / "objects" / "Case" / "fields"
    fields.mkdir(parents=True)
    (fields / "Escalation_Agent__c.field-meta.xml").write_text(
        sfdx_field(
            "Escalation_Agent__c",
            "<label>Escalation agent</label><type>Lookup</type><referenceTo>User</referenceTo>"
            "<relationshipName>Escalation_Agent</relationshipName>",
        ),
        encoding="utf-8",
    )
    for sobject in ("Account", "Contact", "Case", "EmailMessage"):
        write_stames_id_field(package, sobject)
    assert sf_server.org.deploy(tmp_path / "user-lookup").success
    org = fetch_org_snapshot(sf)
    active = next(user.id for user in org.users if user.is_active)
    inactive = next(user.id for user in org.users if not user.is_active)
    with duckdb.connect(str(sync_warehouse)) as con:
        con.execute(
            "CREATE TABLE salesforce.sync_salesforce__case_custom_fields AS "
            "SELECT * FROM (VALUES ('101', ?), ('102', ?), ('103', NULL)) "
            "AS t(Stames_Id__c, Escalation_Agent__c)",
            [active, inactive],
        )
    result = run(sync_warehouse, validated_mapping, org, tmp_path)
    assert failed(result) == {("case_custom_fields", "reference", "Escalation_Agent__c"): [inactive]}
