from datetime import datetime

from loaders.reconcile.compare import (
    ExpectedCase,
    ExpectedFile,
    ExpectedMessage,
    Mismatch,
    OrgCase,
    OrgFile,
    OrgMessage,
    compare_case,
)

MD5 = "a0b8fe620f45c420336302423f2e0d0c"
EXPECTED = ExpectedCase(
    stames_id="10002",
    fields={"Subject": "Printer jams", "Status": "Closed", "ContactId": "0038d000000000HAAQ"},
    messages=(
        ExpectedMessage("900001", True, datetime(2018, 6, 7, 5, 23, 59), "Hola,\r\nno carga"),
        ExpectedMessage("900002", False, datetime(2018, 6, 7, 6, 0, 0), "Gracias"),
    ),
    notes=frozenset({"900003"}),
    files=(ExpectedFile("77002", 903, MD5, 903),),
    stames_subject="Printer jams",
    stames_messages=3,
)
ORG_MESSAGES = (
    OrgMessage("900001", True, "2018-06-07T05:23:59.000+0000", "Hola,\nno carga "),
    OrgMessage("900002", False, "2018-06-07T06:00:00.000+0000", "Gracias"),
)
ORG = OrgCase(
    salesforce_id="5008d0000000017AAA",
    fields={"Subject": "Printer jams", "Status": "Closed", "ContactId": "0038d000000000HAAQ"},
    messages=ORG_MESSAGES,
    notes=frozenset({"900003"}),
    files=(OrgFile(903, MD5.upper()),),
)


def test_a_case_as_expected_passes() -> None:
    result = compare_case(EXPECTED, ORG)
    assert result.mismatches == ()
    assert result.passed


def test_a_changed_subject_names_the_field_with_both_values() -> None:
    changed = OrgCase(
        ORG.salesforce_id, {**ORG.fields, "Subject": "Changed in the org"}, ORG_MESSAGES, ORG.notes, ORG.files
    )
    result = compare_case(EXPECTED, changed)
    assert not result.passed
    assert Mismatch("10002", "Subject", "Printer jams", "Changed in the org") in result.mismatches
    assert Mismatch("10002", "Subject (Stames)", "Printer jams", "Changed in the org") in result.mismatches


def test_messages_out_of_order_with_another_body_and_a_wrong_file_are_each_listed() -> None:
    swapped = (
        OrgMessage("900002", False, "2018-06-07T06:00:00.000+0000", "Gracias!"),
        OrgMessage("900001", True, "2018-06-07T05:23:59.000+0000", "Hola,\nno carga"),
    )
    org = OrgCase(ORG.salesforce_id, ORG.fields, swapped, ORG.notes, (OrgFile(903, "ffff"),))
    fields = {mismatch.field for mismatch in compare_case(EXPECTED, org).mismatches}
    assert fields == {
        "EmailMessage order (thread order of Stames ids)",
        "EmailMessage 900002 TextBody",
        "file 77002 Checksum (MD5)",
    }


def test_a_missing_message_is_counted_against_stames_too() -> None:
    org = OrgCase(ORG.salesforce_id, ORG.fields, ORG_MESSAGES[:1], ORG.notes, ORG.files)
    mismatches = {m.field: m for m in compare_case(EXPECTED, org).mismatches}
    assert mismatches["EmailMessage count"].expected == "2"
    assert mismatches["EmailMessage count"].actual == "1"
    assert mismatches["message count (Stames)"].expected == "3"
    assert mismatches["message count (Stames)"].actual == "2"
    assert "EmailMessage 900002" in mismatches


def test_a_case_missing_from_the_org_fails() -> None:
    result = compare_case(EXPECTED, None)
    assert result.mismatches == (Mismatch("10002", "Case", "loaded in this run", "not in the org"),)
