"""Simulated helpdesk activity for the admin hook (API.md §2.8, §3 #26), applied in memory.

Every action bumps the ticket's updated_at with the server clock, as child changes do in Stames.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulators.stames_api.clock import format_timestamp
from emulators.stames_api.errors import ApiError, not_found
from emulators.stames_api.store import Store

ACTIONS = ("touch", "add_message", "change_status", "merge", "delete")
MERGE_TAG = "closed_by_merge"


class Mutator:
    """Applies one admin action to tickets at one instant."""

    def __init__(self, store: Store, now_ms: int, options: dict[str, Any]) -> None:
        self.store = store
        self.stamp = format_timestamp(now_ms)
        self.options = options

    def apply(self, action: str, ticket_ids: list[Any]) -> list[dict[str, Any]]:
        handlers: dict[str, Callable[[dict[str, Any]], None]] = {
            "touch": lambda _ticket: None,
            "add_message": self._add_message,
            "change_status": self._change_status,
            "merge": self._merge,
            "delete": self._delete,
        }
        if action not in handlers:
            raise ApiError(400, "invalid_parameter", f"action must be one of {', '.join(ACTIONS)}")
        changed = []
        for ticket_id in ticket_ids:
            row = self.store.tickets.find(ticket_id)
            if row is None:
                raise not_found(f"ticket {ticket_id}")
            ticket = self.store.tickets.record(row)
            handlers[action](ticket)
            ticket["updated_at"] = self.stamp
            self.store.tickets.replace(row, ticket)
            changed.append(ticket)
        return changed

    def _add_message(self, ticket: dict[str, Any]) -> None:
        body = f"Follow-up added at {self.stamp}"
        channel = ticket.get("channel") if isinstance(ticket.get("channel"), dict) else {}
        message = {
            "id": self.store.messages.max_id() + 1,
            "ticket_id": ticket.get("id"),
            "author": {"type": "customer", "id": ticket.get("customer_id"), "name": None},
            "direction": "inbound",
            "is_private": False,
            "channel": {"type": channel.get("type"), "inbox_id": channel.get("inbox_id")},
            "external_id": None,
            "body_text": body,
            "body_html": None,
            "body_truncated": False,
            "body_size_bytes": len(body.encode()),
            "delivery_status": None,
            "attachments": [],
            "created_at": self.stamp,
            "updated_at": self.stamp,
        }
        row = self.store.messages.append(message)
        self.store.messages_by_ticket.setdefault(ticket.get("id"), []).append(row)
        if isinstance(ticket.get("message_count"), int):
            ticket["message_count"] += 1

    def _category(self, status: Any) -> Any:
        for definition in self.store.catalogs["ticket_statuses"]:
            if definition.get("key") == status:
                return definition.get("category")
        return status

    def _record_status(self, ticket: dict[str, Any], to_status: str, via: str) -> None:
        from_status = ticket.get("status")
        change = {
            "id": self.store.status_changes.max_id() + 1,
            "ticket_id": ticket.get("id"),
            "from_status": from_status,
            "to_status": to_status,
            "from_category": ticket.get("status_category"),
            "to_category": self._category(to_status),
            "changed_by": {"type": "system", "id": None},
            "via": via,
            "changed_at": self.stamp,
            "updated_at": self.stamp,
        }
        row = self.store.status_changes.append(change)
        self.store.changes_by_ticket.setdefault(ticket.get("id"), []).append(row)
        ticket["status"] = to_status
        ticket["status_category"] = change["to_category"]

    def _change_status(self, ticket: dict[str, Any]) -> None:
        default = "pending" if ticket.get("status") == "open" else "open"
        self._record_status(ticket, str(self.options.get("status") or default), "automation")

    def _tombstone(self, ticket: dict[str, Any], reason: str, merged_into: Any) -> None:
        self.store.deleted_records.append(
            {
                "object": "ticket",
                "id": str(ticket.get("id")),
                "deleted_at": self.stamp,
                "reason": reason,
                "merged_into_id": None if merged_into is None else str(merged_into),
            }
        )

    def _merge_target(self, ticket: dict[str, Any]) -> Any:
        wanted = self.options.get("into")
        if wanted is not None:
            return wanted
        for candidate in sorted(key for key in self.store.tickets.by_id if isinstance(key, int)):
            row = self.store.tickets.by_id[candidate]
            if candidate != ticket.get("id") and not self.store.tickets.attrs[row].deleted:
                return candidate
        return None

    def _merge(self, ticket: dict[str, Any]) -> None:
        target = self._merge_target(ticket)
        self._record_status(ticket, "closed", "merge")
        ticket["merged_into_id"] = target
        tags = ticket.get("tags") if isinstance(ticket.get("tags"), list) else []
        ticket["tags"] = tags if MERGE_TAG in tags else [*tags, MERGE_TAG]
        self._tombstone(ticket, "merged", target)

    def _delete(self, ticket: dict[str, Any]) -> None:
        ticket["status"] = "deleted"
        ticket["deleted_at"] = self.stamp
        self._tombstone(ticket, "deleted", None)
