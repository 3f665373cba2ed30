"""Data-quality findings, one per edge-case class of the Stames contract (API.md §3), numbered as
there; #33 is beyond the contract's list: tickets whose `updated_at` cannot be the cursor.

Each finding counts the affected records and names the smallest affected id so an engineer
can look one up. Classes that the landed data cannot show (changes during extraction,
transport faults, the portal) say where to look instead of printing a misleading zero.
"""

from __future__ import annotations

from collections.abc import Callable

from stames_sf.discovery.findings import agents, attachments, conversations, customers, tickets
from stames_sf.discovery.findings.base import Finding
from stames_sf.discovery.tags import summarise_tags
from stames_sf.discovery.warehouse import RawWarehouse

__all__ = ["Finding", "all_findings"]


def tag_variants(warehouse: RawWarehouse) -> Finding:
    summary = summarise_tags(warehouse)
    example = " / ".join(tag for tag, _ in summary.collisions[0].spellings) if summary.collisions else None
    return Finding(
        15,
        "Tag spellings colliding on case, whitespace or accents",
        summary.colliding_spellings,
        "tags",
        example,
        f"{len(summary.collisions):,} tags written several ways",
    )


def extraction_drift(_: RawWarehouse) -> Finding:
    return Finding(
        26,
        "Records updated while the extraction ran",
        None,
        "records",
        None,
        "not visible in landed data: the extraction merges on id and keeps the newest; rerun it before "
        "cut-over",
    )


def transport_faults(_: RawWarehouse) -> Finding:
    return Finding(
        29,
        "Throttling and transient failures",
        None,
        "requests",
        None,
        "a property of the API, not the data: see the extraction summary (requests, 429s, retries)",
    )


def portal(warehouse: RawWarehouse) -> Finding:
    note = "the self-service portal is not exposed by the API: rebuild it by hand (see manual work)"
    return Finding(32, "Self-service portal configuration not in the API", None, "items", None, note)


CHECKS: tuple[Callable[[RawWarehouse], Finding], ...] = (
    customers.customers_without_email,
    customers.duplicate_customers,
    customers.merged_customers,
    customers.company_variants,
    customers.unparsed_phones,
    agents.inactive_agents_referenced,
    agents.unknown_assignees,
    agents.light_agents,
    conversations.identical_timestamps,
    conversations.redacted_messages,
    conversations.data_uri_images,
    conversations.huge_bodies,
    tickets.empty_subjects,
    conversations.encoding_damage,
    tag_variants,
    tickets.custom_statuses,
    tickets.history_anomalies,
    tickets.spam_tickets,
    tickets.imported_history,
    attachments.missing_files,
    attachments.odd_files,
    attachments.shared_files,
    attachments.big_files,
    tickets.unknown_option_values,
    tickets.dangling_references,
    extraction_drift,
    tickets.soft_deleted_tickets,
    tickets.merged_tickets,
    transport_faults,
    tickets.legacy_timestamps,
    tickets.stale_requesters,
    portal,
    tickets.unusable_cursors,
)


def all_findings(warehouse: RawWarehouse) -> list[Finding]:
    """Every §3 class in contract order, then the checks the contract says are never needed."""
    return [check(warehouse) for check in CHECKS]
