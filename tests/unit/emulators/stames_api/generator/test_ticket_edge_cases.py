"""Tickets, statuses, tags and time (§3 #15-#19, #24-#28, #30), measured on the written files."""

import itertools
from collections import Counter, defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from emulators.stames_api.generator import profile
from tests.fixtures.stames_dataset import assert_rate, read_jsonl

CUSTOM = {"awaiting_parts", "escalated_tier2", "waiting_on_3rd_party", "reopened"}


def test_custom_statuses_including_an_inactive_one(profile_dataset):
    tickets = profile_dataset.tickets
    statuses = {s["key"]: s for s in read_jsonl(profile_dataset.root / "ticket_statuses.jsonl")}
    assert set(statuses) >= CUSTOM
    assert statuses["escalated_tier2"]["active"] is False
    used = Counter(t["status"] for t in tickets)
    assert_rate(sum(used[key] for key in CUSTOM), len(tickets), profile.TICKET_CUSTOM_STATUS, "custom status")
    assert used["escalated_tier2"] > 0
    assert all(t["status_category"] == statuses[t["status"]]["category"] for t in tickets)


def test_unknown_dropdown_values(profile_dataset):
    fields = {f["key"]: f for f in read_jsonl(profile_dataset.root / "custom_fields.jsonl")}
    known = {option["value"] for option in fields["contact_reason"]["options"]}
    unknown = [
        t
        for t in profile_dataset.tickets
        for f in t["custom_fields"]
        if f["key"] == "contact_reason" and f["value"] not in known
    ]
    assert_rate(
        len(unknown), len(profile_dataset.tickets), profile.TICKET_UNKNOWN_DROPDOWN, "unknown dropdown"
    )


def test_deleted_merged_and_spam_tickets_with_tombstones(profile_dataset):
    tickets = profile_dataset.tickets
    by_id = {t["id"]: t for t in tickets}
    deleted = [t for t in tickets if t["status"] == "deleted"]
    merged = [t for t in tickets if t["merged_into_id"] is not None]
    spam = [t for t in tickets if t["status"] == "spam"]
    assert_rate(len(deleted), len(tickets), profile.TICKET_SOFT_DELETED, "soft-deleted")
    assert_rate(len(merged), len(tickets), profile.TICKET_MERGED, "merged")
    assert_rate(len(spam), len(tickets), profile.TICKET_SPAM, "spam")
    assert all(t["deleted_at"] is not None for t in deleted)
    assert all(t["is_spam"] for t in spam)
    for ticket in merged:
        assert ticket["status"] == "closed"
        assert "closed_by_merge" in ticket["tags"]
        merged_at = _tombstone_time(profile_dataset, ticket["id"])
        assert by_id[ticket["merged_into_id"]]["updated_at"] >= merged_at, "merge did not bump the target"
        assert ticket["updated_at"] >= merged_at
    tombstones = Counter(r["reason"] for r in profile_dataset.deleted_records if r["object"] == "ticket")
    assert tombstones == {"deleted": len(deleted), "merged": len(merged), "spam": len(spam)}


def _tombstone_time(dataset, ticket_id: int) -> str:
    return next(
        r["deleted_at"]
        for r in dataset.deleted_records
        if r["object"] == "ticket" and r["id"] == str(ticket_id)
    )


def test_bounce_loop_tickets_from_the_mailer_daemon(profile_dataset):
    daemon = {
        c["id"] for c in profile_dataset.customers if c["email"] and "mailer-daemon" in c["email"].lower()
    }
    bounces = [t for t in profile_dataset.tickets if t["customer_id"] in daemon]
    assert_rate(len(bounces), len(profile_dataset.tickets), profile.TICKET_BOUNCE, "bounce tickets")
    assert len({t["subject"] for t in bounces}) == 1
    ids = sorted(t["id"] for t in bounces)
    assert any(later - earlier == 1 for earlier, later in itertools.pairwise(ids)), "no burst"


def test_tags_keep_their_variants_and_the_catalogue_counts_them(profile_dataset):
    counted = Counter(tag for t in profile_dataset.tickets for tag in t["tags"])
    assert {"vip", "VIP", "vip ", "garantía", "garantia", "a,b"} <= set(counted)
    catalogue = {row["name"]: row["ticket_count"] for row in read_jsonl(profile_dataset.root / "tags.jsonl")}
    assert catalogue == dict(counted)


def test_legacy_created_at_is_timezone_less_exactly_before_the_import(profile_dataset):
    madrid = ZoneInfo("Europe/Madrid")
    cutoff = datetime.fromisoformat("2019-04-01T00:00:00+00:00")
    legacy = 0
    for ticket in profile_dataset.tickets:
        stamp = ticket["created_at"]
        if stamp.endswith("Z"):
            assert datetime.fromisoformat(stamp.replace("Z", "+00:00")) >= cutoff
        else:
            legacy += 1
            assert datetime.fromisoformat(stamp).replace(tzinfo=madrid, fold=1) < cutoff
        assert ticket["updated_at"].endswith("Z")
    assert legacy > 100
    assert "2018-10-28 02:30:00" in {t["created_at"] for t in profile_dataset.tickets}, (
        "no DST-ambiguous stamp"
    )


