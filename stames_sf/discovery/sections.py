"""The scope report's sections, built from a `DiscoveryReport` as plain strings.

Data values pass through `safe_example` (masking) before they enter the document; numbers are
formatted for people. Escaping is left to the writers.
"""

from __future__ import annotations

from stames_sf.discovery import formatting as fmt
from stames_sf.discovery.document import Document, Section, table_of
from stames_sf.discovery.estimate import (
    BULK_DAILY_BATCHES,
    BULK_DAILY_RECORDS,
    RECORD_STORAGE_BYTES,
    plan_bulk,
)
from stames_sf.discovery.inventory import PairCount, ValueCount
from stames_sf.discovery.masking import safe_example, safe_spelling
from stames_sf.discovery.profile import FieldProfile
from stames_sf.discovery.report import DiscoveryReport

NONE_FOUND = "None found."


def build_document(report: DiscoveryReport) -> Document:
    document = Document(
        "Stames → Salesforce migration scope",
        intro=[
            f"Generated {report.generated_at} from the raw extraction (schema raw_stames). Emails, phone "
            "numbers and people's names are masked; numbers, ids and dates are shown as they are; examples "
            "are cut to one line.",
        ],
    )
    if not report.warehouse_found:
        document.intro.append(
            "No warehouse was found: run `stames-sf extract` first. Every section is empty."
        )
    _summary(document.add("1. Summary"), report)
    _counts(document.add("2. Record counts"), report)
    _fields(document.add("3. Field inventory"), report)
    _custom(document.add("4. Custom fields and custom objects"), report)
    _tags(document.add("5. Tags"), report)
    _agents(document.add("6. Agents"), report)
    _attachments(document.add("7. Attachments"), report)
    _findings(document.add("8. Data-quality findings"), report)
    _manual(document.add("9. Manual work"), report)
    _estimate(document.add("10. Salesforce estimate"), report)
    return document


def _summary(section: Section, report: DiscoveryReport) -> None:
    estimate = report.estimate
    found = [finding for finding in report.findings if finding.count]
    section.bullets(
        [
            f"{fmt.count(report.records('tickets') or 0)} tickets, "
            f"{fmt.count(report.records('messages') or 0)} "
            f"messages, {fmt.count(report.records('customers') or 0)} customers, "
            f"{fmt.count(report.agents.total or 0)} agents.",
            f"{fmt.count(report.attachments.count or 0)} attachments, "
            f"{fmt.size(report.attachments.total_bytes)} "
            f"in total; files needing a multipart upload: {fmt.count(report.attachments.multipart)}.",
            f"{len(found)} of {len(report.findings)} edge-case classes present in the data.",
            f"Salesforce: {fmt.count(estimate.records)} records, "
            f"{fmt.size(estimate.data_storage_bytes)} data "
            f"storage, {fmt.size(estimate.file_storage_bytes)} file storage, about "
            f"{fmt.count(estimate.api_calls)} API calls.",
            f"Tags: {report.tags.recommendation}",
            f"{len(report.manual_work)} items need manual work (section 9).",
        ]
    )


def _value_table(section: Section, title: str, values: list[ValueCount], total: int) -> None:
    part = section.add(title)
    if not values:
        part.paragraph(NONE_FOUND)
        return
    rows = [
        [safe_example(item.value), fmt.count(item.records), fmt.percent(item.records, total)]
        for item in values
    ]
    part.table(["Value", "Tickets", "Share"], rows, numeric_columns={1, 2})


