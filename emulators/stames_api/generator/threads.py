"""One ticket's conversation: authors, bodies, timestamps, inline images and attachments."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from emulators.stames_api.generator import observed_edge_cases, profile, text
from emulators.stames_api.generator.attachments import AttachmentFactory, public_metadata
from emulators.stames_api.generator.catalog import MESSAGING_CHANNELS, Record
from emulators.stames_api.generator.timeline import DAY_MS, HOUR_MS, LATEST_MS, MINUTE_MS, created_stamp, iso

HUGE_MIN_BYTES = 130 * 1024
HUGE_MAX_BYTES = 2 * 1024 * 1024
DATA_URI_HUGE_BYTES = 420_000  # raw bytes; base64 takes the body past 500 KB


@dataclass(frozen=True)
class Author:
    type: str
    id: int | None
    name: str

    def as_record(self) -> Record:
        return {"type": self.type, "id": self.id, "name": self.name}


SYSTEM = Author("system", None, "Stames")


@dataclass(frozen=True)
class ThreadPlan:
    """What the ticket decided before its thread is written."""

    ticket_id: int
    channel_type: str
    inbox_id: int
    language: str
    product: str
    customer: Author
    agents: tuple[Author, ...]
    created_ms: int
    message_count: int
    first_body: str | None
    subject: str
    merge_notes: tuple[tuple[int, int], ...] = ()  # (merged ticket id, merged at)


@dataclass
class Thread:
    messages: list[Record] = field(default_factory=list)
    attachments: list[Record] = field(default_factory=list)
    erased_ids: list[tuple[int, int]] = field(default_factory=list)  # (message id, erased at)
    kinds: Counter[str] = field(default_factory=Counter)
    created_ms: list[int] = field(default_factory=list)  # of the messages written, in id order
    latest_ms: int = 0  # the newest created/updated/erased moment: the ticket's updated_at follows it


class MessageIds:
    """The account-wide message id sequence."""

    def __init__(self) -> None:
        self.next_id = profile.FIRST_MESSAGE_ID

    def take(self) -> int:
        self.next_id += 1
        return self.next_id - 1


def _timeline(rng: random.Random, plan: ThreadPlan) -> list[int]:
    """Creation times: growing gaps, squeezed to end before the latest stamp, then the anomalies."""
    gaps = [0] + [
        rng.choice((2_000, 5 * MINUTE_MS, 3 * HOUR_MS, 20 * HOUR_MS)) + rng.randrange(HOUR_MS)
        for _ in range(plan.message_count - 1)
    ]
    room = LATEST_MS - HOUR_MS - plan.created_ms
    total = sum(gaps)
    if total > room > 0:
        gaps = [gap * room // total for gap in gaps]
    times: list[int] = []
    moment = plan.created_ms
    for gap in gaps:
        moment += gap
        times.append(moment)
    if plan.message_count >= 3 and rng.random() < profile.THREAD_IDENTICAL_TIMESTAMPS:
        start = rng.randrange(1, plan.message_count - 1)
        for position in range(start + 1, min(plan.message_count, start + rng.randint(2, 4))):
            times[position] = times[start]  # a WhatsApp burst inside one millisecond
    elif plan.message_count >= 3 and rng.random() < profile.THREAD_BACKDATED:
        position = rng.randrange(2, plan.message_count)
        if times[position - 1] - times[0] >= 2:
            times[position] = (times[0] + times[position - 1]) // 2  # imported later, dated earlier
    return times


def _author_for(rng: random.Random, position: int, plan: ThreadPlan) -> tuple[Author, str, bool]:
    """(author, direction, is_private) for the message at `position` of the thread."""
    if position == 0:
        return plan.customer, "inbound", False
    if position == 1 and rng.random() < 0.35:
        return Author("bot", None, "Asistente virtual"), "outbound", False
    draw = rng.random()
    if draw < 0.42:
        return plan.customer, "inbound", False
    agent = plan.agents[0] if rng.random() < 0.8 else rng.choice(plan.agents)
    if draw < 0.82:
        return agent, "outbound", False
    if draw < 0.94:
        return agent, "internal", True
    return SYSTEM, "internal", True


def _external_id(rng: random.Random, channel_type: str, direction: str) -> str | None:
    if direction == "internal":
        return None
    return {
        "email": f"<{rng.getrandbits(64):016x}@mail.example>",
        "whatsapp": f"wamid.HBgL{rng.getrandbits(96):024X}",
        "sms": f"SM{rng.getrandbits(128):032x}",
        "instagram": f"ig_mid.{rng.getrandbits(60)}",
        "facebook": f"m_{rng.getrandbits(80):020x}",
    }.get(channel_type)


def _delivery(rng: random.Random, channel_type: str, direction: str) -> str | None:
    if channel_type not in MESSAGING_CHANNELS or direction == "internal":
        return None
    if direction == "inbound":
        return "read"
    return rng.choices(("sent", "delivered", "read", "failed"), weights=(10, 30, 55, 5))[0]


def _body(
    rng: random.Random, plan: ThreadPlan, position: int, author: Author, is_private: bool
) -> str | None:
    if position == 0:
        return plan.first_body
    if author.type == "bot":
        return text.bot_text(plan.language)
    if author.type == "system":
        return rng.choice(
            (
                "Estado cambiado de open a pending",
                "Estado cambiado de new a open",
                "Prioridad cambiada a high",
                "Asignado a otro agente",
            )
        )
    if is_private:
        return text.internal_note(rng)
    if author.type == "agent":
        return text.agent_text(rng, plan.language, author.name)
    if plan.channel_type in MESSAGING_CHANNELS:
        if rng.random() < 0.04:
            return None  # attachment-only message
        return text.short_message(rng, plan.language, plan.product)
    return text.customer_text(rng, plan.language, plan.product)


def build_thread(
    rng: random.Random, plan: ThreadPlan, message_ids: MessageIds, files: AttachmentFactory
) -> Thread:
    """All messages of one ticket, in id order, with their attachments."""
    builder = _ThreadBuilder(rng, plan, files, Thread())
    for position, created_ms in enumerate(_timeline(rng, plan)):
        author, direction, is_private = _author_for(rng, position, plan)
        body = _body(rng, plan, position, author, is_private)
        builder.add(message_ids.take(), created_ms, author, direction, is_private, body)
    for merged_id, merged_ms in plan.merge_notes:
        note = f"El ticket ST-{merged_id} se ha fusionado en este ticket"
        builder.add(message_ids.take(), merged_ms, SYSTEM, "internal", True, note, plain=True)
    builder.thread.kinds.update(observed_edge_cases.thread_kinds(builder.thread.created_ms))
    return builder.thread


@dataclass
class _ThreadBuilder:
    """Adds messages to one thread, drawing every message-level edge case from the ticket's stream."""

    rng: random.Random
    plan: ThreadPlan
    files: AttachmentFactory
    thread: Thread

    def add(
        self,
        message_id: int,
        created_ms: int,
        author: Author,
        direction: str,
        is_private: bool,
        body: str | None,
        *,
        plain: bool = False,
    ) -> None:
        """Append one message; `plain` messages (system notes) skip the random edge cases."""
        rng, thread = self.rng, self.thread
        channel_type = "api" if is_private else self.plan.channel_type
        if body is not None and not plain and rng.random() < profile.MESSAGE_DAMAGED:
            body = text.damage(rng, body)
        attachments: list[Record] = []
        html_extras: list[str] = []
        if not plain and author.type in ("customer", "agent"):
            if channel_type == "email":
                html_extras = self._inline_images(message_id, attachments)
            if body is None or rng.random() < profile.MESSAGE_ATTACHMENT:
                attachments.extend(self._attachments(message_id))
        body_text, body_html = self._bodies(body, channel_type, author, is_private, html_extras, plain)
        updated_ms = created_ms
        if rng.random() < 0.03:
            updated_ms = min(LATEST_MS, created_ms + rng.randrange(1, 3 * HOUR_MS))  # edited
        erase_draw = 1.0 if plain else rng.random()
        later_ms = min(LATEST_MS, created_ms + rng.randrange(1, 90) * DAY_MS)
        if erase_draw < profile.MESSAGE_ERASED:  # GDPR erasure: gone, only a tombstone remains
            thread.erased_ids.append((message_id, later_ms))
            thread.latest_ms = max(thread.latest_ms, later_ms)
            thread.kinds["messages_erased"] += 1
            return
        if erase_draw < profile.MESSAGE_ERASED + profile.MESSAGE_REDACTED:
            body_text, body_html, updated_ms = "[redacted]", None, later_ms
        thread.attachments.extend(attachments)
        thread.latest_ms = max(thread.latest_ms, created_ms, updated_ms)
        thread.created_ms.append(created_ms)
        message: Record = {
            "id": message_id,
            "ticket_id": self.plan.ticket_id,
            "author": author.as_record(),
            "direction": direction,
            "is_private": is_private,
            "channel": {
                "type": channel_type,
                "inbox_id": None if channel_type == "api" else self.plan.inbox_id,
            },
            "external_id": _external_id(rng, channel_type, direction),
            "body_text": body_text,
            "body_html": body_html,
            "body_truncated": False,
            "body_size_bytes": max(text.utf8_size(body_text), text.utf8_size(body_html)),
            "delivery_status": _delivery(rng, channel_type, direction),
            "attachments": [public_metadata(record) for record in attachments],
            "created_at": created_stamp(created_ms),
            "updated_at": iso(max(updated_ms, created_ms)),
        }
        thread.messages.append(message)
        thread.kinds.update(observed_edge_cases.message_kinds(message))
        for attachment in attachments:
            thread.kinds.update(observed_edge_cases.attachment_kinds(attachment))

    def _bodies(
        self,
        body: str | None,
        channel_type: str,
        author: Author,
        is_private: bool,
        html_extras: list[str],
        plain: bool,
    ) -> tuple[str | None, str | None]:
        """(body_text, body_html): HTML for email-like channels and agent notes; sometimes huge."""
        if body is None:
            return None, None
        body_html: str | None = None
        if channel_type in ("email", "web_form") and not plain:
            body_html = text.to_html(body) + "".join(html_extras)
        elif is_private and author.type == "agent":
            body_html = text.to_html(body)
        if plain or self.rng.random() >= profile.MESSAGE_HUGE:
            return body, body_html
        padding = text.padding_text(self.rng, _huge_size(self.rng))
        return f"{body}\n\n{padding}", (None if body_html is None else f"{body_html}<pre>{padding}</pre>")

    def _attachments(self, message_id: int) -> list[Record]:
        rng = self.rng
        made = [self._attachment(message_id) for _ in range(1 if rng.random() < 0.8 else rng.randint(2, 3))]
        if len(made) >= 2 and rng.random() < 0.3:
            made[1]["file_name"] = made[0]["file_name"]
        return made

    def _attachment(self, message_id: int, *, inline: bool = False) -> Record:
        return self.files.make(
            self.rng,
            ticket_id=self.plan.ticket_id,
            message_id=message_id,
            channel_type=self.plan.channel_type,
            inline=inline,
        )

    def _inline_images(self, message_id: int, attachments: list[Record]) -> list[str]:
        """Inline images three ways: base64 data URIs, `cid:` to an inline attachment, malformed `cid:`."""
        rng, extras = self.rng, []
        if rng.random() < profile.EMAIL_DATA_URI:
            huge = rng.random() < profile.EMAIL_DATA_URI_HUGE
            raw = DATA_URI_HUGE_BYTES + rng.randrange(100_000) if huge else rng.randrange(2_000, 60_000)
            extras.append(text.data_uri_image(rng, raw))
        draw = rng.random()
        if draw < 0.03:
            record = self._attachment(message_id, inline=True)
            attachments.append(record)
            extras.append(f'<img src="cid:{record["content_id"]}" alt="inline">')
        elif draw < 0.04:
            token = f"{rng.getrandbits(64):016x}"
            extras.append(
                f'<img src="cid:https://attachment.helpdesk.example/inline/attachment?token={token}">'
            )
        return extras


def _huge_size(rng: random.Random) -> int:
    if rng.random() < 0.8:
        return rng.randrange(HUGE_MIN_BYTES, 256 * 1024)
    return rng.randrange(256 * 1024, HUGE_MAX_BYTES)
