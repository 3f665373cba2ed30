"""The dataset folder (API.md §3b) loaded into tables, with the indexes the endpoints need."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from emulators.stames_api.clock import parse_loose
from emulators.stames_api.table import SortKey, Table

DATASET_FORMAT = "stames-dataset/1"
CATALOG_FILES = ("ticket_statuses", "channels", "custom_fields", "custom_objects", "tags")


@dataclass(frozen=True, slots=True)
class TicketAttrs:
    """What /tickets filters on, kept per row so a scan never parses rows it drops."""

    status: Any
    status_category: Any
    channel_type: Any
    customer_id: Any
    assignee_id: Any
    deleted: bool
    spam: bool


@dataclass(frozen=True, slots=True)
class MessageAttrs:
    ticket_id: Any
    private: bool
    system: bool
    thread_key: SortKey


def _int_id(record: dict[str, Any]) -> int:
    value = record.get("id")
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"integer id expected, got {value!r}")
    return value


def _ms(record: dict[str, Any], *names: str) -> int:
    for name in names:
        value = parse_loose(record.get(name))
        if value is not None:
            return value
    return 0


def _updated_key(record: dict[str, Any]) -> SortKey:
    return (_ms(record, "updated_at"), _int_id(record))


def _digits(value: Any) -> str:
    return re.sub(r"\D", "", value) if isinstance(value, str) else ""


def _lower(value: Any) -> str | None:
    return value.lower() if isinstance(value, str) else None


def _nested(record: dict[str, Any], outer: str, inner: str) -> Any:
    container = record.get(outer)
    return container.get(inner) if isinstance(container, dict) else None


def _ticket_attrs(record: dict[str, Any]) -> TicketAttrs:
    return TicketAttrs(
        status=record.get("status"),
        status_category=record.get("status_category"),
        channel_type=_nested(record, "channel", "type"),
        customer_id=record.get("customer_id"),
        assignee_id=record.get("assignee_id"),
        deleted=record.get("deleted_at") is not None or record.get("status") == "deleted",
        spam=bool(record.get("is_spam")) or record.get("status") == "spam",
    )


def _agent_attrs(record: dict[str, Any]) -> tuple[bool, str | None]:
    return (bool(record.get("active")), _lower(record.get("email")))


def _customer_attrs(record: dict[str, Any]) -> tuple[str | None, frozenset[str], bool]:
    phones = frozenset(d for d in (_digits(record.get("phone")), _digits(record.get("phone_raw"))) if d)
    return (_lower(record.get("email")), phones, record.get("merged_into_id") is not None)


def _status_change_key(record: dict[str, Any]) -> SortKey:
    return (_ms(record, "updated_at", "changed_at"), _int_id(record))


def _record_key(record: dict[str, Any]) -> SortKey:
    return (_ms(record, "updated_at"), str(record.get("id")))


def _record_attrs(record: dict[str, Any]) -> tuple[frozenset[Any], Any]:
    ticket_ids = record.get("ticket_ids")
    return (frozenset(ticket_ids) if isinstance(ticket_ids, list) else frozenset(), record.get("customer_id"))


def _tombstone_key(record: dict[str, Any]) -> SortKey:
    return (_ms(record, "deleted_at"), str(record.get("id")), str(record.get("object")))


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _zone(account: dict[str, Any]) -> tzinfo:
    try:
        return ZoneInfo(str(account.get("timezone") or "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


@dataclass
class Store:
    """Every collection of one dataset folder; mutations (admin hook) change it in memory only."""

    root: Path
    manifest: dict[str, Any]
    agents: Table
    customers: Table
    tickets: Table
    messages: Table
    status_changes: Table
    attachments: Table
    deleted_records: Table
    records: dict[str, Table]
    catalogs: dict[str, list[dict[str, Any]]]
    messages_by_ticket: dict[Any, list[int]] = field(default_factory=dict)
    changes_by_ticket: dict[Any, list[int]] = field(default_factory=dict)
    attachments_by_message: dict[Any, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> Store:
        root = root.resolve()
        manifest_path = root / "manifest.json"
        # utf-8-sig: hand-written files are often saved with a BOM, which json.loads rejects.
        manifest_text = manifest_path.read_text(encoding="utf-8-sig") if manifest_path.is_file() else "{}"
        manifest = json.loads(manifest_text)
        if manifest.get("format", DATASET_FORMAT) != DATASET_FORMAT:
            raise ValueError(f"{manifest_path}: format {manifest.get('format')!r}, not {DATASET_FORMAT!r}")
        zone = _zone(manifest.get("account") or {})

        def message_attrs(record: dict[str, Any]) -> MessageAttrs:
            return MessageAttrs(
                ticket_id=record.get("ticket_id"),
                private=bool(record.get("is_private")),
                system=_nested(record, "author", "type") == "system",
                thread_key=(parse_loose(record.get("created_at"), zone) or 0, _int_id(record)),
            )

        def change_attrs(record: dict[str, Any]) -> tuple[Any, SortKey]:
            changed = parse_loose(record.get("changed_at"), zone) or 0
            return (record.get("ticket_id"), (changed, _int_id(record)))

        records_dir = root / "custom_object_records"
        record_paths = sorted(records_dir.glob("*.jsonl")) if records_dir.is_dir() else []
        store = cls(
            root=root,
            manifest=manifest,
            agents=Table(root / "agents.jsonl", _updated_key, _agent_attrs),
            customers=Table(root / "customers.jsonl", _updated_key, _customer_attrs),
            tickets=Table(root / "tickets.jsonl", _updated_key, _ticket_attrs),
            messages=Table(root / "messages.jsonl", _updated_key, message_attrs),
            status_changes=Table(root / "status_changes.jsonl", _status_change_key, change_attrs),
            attachments=Table(root / "attachments.jsonl", _updated_key_or_id, _attachment_attrs),
            deleted_records=Table(root / "deleted_records.jsonl", _tombstone_key, lambda r: r.get("object")),
            records={path.stem: Table(path, _record_key, _record_attrs) for path in record_paths},
            catalogs={name: _read_jsonl(root / f"{name}.jsonl") for name in CATALOG_FILES},
        )
        store.rebuild_children()
        return store

    def rebuild_children(self) -> None:
        """Per-ticket and per-message row lists for thread views and embedded attachments."""
        self.messages_by_ticket = _group(attrs.ticket_id for attrs in self.messages.attrs)
        self.changes_by_ticket = _group(attrs[0] for attrs in self.status_changes.attrs)
        self.attachments_by_message = _group(self.attachments.attrs)

    def empty_records(self, object_key: str) -> Table:
        """Records table of a defined custom object whose records file is missing (= no rows)."""
        table = Table(self.root / "custom_object_records" / f"{object_key}.jsonl", _record_key, _record_attrs)
        self.records[object_key] = table
        return table

    @property
    def account(self) -> dict[str, Any]:
        return self.manifest.get("account") or {}


def _updated_key_or_id(record: dict[str, Any]) -> SortKey:
    return (0, _int_id(record))


def _attachment_attrs(record: dict[str, Any]) -> Any:
    return record.get("message_id")


def _group(values: Any) -> dict[Any, list[int]]:
    groups: dict[Any, list[int]] = defaultdict(list)
    for index, value in enumerate(values):
        groups[value].append(index)
    return dict(groups)