def _counts(section: Section, report: DiscoveryReport) -> None:
    rows = [
        [item.label, item.table, "not found" if item.records is None else fmt.count(item.records)]
        for item in report.objects
    ]
    section.table(["Object", "Raw table", "Records"], rows, numeric_columns={2})
    total = report.records("tickets") or 0
    _value_table(section, "2.1 Tickets per status", report.by_status, total)
    _value_table(section, "2.2 Tickets per channel", report.by_channel, total)
    _value_table(section, "2.3 Tickets per priority", report.by_priority, total)
    _stacked_chart(
        section.add("2.4 Tickets created per month by channel"),
        "Month",
        report.created_by_month,
        _month_range(sorted({pair.first for pair in report.created_by_month})),
        [item.value for item in report.by_channel],
        over_time=True,
    )
    _stacked_chart(
        section.add("2.5 Tickets per status and priority"),
        "Status",
        report.by_status_and_priority,
        [item.value for item in report.by_status],
        [item.value for item in report.by_priority],
    )


# Filling in months without tickets stops here: a garbled year would otherwise ask for millennia.
MAX_MONTHS = 600


def _month_range(months: list[str]) -> list[str]:
    """Every month from the first to the last (`YYYY-MM`), so empty months show as gaps; values
    that are not months (`(none)`) follow at the end."""
    real = [month for month in months if len(month) == 7 and month[:4].isdigit() and month[5:].isdigit()]
    others = [month for month in months if month not in real]
    if not real or not all(1 <= int(month[5:]) <= 12 for month in real):
        return months
    first = int(real[0][:4]) * 12 + int(real[0][5:]) - 1
    last = int(real[-1][:4]) * 12 + int(real[-1][5:]) - 1
    if last - first >= MAX_MONTHS:
        return months
    return [f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(first, last + 1)] + others


def _stacked_chart(
    part: Section,
    first_header: str,
    pairs: list[PairCount],
    categories: list[str],
    series: list[str],
    over_time: bool = False,
) -> None:
    """Bars per category stacked by series, beside the table of the same numbers and their totals."""
    if not pairs:
        part.paragraph(NONE_FOUND)
        return
    records = {(pair.first, pair.second): pair.records for pair in pairs}
    values = [[records.get((category, name), 0) for name in series] for category in categories]
    shown_categories = [safe_example(category) for category in categories]
    shown_series = [safe_example(name) for name in series]
    # Months without tickets are gaps in the chart; listing them as rows of zeros adds nothing.
    rows = [
        [category, *(fmt.count(value) for value in row), fmt.count(sum(row))]
        for category, row in zip(shown_categories, values, strict=True)
        if sum(row) or not over_time
    ]
    table = table_of(
        [first_header, *shown_series, "Total"], rows, numeric_columns=set(range(1, len(series) + 2))
    )
    part.chart(part.title, shown_categories, shown_series, values, table, over_time)


def _range(field: FieldProfile) -> str:
    if field.minimum is not None:
        return f"{field.minimum} … {field.maximum}"
    if field.max_length is not None:
        return f"{fmt.count(field.min_length)}–{fmt.count(field.max_length)} chars"
    return "–"


def _fields(section: Section, report: DiscoveryReport) -> None:
    if not report.profiles:
        section.paragraph(NONE_FOUND)
        return
    section.paragraph(
        "Every column of every raw table. Fill rate counts empty strings as missing; ranges are min … max "
        "for numbers and dates, character lengths for text."
    )
    for profile in report.profiles:
        part = section.add(
            f"3.{report.profiles.index(profile) + 1} {profile.name} ({fmt.count(profile.rows)} rows)"
        )
        rows = [
            [
                field.name,
                field.data_type,
                fmt.percent(field.filled, field.rows),
                fmt.count(field.distinct),
                _range(field),
                " · ".join(field.examples),
            ]
            for field in profile.fields
        ]
        part.table(
            ["Field", "Type", "Fill rate", "Distinct", "Range / length", "Examples"],
            rows,
            numeric_columns={2, 3},
        )


