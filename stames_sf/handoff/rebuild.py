"""What someone rebuilds in Salesforce by hand: discovery's manual-work items (portal,
notification triggers and reminders, SLA policies), each with the raw data's numbers in tables,
and the items the confirmed mapping lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mapping.model import Mapping
from mapping.propose.values import count_of
from stames_sf.discovery.manual import ManualItem, manual_work
from stames_sf.discovery.warehouse import RawWarehouse, text
from stames_sf.handoff.inventory import InventoryItem, InventorySection, InventoryTable, number

OPEN_TICKET = "coalesce(CAST(status_category AS VARCHAR), '') NOT IN ('solved', 'closed')"
REMINDER_SOURCES = (
    "ticket.reminder.trigger",
    "ticket.reminder.offset_minutes",
    "ticket.reminder.remind_at",
    "ticket.sms_notification",
)
SLA_SOURCES = ("ticket.sla_due_at",)


@dataclass(frozen=True)
class Details:
    evidence: tuple[str, ...] = ()
    tables: tuple[InventoryTable, ...] = ()


def _web_form_inboxes(raw: RawWarehouse, mapping: Mapping | None) -> Details:
    if not raw.has("channels", "id", "name", "type"):
        return Details()
    address = text("address") if raw.has("channels", "address") else "NULL"
    tickets = (
        f"(SELECT count(*) FROM {raw.table('tickets')} AS t WHERE t.channel__inbox_id = c.id)"
        if raw.has("tickets", "channel__inbox_id")
        else "NULL"
    )
    rows = raw.rows(
        f"SELECT {text('name')}, {address}, {tickets} FROM {raw.table('channels')} AS c "
        f"WHERE {text('type')} = 'web_form' ORDER BY id"
    )
    if not rows:
        return Details()
    table = InventoryTable(
        "Web-form inboxes whose forms to rebuild",
        ("inbox", "address", "tickets"),
        tuple((str(name), str(where or ""), number(count)) for name, where, count in rows),
    )
    return Details(tables=(table,))


def _reminders_and_automation(raw: RawWarehouse, mapping: Mapping | None) -> Details:
    evidence: list[str] = []
    tables: list[InventoryTable] = []
    open_tickets = (
        f"count(*) FILTER (WHERE {OPEN_TICKET})" if raw.has("tickets", "status_category") else "NULL"
    )
    if raw.has("tickets", "reminder__trigger"):
        offset = "reminder__offset_minutes" if raw.has("tickets", "reminder__offset_minutes") else "NULL"
        rows = raw.rows(
            f"SELECT {text('reminder__trigger')}, {offset}, count(*), {open_tickets} "
            f"FROM {raw.table('tickets')} "
            f"WHERE reminder__trigger IS NOT NULL AND {text('reminder__trigger')} <> 'none' "
            "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2"
        )
        tables.append(
            InventoryTable(
                "Reminder triggers in use (each a scheduled Flow to build)",
                ("trigger", "offset (minutes)", "tickets", "open tickets"),
                tuple(
                    (str(trigger), number(offset), number(uses), number(still_open))
                    for trigger, offset, uses, still_open in rows
                ),
            )
        )
    if raw.has("status_changes", "via", "from_status", "to_status"):
        rows = raw.rows(
            f"SELECT coalesce({text('from_status')}, '(none)'), {text('to_status')}, count(*) "
            f"FROM {raw.table('status_changes')} WHERE {text('via')} = 'automation' "
            "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2"
        )
        total = sum(count for _, _, count in rows)
        evidence.append(
            f"Stames automation made {count_of(total, 'status change')}: each transition below is a rule "
            "to rebuild as a record-triggered Flow."
        )
        if rows:
            tables.append(
                InventoryTable(
                    "Status changes made by automation",
                    ("from status", "to status", "changes"),
                    tuple((str(source), str(target), number(count)) for source, target, count in rows),
                )
            )
    evidence += _carried(mapping, REMINDER_SOURCES)
    return Details(tuple(evidence), tuple(tables))


def _sla_by_priority(raw: RawWarehouse, mapping: Mapping | None) -> Details:
    evidence: list[str] = []
    tables: list[InventoryTable] = []
    if raw.has("tickets", "sla_due_at", "priority"):
        open_with_sla = (
            f"count(*) FILTER (WHERE sla_due_at IS NOT NULL AND {OPEN_TICKET})"
            if raw.has("tickets", "status_category")
            else "NULL"
        )
        rows = raw.rows(
            f"SELECT coalesce({text('priority')}, '(none)'), count(*), count(sla_due_at), {open_with_sla} "
            f"FROM {raw.table('tickets')} GROUP BY 1 ORDER BY 1"
        )
        open_total = sum(row[3] or 0 for row in rows)
        evidence.append(
            f"{count_of(open_total, 'open ticket')} with an SLA due date: their clocks do not carry over "
            "as Milestones; decide whether they start anew on an Entitlement."
        )
        tables.append(
            InventoryTable(
                "SLA due dates by priority (one Entitlement Process Milestone per priority to set)",
                ("priority", "tickets", "with an SLA due date", "open with an SLA due date"),
                tuple(
                    (str(priority), number(tickets), number(with_sla), number(still_open))
                    for priority, tickets, with_sla, still_open in rows
                ),
            )
        )
    evidence += _carried(mapping, SLA_SOURCES)
    return Details(tuple(evidence), tuple(tables))


DETAILS: dict[str, Callable[[RawWarehouse, Mapping | None], Details]] = {
    "Self-service portal": _web_form_inboxes,
    "Notification triggers and reminders": _reminders_and_automation,
    "SLA policies": _sla_by_priority,
}
"""By discovery's topic (`stames_sf.discovery.manual`): the numbers added to its evidence."""


