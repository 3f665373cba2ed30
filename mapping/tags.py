"""Tags: when two spellings are one tag, the value a tag becomes, and what a multi-select picklist holds.

Stames stores tags verbatim, so `vip`, `VIP ` and `víp` are three tags that mean one. Discovery
counts the collisions with these rules and the proposer builds the tag value map with them: one
definition, so the scope report and the mapping cannot disagree about a tag.
"""

from __future__ import annotations

import unicodedata

# Salesforce multi-select picklist limits: 500 values per field, 100 selected per record,
# 255 characters per value, and `;` is the value separator.
PICKLIST_MAX_VALUES = 500
PICKLIST_MAX_SELECTED = 100
PICKLIST_MAX_VALUE_CHARS = 255
PICKLIST_SEPARATOR = ";"
LIST_SEPARATORS = (PICKLIST_SEPARATOR, ",")
"""Characters a tag value does not keep: `;` splits a multi-select value, and `,` reads as a list
separator in CSV files and in the Topic picker."""


def tag_key(tag: str) -> str:
    """Case, surrounding and repeated whitespace, and accents do not make a different tag."""
    folded = unicodedata.normalize("NFKD", tag)
    without_accents = "".join(char for char in folded if not unicodedata.combining(char))
    return " ".join(without_accents.lower().split())


def tag_value(tag: str) -> str:
    """The value a tag becomes in Salesforce: its key, with list separators replaced by a space."""
    for separator in LIST_SEPARATORS:
        tag = tag.replace(separator, " ")
    return tag_key(tag)


def separators_in(tag: str) -> list[str]:
    """The list separators `tag` contains, in `LIST_SEPARATORS` order."""
    return [separator for separator in LIST_SEPARATORS if separator in tag]


def picklist_blockers(
    distinct_values: int, max_per_ticket: int, longest_tag: int, with_separator: int
) -> list[str]:
    """Why a multi-select picklist cannot hold a tag set; empty when it can.

    `with_separator` counts tags containing `;`: their value would split in two, so a picklist
    would need a replacement the customer never chose.
    """
    blockers = []
    if distinct_values > PICKLIST_MAX_VALUES:
        blockers.append(f"{distinct_values:,} values (limit {PICKLIST_MAX_VALUES})")
    if max_per_ticket > PICKLIST_MAX_SELECTED:
        blockers.append(f"{max_per_ticket} tags on one ticket (limit {PICKLIST_MAX_SELECTED})")
    if longest_tag > PICKLIST_MAX_VALUE_CHARS:
        blockers.append(f"a tag of {longest_tag} characters (limit {PICKLIST_MAX_VALUE_CHARS})")
    if with_separator:
        blockers.append(f"{with_separator} tags contain `{PICKLIST_SEPARATOR}` and need a replacement")
    return blockers