def _custom(section: Section, report: DiscoveryReport) -> None:
    fields = section.add("4.1 Custom fields")
    if report.custom_fields:
        rows = [
            [
                use.object_type,
                use.key,
                safe_example(use.label),
                use.field_type,
                "inactive" if use.active is False else "active",
                ", ".join(safe_example(option) for option in use.options) or "–",
                fmt.count(use.records_with_value),
                fmt.count(use.distinct_values),
                ", ".join(
                    f"{safe_example(value.value)} ({fmt.count(value.records)})"
                    for value in use.values_outside_options
                )
                or "–",
            ]
            for use in report.custom_fields
        ]
        headers = [
            "Object",
            "Key",
            "Label",
            "Type",
            "State",
            "Options",
            "Values",
            "Distinct",
            "Outside options",
        ]
        fields.table(headers, rows, numeric_columns={6, 7})
    else:
        fields.paragraph(NONE_FOUND)
    objects = section.add("4.2 Custom objects and their links")
    if not report.custom_objects:
        objects.paragraph(NONE_FOUND)
        return
    rows = [
        [
            f"{safe_example(summary.name)} ({summary.key})",
            ", ".join(f"{key}: {kind}" for key, kind in summary.fields) or "–",
            fmt.count(summary.records),
            f"{fmt.count(summary.ticket_links)} ({fmt.count(summary.dangling_ticket_links)} dangling)",
            f"{fmt.count(summary.customer_links)} ({fmt.count(summary.dangling_customer_links)} dangling)",
            ", ".join(summary.lookup_fields) or "–",
        ]
        for summary in report.custom_objects
    ]
    objects.table(
        ["Object", "Fields", "Records", "→ tickets", "→ customers", "Looked up by ticket field"],
        rows,
        numeric_columns={2},
    )


def _tags(section: Section, report: DiscoveryReport) -> None:
    tags = report.tags
    if not tags.assignments:
        section.paragraph(NONE_FOUND)
        return
    section.bullets(
        [
            f"{fmt.count(tags.assignments)} tag assignments, {fmt.count(tags.distinct_spellings)} "
            "distinct spellings, "
            f"{fmt.count(tags.distinct_normalised)} after folding case, whitespace and accents.",
            f"{fmt.count(len(tags.collisions))} tags are written several ways "
            f"({fmt.count(tags.colliding_spellings)} extra spellings).",
            f"At most {tags.max_tags_per_ticket} tags on one ticket; the longest tag has "
            f"{tags.longest_tag} characters.",
            tags.recommendation,
        ]
    )
    if tags.collisions:
        rows = [
            [
                safe_example(collision.key),
                " / ".join(
                    f"'{safe_spelling(tag)}' ({fmt.count(uses)})" for tag, uses in collision.spellings
                ),
            ]
            for collision in tags.collisions
        ]
        section.table(["Normalised tag", "Spellings (tickets)"], rows, caption="Collisions")


def _agents(section: Section, report: DiscoveryReport) -> None:
    agents = report.agents
    if agents.total is None:
        section.paragraph(NONE_FOUND)
        return
    rows = [
        ["Active", fmt.count(agents.active)],
        ["Deactivated", fmt.count(agents.deactivated)],
        ["Anonymised (GDPR-deleted, record kept)", fmt.count(agents.anonymised)],
        ["Light agents (of the above)", fmt.count(agents.light_agents)],
        [
            "Deleted but still referenced (ids unknown to /agents)",
            fmt.count(len(agents.deleted_but_referenced)),
        ],
    ]
    section.table(["Agents", "Count"], rows, numeric_columns={1})
    if agents.deleted_but_referenced:
        section.paragraph(
            f"Unknown agent ids {', '.join(agents.deleted_but_referenced)} are referenced "
            f"{fmt.count(agents.references_to_deleted)} times (assignees, message authors, status changes): "
            "map them to a fallback user."
        )


