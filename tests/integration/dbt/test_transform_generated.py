"""Extracted generated dataset + the hand-written mapping, confirmed → `stames-sf transform`.

One dbt build per module (dbt start-up is slow). Expected numbers are counted here from the
dataset's JSONL files and the mapping YAML, never read from the models' own logic.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest
import yaml
from typer.testing import CliRunner

from stames_sf.cli import app
from stames_sf.workdir import WorkDir
from tests.fixtures.transform import GENERATED_MAPPING, ExtractedDataset, confirmed_work

EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


@dataclass(frozen=True)
class Records:
    """The dataset's records with the hand-placed edits below applied, as the warehouse holds them."""

    root: Path
    customers: list[dict[str, Any]]
    tickets: list[dict[str, Any]]
    deleted_records: list[dict[str, Any]]
    cycle: tuple[int, int]
    bad_email_customer: int
    unmapped_priority_ticket: int
    bad_requester_ticket: int


@pytest.fixture(scope="module")
def records(extracted_small_dataset: ExtractedDataset) -> Records:
    """Records that cannot be loaded, placed by hand on top of the generated data: two customers
    merged into each other, a customer email and a requester email Salesforce rejects, and a
    priority the mapping's priority map neither lists nor defaults."""
    dataset = extracted_small_dataset.dataset
    customers = copy.deepcopy(dataset.customers)
    tickets = copy.deepcopy(dataset.tickets)
    merge_targets = {c["merged_into_id"] for c in customers if c.get("merged_into_id")}
    email_counts = Counter(_email_key(c.get("email")) for c in customers)
    plain = [
        c
        for c in customers
        if not c.get("merged_into_id")
        and c["id"] not in merge_targets
        and c.get("email")
        and email_counts[_email_key(c["email"])] == 1
    ]
    first, second, third = plain[:3]
    first["merged_into_id"], second["merged_into_id"] = second["id"], first["id"]
    third["email"] = "ana@@example.com"
    edited_customers = {first["id"], second["id"], third["id"]}
    kept = [
        t
        for t in tickets
        if not t.get("is_spam") and not t.get("deleted_at") and t["customer_id"] not in edited_customers
    ]
    kept[0]["priority"] = "critical"
    kept[1]["requester"]["email"] = "bad address@example.com"
    return Records(
        dataset.root,
        customers,
        tickets,
        dataset.deleted_records,
        (first["id"], second["id"]),
        third["id"],
        kept[0]["id"],
        kept[1]["id"],
    )


@pytest.fixture(scope="module")
def work(
    extracted_small_dataset: ExtractedDataset, records: Records, tmp_path_factory: pytest.TempPathFactory
) -> WorkDir:
    work = confirmed_work(extracted_small_dataset, tmp_path_factory.mktemp("transform") / "work")
    first, second = records.cycle
    with duckdb.connect(str(work.warehouse)) as con:
        con.execute("update raw_stames.customers set merged_into_id = ? where id = ?", [second, first])
        con.execute("update raw_stames.customers set merged_into_id = ? where id = ?", [first, second])
        con.execute(
            "update raw_stames.customers set email = 'ana@@example.com' where id = ?",
            [records.bad_email_customer],
        )
        con.execute(
            "update raw_stames.tickets set priority = 'critical' where id = ?",
            [records.unmapped_priority_ticket],
        )
        con.execute(
            "update raw_stames.tickets set requester__email = 'bad address@example.com' where id = ?",
            [records.bad_requester_ticket],
        )
    return work