def _carried(mapping: Mapping | None, sources: Sequence[str]) -> list[str]:
    """Where the confirmed mapping puts each ticket's own values of `sources`."""
    if mapping is None:
        return []
    places = [
        f"{entry.source} → {entry.target}" if entry.target else f"{entry.source} skipped ({entry.skip})"
        for source in sources
        for entry in mapping.targets_of(source)
    ]
    return [f"The load carries each ticket's own values: {'; '.join(places)}."] if places else []


def _item(discovered: ManualItem, raw: RawWarehouse, mapping: Mapping | None) -> InventoryItem:
    details = DETAILS[discovered.topic](raw, mapping) if discovered.topic in DETAILS else Details()
    return InventoryItem(
        discovered.topic, discovered.salesforce, (discovered.evidence, *details.evidence), details.tables
    )


def rebuild_section(raw: RawWarehouse, mapping: Mapping | None) -> InventorySection:
    return InventorySection(
        "Rebuild in Salesforce",
        "Configuration the Stames API does not expose, with what the data shows of its use.",
        tuple(_item(discovered, raw, mapping) for discovered in manual_work(raw)),
    )


def mapping_items_section(mapping: Mapping | None, problem: str | None) -> InventorySection:
    """The confirmed mapping's own `manual` list."""
    if mapping is None:
        item = InventoryItem(
            "Items the mapping lists",
            "Confirm a mapping first.",
            (problem or "No mapping in the work folder.",),
        )
    else:
        item = InventoryItem(
            "Items the mapping lists",
            "Each row says what to do and why.",
            (f"The mapping lists {count_of(len(mapping.manual), 'item')} as not migrated.",),
            (
                InventoryTable(
                    "From mapping.yml",
                    ("topic", "what", "why"),
                    tuple((entry.topic, entry.what, entry.why) for entry in mapping.manual),
                ),
            )
            if mapping.manual
            else (),
        )
    return InventorySection("From the mapping", "Work the mapping names as not migrated.", (item,))
