"""`run_discovery`: read the raw warehouse, write `reports/scope.md` and `reports/scope.html`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from stames_sf.discovery.estimate import SalesforceEstimate, estimate
from stames_sf.discovery.findings import Finding, all_findings
from stames_sf.discovery.findings.agents import AgentRoster, agent_roster
from stames_sf.discovery.findings.attachments import AttachmentSummary, summarise_attachments
from stames_sf.discovery.inventory import (
    CustomFieldUse,
    CustomObjectSummary,
    ObjectCount,
    ValueCount,
    custom_field_uses,
    custom_object_summaries,
    object_counts,
    value_counts,
)
from stames_sf.discovery.manual import ManualItem, manual_work
from stames_sf.discovery.profile import TableProfile, profile_schema
from stames_sf.discovery.render import render_html, render_markdown
from stames_sf.discovery.tags import TagSummary, summarise_tags
from stames_sf.discovery.volumes import file_volume, target_volumes
from stames_sf.discovery.warehouse import RawWarehouse
from stames_sf.workdir import RAW_SCHEMA, WorkDir

REPORT_NAME = "scope"


@dataclass(frozen=True)
class DiscoveryReport:
    """Everything discovery found, as data; the two report files render exactly this."""

    generated_at: str
    warehouse_found: bool
    objects: list[ObjectCount]
    by_status: list[ValueCount]
    by_channel: list[ValueCount]
    by_priority: list[ValueCount]
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
        """The finding of edge-case class `number` (API.md §3)."""
        return next(item for item in self.findings if item.number == number)


def collect(warehouse: RawWarehouse, found: bool) -> DiscoveryReport:
    """All sections of the inventory from one open warehouse."""
    tags = summarise_tags(warehouse)
    objects = custom_object_summaries(warehouse)
    attachments = summarise_attachments(warehouse)
    return DiscoveryReport(
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        warehouse_found=found,
        objects=object_counts(warehouse),
        by_status=value_counts(warehouse, "tickets", "status"),
        by_channel=value_counts(warehouse, "tickets", "channel__type"),
        by_priority=value_counts(warehouse, "tickets", "priority"),
        profiles=profile_schema(warehouse.connection, warehouse.schema),
        custom_fields=custom_field_uses(warehouse),
        custom_objects=objects,
        tags=tags,
        agents=agent_roster(warehouse),
        attachments=attachments,
        findings=all_findings(warehouse),
        manual_work=manual_work(warehouse),
        estimate=estimate(target_volumes(warehouse, tags, objects), file_volume(attachments)),
    )


def run_discovery(work: WorkDir, schema: str = RAW_SCHEMA) -> DiscoveryReport:
    """Profile the raw data in `work`'s warehouse and write the scope report next to it."""
    from stames_sf.discovery.sections import build_document

    warehouse = RawWarehouse.open(work.warehouse, schema)
    try:
        report = collect(warehouse, found=work.warehouse.exists())
    finally:
        warehouse.close()
    document = build_document(report)
    work.reports.mkdir(parents=True, exist_ok=True)
    markdown_path = work.reports / f"{REPORT_NAME}.md"
    html_path = work.reports / f"{REPORT_NAME}.html"
    markdown_path.write_text(render_markdown(document), encoding="utf-8")
    html_path.write_text(render_html(document), encoding="utf-8")
    return replace(report, markdown_path=markdown_path, html_path=html_path)
