"""The hand-written edge-case dataset served over HTTP, extracted, its hand-written mapping
confirmed, `stames-sf transform` run once for the module.

Every expected number and value is read off the dataset's files and its README (where each §3
finding ends up), never from the models' own logic. The reconciliation identity must hold for
every source object: source_rows = synced + quarantined + excluded.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from mapping.document import confirm, read_mapping
from mapping.warehouse import publish_mapping
from stames_sf.cli import app
from stames_sf.workdir import WorkDir
from tests.fixtures.dbt_messages import extract_into
from tests.fixtures.transform import CONFIRMED_AT, write_confirmed_mapping

FIXTURES = Path(__file__).parents[2] / "fixtures"
DATASET = FIXTURES / "datasets" / "handwritten_edge_cases"
MAPPING = FIXTURES / "mappings" / "handwritten_edge_cases.yml"

# Counted by hand from the dataset (see its README): object -> (source_rows, synced, quarantined,
# excluded, excluded_by_rule).
# - customer: 16 lines; 9 survivors; 6007/6008 (merge cycle) and 6009 (invalid email)
#   quarantined; 6004/6005 (merged in Stames) and 6002/6003 (duplicate emails) excluded.
# - ticket: 20 lines, but 20017 was touched after snapshot_at, so 19 are served; 20019 invalid
#   requester email; 20012/20013 deleted, 20014-20016 spam.
# - status_change: 16 lines; 550060 (ticket 20017, not extracted) and 550070 (ticket 20019)
#   quarantined; 550050 (ticket 20012) excluded.
# - message: 31 lines; 700140 orphan and 700150 of the quarantined ticket; system notes
#   700006/700007, tombstoned 700013, 700110/700120 of deleted tickets, 700130 of a spam ticket.
# - attachment: 15 lines; 88005 quarantined, 88009 purged, 88011 missing on the file host,
#   88014 of a quarantined message; 88012 (deleted ticket) and 88013 (spam ticket) excluded.
# - custom objects: 4 warranties and 1 subscription, all loadable (links may be dropped).
EXPECTED = {
    "customer": (16, 9, 3, 4, "merged: 4"),
    "ticket": (19, 13, 1, 5, "deleted: 2, spam: 3"),
    "status_change": (16, 13, 2, 1, "deleted: 1"),
    "message": (31, 23, 2, 6, "deleted: 3, spam: 1, system_note: 2"),
    "attachment": (15, 9, 4, 2, "deleted: 1, spam: 1"),
    "custom_object.warranty": (4, 4, 0, 0, None),
    "custom_object.subscription": (1, 1, 0, 0, None),
}
SOURCE_FILES = {
    "customer": "customers.jsonl",
    "ticket": "tickets.jsonl",
    "status_change": "status_changes.jsonl",
    "message": "messages.jsonl",
    "attachment": "attachments.jsonl",
    "custom_object.warranty": "custom_object_records/warranty.jsonl",
    "custom_object.subscription": "custom_object_records/subscription.jsonl",
}
NOT_SERVED = {"ticket": 1}
"""Ticket 20017: updated at 11:59:30, after snapshot_at (server now 12:00:00 minus 60 s)."""

FALLBACK_OWNER = "005000000000009AAA"
CARMEN_USER = "005000000000001AAA"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> WorkDir:
    work = WorkDir.at(tmp_path_factory.mktemp("edge-cases") / "work")
    extract_into(work, DATASET)
    mapping = confirm(read_mapping(MAPPING), by="tester", at=CONFIRMED_AT, accepted_above=0.8)
    write_confirmed_mapping(mapping, work)
    publish_mapping(mapping, work.warehouse)
    return work


@pytest.fixture(scope="module")
def cli_result(work: WorkDir):
    return CliRunner().invoke(app, ["transform", "--work", str(work.root)])


@pytest.fixture(scope="module")
def query(work: WorkDir, cli_result):
    assert cli_result.exit_code == 0, cli_result.output

    def run(sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
        # the default configuration: dbt-duckdb still holds this file open in this process
        with duckdb.connect(str(work.warehouse)) as con:
            return con.execute(sql, list(parameters)).fetchall()

    return run


def _one(query, sql: str, *parameters: Any) -> tuple[Any, ...]:
    rows = query(sql, *parameters)
    assert len(rows) == 1, rows
    return rows[0]


def _lines(relative: str) -> int:
    text = (DATASET / relative).read_text(encoding="utf-8")
    return sum(1 for line in text.splitlines() if line.strip())


def _record(relative: str, record_id: Any) -> dict[str, Any]:
    for line in (DATASET / relative).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["id"] == record_id:
            return record
    raise KeyError(record_id)


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def test_dbt_build_is_green_with_its_data_and_unit_tests(cli_result):
    assert cli_result.exit_code == 0, cli_result.output
    assert cli_result.output.startswith("dbt build passed:")
    assert "unit test pass" in cli_result.output and "test pass" in cli_result.output
    assert " error" not in cli_result.output and " fail" not in cli_result.output


def test_the_identity_holds_for_every_source_object(query):
    rows = query(
        "select object, source_rows, synced, quarantined, excluded, is_balanced "
        "from salesforce.sync_salesforce__reconciliation"
    )
    assert {row[0] for row in rows} == set(EXPECTED)
    for obj, source_rows, synced, quarantined, excluded, is_balanced in rows:
        assert source_rows == synced + quarantined + excluded, obj
        assert is_balanced, obj


def test_source_rows_are_the_records_the_dataset_serves(query):
    rows = dict(query("select object, source_rows from salesforce.sync_salesforce__reconciliation"))
    for obj, relative in SOURCE_FILES.items():
        assert rows[obj] == _lines(relative) - NOT_SERVED.get(obj, 0) == EXPECTED[obj][0], obj


def test_every_object_splits_as_the_readme_says(query):
    rows = query(
        "select object, source_rows, synced, quarantined, excluded, excluded_by_rule "
        "from salesforce.sync_salesforce__reconciliation"
    )
    assert {row[0]: row[1:] for row in rows} == EXPECTED


def test_records_excluded_under_their_rule(query):
    excluded = {
        (obj, stames_id): rule
        for obj, stames_id, rule in [
            *query("select object, stames_id, rule from intermediate.int_excluded__cases"),
            *query("select object, stames_id, rule from intermediate.int_excluded__customers"),
            *query("select object, stames_id, rule from intermediate.int_excluded__messages"),
            *query("select object, stames_id, rule from intermediate.int_excluded__files"),
            *query("select object, stames_id, rule from intermediate.int_excluded__history"),
        ]
    }
    assert excluded == {
        ("ticket", "20012"): "deleted",  # soft-deleted (§3 #27)
        ("ticket", "20013"): "deleted",  # gdpr_erasure tombstone only (§3 #10)
        ("ticket", "20014"): "spam",  # bounce loop (§3 #18)
        ("ticket", "20015"): "spam",
        ("ticket", "20016"): "spam",
        ("customer", "6002"): "merged",  # duplicate by case and whitespace (§3 #2)
        ("customer", "6003"): "merged",  # duplicate by full-width @ (§3 #2)
        ("customer", "6004"): "merged",  # merge chain 6004 -> 6005 -> 6006 (§3 #3)
        ("customer", "6005"): "merged",
        ("message", "700006"): "system_note",  # status note (§3 #13)
        ("message", "700007"): "system_note",  # merge note (§3 #28)
        ("message", "700013"): "deleted",  # message tombstone gdpr_erasure (§3 #10)
        ("message", "700110"): "deleted",
        ("message", "700120"): "deleted",
        ("message", "700130"): "spam",
        ("attachment", "88012"): "deleted",
        ("attachment", "88013"): "spam",
        ("status_change", "550050"): "deleted",
    }


def test_records_quarantined_with_their_reason(query):
    quarantined = {
        (obj, stames_id): reason
        for obj, stames_id, reason in query(
            "select object, stames_id, reason from salesforce.sync_salesforce__quarantine "
            "where object in ('customer', 'ticket', 'message', 'status_change', 'attachment')"
        )
    }
    assert quarantined == {
        ("customer", "6007"): "merge cycle",  # §3 #3
        ("customer", "6008"): "merge cycle",
        ("customer", "6009"): "invalid email",  # mojibake email (§3 #14)
        ("ticket", "20019"): "invalid email",  # its requester snapshot holds the same email
        ("message", "700140"): "orphan message",  # ticket 20017 not extracted yet (§3 #26)
        ("message", "700150"): "Case quarantined",
        ("status_change", "550060"): "orphan status change",  # §3 #26
        ("status_change", "550070"): "Case quarantined",
        ("attachment", "88005"): "file quarantined",  # §3 #20
        ("attachment", "88009"): "file purged",  # §3 #20
        ("attachment", "88011"): "file purged",  # file host 404 (§3 #20)
        ("attachment", "88014"): "message quarantined",
    }


def test_dropped_links_are_listed_and_their_records_still_load(query):
    dropped = set(
        query(
            "select object, stames_id, reason from salesforce.sync_salesforce__quarantine "
            "where object not in ('customer', 'ticket', 'message', 'status_change', 'attachment')"
        )
    )
    assert dropped == {
        ("ticket.custom.warranty_record", "20018", "dangling lookup dropped"),  # gar_9999 (§3 #25)
        ("ticket.custom.escalation_agent", "20010", "agent without an active user"),  # agent 33
        ("custom_object.warranty.Case__c", "gar_0003", "dangling case link dropped"),  # deleted 20012
        ("custom_object.warranty.Case__c", "gar_0004", "dangling case link dropped"),  # 99999999
        ("custom_object.warranty.Contact__c", "gar_0003", "dangling contact link dropped"),  # 6009
        ("custom_object.subscription.Case__c", "sus_0001", "dangling case link dropped"),  # erased 20013
    }
    records = {
        row[0]: row[1:]
        for row in query(
            'select "Stames_Id__c", "ref__Case__c", "ref__Contact__c", stames__other_case_ids '
            "from salesforce.sync_salesforce__custom_object_records"
        )
    }
    assert records == {
        "gar_0001": ("20001", "6001", "99999999"),
        "gar_0002": ("20011", "6006", None),  # merged ticket and merged customer 6004 followed
        "gar_0003": (None, None, None),
        "gar_0004": (None, None, None),
        "sus_0001": (None, "6016", None),
    }
    [(case_fields,)] = query(
        'select "ref__Stames_Warranty_Record__c" from salesforce.sync_salesforce__case_custom_fields '
        "where \"Stames_Id__c\" = '20018'"
    )
    assert case_fields is None


def test_merged_and_duplicate_customers_reach_their_survivor(query):
    contact_of = dict(query('select "Stames_Id__c", "ref__ContactId" from salesforce.sync_salesforce__cases'))
    assert contact_of["20002"] == "6001"  # customer 6002, a duplicate of 6001
    assert contact_of["20011"] == "6001"  # customer 6003, the full-width duplicate
    assert contact_of["20003"] == "6006"  # customer 6004, two merges away
    assert contact_of["20006"] == "6011"  # Ana's phone but no email: never merged on a phone
    assert _one(
        query,
        'select "ref__ParentId" from salesforce.sync_salesforce__cases where "Stames_Id__c" = ?',
        "20011",
    ) == ("20001",)
    contacts = {row[0] for row in query('select "Stames_Id__c" from salesforce.sync_salesforce__contacts')}
    assert contacts == {"6001", "6006", "6010", "6011", "6012", "6013", "6014", "6015", "6016"}


def test_company_spellings_become_one_account(query):
    accounts = dict(
        query('select "Stames_Id__c", "ref__AccountId" from salesforce.sync_salesforce__contacts')
    )
    # "Acme Iberia, S.A.", "ACME IBERIA SA", "acme iberia" (§3 #4)
    assert accounts["6006"] == accounts["6013"] == accounts["6016"]
    assert accounts["6014"] != accounts["6006"]  # an empty company is no company
    [(business,)] = query(
        "select count(*) from salesforce.sync_salesforce__accounts where stames__is_business"
    )
    assert business == 2  # Acme Iberia and Ferretería López


def test_owners_come_from_matched_active_users_else_the_fallback(query):
    owners = {
        row[0]: row[1:]
        for row in query(
            'select "Stames_Id__c", "OwnerId", stames__assignee_id from salesforce.sync_salesforce__cases'
        )
    }
    assert owners["20001"] == (CARMEN_USER, 31)
    assert owners["20003"] == (FALLBACK_OWNER, 33)  # anonymised agent (§3 #6)
    assert owners["20004"] == (FALLBACK_OWNER, 34)  # deactivated shared login (§3 #6, #8)
    assert owners["20005"] == (FALLBACK_OWNER, 36)  # hard-deleted agent (§3 #7)
    assert owners["20006"] == (FALLBACK_OWNER, None)  # unassigned (§3 #7)
    assert owners["20007"] == (FALLBACK_OWNER, 35)  # light agent without a user (§3 #8)


def test_over_long_body_is_cut_and_kept_whole_in_a_file(query):
    full = _record("messages.jsonl", 700160)["body_text"]
    assert _utf16_units(full) > 131072  # the premise: over EmailMessage.TextBody's limit
    text_body, file_id = _one(
        query,
        'select "TextBody", stames__text_body_file_id from salesforce.sync_salesforce__email_messages '
        'where "Stames_Id__c" = ?',
        "700160",
    )
    assert 0 < _utf16_units(text_body) <= 131072
    assert full.startswith(text_body)
    assert file_id == "message-700160-text"
    kind, content, size = _one(
        query,
        "select stames__file_kind, stames__inline_content, stames__size_bytes "
        'from salesforce.sync_salesforce__content_versions where "Stames_Id__c" = ?',
        file_id,
    )
    assert (kind, content, size) == ("text_body", full, len(full.encode("utf-8")))


def test_legacy_timestamps_are_read_in_the_account_timezone(query):
    cases = {
        row[0]: row[1:]
        for row in query(
            'select "Stames_Id__c", "CreatedDate", stames__created_at_raw '
            "from salesforce.sync_salesforce__cases"
        )
    }
    # Europe/Madrid is UTC+1 on 2 March 2019; 2018-10-28 02:30 happens twice, fold=0 is CEST (UTC+2)
    assert cases["20004"] == (datetime(2019, 3, 2, 13, 5), "2019-03-02 14:05:00")
    assert cases["20005"] == (datetime(2018, 10, 28, 0, 30), "2018-10-28 02:30:00")
    assert _one(
        query,
        'select "MessageDate" from salesforce.sync_salesforce__email_messages where "Stames_Id__c" = ?',
        "700031",
    ) == (datetime(2019, 3, 2, 12, 40, tzinfo=UTC),)


def test_an_ambiguous_legacy_message_time_takes_its_first_occurrence(query):
    assert _one(
        query,
        'select "MessageDate" from salesforce.sync_salesforce__email_messages where "Stames_Id__c" = ?',
        "700040",
    ) == (datetime(2018, 10, 28, 0, 30, tzinfo=UTC),)


def test_threads_are_ordered_by_time_then_id(query):
    positions = dict(
        query(
            'select "Stames_Id__c", stames__thread_position from salesforce.sync_salesforce__email_messages'
        )
    )
    # one WhatsApp burst sharing a timestamp, listed 700003 first in the file (§3 #9)
    assert (positions["700001"], positions["700002"], positions["700003"]) == (1, 2, 3)
    # a reply stamped before the message it answers, and a back-dated import
    assert (positions["700011"], positions["700010"]) == (1, 2)
    assert (positions["700031"], positions["700030"]) == (1, 2)


def test_inline_images_point_at_files_and_odd_sources_survive(query):
    [(html,)] = query(
        'select "HtmlBody" from salesforce.sync_salesforce__email_messages where "Stames_Id__c" = ?', "700010"
    )
    assert 'src="stames-file:message-700010-image-1"' in html  # the data: PNG (§3 #11)
    assert 'src="stames-file:88003"' in html  # cid: of the inline attachment
    assert 'src="cid:https://adjuntos.example/inline/1"' in html  # malformed cid: kept
    assert "data:image/png" not in html
    kind, content_type = _one(
        query,
        "select stames__file_kind, stames__content_type from salesforce.sync_salesforce__content_versions "
        'where "Stames_Id__c" = ?',
        "message-700010-image-1",
    )
    assert (kind, content_type) == ("inline_image", "image/png")


def test_files_are_trusted_by_their_bytes(query):
    files = {
        row[0]: row[1:]
        for row in query(
            'select "Stames_Id__c", stames__file_path, stames__size_bytes, stames__content_type '
            "from salesforce.sync_salesforce__content_versions where stames__file_kind = 'attachment'"
        )
    }
    assert (
        files["88001"][0] == files["88002"][0]
    )  # one stored file for the copy on the merged ticket (§3 #22)
    assert (
        files["88004"][1] == (DATASET / "files" / "factura.pdf").stat().st_size
    )  # not the declared 2048 (§3 #21)
    assert files["88006"][1] == 0  # zero bytes kept as a record (§3 #21)
    assert files["88008"][1] == 31457280  # the 30 MB video (§3 #23)
    assert "88015" in files  # a second factura.pdf on the same message


def test_custom_values_tags_and_statuses_follow_the_mapping(query):
    columns = (
        '"Stames_Id__c", "Stames_Contact_Reason__c", "Stames_Refund_Amount__c", "Stames_Accessories__c", '
        '"Stames_Is_Business__c", "Stames_Units__c", "Stames_Purchase_Date__c", "Stames_Tags__c"'
    )
    rows = {
        row[0]: row[1:]
        for row in query(f"select {columns} from salesforce.sync_salesforce__case_custom_fields")
    }
    reason, refund, accessories, is_business, units, purchase_date, tags = rows["20001"]
    assert reason == "returns_legacy"  # not an option of the field, kept (§3 #24)
    assert str(refund) == "1234.50"  # "1.234,50"
    assert accessories == "cargador;funda"
    assert is_business is True  # "1"
    assert units == 2
    assert str(purchase_date) == "2023-11-02"  # date-only, not shifted (§3 #30)
    assert tags == "garantia;pantalla;vip"  # garantía, "vip " (§3 #15)
    assert rows["20002"][-1] == "a b c;vip"  # VIP, a,b;c
    assert rows["20002"][3] is True and rows["20009"][3] is True  # true, "true"
    assert rows["20003"][0] == "tech"  # an inactive option
    assert rows["20006"][2] == "cargador;auriculares"  # an element outside the options
    statuses = dict(query('select "Stames_Id__c", "Status" from salesforce.sync_salesforce__cases'))
    assert statuses["20001"] == "Awaiting Parts"
    assert statuses["20004"] == "Escalated"  # inactive escalated_tier2 (§3 #16)
    assert statuses["20009"] == "Waiting on Third Party"
    assert statuses["20003"] == "Closed"  # the ticket's status, not its last history row (§3 #17)


def test_status_history_keeps_its_gaps_and_import_rows(query):
    history = {
        row[0]: row[1:]
        for row in query(
            'select "Stames_Id__c", "Via__c", stames__gap_before, stames__history_position '
            "from salesforce.sync_salesforce__case_status_history"
        )
    }
    assert history["550014"][1] is True  # from open after reopened (§3 #17)
    assert history["550013"][1] is False  # closed -> reopened follows closed
    assert (history["550001"][2], history["550002"][2]) == (1, 2)  # same millisecond, ids decide
    assert history["550020"][0] == "import"  # the synthetic first row (§3 #19)


def test_a_long_subject_fits_case_subject(query):
    [(subject,)] = query(
        'select "Subject" from salesforce.sync_salesforce__cases where "Stames_Id__c" = ?', "20002"
    )
    full = _record("tickets.jsonl", 20002)["subject"]
    assert len(subject) <= 255 and full.startswith(subject)


def test_contact_names_are_nfc(query):
    first, last = _one(
        query,
        'select "FirstName", "LastName" from salesforce.sync_salesforce__contacts where "Stames_Id__c" = ?',
        "6010",
    )
    assert (first, last) == (unicodedata.normalize("NFC", "José"), unicodedata.normalize("NFC", "Núñez"))


def test_file_names_are_sanitised(query):
    title, path_on_client = _one(
        query,
        'select "Title", "PathOnClient" from salesforce.sync_salesforce__content_versions '
        'where "Stames_Id__c" = ?',
        "88007",
    )
    assert len(title) <= 255
    for name in (title, path_on_client):
        assert "../" not in name and "\u202e" not in name


def test_message_addresses_are_normalised_like_the_case_email(query):
    addresses = {
        row[0]: row[1:]
        for row in query(
            'select "Stames_Id__c", "FromAddress", "ToAddress" '
            "from salesforce.sync_salesforce__email_messages"
        )
    }
    supplied = dict(query('select "Stames_Id__c", "SuppliedEmail" from salesforce.sync_salesforce__cases'))
    assert addresses["700010"][0] == supplied["20002"]  # requester "Ana.Perez@Correo.example "
    assert addresses["700011"][1] == supplied["20002"]
    assert addresses["700100"][0] == supplied["20011"]  # requester "ana.perez＠correo.example"
