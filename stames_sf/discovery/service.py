"""`run_discovery`: read the raw warehouse, write `reports/scope.md` and `reports/scope.html`."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from stames_sf.discovery.estimate import estimate
from stames_sf.discovery.findings import all_findings
from stames_sf.discovery.findings.agents import agent_roster
from stames_sf.discovery.findings.attachments import summarise_attachments
from stames_sf.discovery.inventory import (
    custom_field_uses,
    custom_object_summaries,
    monthly_counts,
    object_counts,
    pair_counts,
    value_counts,
)
from stames_sf.discovery.manual import manual_work
from stames_sf.discovery.profile import profile_schema
from stames_sf.discovery.render import render_html, render_markdown
from stames_sf.discovery.report import DiscoveryReport
from stames_sf.discovery.sections import build_document
from stames_sf.discovery.tags import summarise_tags
from stames_sf.discovery.volumes import TargetNames, file_volume, mapped_target_names, target_volumes
from stames_sf.discovery.warehouse import RawWarehouse
from stames_sf.workdir import RAW_SCHEMA, WorkDir

REPORT_NAME = "scope"


def collect(warehouse: RawWarehouse, found: bool, names: TargetNames | None = None) -> DiscoveryReport:
    """All sections of the inventory from one open warehouse; the estimate names the Salesforce
    objects as the mapping does (`names`)."""
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
        by_status_and_priority=pair_counts(warehouse, "tickets", "status", "priority"),
        created_by_month=monthly_counts(warehouse, "tickets", "created_at", "channel__type"),
        profiles=profile_schema(warehouse.connection, warehouse.schema),
        custom_fields=custom_field_uses(warehouse),
        custom_objects=objects,
        tags=tags,
        agents=agent_roster(warehouse),
        attachments=attachments,
        findings=all_findings(warehouse),
        manual_work=manual_work(warehouse),
        estimate=estimate(target_volumes(warehouse, tags, objects, names), file_volume(attachments)),
    )


def run_discovery(work: WorkDir, schema: str = RAW_SCHEMA) -> DiscoveryReport:
    """Profile the raw data in `work`'s warehouse and write the scope report next to it."""
    warehouse = RawWarehouse.open(work.warehouse, schema)
    try:
        report = collect(warehouse, found=work.warehouse.exists(), names=mapped_target_names(work.root))
    finally:
        warehouse.close()
    document = build_document(report)
    work.reports.mkdir(parents=True, exist_ok=True)
    markdown_path = work.reports / f"{REPORT_NAME}.md"
    html_path = work.reports / f"{REPORT_NAME}.html"
    markdown_path.write_text(render_markdown(document), encoding="utf-8")
    html_path.write_text(render_html(document), encoding="utf-8")
    return replace(report, markdown_path=markdown_path, html_path=html_path)
