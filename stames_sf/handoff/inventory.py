"""The manual-work inventory as data: what to rebuild in Salesforce and what the load could not
carry, each item with the numbers behind it. `manual-work.md` and `.html` render exactly this."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class InventoryTable:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class InventoryItem:
    topic: str
    salesforce: str
    """What to do in Salesforce."""
    evidence: tuple[str, ...]
    tables: tuple[InventoryTable, ...] = ()


@dataclass(frozen=True)
class InventorySection:
    title: str
    intro: str
    items: tuple[InventoryItem, ...]


@dataclass(frozen=True)
class ManualWork:
    run_id: str
    generated_at: datetime
    sections: tuple[InventorySection, ...]


def number(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"
