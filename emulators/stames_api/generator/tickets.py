"""One ticket at a time: the record, its thread, history, records and tombstones, written at once."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from emulators.stames_api.generator import customers, observed_edge_cases, profile, text, ticket_decisions
from emulators.stames_api.generator import ticket_parts as parts
from emulators.stames_api.generator import vocabulary as vocab
from emulators.stames_api.generator.agents import Roster
from emulators.stames_api.generator.attachments import AttachmentFactory
from emulators.stames_api.generator.catalog import (
    INBOXES_BY_TYPE,
    STATUS_CATEGORY,
    Record,
)
from emulators.stames_api.generator.custom_records import RecordSinks
from emulators.stames_api.generator.history import History, HistoryPlan, StatusChangeIds, build_history
from emulators.stames_api.generator.profile import Volumes
from emulators.stames_api.generator.seeding import rng_for
from emulators.stames_api.generator.threads import Author, MessageIds, Thread, ThreadPlan, build_thread
from emulators.stames_api.generator.ticket_fields import custom_field_values, pick_tags, unknown_dropdown
from emulators.stames_api.generator.timeline import (
    DAY_MS,
    HOUR_MS,
    LATEST_MS,
    created_stamp,
    iso,
    to_ms,
)
from emulators.stames_api.generator.writer import JsonlWriter


@dataclass
class TicketSinks:
    tickets: JsonlWriter
    messages: JsonlWriter
    status_changes: JsonlWriter
    attachments: JsonlWriter
    deleted_records: JsonlWriter
    records: RecordSinks


@dataclass
class _Draft:
    """Decisions about one ticket taken before its children are built."""

    rng: random.Random
    index: int
    ticket_id: int
    fate: str
    created_ms: int
    customer: Record
    channel_type: str
    inbox_id: int
    language: str
    product: str
    assignee_id: int | None
    first_body: str | None
    subject: str
    merge_target: int | None
    merged_at_ms: int | None
    status: str


def _updated_and_deleted(
    rng: random.Random, draft: _Draft, thread: Thread, history: History
) -> tuple[int, str | None]:
    """The ticket follows its newest child (§2.3: a child change bumps the ticket); deletion comes last."""
    latest = max(
        [
            draft.created_ms,
            thread.latest_ms,
            draft.merged_at_ms or 0,
            *(to_ms(change["changed_at"]) for change in history.changes),
        ]
    )
    updated_ms = min(LATEST_MS, latest + (rng.randrange(1, 5_000) if rng.random() < 0.3 else 0))
    if draft.fate != ticket_decisions.DELETED:
        return updated_ms, None
    deleted_ms = min(LATEST_MS, max(updated_ms, latest + rng.randrange(HOUR_MS, 30 * DAY_MS)))
    return deleted_ms, iso(deleted_ms)


@dataclass
class TicketGenerator:
    """Writes tickets in id order; all state kept is counters and a bounded tag catalogue."""

    seed: int
    volumes: Volumes
    roster: Roster
    sinks: TicketSinks
    files: AttachmentFactory
    message_ids: MessageIds = field(default_factory=MessageIds)
    change_ids: StatusChangeIds = field(default_factory=StatusChangeIds)
    tag_counts: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)

    def write(self, index: int) -> None:
        """Build ticket `index` with everything that hangs off it, and append it all to the files."""
        draft = self._draft(index)
        thread = self._thread(draft)
        history = self._history(draft, thread)
        record = self._record(draft, thread, history)
        self._write(record, thread, history.changes, draft.fate, draft.merged_at_ms)
        self._count(record, draft.fate, thread, history.changes)

    def _draft(self, index: int) -> _Draft:
        seed, count = self.seed, self.volumes.tickets
        rng = rng_for(seed, "ticket", index)
        fate = ticket_decisions.fate(seed, index, count)
        customer_index = self._customer_index(index, fate)
        customer = customers.build_customer(seed, customer_index, self.volumes.customers)
        channel_type = parts.channel(rng, fate, customer)
        language = customers.language_of(seed, customer_index, self.volumes.customers)
        if rng.random() < 0.2:
            language = text.pick_language(rng)
        product = rng.choice(vocab.PRODUCTS)
        first_body = parts.first_body(rng, fate, channel_type, language, product)
        merge_target = ticket_decisions.merge_target(seed, index, count)
        created_ms = ticket_decisions.created_ms(seed, index, count)
        return _Draft(
            rng=rng,
            index=index,
            ticket_id=ticket_decisions.ticket_id(index),
            fate=fate,
            created_ms=created_ms,
            customer=customer,
            channel_type=channel_type,
            inbox_id=rng.choice(INBOXES_BY_TYPE[channel_type]),
            language=language,
            product=product,
            assignee_id=self._assignee(rng, fate),
            first_body=first_body,
            subject=parts.subject(rng, fate, channel_type, language, product, first_body),
            merge_target=merge_target,
            merged_at_ms=(
                ticket_decisions.merged_at_ms(seed, index, count, merge_target)
                if merge_target is not None
                else None
            ),
            status=parts.status(rng, fate, created_ms),
        )

    def _thread(self, draft: _Draft) -> Thread:
        seed, count = self.seed, self.volumes.tickets
        merge_notes = tuple(
            (
                ticket_decisions.ticket_id(source),
                ticket_decisions.merged_at_ms(seed, source, count, draft.index),
            )
            for source in ticket_decisions.merged_sources(seed, draft.index, count)
        )
        plan = ThreadPlan(
            ticket_id=draft.ticket_id,
            channel_type=draft.channel_type,
            inbox_id=draft.inbox_id,
            language=draft.language,
            product=draft.product,
            customer=Author("customer", draft.customer["id"], draft.customer["name"]),
            agents=self._thread_agents(draft.rng, draft.assignee_id),
            created_ms=draft.created_ms,
            message_count=parts.message_count(draft.rng, draft.fate),
            first_body=draft.first_body,
            subject=draft.subject,
            merge_notes=merge_notes,
        )
        return build_thread(draft.rng, plan, self.message_ids, self.files)

    def _history(self, draft: _Draft, thread: Thread) -> History:
        underlying = (
            draft.rng.choice(("open", "solved")) if draft.fate == ticket_decisions.DELETED else draft.status
        )
        plan = HistoryPlan(
            ticket_id=draft.ticket_id,
            status=underlying,
            fate=draft.fate,
            channel_type=draft.channel_type,
            customer_id=draft.customer["id"],
            agent_id=draft.assignee_id,
            created_ms=draft.created_ms,
            end_ms=max(draft.created_ms, thread.latest_ms),
            merged_at_ms=draft.merged_at_ms,
        )
        return build_history(draft.rng, plan, self.change_ids)

    def _record(self, draft: _Draft, thread: Thread, history: History) -> Record:
        rng, status = draft.rng, draft.status
        updated_ms, deleted_at = _updated_and_deleted(rng, draft, thread, history)
        priority = parts.priority(rng, draft.channel_type)
        record: Record = {
            "id": draft.ticket_id,
            "number": f"ST-{draft.ticket_id}",
            "subject": draft.subject,
            "description_text": draft.first_body,
            "description_html": text.to_html(draft.first_body) if draft.first_body is not None else None,
            "status": status,
            "status_category": STATUS_CATEGORY[status],
            "priority": priority,
            "assignee_id": draft.assignee_id,
            "team_id": rng.choice((1, 2, 3, 4, None)),
            "customer_id": draft.customer["id"],
            "requester": parts.requester(rng, draft.customer),
            "channel": {
                "type": draft.channel_type,
                "inbox_id": draft.inbox_id,
                "source_ref": parts.source_ref(rng, draft.channel_type, draft.customer),
            },
            "tags": self._tags(rng, draft.fate),
            "custom_fields": self._custom_fields(draft),
            **parts.sla(rng, priority, draft.created_ms, draft.customer),
            "message_count": len(thread.messages),
            "attachment_count": len(thread.attachments),
            "merged_into_id": ticket_decisions.ticket_id(draft.merge_target)
            if draft.merge_target is not None
            else None,
            "is_spam": status == "spam",
            "deleted_at": deleted_at,
            "created_at": created_stamp(draft.created_ms),
            "updated_at": iso(updated_ms),
        }
        return record

    def _tags(self, rng: random.Random, fate: str) -> list[str]:
        tags = ["auto_reply", "mailer-daemon"] if fate == ticket_decisions.BOUNCE else pick_tags(rng)
        if fate == ticket_decisions.MERGED:
            tags.append("closed_by_merge")
        self.tag_counts.update(tags)
        return tags

    def _write(
        self, record: Record, thread: Thread, changes: list[Record], fate: str, merged_at: int | None
    ) -> None:
        for message in thread.messages:
            self.sinks.messages.write(message)
        for attachment in thread.attachments:
            self.sinks.attachments.write(attachment)
        for change in changes:
            self.sinks.status_changes.write(change)
        self.sinks.tickets.write(record)
        ticket_id = str(record["id"])
        if fate == ticket_decisions.MERGED:
            self._tombstone("ticket", ticket_id, iso(merged_at or 0), "merged", str(record["merged_into_id"]))
        elif fate == ticket_decisions.DELETED:
            self._tombstone("ticket", ticket_id, record["deleted_at"], "deleted", None)
        elif fate == ticket_decisions.SPAM:
            self._tombstone(
                "ticket",
                ticket_id,
                changes[-1]["changed_at"] if changes else record["updated_at"],
                "spam",
                None,
            )
        for message_id, erased_ms in thread.erased_ids:
            self._tombstone("message", str(message_id), iso(erased_ms), "gdpr_erasure", None)

    def _tombstone(
        self, kind: str, record_id: str, deleted_at: str, reason: str, merged_into: str | None
    ) -> None:
        self.sinks.deleted_records.write(
            {
                "object": kind,
                "id": record_id,
                "deleted_at": deleted_at,
                "reason": reason,
                "merged_into_id": merged_into,
            }
        )

    def _count(self, record: Record, fate: str, thread: Thread, changes: list[Record]) -> None:
        self.kinds.update(thread.kinds)
        self.kinds.update(observed_edge_cases.history_kinds(changes, record["status"]))
        self.kinds.update(observed_edge_cases.ticket_kinds(record, self.roster.hard_deleted_ids))
        if fate == ticket_decisions.BOUNCE:
            self.kinds["tickets_bounce"] += 1

    def _customer_index(self, index: int, fate: str) -> int:
        customer_count, count = self.volumes.customers, self.volumes.tickets
        if fate == ticket_decisions.BOUNCE:
            return customers.mailer_daemon_index(customer_count)
        if fate == ticket_decisions.MERGED:
            index = ticket_decisions.merge_target(self.seed, index, count) or index
        upper = max(1, int(index / count * (customer_count - 1)))
        return rng_for(self.seed, "ticket-customer", index).randrange(upper)

    def _assignee(self, rng: random.Random, fate: str) -> int | None:
        draw = rng.random()
        if fate == ticket_decisions.NORMAL and draw < profile.TICKET_HARD_DELETED_ASSIGNEE:
            return rng.choice(self.roster.hard_deleted_ids)
        if (
            draw < profile.TICKET_HARD_DELETED_ASSIGNEE + profile.TICKET_UNASSIGNED
            or fate == ticket_decisions.BOUNCE
        ):
            return None
        return rng.choice(self.roster.assignable_ids)

    def _thread_agents(self, rng: random.Random, assignee_id: int | None) -> tuple[Author, ...]:
        ids = [assignee_id] if assignee_id is not None else []
        ids += rng.sample(self.roster.author_ids, min(2, len(self.roster.author_ids)))
        return tuple(Author("agent", agent_id, self.roster.names[agent_id]) for agent_id in ids)

    def _custom_fields(self, draft: _Draft) -> list[Record]:
        rng, ticket_id, fate, created_ms = draft.rng, draft.ticket_id, draft.fate, draft.created_ms
        warranty_value: str | None = None
        record_args = {
            "ticket_id": ticket_id,
            "ticket_count": self.volumes.tickets,
            "customer_id": draft.customer["id"],
            "created_ms": created_ms,
        }
        if fate != ticket_decisions.BOUNCE and rng.random() < 0.25:
            warranty_value = self.sinks.records.add_warranty(rng, **record_args)
        elif fate != ticket_decisions.BOUNCE and rng.random() < profile.TICKET_DANGLING_WARRANTY:
            warranty_value = f"wr_9{ticket_id:06d}"
            self.kinds["tickets_dangling_warranty_lookup"] += 1
        if fate != ticket_decisions.BOUNCE and rng.random() < 0.1:
            self.sinks.records.add_subscription(rng, **record_args)
        unknown = fate != ticket_decisions.BOUNCE and unknown_dropdown(rng)
        if unknown:
            self.kinds["tickets_unknown_dropdown"] += 1
        escalation = (
            rng.choice(self.roster.author_ids + self.roster.hard_deleted_ids) if rng.random() < 0.05 else None
        )
        return custom_field_values(
            rng,
            draft.product,
            created_ms,
            unknown_dropdown=unknown,
            warranty_value=warranty_value,
            escalation_agent=escalation,
        )