def test_status_history_anomalies(profile_dataset):
    history = defaultdict(list)
    for change in profile_dataset.status_changes:
        history[change["ticket_id"]].append(change)
    assert all(c["updated_at"] == c["changed_at"] for c in profile_dataset.status_changes)
    synthetic = [rows[0] for rows in history.values() if rows[0]["via"] == "import"]
    assert synthetic and all(
        r["from_status"] is None and r["changed_at"].startswith("2021-01-01") for r in synthetic
    )
    same_instant = sum(
        any(a["changed_at"] == b["changed_at"] for a, b in itertools.pairwise(rows))
        for rows in history.values()
    )
    missed = sum(
        any(b["from_status"] != a["to_status"] for a, b in itertools.pairwise(rows))
        for rows in history.values()
    )
    flapping = sum(Counter(r["to_status"] for r in rows)["solved"] >= 2 for rows in history.values())
    by_id = {t["id"]: t for t in profile_dataset.tickets}
    disagree = sum(
        rows[-1]["to_status"] != by_id[tid]["status"]
        for tid, rows in history.items()
        if by_id[tid]["status"] not in ("deleted",)
    )
    assert same_instant > 100
    assert_rate(missed, len(history), profile.HISTORY_MISSED_EVENT, "missed events")
    assert_rate(flapping, len(history), profile.HISTORY_FLAPPING * 0.6, "flapping")
    assert disagree > 0
    assert any(r["to_status"] == "escalated_tier2" for r in profile_dataset.status_changes)


def test_custom_fields_of_every_type_carry_values(profile_dataset):
    definitions = read_jsonl(profile_dataset.root / "custom_fields.jsonl")
    values = defaultdict(list)
    for record in (*profile_dataset.tickets, *profile_dataset.customers):
        for entry in record["custom_fields"]:
            values[entry["field_id"]].append(entry["value"])
    types = {d["type"] for d in definitions}
    assert types == {
        "text",
        "textarea",
        "number",
        "decimal",
        "date",
        "checkbox",
        "dropdown",
        "multi_select",
        "lookup",
    }
    assert all(values[d["id"]] for d in definitions), "a field without any stored value"
    assert any(not d["active"] for d in definitions if values[d["id"]]), "no value on an inactive field"
    by_key = {d["key"]: values[d["id"]] for d in definitions}
    checkbox_forms = {repr(value) for value in by_key["is_business"]}
    assert {"'true'", "'1'", "True"} <= checkbox_forms
    assert any(
        isinstance(v, str) and "." in v and v.endswith(tuple(f",{n:02d}" for n in range(100)))
        for v in by_key["refund_amount"]
    ), "no locale-formatted number"
    assert all(isinstance(v, list) for v in by_key["affected_features"])


def test_custom_object_records_and_their_dangling_ticket_ids(profile_dataset):
    ticket_ids = {t["id"] for t in profile_dataset.tickets}
    for object_key in ("warranty", "subscription"):
        records = profile_dataset.records(object_key)
        assert records, object_key
        assert all(r["object_key"] == object_key for r in records)
    records = profile_dataset.records("warranty") + profile_dataset.records("subscription")
    dangling = sum(any(tid not in ticket_ids for tid in r["ticket_ids"]) for r in records)
    assert_rate(dangling, len(records), profile.RECORD_DANGLING_TICKET, "dangling ticket_ids")
    warranty_ids = {r["id"] for r in profile_dataset.records("warranty")}
    lookups = [
        f["value"]
        for t in profile_dataset.tickets
        for f in t["custom_fields"]
        if f["key"] == "warranty_record"
    ]
    assert any(value not in warranty_ids for value in lookups), "no dangling warranty lookup"
    assert sum(value in warranty_ids for value in lookups) == len(warranty_ids)


def test_sla_sms_and_every_reminder_trigger(profile_dataset):
    tickets = profile_dataset.tickets
    triggers = Counter(t["reminder"]["trigger"] for t in tickets)
    assert set(triggers) == {
        "none",
        "at_time",
        "before_sla_breach",
        "after_customer_inactivity",
        "after_status_unchanged",
    }
    assert all(
        t["reminder"]["offset_minutes"] is None and t["reminder"]["remind_at"] is None
        for t in tickets
        if t["reminder"]["trigger"] == "none"
    )
    assert all(
        t["reminder"]["remind_at"] < t["sla_due_at"]
        for t in tickets
        if t["reminder"]["trigger"] == "before_sla_breach"
    )
    assert 0 < sum(t["sms_notification"] for t in tickets) < len(tickets) / 2
    assert 0 < sum(t["sla_due_at"] is not None for t in tickets) < len(tickets)
