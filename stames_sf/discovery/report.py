"""`DiscoveryReport`: everything discovery found, as data.

Its own module so the collector (`service`) and the document builder (`sections`) both import
it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stames_sf.discovery.estimate import SalesforceEstimate
from stames_sf.discovery.findings import Finding
from stames_sf.discovery.findings.agents import AgentRoster
from stames_sf.discovery.findings.attachments import AttachmentSummary
from stames_sf.discovery.inventory import (
    CustomFieldUse,
    CustomObjectSummary,
    ObjectCount,
    PairCount,
    ValueCount,
)
from stames_sf.discovery.manual import ManualItem
from stames_sf.discovery.profile import TableProfile
from stames_sf.discovery.tags import TagSummary


@dataclass(frozen=True)
class DiscoveryReport:
    """Everything discovery found, as data; the two report files render exactly this."""

    generated_at: str
    warehouse_found: bool
    objects: list[ObjectCount]
    by_status: list[ValueCount]
    by_channel: list[ValueCount]
    by_priority: list[ValueCount]
    by_status_and_priority: list[PairCount]
    created_by_month: list[PairCount]  # (YYYY-MM, channel type)
    profiles: list[TableProfile]
    custom_fields: list[CustomFieldUse]
    custom_objects: list[CustomObjectSummary]
    tags: TagSummary
    agents: AgentRoster
    attachments: AttachmentSummary
    findings: list[Finding]
    manual_work: list[ManualItem]
    estimate: SalesforceEstimate
    markdown_path: Path | None = None
    html_path: Path | None = None

    def records(self, table: str) -> int | None:
        """Rows of one raw table, None when it was not found."""
        return next((item.records for item in self.objects if item.table == table), None)

    def finding(self, number: int) -> Finding:
        """The finding numbered `number`: an edge-case class of API.md §3, or 33 (unusable cursors)."""
        return next(item for item in self.findings if item.number == number)
