"""Value maps: statuses, priorities, channels, tags and custom-field options, each entry with evidence.

Matching is by meaning, not spelling: a Stames status or priority is read through its key and its
label (Spanish or German labels included) into a concept ("open", "closed"), and the org's
picklist value with the same concept is its target. Where the org has no value with that meaning,
the entry adds one (`new_value`) instead of folding it into a neighbour, and says so. Every entry
says why; lossy or unsure ones carry warnings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping as MappingType
from dataclasses import dataclass
from pathlib import Path

from mapping.model import CHANNEL_SOURCE_FIELD, Evidence, ValueMap, ValueMapEntry
from mapping.org import OrgSnapshot
from mapping.propose.raw import RawTables, open_raw
from mapping.tags import PICKLIST_MAX_VALUE_CHARS, PICKLIST_SEPARATOR, separators_in, tag_key, tag_value

STATUS_TARGET = "Case.Status"
PRIORITY_TARGET = "Case.Priority"
ORIGIN_TARGET = "Case.Origin"
TOPIC_TARGET = "Topic.Name"
TAG_MAP = "tags"

EXCLUDED_STATUSES = ("spam", "deleted")
"""Tickets in these statuses are not migrated (exclusion rules `spam` and `deleted`), so their
statuses get no Case Status value."""
CLOSED_CATEGORIES = frozenset({"solved", "closed"})
CASE_STATUS_MAX_VALUES = 100
CASE_PRIORITY_MAX_VALUES = 50
"""Picklist limits of Case Status and Priority (CONTRACT §4.2)."""

# Words for each status meaning, folded (lower case, no accents), in English, Spanish, German,
# French, Portuguese and Italian: the labels customers give their statuses.
STATUS_CONCEPTS: dict[str, frozenset[str]] = {
    "new": frozenset({"new", "nuevo", "nueva", "neu", "nouveau", "novo", "nuovo"}),
    "open": frozenset(
        {
            "open",
            "opened",
            "abierto",
            "abierta",
            "offen",
            "ouvert",
            "aberto",
            "aperto",
            "working",
            "in progress",
            "en curso",
            "en proceso",
            "in bearbeitung",
            "en cours",
            "in lavorazione",
        }
    ),
    "pending": frozenset({"pending", "pendiente", "ausstehend", "en attente", "pendente", "in attesa"}),
    "on_hold": frozenset({"on hold", "en espera", "angehalten", "zuruckgestellt", "en pause", "sospeso"}),
    "escalated": frozenset({"escalated", "escalado", "escalada", "eskaliert", "escalade", "escalato"}),
    "reopened": frozenset({"reopened", "reabierto", "reabierta", "wiedereroffnet", "rouvert", "riaperto"}),
    "solved": frozenset(
        {"solved", "resolved", "resuelto", "resuelta", "gelost", "erledigt", "resolu", "resolvido", "risolto"}
    ),
    "closed": frozenset({"closed", "cerrado", "cerrada", "geschlossen", "ferme", "fechado", "chiuso"}),
}
CLOSED_CONCEPTS = frozenset({"solved", "closed"})
FALLBACK_STATUS_CONCEPT = "open"
"""The map's default (a status first seen at the cutover delta) is the org's open-like value."""

PRIORITY_CONCEPTS: dict[str, frozenset[str]] = {
    "low": frozenset({"low", "baja", "bajo", "niedrig", "basse", "bassa", "baixa"}),
    "medium": frozenset({"medium", "normal", "media", "medio", "mittel", "normale", "moyenne"}),
    "high": frozenset({"high", "alta", "alto", "hoch", "haute", "elevee"}),
    "urgent": frozenset({"urgent", "urgente", "dringend", "critical", "critico", "kritisch", "critique"}),
}
STAMES_PRIORITIES = ("low", "normal", "high", "urgent")

CHANNEL_TYPES = ("email", "facebook", "instagram", "whatsapp", "sms", "api", "web_form")
"""Stames channel types in the API's order (§2.6)."""
NATIVE_ORIGINS: dict[str, tuple[str, float, str]] = {
    "email": ("Email", 1.0, "the same channel"),
    "web_form": ("Web", 0.9, "a web form is the org's Web origin"),
    "phone": ("Phone", 1.0, "the same channel"),
    "voice": ("Phone", 0.9, "a voice call is the org's Phone origin"),
}
"""Channels with a native Case Origin value: (value, confidence, why)."""

