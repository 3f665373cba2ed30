"""The suites generated from the org's describe and the mapping, before any GX runs."""

from __future__ import annotations

import duckdb

from expectations.suites import Suite, build_suites, sync_table_columns, utf16_length
from mapping.model import Mapping
from mapping.org import OrgSnapshot
from tests.fixtures.expectations import VALIDATED_AT


def suites_by_name(mapping: Mapping, org: OrgSnapshot, warehouse: object) -> dict[str, Suite]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = sync_table_columns(con)
    return {suite.name: suite for suite in build_suites(mapping, org, columns, VALIDATED_AT)}


def checks_of(suite: Suite, rule: str) -> dict[str, dict]:
    return {check.column: dict(check.arguments) for check in suite.checks if check.rule == rule}


def test_one_suite_per_sync_table_of_the_mapping(validated_mapping, validation_org, sync_warehouse) -> None:
    suites = suites_by_name(validated_mapping, validation_org, sync_warehouse)
    # reconciliation and quarantine are not loaded, so they get no suite
    assert set(suites) == {"accounts", "contacts", "cases", "email_messages"}


def test_lengths_and_picklists_come_from_the_describe(
    validated_mapping, validation_org, sync_warehouse
) -> None:
    cases = suites_by_name(validated_mapping, validation_org, sync_warehouse)["cases"]
    lengths = checks_of(cases, "length")
    assert lengths["Subject__length"]["max_value"] == 255  # CONTRACT: Case.Subject is 255
    assert lengths["Stames_Id__c__length"]["max_value"] == 64  # mapping.model.STAMES_ID, as deployed
    picklists = checks_of(cases, "picklist")
    assert picklists["Origin"]["value_set"] == ["Phone", "Email", "Web"]
    assert picklists["Stames_Tags__c"]["regex"] == "^(?:vip|urgente|b2b)(?:;(?:vip|urgente|b2b))*$"
    assert "SuppliedEmail" in checks_of(cases, "email")


def test_every_column_is_a_field_of_the_org_or_a_reference_or_helper(
    validated_mapping, validation_org, sync_warehouse
) -> None:
    with duckdb.connect(str(sync_warehouse)) as con:
        con.execute("ALTER TABLE salesforce.sync_salesforce__cases ADD COLUMN stames__file_path VARCHAR")
        con.execute("ALTER TABLE salesforce.sync_salesforce__cases ADD COLUMN Stames_Units__c DOUBLE")
    cases = suites_by_name(validated_mapping, validation_org, sync_warehouse)["cases"]
    # the validation org has no Stames_Units__c; stames__* helpers and ref__* columns are not fields
    assert [check.column for check in cases.checks if check.rule == "field"] == [
        "Stames_Units__c (not a field of Case in the org)"
    ]


def test_required_fields_and_references(validated_mapping, validation_org, sync_warehouse) -> None:
    suites = suites_by_name(validated_mapping, validation_org, sync_warehouse)
    required = [check.column for check in suites["contacts"].checks if check.rule == "required"]
    assert required == ["LastName"]  # CONTRACT: Contact requires LastName
    references = {check.column: check.words for check in suites["cases"].checks if check.rule == "reference"}
    assert references == {
        "ref__ContactId__unresolved": "every ContactId names a row of sync_salesforce__contacts",
        "ref__ParentId__unresolved": "every ParentId names a row of sync_salesforce__cases",
    }


def test_a_text_is_measured_in_utf16_units_as_salesforce_counts() -> None:
    with duckdb.connect() as con:
        # one emoji is two UTF-16 units; an accented letter is one
        lengths = con.execute(f"SELECT {utf16_length('$1')}, {utf16_length('$2')}", ["a😀", "é"]).fetchall()[
            0
        ]
    assert lengths == (3, 1)


def test_custom_objects_share_a_table_and_each_gets_its_suite(
    validated_mapping, validation_org, sync_warehouse
) -> None:
    with duckdb.connect(str(sync_warehouse)) as con:
        con.execute(
            "CREATE TABLE salesforce.sync_salesforce__custom_object_records AS SELECT * FROM (VALUES "
            "('wr_1', 'Stames_Warranty__c', '101'), ('wr_2', 'Stames_Warranty__c', '999'), "
            "('wr_1', 'Stames_Subscription__c', '102')) AS t(Stames_Id__c, stames__sobject, ref__Case__c)"
        )
    suites = suites_by_name(validated_mapping, validation_org, sync_warehouse)
    warranty = suites["Stames_Warranty__c"]
    words = [check.words for check in warranty.checks if check.rule == "reference"]
    # the org has no such object yet: the parent comes from the mapping's lookup to Case
    assert words == ["every Case__c names a row of sync_salesforce__cases"]
    with duckdb.connect(str(sync_warehouse), read_only=True) as con:
        rows = con.execute(
            f'SELECT "Stames_Id__c", "ref__Case__c__unresolved", "Stames_Id__c__repeated" '
            f"FROM ({warranty.query}) ORDER BY 1"
        ).fetchall()
    # only the warranty rows; wr_1 is also a subscription's id, which is not a repeat
    assert rows == [("wr_1", None, None), ("wr_2", "999", None)]
