"""Single ticket attributes: channel, subject, first body, status, priority, requester, SLA."""

from __future__ import annotations

import random

from emulators.stames_api.generator import profile, text, ticket_decisions
from emulators.stames_api.generator.catalog import (
    CHANNEL_TYPES,
    CHANNEL_WEIGHTS,
    CUSTOM_STATUSES,
    MESSAGING_CHANNELS,
    Record,
)
from emulators.stames_api.generator.seeding import chance
from emulators.stames_api.generator.timeline import (
    DAY_MS,
    HOUR_MS,
    LATEST_MS,
    LEGACY_CUTOFF_MS,
    MINUTE_MS,
    iso,
)

_SLA_HOURS: dict[str, int] = {"urgent": 4, "high": 8, "normal": 24, "low": 72}
_REMINDER_OFFSETS: dict[str, int | None] = {
    "none": None,
    "at_time": None,
    "before_sla_breach": 60,
    "after_customer_inactivity": 1440,
    "after_status_unchanged": 2880,
}


def channel(rng: random.Random, fate: str, customer: Record) -> str:
    channel_type = rng.choices(CHANNEL_TYPES, weights=CHANNEL_WEIGHTS)[0]
    if fate == ticket_decisions.BOUNCE:
        return "email"
    if customer["email"] is None and channel_type in ("email", "web_form"):
        return rng.choice(("whatsapp", "instagram", "sms"))
    return channel_type


def message_count(rng: random.Random, fate: str) -> int:
    if fate == ticket_decisions.BOUNCE:
        return 1
    if fate == ticket_decisions.SPAM:
        return rng.randint(1, 2)
    return min(60, 1 + round(rng.expovariate(1 / 5.6)))


def first_body(rng: random.Random, fate: str, channel_type: str, language: str, product: str) -> str | None:
    if fate == ticket_decisions.BOUNCE:
        return (
            "This is the mail system at host mx.example.net.\nI'm sorry to have to inform you that your "
            "message could not be delivered to one or more recipients.\n<soporte@acme.example>: "
            "mailbox full"
        )
    if fate == ticket_decisions.SPAM:
        return "Congratulations!!! You have WON a free iPhone 📱 click http://spam.example/win"
    if channel_type in MESSAGING_CHANNELS:
        return None if rng.random() < 0.02 else text.short_message(rng, language, product)
    body = text.customer_text(rng, language, product)
    if channel_type == "web_form":
        body = f"Nombre: {product}\nMensaje: {body}"
    return body


def subject(
    rng: random.Random, fate: str, channel_type: str, language: str, product: str, first_body: str | None
) -> str:
    if fate == ticket_decisions.BOUNCE:
        return "Undelivered Mail Returned to Sender"
    if channel_type in ("whatsapp", "sms", "instagram"):
        if first_body is None or rng.random() < 0.2:
            return ""
        return first_body.replace("\n", " ")[:60]
    return text.subject_line(rng, language, product)


def status(rng: random.Random, fate: str, created_ms: int) -> str:
    if fate == ticket_decisions.DELETED:
        return "deleted"
    if fate == ticket_decisions.SPAM:
        return "spam"
    if fate == ticket_decisions.MERGED:
        return "closed"
    if fate == ticket_decisions.BOUNCE:
        return rng.choice(("new", "closed"))
    if rng.random() < profile.TICKET_CUSTOM_STATUS:
        return rng.choice(CUSTOM_STATUSES)
    if created_ms < LATEST_MS - 60 * DAY_MS:
        return rng.choices(("closed", "solved", "open", "pending"), weights=(75, 20, 3, 2))[0]
    return rng.choices(
        ("new", "open", "pending", "on_hold", "solved", "closed"), weights=(15, 30, 15, 5, 20, 15)
    )[0]


def priority(rng: random.Random, channel_type: str) -> str | None:
    if channel_type in ("api", "web_form") and rng.random() < 0.5:
        return None
    return rng.choices(("low", "normal", "high", "urgent"), weights=(20, 55, 20, 5))[0]


def requester(rng: random.Random, customer: Record) -> Record:
    """The customer as they were when the ticket was opened: sometimes stale (§3 #31)."""
    name, email = customer["name"], customer["email"]
    if chance(rng, profile.TICKET_STALE_REQUESTER):
        name = text.ascii_slug(name).replace(".", " ").title() if name else name
        email = rng.choice((None, f"old.{customer['id']}@example.com"))
    return {"id": customer["id"], "name": name, "email": email}


def source_ref(rng: random.Random, channel_type: str, customer: Record) -> str | None:
    phone = customer["phone"]
    refs = {
        "email": customer["email"],
        "whatsapp": f"wa:{phone.lstrip('+')}" if phone else f"wa:34{rng.randrange(600_000_000, 699_999_999)}",
        "sms": f"sms:{phone}" if phone else None,
        "instagram": f"ig:{customer['id']:011d}",
        "facebook": f"fb:psid:{customer['id']:011d}",
        "web_form": "form:contacto",
        "api": f"erp:ORD-{rng.randrange(100000, 999999)}",
    }
    return refs[channel_type]


def sla(rng: random.Random, priority: str | None, created_ms: int, customer: Record) -> Record:
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