SMALL_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to"})
ORDINALS = {"1st": "First", "2nd": "Second", "3rd": "Third", "4th": "Fourth", "5th": "Fifth"}


def count_of(number: int, noun: str) -> str:
    """`1 ticket`, `12 tickets`: how evidence counts records."""
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


def fold(text: str) -> str:
    """Lower case, no accents, `_` and repeated whitespace as one space: how a label is compared."""
    return tag_key(text.replace("_", " "))


def concept_of(text: str, concepts: MappingType[str, frozenset[str]]) -> tuple[str, bool] | None:
    """The meaning of `text`: (concept, whole) where `whole` says the whole text is the word, not a part."""
    folded = fold(text)
    for concept, words in concepts.items():
        if folded in words:
            return concept, True
    partial = [
        concept
        for concept, words in concepts.items()
        if any(re.search(rf"(^|\s){re.escape(word)}($|\s|\d)", folded) for word in words)
    ]
    return (partial[0], False) if len(partial) == 1 else None


def display_value(key: str) -> str:
    """A picklist value named after a Stames key: `waiting_on_3rd_party` → `Waiting on Third Party`."""
    words = [ORDINALS.get(word, word) for word in key.replace("_", " ").split()]
    return " ".join(
        word if index and word.lower() in SMALL_WORDS else word[:1].upper() + word[1:]
        for index, word in enumerate(words)
    )


def _org_value(values: list[str], text: str) -> str | None:
    """The org's value spelled like `text` (compared folded), if any."""
    folded = fold(text)
    return next((value for value in values if fold(value) == folded), None)


def _org_value_for(values: list[str], concept: str, concepts: MappingType[str, frozenset[str]]) -> str | None:
    return next(
        (value for value in values if (concept_of(value, concepts) or ("", False)) == (concept, True)), None
    )


def _with_warning(entry: ValueMapEntry, warning: str) -> ValueMapEntry:
    evidence = entry.evidence.model_copy(update={"warnings": [*entry.evidence.warnings, warning]})
    return entry.model_copy(update={"evidence": evidence})


def _warn_shared_targets(entries: list[ValueMapEntry]) -> list[ValueMapEntry]:
    """Two sources on one target lose their distinction in Salesforce: each entry says with which."""
    by_target: dict[str, list[str]] = {}
    for entry in entries:
        if entry.target is not None and entry.source is not None:
            by_target.setdefault(entry.target, []).append(entry.source)
    shared = []
    for entry in entries:
        others = [source for source in by_target.get(entry.target or "", []) if source != entry.source]
        if others and entry.target is not None:
            listed = ", ".join(repr(other) for other in others)
            entry = _with_warning(entry, f"shares '{entry.target}' with {listed}: the distinction is lost")
        shared.append(entry)
    return shared


def _warn_over_limit(
    entries: list[ValueMapEntry], org_values: list[str], limit: int, field: str
) -> list[ValueMapEntry]:
    """New values that would take a picklist past its limit say so (the org refuses the deploy)."""
    total = len(set(org_values) | {entry.target for entry in entries if entry.new_value and entry.target})
    if total <= limit:
        return entries
    warning = f"{field} would hold {total} values (limit {limit}): merge some before deploying"
    return [_with_warning(entry, warning) if entry.new_value else entry for entry in entries]


# --- statuses -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StamesStatus:
    key: str
    label: str | None
    category: str | None
    active: bool
    defined: bool
    tickets: int


