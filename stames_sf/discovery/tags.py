"""Tags: distinct spellings, their collisions, and whether a multi-select picklist can hold them.

Stames stores tags verbatim (§3 #15), so `vip`, `VIP ` and `víp` are three tags that mean one.
Salesforce offers two homes: a multi-select picklist on Case (bounded, `;`-delimited) or
Topics with TopicAssignments (unbounded, one record per ticket-tag pair).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from stames_sf.discovery.warehouse import RawWarehouse, text

# Salesforce multi-select picklist limits: 500 values per field, 100 selected per record,
# 255 characters per value, and `;` is the value separator.
PICKLIST_MAX_VALUES = 500
PICKLIST_MAX_SELECTED = 100
PICKLIST_MAX_VALUE_CHARS = 255
PICKLIST_SEPARATOR = ";"


@dataclass(frozen=True)
class TagCollision:
    """Spellings that normalise to one tag, with how many ticket assignments each has."""

    key: str
    spellings: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class TagSummary:
    assignments: int
    distinct_spellings: int
    distinct_normalised: int
    collisions: tuple[TagCollision, ...]
    max_tags_per_ticket: int
    longest_tag: int
    with_separator: int

    @property
    def colliding_spellings(self) -> int:
        """Spellings that are a variant of another one (a group of 3 spellings counts 2)."""
        return sum(len(collision.spellings) - 1 for collision in self.collisions)

    @property
    def picklist_blockers(self) -> list[str]:
        """Why a multi-select picklist cannot hold these tags; empty when it can."""
        blockers = []
        if self.distinct_normalised > PICKLIST_MAX_VALUES:
            blockers.append(f"{self.distinct_normalised:,} values (limit {PICKLIST_MAX_VALUES})")
        if self.max_tags_per_ticket > PICKLIST_MAX_SELECTED:
            blockers.append(f"{self.max_tags_per_ticket} tags on one ticket (limit {PICKLIST_MAX_SELECTED})")
        if self.longest_tag > PICKLIST_MAX_VALUE_CHARS:
            blockers.append(f"a tag of {self.longest_tag} characters (limit {PICKLIST_MAX_VALUE_CHARS})")
        if self.with_separator:
            blockers.append(f"{self.with_separator} tags contain `;` and need a replacement")
        return blockers

    @property
    def recommendation(self) -> str:
        if not self.assignments:
            return "No tags in use: nothing to migrate."
        if self.picklist_blockers:
            return "Use Topics (Topic + TopicAssignment): " + "; ".join(self.picklist_blockers) + "."
        return (
            f"A multi-select picklist fits: {self.distinct_normalised:,} normalised values, at most "
            f"{self.max_tags_per_ticket} per ticket."
        )


def tag_key(tag: str) -> str:
    """Case, surrounding and repeated whitespace, and accents do not make a different tag."""
    folded = unicodedata.normalize("NFKD", tag)
    without_accents = "".join(char for char in folded if not unicodedata.combining(char))
    return " ".join(without_accents.lower().split())


def tag_usage(warehouse: RawWarehouse) -> list[tuple[str, int]]:
    """Every spelling with its number of ticket assignments (from the tickets, not `/tags`)."""
    if not warehouse.has("tickets__tags", "value"):
        return []
    rows = warehouse.rows(
        f"SELECT {text('value')}, count(*) FROM {warehouse.table('tickets__tags')} "
        "WHERE value IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1"
    )
    return [(str(tag), int(uses)) for tag, uses in rows]


def tag_collisions(usage: list[tuple[str, int]]) -> tuple[TagCollision, ...]:
    groups: dict[str, list[tuple[str, int]]] = {}
    for tag, uses in usage:
        groups.setdefault(tag_key(tag), []).append((tag, uses))
    return tuple(
        TagCollision(key, tuple(sorted(spellings, key=lambda item: (-item[1], item[0]))))
        for key, spellings in sorted(groups.items())
        if len(spellings) > 1
    )


def summarise_tags(warehouse: RawWarehouse) -> TagSummary:
    usage = tag_usage(warehouse)
    per_ticket = 0
    if usage:
        per_ticket = int(
            warehouse.scalar(
                "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM "
                f"{warehouse.table('tickets__tags')} "
                "GROUP BY _dlt_parent_id)"
            )
        )
    return TagSummary(
        assignments=sum(uses for _, uses in usage),
        distinct_spellings=len(usage),
        distinct_normalised=len({tag_key(tag) for tag, _ in usage}),
        collisions=tag_collisions(usage),
        max_tags_per_ticket=per_ticket,
        longest_tag=max((len(tag) for tag, _ in usage), default=0),
        with_separator=sum(1 for tag, _ in usage if PICKLIST_SEPARATOR in tag),
    )
