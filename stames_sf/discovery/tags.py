"""Tags: distinct spellings, their collisions, and whether a multi-select picklist can hold them.

Stames stores tags verbatim (§3 #15), so `vip`, `VIP ` and `víp` are three tags that mean one.
Salesforce offers two homes: a multi-select picklist on Case (bounded, `;`-delimited) or
Topics with TopicAssignments (unbounded, one record per ticket-tag pair).
"""

from __future__ import annotations

from dataclasses import dataclass

from mapping.tags import PICKLIST_SEPARATOR, picklist_blockers, tag_key
from stames_sf.discovery.warehouse import RawWarehouse, text


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
        return picklist_blockers(
            self.distinct_normalised, self.max_tags_per_ticket, self.longest_tag, self.with_separator
        )

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