def stames_statuses(raw: RawTables) -> list[StamesStatus]:
    """Defined statuses in position order, then statuses found in tickets or history but not defined."""
    tickets: dict[str, int] = {}
    categories: dict[str, str] = {}
    if raw.has("tickets", "status"):
        category = "status_category" if raw.has("tickets", "status_category") else "NULL"
        for key, found_category, count in raw.rows(
            f"SELECT status, min({category}), count(*) FROM {raw.table('tickets')} "
            "WHERE status IS NOT NULL GROUP BY 1"
        ):
            tickets[key] = int(count)
            if found_category:
                categories[key] = found_category
    history: set[str] = set()
    for column, category_column in (("to_status", "to_category"), ("from_status", "from_category")):
        if raw.has("status_changes", column):
            category = category_column if raw.has("status_changes", category_column) else "NULL"
            for key, found_category in raw.rows(
                f"SELECT {column}, min({category}) FROM {raw.table('status_changes')} "
                f"WHERE {column} IS NOT NULL GROUP BY 1"
            ):
                history.add(key)
                if found_category:
                    categories.setdefault(key, found_category)
    statuses = []
    if raw.has("ticket_statuses", "key"):
        label = "label" if raw.has("ticket_statuses", "label") else "NULL"
        category = "category" if raw.has("ticket_statuses", "category") else "NULL"
        active = "active" if raw.has("ticket_statuses", "active") else "TRUE"
        order = "position, key" if raw.has("ticket_statuses", "position") else "key"
        for key, status_label, status_category, is_active in raw.rows(
            f"SELECT key, {label}, {category}, {active} FROM {raw.table('ticket_statuses')} ORDER BY {order}"
        ):
            statuses.append(
                StamesStatus(
                    key, status_label, status_category, is_active is not False, True, tickets.get(key, 0)
                )
            )
    defined = {status.key for status in statuses}
    for key in sorted((set(tickets) | history) - defined):
        statuses.append(StamesStatus(key, None, categories.get(key), True, False, tickets.get(key, 0)))
    return statuses


def _status_entry(status: StamesStatus, org_values: list[str]) -> ValueMapEntry:
    reasons = (
        [count_of(status.tickets, "ticket")]
        if status.tickets
        else ["no ticket has it now; found in the history"]
    )
    warnings: list[str] = []
    if not status.active:
        reasons.append("inactive in Stames; still on old tickets and in the history")
    if not status.defined:
        warnings.append("not defined in /ticket_statuses: found only on tickets or in the status history")
    meanings = [(status.key, "key")] + ([(status.label, "label")] if status.label else [])
    found = next(
        (
            (*match, text, kind)
            for text, kind in meanings
            if (match := concept_of(text, STATUS_CONCEPTS)) is not None
        ),
        None,
    )
    if status.category:
        closed = status.category in CLOSED_CATEGORIES
        reasons.append(f"category {status.category}: {'closed' if closed else 'not closed'}")
    else:
        closed = bool(found and found[0] in CLOSED_CONCEPTS)
        warnings.append(f"no status category: taken as {'closed' if closed else 'not closed'} from its name")

    def consistent(concept: str | None) -> bool:
        return concept is None or (concept in CLOSED_CONCEPTS) == closed

    confidence = 0.9
    target: str | None = None
    # The key as a new value would be named is compared too, so a value added by an earlier run
    # ("Waiting on Third Party") is found again instead of proposed twice.
    spellings = [*meanings, (display_value(status.key), "key")]
    for text, kind in spellings:
        same = _org_value(org_values, text)
        org_concept = concept_of(same, STATUS_CONCEPTS) if same else None
        if same and consistent(org_concept[0] if org_concept else None):
            target, confidence = same, 1.0 if kind == "key" else 0.95
            reasons.append(f"the org has the value '{same}' ({kind} '{text}')")
            break
    if target is None and found is not None:
        concept, whole, text, kind = found
        candidate = _org_value_for(org_values, concept, STATUS_CONCEPTS)
        if candidate and consistent(concept):
            target, confidence = candidate, 0.9 if whole else 0.8
            word = "is" if whole else "contains"
            reasons.append(
                f"{kind} '{text}' {word} a word for {concept}; the org's '{candidate}' means {concept}"
            )
    new_value = False
    if target is None:
        target, new_value = display_value(status.key), True
        meaning = f"'{found[0]}'" if found else f"'{status.label or status.key}'"
        reasons.append(f"no org value means {meaning}: '{target}' is added to Case Status")
    if not status.defined:
        confidence = min(confidence, 0.6)
    evidence = Evidence(confidence=confidence, reasons=reasons, warnings=warnings)
    return ValueMapEntry(
        source=status.key, target=target, closed=closed, new_value=new_value, evidence=evidence
    )


