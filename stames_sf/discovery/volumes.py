"""Stames volumes translated into Salesforce target volumes for the estimate.

The target objects follow the object map the proposer writes (customers → Contact, companies →
Account, tickets → Case, every public message of every channel → EmailMessage, internal notes →
Task or CaseComment as the mapping chooses, system notes skipped, status history → a custom
object because CaseHistory is read-only, attachments → ContentVersion). The estimate states the
rule next to every number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mapping.document import MappingError, mapping_path, read_mapping
from mapping.model import DEFAULT_INTERNAL_NOTES, Strategies
from mapping.propose.types import custom_object_name
from stames_sf.discovery.estimate import FileVolume, TargetVolume
from stames_sf.discovery.findings.attachments import AttachmentSummary
from stames_sf.discovery.findings.customers import company_key
from stames_sf.discovery.inventory import CustomObjectSummary
from stames_sf.discovery.tags import TagSummary
from stames_sf.discovery.warehouse import RawWarehouse, text

# CSV bytes per record beyond its long text: ids, lookups, dates, picklists.
BASE_ROW_BYTES = 300


def _average_text_bytes(
    warehouse: RawWarehouse, table: str, columns: tuple[str, ...], where: str = "TRUE"
) -> int:
    present = [name for name in columns if warehouse.has(table, name)]
    if not present:
        return 0
    lengths = " + ".join(f"coalesce(octet_length(encode({text(name)})), 0)" for name in present)
    value = warehouse.scalar(f"SELECT avg({lengths}) FROM {warehouse.table(table)} WHERE {where}")
    return int(value or 0)


def _accounts(warehouse: RawWarehouse) -> int:
    if not warehouse.has("customers", "company"):
        return 0
    rows = warehouse.rows(
        f"SELECT DISTINCT {text('company')} FROM {warehouse.table('customers')} WHERE company IS NOT NULL"
    )
    return len({company_key(company) for (company,) in rows} - {""})


@dataclass(frozen=True)
class TargetNames:
    """The Salesforce objects the estimate names: the mapping's choices once a mapping is there,
    the proposer's defaults before."""

    internal_notes: str = DEFAULT_INTERNAL_NOTES
    status_history_object: str = Strategies.model_fields["status_history_object"].default
    custom_objects: dict[str, str] = field(default_factory=dict)
    """Stames custom object key → API name, as mapped."""

    def custom_object(self, key: str) -> str:
        return self.custom_objects.get(key) or custom_object_name(key)


def mapped_target_names(work_root: Path) -> TargetNames:
    """The target names of `<work>/mapping/mapping.yml` when it reads, else the defaults."""
    path = mapping_path(work_root)
    if not path.exists():
        return TargetNames()
    try:
        mapping = read_mapping(path)
    except MappingError:
        return TargetNames()
    return TargetNames(
        internal_notes=mapping.strategies.internal_notes,
        status_history_object=mapping.strategies.status_history_object,
        custom_objects={entry.source_key: entry.api_name for entry in mapping.custom_objects},
    )


def _message_split(warehouse: RawWarehouse) -> tuple[str, str]:
    """SQL filters for public messages (→ EmailMessage) and internal notes (→ Task or CaseComment);
    system notes are in neither (their route is skip)."""
    not_system = (
        f"coalesce({text('author__type')}, '') <> 'system'"
        if warehouse.has("messages", "author__type")
        else "TRUE"
    )
    if not warehouse.has("messages", "is_private"):
        return f"({not_system})", "FALSE"
    private = f"coalesce({text('is_private')}, 'false') = 'true'"
    return f"(NOT {private} AND {not_system})", f"({private} AND {not_system})"


def target_volumes(
    warehouse: RawWarehouse,
    tags: TagSummary,
    custom_objects: list[CustomObjectSummary],
    names: TargetNames | None = None,
) -> list[TargetVolume]:
    """Records per Salesforce object, each with the rule that produced it, under the names the
    mapping gives them (see `mapped_target_names`)."""
    names = names or TargetNames()
    not_merged = "merged_into_id IS NULL" if warehouse.has("customers", "merged_into_id") else "TRUE"
    email, notes = _message_split(warehouse)
    bodies = ("body_text", "body_html")
    email_bytes = (
        int(
            warehouse.scalar(
                f"SELECT coalesce(sum(body_size_bytes), 0) FROM {warehouse.table('messages')} WHERE {email}"
            )
        )
        if warehouse.has("messages", "body_size_bytes")
        else None
    )
    volumes = [
        TargetVolume("Account", _accounts(warehouse), "company names after normalisation", BASE_ROW_BYTES),
        TargetVolume(
            "Contact", warehouse.count("customers", not_merged) or 0, "customers not merged into another",
            BASE_ROW_BYTES,
        ),
        TargetVolume(
            "Case", warehouse.count("tickets") or 0, "every ticket (spam and deleted included until decided)",
            BASE_ROW_BYTES + _average_text_bytes(warehouse, "tickets", ("subject", "description_text")),
        ),
        TargetVolume(
            "EmailMessage", warehouse.count("messages", email) or 0, "public messages of every channel",
            BASE_ROW_BYTES + _average_text_bytes(warehouse, "messages", bodies, email),
            stored_bytes=email_bytes,
        ),
        TargetVolume(
            names.internal_notes, warehouse.count("messages", notes) or 0,
            "internal notes (system notes skipped)",
            BASE_ROW_BYTES + _average_text_bytes(warehouse, "messages", ("body_text",), notes),
        ),
        TargetVolume(
            names.status_history_object, warehouse.count("status_changes") or 0,
            "status history (CaseHistory is read-only)", BASE_ROW_BYTES,
        ),
    ]  # fmt: skip
    if tags.picklist_blockers:
        volumes += [
            TargetVolume("Topic", tags.distinct_normalised, "one per normalised tag", BASE_ROW_BYTES),
            TargetVolume("TopicAssignment", tags.assignments, "one per ticket-tag pair", BASE_ROW_BYTES),
        ]
    volumes += [
        TargetVolume(
            names.custom_object(summary.key), summary.records, f"custom object {summary.key}", BASE_ROW_BYTES
        )
        for summary in custom_objects
    ]
    return volumes


def file_volume(attachments: AttachmentSummary) -> FileVolume:
    """Only files that still have bytes travel: purged and quarantined ones stay metadata."""
    return FileVolume(
        files=attachments.available_files,
        total_bytes=attachments.available_bytes,
        multipart_files=attachments.multipart,
    )
