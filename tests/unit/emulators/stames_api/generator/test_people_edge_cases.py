"""Customers and agents (§3 #1-#8), measured on the written files."""

import itertools
import unicodedata
from collections import Counter

from emulators.stames_api.generator import profile
from tests.fixtures.stames_dataset import assert_rate


def _normalised(email: str) -> str:
    return unicodedata.normalize("NFKC", email).strip().lower()


def test_customers_without_email(profile_dataset):
    customers = profile_dataset.customers
    missing = sum(customer["email"] is None for customer in customers)
    assert_rate(missing, len(customers), profile.CUSTOMER_NO_EMAIL, "customers without email")
    platform_only = [c for c in customers if c["email"] is None and c["phone"] is None and c["identities"]]
    assert any(
        identity["value"].startswith(("ig_sid:", "psid:"))
        for c in platform_only
        for identity in c["identities"]
    )


def test_duplicate_pairs_differ_only_by_case_space_or_lookalike(profile_dataset):
    customers = profile_dataset.customers
    pairs = [
        (before, after)
        for before, after in itertools.pairwise(customers)
        if before["email"]
        and after["email"]
        and before["email"] != after["email"]
        and _normalised(before["email"]) == _normalised(after["email"])
    ]
    assert_rate(len(pairs), len(customers), profile.CUSTOMER_DUPLICATE, "duplicate customer pairs")
    variants = {after["email"] for _, after in pairs}
    assert any("＠" in email for email in variants)
    assert any(email != email.strip() for email in variants)
    assert any(email.strip() != email.strip().lower() and "＠" not in email for email in variants)


def test_merged_customers_form_acyclic_chains_with_tombstones(profile_dataset):
    by_id = {customer["id"]: customer for customer in profile_dataset.customers}
    merged = [customer for customer in by_id.values() if customer["merged_into_id"] is not None]
    assert_rate(len(merged), len(by_id), profile.CUSTOMER_MERGED, "merged customers")
    longest = 0
    for customer in merged:
        seen, hops, current = {customer["id"]}, 0, customer
        while current["merged_into_id"] is not None:
            current = by_id[current["merged_into_id"]]
            assert current["id"] not in seen, "merge cycle"
            seen.add(current["id"])
            hops += 1
        longest = max(longest, hops)
    assert longest >= 2, "no multi-hop merge chain"
    tombstones = {
        (record["id"], record["merged_into_id"])
        for record in profile_dataset.deleted_records
        if record["object"] == "customer" and record["reason"] == "merged"
    }
    assert tombstones == {(str(c["id"]), str(c["merged_into_id"])) for c in merged}
    merged_ids = {customer["id"] for customer in merged}
    assert any(ticket["customer_id"] in merged_ids for ticket in profile_dataset.tickets)


def test_company_names_and_phone_formats_vary(profile_dataset):
    companies = {c["company"] for c in profile_dataset.customers if c["company"] is not None}
    assert len({name for name in companies if name.lower().startswith("acme")}) >= 3
    assert "" in companies
    raws = [c["phone_raw"] for c in profile_dataset.customers if c["phone_raw"]]
    assert any(raw.startswith("0034") for raw in raws)
    assert any(raw.startswith("+34 ") and "-" in raw for raw in raws)
    assert any(" x" in raw for raw in raws)
    unparsable = [c for c in profile_dataset.customers if c["phone_raw"] == "n/a"]
    assert unparsable
    assert all(c["phone"] is None for c in unparsable)


def test_signed_up_at_is_day_first(profile_dataset):
    values = [
        field["value"]
        for customer in profile_dataset.customers
        for field in customer["custom_fields"]
        if field["key"] == "signed_up_at"
    ]
    assert len(values) == len(profile_dataset.customers) - 1  # the mailer-daemon has none
    assert all(len(value) == 10 and value[2] == "/" and value[5] == "/" for value in values)
    assert any(int(value[:2]) > 12 for value in values), "never unambiguously day-first"


def test_agent_population(profile_dataset):
    agents = profile_dataset.agents
    assert_rate(
        sum(not a["active"] and not a["deleted"] for a in agents),
        len(agents),
        profile.AGENT_DEACTIVATED,
        "deactivated agents",
    )
    anonymised = [a for a in agents if a["deleted"]]
    assert anonymised
    assert all(a["email"] is None and a["name"] == f"Deleted user {a['id']}" for a in anonymised)
    assert_rate(
        sum(a["role"] == "light_agent" for a in agents), len(agents), profile.AGENT_LIGHT, "light agents"
    )
    assert max(Counter(a["name"] for a in agents).values()) >= 2, "no two agents share a name"


def test_hard_deleted_agents_are_referenced_but_absent(profile_dataset):
    listed = {agent["id"] for agent in profile_dataset.agents}
    tickets = profile_dataset.tickets
    orphaned = [t for t in tickets if t["assignee_id"] is not None and t["assignee_id"] not in listed]
    assert len({t["assignee_id"] for t in orphaned}) == profile.HARD_DELETED_AGENTS
    assert_rate(len(orphaned), len(tickets), profile.TICKET_HARD_DELETED_ASSIGNEE, "hard-deleted assignees")