def status_value_map(warehouse: Path, org: OrgSnapshot) -> ValueMap:
    """Stames status keys → Case Status values; spam and deleted are left to the exclusion rules."""
    with open_raw(warehouse) as raw:
        statuses = [status for status in stames_statuses(raw) if status.key not in EXCLUDED_STATUSES]
    org_values = org.picklist_values("Case", "Status")
    entries = _warn_shared_targets([_status_entry(status, org_values) for status in statuses])
    entries = _warn_over_limit(entries, org_values, CASE_STATUS_MAX_VALUES, "Case Status")
    default = _org_value_for(org_values, FALLBACK_STATUS_CONCEPT, STATUS_CONCEPTS)
    return ValueMap(name="ticket_status", target=STATUS_TARGET, entries=entries, default=default)


# --- priorities ---------------------------------------------------------------------------------


def _priority_entry(value: str | None, tickets: int, org_values: list[str]) -> ValueMapEntry:
    reasons = [count_of(tickets, "ticket")]
    if value is None:
        reasons.insert(0, "no priority stays empty; Salesforce applies its default")
        return ValueMapEntry(source=None, target=None, evidence=Evidence(confidence=0.9, reasons=reasons))
    warnings = [] if value in STAMES_PRIORITIES else ["not a documented Stames priority"]
    same = _org_value(org_values, value)
    if same:
        reasons.append(f"the org has the value '{same}'")
        return ValueMapEntry(source=value, target=same, evidence=Evidence(confidence=1.0, reasons=reasons))
    found = concept_of(value, PRIORITY_CONCEPTS)
    candidate = _org_value_for(org_values, found[0], PRIORITY_CONCEPTS) if found else None
    if found and candidate:
        reasons.append(f"'{value}' means {found[0]}; the org calls it '{candidate}'")
        evidence = Evidence(confidence=0.9 if found[1] else 0.8, reasons=reasons, warnings=warnings)
        return ValueMapEntry(source=value, target=candidate, evidence=evidence)
    target = display_value(value)
    reasons.append(
        f"no org value means '{value}': '{target}' is added to Case Priority rather than folded into a "
        "neighbour, which would merge two priorities"
    )
    confidence = 0.9 if not warnings else 0.6
    evidence = Evidence(confidence=confidence, reasons=reasons, warnings=warnings)
    return ValueMapEntry(source=value, target=target, new_value=True, evidence=evidence)


def priority_value_map(warehouse: Path, org: OrgSnapshot) -> ValueMap:
    """Stames priorities found on tickets → Case Priority values (a missing priority stays empty)."""
    with open_raw(warehouse) as raw:
        counts = (
            raw.rows(f"SELECT priority, count(*) FROM {raw.table('tickets')} GROUP BY 1")
            if raw.has("tickets", "priority")
            else []
        )
    order = {value: index for index, value in enumerate(STAMES_PRIORITIES)}
    counts.sort(key=lambda row: (row[0] is None, order.get(row[0], len(order)), row[0] or ""))
    org_values = org.picklist_values("Case", "Priority")
    entries = _warn_shared_targets(
        [_priority_entry(value, int(tickets), org_values) for value, tickets in counts]
    )
    entries = _warn_over_limit(entries, org_values, CASE_PRIORITY_MAX_VALUES, "Case Priority")
    return ValueMap(name="ticket_priority", target=PRIORITY_TARGET, entries=entries)


# --- channels -----------------------------------------------------------------------------------


def channel_types(raw: RawTables) -> list[str]:
    """Channel types of the inboxes and of the tickets, in the API's order, unknown ones last."""
    found = {value for value in raw.distinct("channels", "type") if value} | {
        value for value in raw.distinct("tickets", "channel__type") if value
    }
    return [kind for kind in CHANNEL_TYPES if kind in found] + sorted(found - set(CHANNEL_TYPES))