@pytest.fixture(scope="module")
def cli_output(work: WorkDir) -> str:
    result = CliRunner().invoke(app, ["transform", "--work", str(work.root)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def query(work: WorkDir, cli_output: str):
    def run(sql: str) -> list[tuple[Any, ...]]:
        # the default configuration: dbt-duckdb still holds this file open in this process
        with duckdb.connect(str(work.warehouse)) as con:
            return con.execute(sql).fetchall()

    return run


@pytest.fixture(scope="module")
def mapping_yaml() -> dict[str, Any]:
    return yaml.safe_load(GENERATED_MAPPING.read_text(encoding="utf-8"))


def _email_key(email: str | None) -> str | None:
    if email is None:
        return None
    return unicodedata.normalize("NFKC", email).strip().lower() or None


def _instant(value: str, zone: ZoneInfo) -> datetime:
    """A Stames timestamp as an aware instant; a zone-less one is `zone` wall-clock time (fold=0)."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone, fold=0)


def _unmapped(value: Any, value_map: dict[str, Any]) -> bool:
    listed = {entry["source"] for entry in value_map["entries"]}
    return "default" not in value_map and value not in listed


def _custom_value_maps(mapping_yaml: dict[str, Any], prefix: str) -> dict[str, dict[str, Any]]:
    """Custom field key → its value map, for the mapped custom fields of `prefix` (`ticket.custom.`)."""
    maps = {m["name"]: m for m in mapping_yaml["value_maps"]}
    return {
        entry["source"].removeprefix(prefix): maps[entry["value_map"]]
        for entry in mapping_yaml["fields"]
        if entry["source"].startswith(prefix) and entry.get("value_map")
    }


def _expected_customers(records: Records, mapping_yaml: dict[str, Any]) -> dict[str, int]:
    by_id = {customer["id"]: customer for customer in records.customers}
    zone = ZoneInfo(json.loads((records.root / "manifest.json").read_text())["account"]["timezone"])

    def end_of_chain(customer_id: int) -> int | None:
        """The last customer of the merge chain; None when the chain loops."""
        seen = {customer_id}
        while (next_id := by_id[customer_id].get("merged_into_id")) in by_id:
            if next_id in seen:
                return None
            customer_id = next_id
            seen.add(customer_id)
        return customer_id

    ends = {cid: end_of_chain(cid) for cid in by_id}
    in_cycle = {cid for cid, end in ends.items() if end is None}
    merged = {cid for cid, end in ends.items() if end is not None and end != cid}
    groups: dict[str, list[dict[str, Any]]] = {}
    for cid in by_id.keys() - merged - in_cycle:
        key = _email_key(by_id[cid].get("email")) or f"customer:{cid}"
        groups.setdefault(key, []).append(by_id[cid])
    group_of_end = {c["id"]: key for key, members in groups.items() for c in members}
    people: dict[str, list[dict[str, Any]]] = {}
    for cid, end in ends.items():
        if end is not None:
            people.setdefault(group_of_end[end], []).append(by_id[cid])
    duplicates = sum(len(group) - 1 for group in groups.values())
    invalid = {key for key in groups if not key.startswith("customer:") and not EMAIL.match(key)}
    value_maps = _custom_value_maps(mapping_yaml, "customer.custom.")
    unmapped = set()
    for key, members in people.items():
        survivor = min(groups[key], key=lambda c: (_instant(c["created_at"], zone), c["id"]))
        for field_key, value_map in value_maps.items():
            own = {f["key"]: f["value"] for f in survivor.get("custom_fields") or []}.get(field_key)
            others = [
                (_instant(m["updated_at"], zone), f["value"])
                for m in members
                for f in m.get("custom_fields") or []
                if f["key"] == field_key and f["value"] is not None
            ]
            value = own if own is not None else max(others)[1] if others else None
            if value is not None and _unmapped(value, value_map):
                unmapped.add(key)
    quarantined = (invalid | unmapped) & groups.keys()
    return {
        "source_rows": len(records.customers),
        "excluded": len(merged) + duplicates,
        "quarantined": len(quarantined) + len(in_cycle),
        "synced": len(groups) - len(quarantined),
    }


def _expected_tickets(dataset: Records, mapping_yaml: dict[str, Any]) -> dict[str, Any]:
    tombstoned = {
        record["id"]
        for record in dataset.deleted_records
        if record["object"] == "ticket" and record["reason"] in ("deleted", "gdpr_erasure")
    }
    spam = {t["id"] for t in dataset.tickets if t.get("is_spam")}
    deleted = {
        t["id"]
        for t in dataset.tickets
        if t["id"] not in spam and (t.get("deleted_at") or str(t["id"]) in tombstoned)
    }
    maps = {m["name"]: m for m in mapping_yaml["value_maps"]}

    def unmapped(value: Any, name: str) -> bool:
        return "default" not in maps[name] and value not in {
            entry["source"] for entry in maps[name]["entries"]
        }

    custom_maps = _custom_value_maps(mapping_yaml, "ticket.custom.")

    def rejected_email(requester: dict[str, Any] | None) -> bool:
        email = unicodedata.normalize("NFKC", (requester or {}).get("email") or "").strip()
        return bool(email) and not (len(email) <= 80 and EMAIL.match(email))

    quarantined = {
        t["id"]
        for t in dataset.tickets
        if t["id"] not in spam | deleted
        and (
            unmapped(t["status"], "ticket_status")
            or unmapped(t.get("priority"), "ticket_priority")
            or unmapped(t["channel"]["type"], "channel_origin")
            or rejected_email(t.get("requester"))
            or any(
                field["key"] in custom_maps and _unmapped(field["value"], custom_maps[field["key"]])
                for field in t.get("custom_fields") or []
                if field["value"] is not None
            )
        )
    }
    return {
        "source_rows": len(dataset.tickets),
        "excluded": len(spam) + len(deleted),
        "excluded_by_rule": f"deleted: {len(deleted)}, spam: {len(spam)}",
        "quarantined": len(quarantined),
        "synced": len(dataset.tickets) - len(spam) - len(deleted) - len(quarantined),
    }


def test_the_build_passes_and_says_so_per_kind(cli_output: str):
    assert cli_output.startswith("dbt build passed:")
    assert "unit test pass" in cli_output and "test pass" in cli_output
    assert " error" not in cli_output and " fail" not in cli_output


def test_dbt_writes_its_target_and_log_inside_the_work_folder(work: WorkDir, cli_output: str):
    assert (work.logs / "dbt.log").stat().st_size > 0
    assert (work.state / "dbt" / "target" / "manifest.json").is_file()


def test_ticket_identity_matches_the_dataset(query, records, mapping_yaml):
    expected = _expected_tickets(records, mapping_yaml)
    rows = query(
        "select source_rows, synced, quarantined, excluded, excluded_by_rule, is_balanced "
        "from salesforce.sync_salesforce__reconciliation where object = 'ticket'"
    )
    assert rows == [
        (
            expected["source_rows"],
            expected["synced"],
            expected["quarantined"],
            expected["excluded"],
            expected["excluded_by_rule"],
            True,
        )
    ]


def test_customer_identity_matches_the_dataset(query, records, mapping_yaml):
    expected = _expected_customers(records, mapping_yaml)
    assert expected["excluded"] > 0, "the dataset should hold merged or duplicate customers"
    rows = query(
        "select source_rows, synced, quarantined, excluded, is_balanced "
        "from salesforce.sync_salesforce__reconciliation where object = 'customer'"
    )
    assert rows == [
        (expected["source_rows"], expected["synced"], expected["quarantined"], expected["excluded"], True)
    ]


def test_cases_of_merged_customers_point_at_the_survivor(query, records):
    customers = {c["id"]: c for c in records.customers}
    merged_ticket = next(
        t
        for t in records.tickets
        if customers.get(t["customer_id"], {}).get("merged_into_id")
        and t["customer_id"] not in records.cycle
        and not t.get("is_spam")
        and not t.get("deleted_at")
    )
    survivor = customers[merged_ticket["customer_id"]]["merged_into_id"]
    while customers[survivor].get("merged_into_id") in customers:
        survivor = customers[survivor]["merged_into_id"]
    [(contact_ref,)] = query(
        'select "ref__ContactId" from salesforce.sync_salesforce__cases '
        f"where \"Stames_Id__c\" = '{merged_ticket['id']}'"
    )
    survivor_email = _email_key(customers[survivor].get("email"))
    same_person = {
        str(c["id"])
        for c in customers.values()
        if survivor_email and _email_key(c.get("email")) == survivor_email
    }
    assert contact_ref in ({str(survivor)} | same_person)


def test_legacy_created_at_is_read_in_the_account_timezone(query, records):
    legacy = [t for t in records.tickets if not t["created_at"].endswith("Z")]
    assert legacy, "the generated dataset holds legacy timestamps"
    ticket = legacy[0]
    zone = ZoneInfo(json.loads((records.root / "manifest.json").read_text())["account"]["timezone"])
    local = datetime.fromisoformat(ticket["created_at"]).replace(tzinfo=zone, fold=0)
    expected = local.astimezone(UTC).replace(tzinfo=None)
    rows = query(
        'select "CreatedDate", stames__created_at_raw from salesforce.sync_salesforce__cases '
        f"where \"Stames_Id__c\" = '{ticket['id']}'"
    )
    if not rows:  # an excluded ticket: read the staging view instead
        rows = query(
            f"select created_at, created_at_raw from staging.stg_stames__tickets where id = {ticket['id']}"
        )
    assert rows == [(expected, ticket["created_at"])]


def test_status_and_priority_come_through_the_mapping_value_maps(query, records, mapping_yaml):
    maps = {m["name"]: m for m in mapping_yaml["value_maps"]}
    status_map = {e["source"]: e["target"] for e in maps["ticket_status"]["entries"]}
    priority_map = {e["source"]: e["target"] for e in maps["ticket_priority"]["entries"]}
    tickets = {str(t["id"]): t for t in records.tickets}
    rows = query('select "Stames_Id__c", "Status", "Priority" from salesforce.sync_salesforce__cases')
    assert rows
    for stames_id, status, priority in rows:
        ticket = tickets[stames_id]
        assert status == status_map.get(ticket["status"], maps["ticket_status"].get("default"))
        assert priority == priority_map[ticket.get("priority")]


def test_tags_become_the_mapped_multipicklist_values(query, records, mapping_yaml):
    tag_map = {
        e["source"]: e["target"]
        for e in next(m for m in mapping_yaml["value_maps"] if m["name"] == "tags")["entries"]
    }
    tickets = {str(t["id"]): t for t in records.tickets}
    rows = query(
        'select "Stames_Id__c", "Stames_Tags__c" from salesforce.sync_salesforce__case_custom_fields'
    )
    checked = 0
    for stames_id, tags in rows:
        expected = sorted(
            {tag_map[tag.strip()] for tag in tickets[stames_id].get("tags") or [] if tag.strip() in tag_map}
            - {None}
        )
        assert (tags.split(";") if tags else []) == expected
        checked += bool(expected)
    assert checked > 0


def _is_lookup_to_migrated(entry: dict[str, Any]) -> bool:
    return entry["source_type"] == "lookup" and (entry.get("create") or {}).get("reference_to") != "User"


def test_custom_field_tables_have_one_column_per_mapped_custom_field(query, mapping_yaml):
    for target_object, table in (
        ("Case", "sync_salesforce__case_custom_fields"),
        ("Contact", "sync_salesforce__contact_custom_fields"),
    ):
        # a lookup to a migrated record is `ref__<Field>` (its Stames id); one to User holds the Id
        expected = {"Stames_Id__c"} | {
            ("ref__" if _is_lookup_to_migrated(entry) else "") + entry["target"].split(".")[1]
            for entry in mapping_yaml["fields"]
            if entry.get("target", "").startswith(f"{target_object}.") and entry["target"].endswith("__c")
        }
        columns = query(
            "select column_name from information_schema.columns "
            f"where table_schema = 'salesforce' and table_name = '{table}'"
        )
        assert {name for (name,) in columns} == expected


def test_company_spellings_become_one_account_each(query, records):
    companies = Counter(c.get("company") for c in records.customers if c.get("company"))
    assert len(companies) > 1
    [(business_accounts,)] = query(
        "select count(*) from salesforce.sync_salesforce__accounts where stames__is_business"
    )
    # several spellings per company in the generated data: fewer Accounts than spellings
    assert 0 < business_accounts < len(companies)


def test_every_contact_has_its_account(query):
    rows = query(
        "select count(*) from salesforce.sync_salesforce__contacts c "
        "left join salesforce.sync_salesforce__accounts a "
        'on a."Stames_Id__c" = c."ref__AccountId" where a."Stames_Id__c" is null'
    )
    assert rows == [(0,)]


def test_records_that_cannot_be_loaded_are_quarantined_with_what_to_do(query, records):
    rows = query("select object, stames_id, reason, detail from salesforce.sync_salesforce__quarantine")
    by_record = {(obj, stames_id): (reason, detail) for obj, stames_id, reason, detail in rows}
    first, second = records.cycle
    for customer_id in (first, second):
        reason, detail = by_record[("customer", str(customer_id))]
        assert reason == "merge cycle" and "loops back" in detail
    reason, detail = by_record[("customer", str(records.bad_email_customer))]
    assert reason == "invalid email" and "'ana@@example.com'" in detail
    reason, detail = by_record[("ticket", str(records.unmapped_priority_ticket))]
    assert reason == "value not in the mapping"
    assert "ticket.priority value 'critical' is not in value map ticket_priority" in detail
    reason, detail = by_record[("ticket", str(records.bad_requester_ticket))]
    assert reason == "invalid email" and "'bad address@example.com'" in detail


def test_quarantined_records_are_not_in_the_sync_tables(query, records):
    quarantined_customers = [*records.cycle, records.bad_email_customer]
    placeholders = ", ".join(f"'{customer_id}'" for customer_id in quarantined_customers)
    assert query(
        f'select count(*) from salesforce.sync_salesforce__contacts where "Stames_Id__c" in ({placeholders})'
    ) == [(0,)]
    assert query(
        'select count(*) from salesforce.sync_salesforce__cases where "Stames_Id__c" in '
        f"('{records.unmapped_priority_ticket}', '{records.bad_requester_ticket}')"
    ) == [(0,)]


def test_an_escalation_agent_without_a_user_is_dropped_and_listed(query, records, mapping_yaml):
    # The hand-written mapping matches no agent to a user: every escalation agent of a synced Case
    # is dropped from the Case and listed in the quarantine under the field.
    assert mapping_yaml["owners"]["agents"] == []
    synced = {
        int(stames_id)
        for (stames_id,) in query('select "Stames_Id__c" from salesforce.sync_salesforce__cases')
    }
    escalated = {
        ticket["id"]
        for ticket in records.tickets
        if ticket["id"] in synced
        and any(
            f["key"] == "escalation_agent" and f.get("value") is not None
            for f in ticket.get("custom_fields") or []
        )
    }
    assert escalated
    [(filled,)] = query(
        "select count(*) from salesforce.sync_salesforce__case_custom_fields "
        'where "Stames_Escalation_Agent__c" is not null'
    )
    assert filled == 0
    listed = query(
        "select stames_id from salesforce.sync_salesforce__quarantine "
        "where object = 'ticket.custom.escalation_agent' and reason = 'agent without an active user'"
    )
    assert {int(stames_id) for (stames_id,) in listed} == escalated