def _attachments(section: Section, report: DiscoveryReport) -> None:
    files = report.attachments
    if not files.count:
        section.paragraph(NONE_FOUND)
        return
    section.paragraph(
        f"{fmt.count(files.count)} attachments, {fmt.size(files.total_bytes)} in total. "
        f"{fmt.count(files.multipart)} exceed 37.5 MB once base64-encoded and need a multipart upload "
        "(ContentVersion accepts up to 2 GB that way)."
    )
    histogram = table_of(
        ["Size", "Files", "Volume"],
        [[label, fmt.count(number), fmt.size(volume)] for label, number, volume in files.histogram],
        caption="Size histogram",
        numeric_columns={1, 2},
    )
    section.chart(
        "Size histogram",
        [label for label, _, _ in files.histogram],
        ["Files"],
        [[number] for _, number, _ in files.histogram],
        histogram,
    )
    section.table(
        ["Status in Stames", "Files"],
        [[status, fmt.count(number)] for status, number in files.by_status],
        numeric_columns={1},
    )
    if files.downloads:
        section.table(
            ["Download outcome", "Files"],
            [[status, fmt.count(number)] for status, number in files.downloads],
            numeric_columns={1},
        )
    else:
        section.paragraph("The attachment download step has not run yet: no download outcomes.")


def _findings(section: Section, report: DiscoveryReport) -> None:
    section.paragraph(
        "One line per edge-case class of the Stames contract (§3), then #33: tickets whose updated_at "
        "cannot be the incremental cursor (the contract says it is always well-formed). The example is the "
        "smallest id affected."
    )
    rows = [
        [
            str(finding.number),
            finding.title,
            "n/a" if finding.count is None else fmt.count(finding.count),
            finding.unit,
            "–" if finding.example is None else safe_example(finding.example),
            safe_example(finding.note, 160) if finding.note else "",
        ]
        for finding in report.findings
    ]
    section.table(["#", "Edge case", "Count", "Unit", "Example", "Note"], rows, numeric_columns={0, 2})


def _manual(section: Section, report: DiscoveryReport) -> None:
    rows = [[item.topic, item.evidence, item.salesforce] for item in report.manual_work]
    section.table(["Item", "Evidence", "Rebuild in Salesforce as"], rows)


def _estimate(section: Section, report: DiscoveryReport) -> None:
    estimate = report.estimate
    rows = []
    for volume in estimate.volumes:
        plan = plan_bulk(volume)
        rows.append(
            [
                volume.sobject,
                volume.source,
                fmt.count(volume.records),
                fmt.size(volume.data_storage_bytes),
                fmt.count(plan.jobs),
                fmt.count(plan.batches),
                fmt.count(plan.api_calls),
            ]
        )
    section.table(
        ["Object", "From", "Records", "Data storage", "Bulk jobs", "Batches", "API calls"],
        rows,
        numeric_columns={2, 3, 4, 5, 6},
    )
    files = estimate.files
    section.bullets(
        [
            f"Records: {fmt.count(estimate.records)}; data storage {fmt.size(estimate.data_storage_bytes)} "
            f"({fmt.size(RECORD_STORAGE_BYTES)} per record; EmailMessage counts its body size when larger).",
            f"Files: {fmt.count(files.files)} ContentVersions, {fmt.size(files.total_bytes)} file storage; "
            f"{fmt.count(files.multipart_files)} by multipart upload.",
            f"API calls: about {fmt.count(estimate.api_calls)} ({fmt.count(estimate.file_api_calls)} "
            "for files, "
            f"the rest Bulk API 2.0). Compare with DailyApiRequests from the org's /limits.",
            f"Bulk API 2.0: {fmt.count(estimate.bulk_batches)} internal batches of the "
            f"{fmt.count(BULK_DAILY_BATCHES)} "
            f"allowed per 24 h and {fmt.count(estimate.records)} of {fmt.count(BULK_DAILY_RECORDS)} records: "
            f"{estimate.days_for_bulk_batches} day(s) of allowance.",
            "Users: agents are created as Users by hand or via REST and use licences, not data storage.",
        ]
    )
