"""Edge-case counts taken from the records exactly as written.

The generation report counts what a reader of the files can see, never what the generator
meant to inject: a damaged body that was later redacted is not damaged any more, a huge body is
huge whatever made it huge, a zero-byte file reused on another ticket is zero bytes twice.
Discovery and tests can therefore demand equality with the report, not a tolerance.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from itertools import pairwise

from emulators.stames_api.generator.attachments import HOSTILE_NAMES
from emulators.stames_api.generator.catalog import CUSTOM_STATUSES, TICKET_STATUSES, Record

HUGE_BODY_BYTES = 128 * 1024
BIG_FILE_BYTES = 25 * 1024 * 1024
# Mojibake (UTF-8 read as Latin-1), U+FFFD, zero-width characters, lone surrogates.
_DAMAGE = re.compile("[ÂÃ][\x80-\xbf]|\ufffd|[\u200b\u200d]|[\ud800-\udfff]")
_COMBINING = re.compile("[\u0300-\u036f]")
_CID = re.compile(r'src="cid:([^"]*)"')
_INACTIVE_STATUSES = frozenset(status["key"] for status in TICKET_STATUSES if not status["active"])
_REOPENING = ("new", "open", "pending", "on_hold")


def is_damaged(value: str | None) -> bool:
    """Encoding damage of §3 #14 in one string (NFD counts only where combining marks show it)."""
    if not value:
        return False
    if _DAMAGE.search(value):
        return True
    return bool(_COMBINING.search(value)) and not unicodedata.is_normalized("NFC", value)


def message_kinds(message: Record) -> list[str]:
    body_html = message["body_html"] or ""
    kinds = ["messages"]
    if message["body_text"] == "[redacted]":
        kinds.append("messages_redacted")
    if is_damaged(message["body_text"]):
        kinds.append("messages_bad_encoding")
    if "data:image/" in body_html:
        kinds.append("messages_data_uri")
    if message["body_size_bytes"] > HUGE_BODY_BYTES:
        kinds.append("messages_huge")
    references = _CID.findall(body_html)
    if any(not reference.startswith("https://") for reference in references):
        kinds.append("messages_cid")
    if any(reference.startswith("https://") for reference in references):
        kinds.append("messages_malformed_cid")
    names = [attachment["file_name"] for attachment in message["attachments"]]
    if len(names) != len(set(names)):
        kinds.append("messages_duplicate_file_names")
    return kinds


def attachment_kinds(attachment: Record) -> list[str]:
    checks = (
        ("attachments_zero_byte", attachment["size"] == 0),
        ("attachments_big", attachment["size"] >= BIG_FILE_BYTES),
        ("attachments_purged", attachment["status"] == "purged"),
        ("attachments_quarantined", attachment["status"] == "quarantined"),
        ("attachments_inline", attachment["inline"]),
        ("attachments_hostile_name", attachment["file_name"] in HOSTILE_NAMES),
        ("attachments_mislabeled", attachment["content_type"] == "application/octet-stream"),
    )
    return [kind for kind, applies in checks if applies]


def thread_kinds(created_ms: list[int]) -> list[str]:
    """Per ticket: messages sharing a timestamp; ids not monotonic in time (§3 #9)."""
    kinds = []
    if len(set(created_ms)) < len(created_ms):
        kinds.append("threads_identical_timestamps")
    if any(later < earlier for earlier, later in pairwise(created_ms)):
        kinds.append("threads_backdated")
    return kinds


def history_kinds(changes: list[Record], ticket_status: str) -> list[str]:
    """Per ticket, rows in id order (§3 #17, #19); a soft-deleted ticket's status has no row."""
    checks = (
        ("history_synthetic_import", any(change["via"] == "import" for change in changes)),
        (
            "history_flapping",
            any(
                change["from_category"] in ("solved", "closed") and change["to_category"] in _REOPENING
                for change in changes
            ),
        ),
        (
            "history_missed_event",
            any(later["from_status"] != earlier["to_status"] for earlier, later in pairwise(changes)),
        ),
        (
            "history_disagrees",
            bool(changes) and ticket_status != "deleted" and changes[-1]["to_status"] != ticket_status,
        ),
        ("history_same_changed_at", any(a["changed_at"] == b["changed_at"] for a, b in pairwise(changes))),
        ("history_inactive_status", any(change["to_status"] in _INACTIVE_STATUSES for change in changes)),
    )
    return [kind for kind, applies in checks if applies]


def ticket_kinds(ticket: Record, hard_deleted_agents: Iterable[int]) -> list[str]:
    checks = (
        ("tickets_custom_status", ticket["status"] in CUSTOM_STATUSES),
        ("tickets_spam", ticket["status"] == "spam"),
        ("tickets_deleted", ticket["status"] == "deleted"),
        ("tickets_merged", ticket["merged_into_id"] is not None),
        ("tickets_hard_deleted_assignee", ticket["assignee_id"] in set(hard_deleted_agents)),
        ("tickets_legacy_created_at", not ticket["created_at"].endswith("Z")),
        ("tickets_empty_subject", ticket["subject"] == ""),
        ("tickets_long_subject", len(ticket["subject"]) > 255),
    )
    return [kind for kind, applies in checks if applies]


def customer_kinds(customer: Record) -> list[str]:
    checks = (
        ("customers_without_email", customer["email"] is None),
        ("customers_merged", customer["merged_into_id"] is not None),
        ("customers_bad_encoding", is_damaged(customer["name"])),
        ("customers_unparsable_phone", customer["phone_raw"] is not None and customer["phone"] is None),
    )
    return [kind for kind, applies in checks if applies]
