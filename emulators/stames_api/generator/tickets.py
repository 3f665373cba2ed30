"""One ticket at a time: the record, its thread, history, records and tombstones, written at once."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from emulators.stames_api.generator import customers, fates, profile, text
from emulators.stames_api.generator import vocabulary as vocab
from emulators.stames_api.generator.agents import Roster
from emulators.stames_api.generator.attachments import AttachmentFactory
from emulators.stames_api.generator.catalog import (
    CHANNEL_TYPES,
    CHANNEL_WEIGHTS,
    CUSTOM_STATUSES,
    INBOXES_BY_TYPE,
    MESSAGING_CHANNELS,
    STATUS_CATEGORY,
    Record,
)
from emulators.stames_api.generator.custom_records import RecordSinks
from emulators.stames_api.generator.history import HistoryPlan, StatusChangeIds, build_history
from emulators.stames_api.generator.profile import Volumes
from emulators.stames_api.generator.seeding import chance, rng_for
from emulators.stames_api.generator.threads import Author, MessageIds, Thread, ThreadPlan, build_thread
from emulators.stames_api.generator.ticket_fields import custom_field_values, pick_tags, unknown_dropdown
from emulators.stames_api.generator.timeline import (
    DAY_MS,
    HOUR_MS,
    LATEST_MS,
    LEGACY_CUTOFF_MS,
    MINUTE_MS,
    created_stamp,
    iso,
    to_ms,
)
from emulators.stames_api.generator.writer import JsonlWriter

_SLA_HOURS: dict[str, int] = {"urgent": 4, "high": 8, "normal": 24, "low": 72}
_REMINDER_OFFSETS: dict[str, int | None] = {
    "none": None,
    "at_time": None,
    "before_sla_breach": 60,
    "after_customer_inactivity": 1440,
    "after_status_unchanged": 2880,
}


@dataclass
class TicketSinks:
    tickets: JsonlWriter
    messages: JsonlWriter
    status_changes: JsonlWriter
    attachments: JsonlWriter
    deleted_records: JsonlWriter
    records: RecordSinks


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
        seed, count = self.seed, self.volumes.tickets
        rng = rng_for(seed, "ticket", index)
        ticket_id = fates.ticket_id(index)
        fate = fates.fate(seed, index, count)
        created_ms = fates.created_ms(seed, index, count)
        customer = customers.build_customer(seed, self._customer_index(index, fate), self.volumes.customers)
        channel_type = self._channel(rng, fate, customer)
        inbox_id = rng.choice(INBOXES_BY_TYPE[channel_type])
        language = text.pick_language(rng)
        product = rng.choice(vocab.PRODUCTS)
        assignee_id = self._assignee(rng, fate)
        first_body = self._first_body(rng, fate, channel_type, language, product)
        subject = self._subject(rng, fate, channel_type, language, product, first_body)
        merge_sources = fates.merged_sources(seed, index, count)
        merge_notes = tuple(
            (fates.ticket_id(source), fates.merged_at_ms(seed, source, count, index))
            for source in merge_sources
        )
        thread = build_thread(
            rng,
            ThreadPlan(
                ticket_id=ticket_id,
                channel_type=channel_type,
                inbox_id=inbox_id,
                language=language,
                product=product,
                customer=Author("customer", customer["id"], customer["name"]),
                agents=self._thread_agents(rng, assignee_id),
                created_ms=created_ms,
                message_count=self._message_count(rng, fate),
                first_body=first_body,
                subject=subject,
                merge_notes=merge_notes,
            ),
            self.message_ids,
            self.files,
        )
        status = self._status(rng, fate, created_ms)
        merge_target = fates.merge_target(seed, index, count)
        merged_at = fates.merged_at_ms(seed, index, count, merge_target) if merge_target is not None else None
        history = build_history(
            rng,
            HistoryPlan(
                ticket_id=ticket_id,
                status=status if fate != fates.DELETED else rng.choice(("open", "solved")),
                fate=fate,
                channel_type=channel_type,
                customer_id=customer["id"],
                agent_id=assignee_id,
                created_ms=created_ms,
                end_ms=max(created_ms, thread.latest_ms),
                merged_at_ms=merged_at,
            ),
            self.change_ids,
        )
        latest = max(
            [
                created_ms,
                thread.latest_ms,
                *(ms for _, ms in merge_notes),
                merged_at or 0,
                *(to_ms(change["changed_at"]) for change in history.changes),
            ]
        )
        updated_ms = min(LATEST_MS, latest + (rng.randrange(1, 5_000) if rng.random() < 0.3 else 0))
        deleted_at = None
        if fate == fates.DELETED:
            updated_ms = min(LATEST_MS, max(updated_ms, latest + rng.randrange(HOUR_MS, 30 * DAY_MS)))
            deleted_at = iso(updated_ms)
        tags = pick_tags(rng)
        if fate == fates.MERGED:
            tags.append("closed_by_merge")
        if fate == fates.BOUNCE:
            tags = ["auto_reply", "mailer-daemon"]
        self.tag_counts.update(tags)
        record = {
            "id": ticket_id,
            "number": f"ST-{ticket_id}",
            "subject": subject,
            "description_text": first_body,
            "description_html": text.to_html(first_body) if first_body is not None else None,
            "status": status,
            "status_category": STATUS_CATEGORY[status],
            "priority": self._priority(rng, channel_type),
            "assignee_id": assignee_id,
            "team_id": rng.choice((1, 2, 3, 4, None)),
            "customer_id": customer["id"],
            "requester": self._requester(rng, customer),
            "channel": {
                "type": channel_type,
                "inbox_id": inbox_id,
                "source_ref": self._source_ref(rng, channel_type, customer),
            },
            "tags": tags,
            "custom_fields": self._custom_fields(rng, ticket_id, product, created_ms, customer["id"], fate),
        }
        record.update(self._sla(rng, record["priority"], created_ms, customer))
        record.update(
            {
                "message_count": len(thread.messages),
                "attachment_count": len(thread.attachments),
                "merged_into_id": fates.ticket_id(merge_target) if merge_target is not None else None,
                "is_spam": status == "spam",
                "deleted_at": deleted_at,
                "created_at": created_stamp(created_ms),
                "updated_at": iso(updated_ms),
            }
        )
        self._write(record, thread, history.changes, fate, merged_at)
        self._count(record, fate, thread.kinds, history.kinds, created_ms)

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
        if fate == fates.MERGED:
            self._tombstone("ticket", ticket_id, iso(merged_at or 0), "merged", str(record["merged_into_id"]))
        elif fate == fates.DELETED:
            self._tombstone("ticket", ticket_id, record["deleted_at"], "deleted", None)
        elif fate == fates.SPAM:
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

    def _count(
        self,
        record: Record,
        fate: str,
        thread_kinds: dict[str, int],
        history_kinds: list[str],
        created_ms: int,
    ) -> None:
        self.kinds.update(thread_kinds)
        self.kinds.update(history_kinds)
        self.kinds[f"tickets_{fate}"] += 1
        if record["status"] in CUSTOM_STATUSES:
            self.kinds["tickets_custom_status"] += 1
        if record["assignee_id"] in self.roster.hard_deleted_ids:
            self.kinds["tickets_hard_deleted_assignee"] += 1
        if " " in record["created_at"]:
            self.kinds["tickets_legacy_created_at"] += 1

    def _customer_index(self, index: int, fate: str) -> int:
        customer_count, count = self.volumes.customers, self.volumes.tickets
        if fate == fates.BOUNCE:
            return customers.mailer_daemon_index(customer_count)
        if fate == fates.MERGED:
            index = fates.merge_target(self.seed, index, count) or index
        upper = max(1, int(index / count * (customer_count - 1)))
        return rng_for(self.seed, "ticket-customer", index).randrange(upper)

    @staticmethod
    def _channel(rng: random.Random, fate: str, customer: Record) -> str:
        channel_type = rng.choices(CHANNEL_TYPES, weights=CHANNEL_WEIGHTS)[0]
        if fate == fates.BOUNCE:
            return "email"
        if customer["email"] is None and channel_type in ("email", "web_form"):
            return rng.choice(("whatsapp", "instagram", "sms"))
        return channel_type

    def _assignee(self, rng: random.Random, fate: str) -> int | None:
        draw = rng.random()
        if fate == fates.NORMAL and draw < profile.TICKET_HARD_DELETED_ASSIGNEE:
            return rng.choice(self.roster.hard_deleted_ids)
        if draw < profile.TICKET_HARD_DELETED_ASSIGNEE + profile.TICKET_UNASSIGNED or fate == fates.BOUNCE:
            return None
        return rng.choice(self.roster.assignable_ids)

    def _thread_agents(self, rng: random.Random, assignee_id: int | None) -> tuple[Author, ...]:
        ids = [assignee_id] if assignee_id is not None else []
        ids += rng.sample(self.roster.author_ids, min(2, len(self.roster.author_ids)))
        return tuple(Author("agent", agent_id, self.roster.names[agent_id]) for agent_id in ids)

    @staticmethod
    def _message_count(rng: random.Random, fate: str) -> int:
        if fate == fates.BOUNCE:
            return 1
        if fate == fates.SPAM:
            return rng.randint(1, 2)
        return min(60, 1 + round(rng.expovariate(1 / 5.6)))

    @staticmethod
    def _first_body(
        rng: random.Random, fate: str, channel_type: str, language: str, product: str
    ) -> str | None:
        if fate == fates.BOUNCE:
            return (
                "This is the mail system at host mx.example.net.\nI'm sorry to have to inform you that your "
                "message could not be delivered to one or more recipients.\n<soporte@acme.example>: "
                "mailbox full"
            )
        if fate == fates.SPAM:
            return "Congratulations!!! You have WON a free iPhone 📱 click http://spam.example/win"
        if channel_type in MESSAGING_CHANNELS:
            return None if rng.random() < 0.02 else text.short_message(rng, language, product)
        body = text.customer_text(rng, language, product)
        if channel_type == "web_form":
            body = f"Nombre: {product}\nMensaje: {body}"
        return body

    @staticmethod
    def _subject(
        rng: random.Random, fate: str, channel_type: str, language: str, product: str, first_body: str | None
    ) -> str:
        if fate == fates.BOUNCE:
            return "Undelivered Mail Returned to Sender"
        if channel_type in ("whatsapp", "sms", "instagram"):
            if first_body is None or rng.random() < 0.2:
                return ""
            return first_body.replace("\n", " ")[:60]
        return text.subject_line(rng, language, product)

    @staticmethod
    def _status(rng: random.Random, fate: str, created_ms: int) -> str:
        if fate == fates.DELETED:
            return "deleted"
        if fate == fates.SPAM:
            return "spam"
        if fate == fates.MERGED:
            return "closed"
        if fate == fates.BOUNCE:
            return rng.choice(("new", "closed"))
        if rng.random() < profile.TICKET_CUSTOM_STATUS:
            return rng.choice(CUSTOM_STATUSES)
        if created_ms < LATEST_MS - 60 * DAY_MS:
            return rng.choices(("closed", "solved", "open", "pending"), weights=(75, 20, 3, 2))[0]
        return rng.choices(
            ("new", "open", "pending", "on_hold", "solved", "closed"), weights=(15, 30, 15, 5, 20, 15)
        )[0]

    @staticmethod
    def _priority(rng: random.Random, channel_type: str) -> str | None:
        if channel_type in ("api", "web_form") and rng.random() < 0.5:
            return None
        return rng.choices(("low", "normal", "high", "urgent"), weights=(20, 55, 20, 5))[0]

    @staticmethod
    def _requester(rng: random.Random, customer: Record) -> Record:
        """The customer as they were when the ticket was opened: sometimes stale (§3 #31)."""
        name, email = customer["name"], customer["email"]
        if chance(rng, profile.TICKET_STALE_REQUESTER):
            name = text.ascii_slug(name).replace(".", " ").title() if name else name
            email = rng.choice((None, f"old.{customer['id']}@example.com"))
        return {"id": customer["id"], "name": name, "email": email}

    @staticmethod
    def _source_ref(rng: random.Random, channel_type: str, customer: Record) -> str | None:
        phone = customer["phone"]
        refs = {
            "email": customer["email"],
            "whatsapp": f"wa:{phone.lstrip('+')}"
            if phone
            else f"wa:34{rng.randrange(600_000_000, 699_999_999)}",
            "sms": f"sms:{phone}" if phone else None,
            "instagram": f"ig:{customer['id']:011d}",
            "facebook": f"fb:psid:{customer['id']:011d}",
            "web_form": "form:contacto",
            "api": f"erp:ORD-{rng.randrange(100000, 999999)}",
        }
        return refs[channel_type]

    def _custom_fields(
        self, rng: random.Random, ticket_id: int, product: str, created_ms: int, customer_id: int, fate: str
    ) -> list[Record]:
        warranty_value: str | None = None
        record_args = {
            "ticket_id": ticket_id,
            "ticket_count": self.volumes.tickets,
            "customer_id": customer_id,
            "created_ms": created_ms,
        }
        if fate != fates.BOUNCE and rng.random() < 0.25:
            warranty_value = self.sinks.records.add_warranty(rng, **record_args)
        elif fate != fates.BOUNCE and rng.random() < profile.TICKET_DANGLING_WARRANTY:
            warranty_value = f"wr_9{ticket_id:06d}"
            self.kinds["tickets_dangling_warranty_lookup"] += 1
        if fate != fates.BOUNCE and rng.random() < 0.1:
            self.sinks.records.add_subscription(rng, **record_args)
        unknown = fate != fates.BOUNCE and unknown_dropdown(rng)
        if unknown:
            self.kinds["tickets_unknown_dropdown"] += 1
        escalation = (
            rng.choice(self.roster.author_ids + self.roster.hard_deleted_ids) if rng.random() < 0.05 else None
        )
        return custom_field_values(
            rng,
            product,
            created_ms,
            unknown_dropdown=unknown,
            warranty_value=warranty_value,
            escalation_agent=escalation,
        )

    @staticmethod
    def _sla(rng: random.Random, priority: str | None, created_ms: int, customer: Record) -> Record:
        sla_ms = created_ms + _SLA_HOURS[priority] * HOUR_MS if priority and rng.random() < 0.9 else None
        if created_ms < LEGACY_CUTOFF_MS:
            sla_ms = None
        trigger = rng.choices(tuple(_REMINDER_OFFSETS), weights=(60, 10, 10, 10, 10))[0]
        if trigger == "before_sla_breach" and sla_ms is None:
            trigger = "none"
        offset = _REMINDER_OFFSETS[trigger]
        remind_ms: int | None = None
        if trigger == "at_time":
            remind_ms = created_ms + rng.randrange(1, 72) * HOUR_MS
        elif trigger == "before_sla_breach" and sla_ms is not None:
            remind_ms = sla_ms - 60 * MINUTE_MS
        elif offset is not None:
            remind_ms = created_ms + offset * MINUTE_MS
        sms = (customer["phone"] is not None and rng.random() < 0.2) or rng.random() < 0.01
        return {
            "sla_due_at": iso(sla_ms) if sla_ms is not None else None,
            "sms_notification": sms,
            "reminder": {
                "trigger": trigger,
                "offset_minutes": offset,
                "remind_at": iso(remind_ms) if remind_ms is not None else None,
            },
        }