def channel_origin_map(warehouse: Path, org: OrgSnapshot) -> ValueMap:
    """Channel types → Case Origin where a native value fits; the rest stay empty (the channel
    source field keeps every channel)."""
    with open_raw(warehouse) as raw:
        kinds = channel_types(raw)
    org_values = org.picklist_values("Case", "Origin")
    entries = []
    for kind in kinds:
        native = NATIVE_ORIGINS.get(kind)
        target = _org_value(org_values, native[0]) if native else None
        if native and target:
            evidence = Evidence(confidence=native[1], reasons=[native[2]])
        elif native:
            reason = f"the org's Origin has no '{native[0]}' value; kept in {CHANNEL_SOURCE_FIELD}"
            evidence = Evidence(confidence=0.7, reasons=[reason])
        else:
            evidence = Evidence(confidence=0.8, reasons=[f"no native Origin; kept in {CHANNEL_SOURCE_FIELD}"])
        entries.append(ValueMapEntry(source=kind, target=target, evidence=evidence))
    return ValueMap(name="channel_origin", target=ORIGIN_TARGET, entries=entries)


# --- tags ---------------------------------------------------------------------------------------


def tag_spellings(raw: RawTables) -> list[tuple[str, int]]:
    """Every tag spelling with its number of ticket assignments, sorted by spelling."""
    if not raw.has("tickets__tags", "value"):
        return []
    rows = raw.rows(
        f"SELECT value, count(*) FROM {raw.table('tickets__tags')} "
        "WHERE value IS NOT NULL GROUP BY 1 ORDER BY 1"
    )
    return [(str(tag), int(uses)) for tag, uses in rows]


def tag_value_map(warehouse: Path, org: OrgSnapshot, *, target: str) -> ValueMap:
    """Every tag spelling → its normalised value (`mapping.tags.tag_value`) on `target`."""
    del org  # tag values are new wherever they go: the picklist or Topics are created from this map
    with open_raw(warehouse) as raw:
        spellings = tag_spellings(raw)
    by_value: dict[str, list[str]] = {}
    for tag, _ in spellings:
        by_value.setdefault(tag_value(tag), []).append(tag)
    entries = []
    for tag, uses in spellings:
        value = tag_value(tag)
        reasons = [count_of(uses, "ticket")]
        others = [other for other in by_value[value] if other != tag]
        if others:
            reasons.append(
                f"one tag with {', '.join(repr(other) for other in others)} (case, spaces, accents)"
            )
        warnings = [f"`{separator}` replaced by a space" for separator in separators_in(tag)]
        if not value:
            warnings.append("nothing is left after normalisation: the tag is dropped")
        evidence = Evidence(confidence=0.8 if warnings else 1.0, reasons=reasons, warnings=warnings)
        entries.append(ValueMapEntry(source=tag, target=value or None, evidence=evidence))
    return ValueMap(name=TAG_MAP, target=target, entries=entries)


# --- custom-field options -----------------------------------------------------------------------

OPTION_TYPES = ("dropdown", "multi_select")
CUSTOM_FIELD_OBJECTS = {"ticket": "tickets", "customer": "customers"}


def _options(raw: RawTables) -> dict[tuple[str, str], tuple[str, list[tuple[str, bool]]]]:
    """(object_type, key) → (field type, [(option value, active)] in the field's option order)."""
    if not raw.has("custom_fields", "object_type", "key", "type", "_dlt_id"):
        return {}
    found: dict[tuple[str, str], tuple[str, list[tuple[str, bool]]]] = {}
    types = ", ".join(f"'{kind}'" for kind in OPTION_TYPES)
    for object_type, key, kind in raw.rows(
        f"SELECT object_type, key, type FROM {raw.table('custom_fields')} "
        f"WHERE type IN ({types}) ORDER BY 1, 2"
    ):
        found[(object_type, key)] = (kind, [])
    if raw.has("custom_fields__options", "value", "_dlt_parent_id"):
        active = "o.active" if raw.has("custom_fields__options", "active") else "TRUE"
        order = "o._dlt_list_idx" if raw.has("custom_fields__options", "_dlt_list_idx") else "o.value"
        for object_type, key, value, is_active in raw.rows(
            f"SELECT f.object_type, f.key, o.value, {active} FROM {raw.table('custom_fields')} f "
            f"JOIN {raw.table('custom_fields__options')} o ON o._dlt_parent_id = f._dlt_id "
            f"WHERE f.type IN ({types}) ORDER BY f.object_type, f.key, {order}"
        ):
            found[(object_type, key)][1].append((str(value), is_active is not False))
    return found


def _option_entry(value: str, uses: int, *, listed: bool, active: bool, multi_select: bool) -> ValueMapEntry:
    """One option value, kept as it is unless the picklist cannot hold it so."""
    reasons = [count_of(uses, "record")]
    warnings = []
    target = value
    if not active:
        reasons.append("an inactive option; kept for the records that carry it")
    if not listed:
        warnings.append("a value outside the field's options; kept as its own picklist value")
    if multi_select and PICKLIST_SEPARATOR in target:
        target = " ".join(target.replace(PICKLIST_SEPARATOR, " ").split())
        warnings.append(f"`{PICKLIST_SEPARATOR}` (the multi-select separator) replaced by a space")
    if len(target) > PICKLIST_MAX_VALUE_CHARS:
        target = target[:PICKLIST_MAX_VALUE_CHARS]
        warnings.append(f"cut to {PICKLIST_MAX_VALUE_CHARS} characters, the picklist value limit")
    evidence = Evidence(confidence=0.8 if warnings else 1.0, reasons=reasons, warnings=warnings)
    return ValueMapEntry(source=value, target=target, evidence=evidence)


def _used_values(raw: RawTables, object_type: str, key: str) -> dict[str, int]:
    """Values stored for one custom field and how many records carry each (list items count singly)."""
    table = f"{CUSTOM_FIELD_OBJECTS[object_type]}__custom_fields"
    if not raw.has(table, "key", "value"):
        return {}
    counts: dict[str, int] = {}
    for value, uses in raw.rows(
        f"SELECT value, count(*) FROM {raw.table(table)} WHERE key = ? AND value IS NOT NULL GROUP BY 1",
        [key],
    ):
        counts[str(value)] = int(uses)
    if raw.has(f"{table}__value", "value", "_dlt_parent_id") and raw.has(table, "_dlt_id"):
        for value, uses in raw.rows(
            f"SELECT v.value, count(*) FROM {raw.table(table + '__value')} v "
            f"JOIN {raw.table(table)} c ON v._dlt_parent_id = c._dlt_id "
            "WHERE c.key = ? AND v.value IS NOT NULL GROUP BY 1",
            [key],
        ):
            counts[str(value)] = counts.get(str(value), 0) + int(uses)
    return counts


def option_value_maps(warehouse: Path, org: OrgSnapshot, *, targets: MappingType[str, str]) -> list[ValueMap]:
    """Identity maps for dropdown and multi-select custom fields of tickets and customers.

    `targets` gives each field's target by its source (`ticket.custom.contact_reason` →
    `Case.Stames_Contact_Reason__c`), as the field mapping decided; a field without one gets no map.
    Values stored outside the field's options keep their spelling as a picklist value of their own
    and are flagged.
    """
    del org  # option values become the new field's picklist values
    maps = []
    with open_raw(warehouse) as raw:
        for (object_type, key), (kind, options) in _options(raw).items():
            target = targets.get(f"{object_type}.custom.{key}")
            if object_type not in CUSTOM_FIELD_OBJECTS or target is None:
                continue
            used = _used_values(raw, object_type, key)
            multi = kind == "multi_select"
            entries = [
                _option_entry(value, used.get(value, 0), listed=True, active=active, multi_select=multi)
                for value, active in options
            ]
            listed = {value for value, _ in options}
            entries += [
                _option_entry(value, used[value], listed=False, active=True, multi_select=multi)
                for value in sorted(set(used) - listed)
            ]
            maps.append(ValueMap(name=f"custom.{key}", target=target, entries=entries))
    return maps
