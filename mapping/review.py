"""Review and confirm: the mapping's entries in the order a person should read them, and the
decisions a person takes on them (accept, change, skip).

Pure: it reads a `Mapping` (and, when the org could be reached, an `OrgSnapshot`) and returns rows
or a new, re-validated `Mapping`. The CLI asks the questions; nothing here prints or prompts.

Order of review: conflicts, then unmapped entries, then lossy ones, then the rest; within each
group the lowest confidence first, then file order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

from pydantic import ValidationError

from mapping.document import validation_message
from mapping.model import Evidence, Mapping
from mapping.org import OrgSnapshot

EntryKind = Literal["field", "value", "route", "agent", "custom_object"]
Flag = Literal["conflict", "unmapped", "lossy", "ok"]
FLAG_ORDER: tuple[Flag, ...] = ("conflict", "unmapped", "lossy", "ok")
DEFAULT_ACCEPT_ABOVE = 0.9
"""Entries with a confidence below this need a person's decision at `map confirm`."""
EMPTY_VALUE = "-"
"""What a person types to change a value-map entry to "leave the field empty"."""

ROUTE_FED_FIELDS: dict[str, tuple[str, ...]] = {"EmailMessage": ("Incoming", "Status")}
"""Required target fields that `message_routes` feed rather than a field entry."""

Location = tuple[str | int, ...]


class EntryChangeError(ValueError):
    """A decision that cannot be applied; the message is one line saying why."""


@dataclass(frozen=True)
class ReviewEntry:
    """One reviewable decision of the mapping, with what makes it worth a look."""

    kind: EntryKind | Literal["required"]
    location: Location | None
    """Where the entry sits in the document (`("fields", 3)`); None for a required field no entry feeds."""
    source: str
    target: str | None
    evidence: Evidence
    conflicts: tuple[str, ...] = ()
    unmapped: bool = False
    creates: str | None = None
    """For a field the org must get: its type and label (`Picklist 'Motivo'`)."""

    @property
    def confidence(self) -> float:
        return self.evidence.confidence

    @property
    def flag(self) -> Flag:
        if self.conflicts:
            return "conflict"
        if self.unmapped:
            return "unmapped"
        return "lossy" if self.evidence.lossy else "ok"

    @property
    def decided(self) -> bool:
        return self.evidence.accepted_by is not None

    def needs_decision(self, accept_above: float) -> bool:
        """Whether `map confirm` must ask about it: a conflict, or a confidence below the threshold,
        that nobody has accepted or changed yet. A required field nothing feeds always needs one."""
        if self.kind == "required":
            return True
        return not self.decided and (bool(self.conflicts) or self.confidence < accept_above)

    @property
    def choices(self) -> tuple[str, ...]:
        """The decisions `map confirm` offers for this entry."""
        if self.kind == "required":
            return ()
        if self.kind == "custom_object":
            return ("accept",)
        return ("accept", "change", "skip")


def review_entries(mapping: Mapping, org: OrgSnapshot | None = None) -> list[ReviewEntry]:
    """Every reviewable entry, flagged, in review order. With `org`, value-map targets are checked
    against the org's picklists and required fields against what the mapping feeds."""
    conflicts = _conflicts(mapping, org)
    entries = [
        _with_conflicts(entry, conflicts.get(entry.location, ())) for entry in _document_entries(mapping)
    ]
    entries += _required_not_fed(mapping, org)
    order = {flag: rank for rank, flag in enumerate(FLAG_ORDER)}
    ranked = sorted(enumerate(entries), key=lambda item: (order[item[1].flag], item[1].confidence, item[0]))
    return [entry for _, entry in ranked]


def pending(entries: list[ReviewEntry], accept_above: float) -> list[ReviewEntry]:
    """The entries `map confirm` must ask about, in review order."""
    return [entry for entry in entries if entry.needs_decision(accept_above)]


def accept_entry(mapping: Mapping, entry: ReviewEntry, *, by: str) -> Mapping:
    """The mapping with `entry` marked as accepted by `by`."""
    return _edit(mapping, entry, by, lambda node: None)


def change_entry(mapping: Mapping, entry: ReviewEntry, answer: str, *, by: str) -> Mapping:
    """The mapping with `entry` changed to `answer`: a target `Object.Field` for a field, a
    Salesforce value (`-`: leave empty) for a value, a target object for a route, a User Id for
    an agent. Raises `EntryChangeError` when the result is not a valid mapping."""
    answer = answer.strip()
    if not answer:
        raise EntryChangeError("give the new target")
    if entry.kind == "field":
        return _edit(mapping, entry, by, lambda node: _retarget_field(node, answer))
    if entry.kind == "value":
        return _edit(
            mapping, entry, by, lambda node: node.update(target=None if answer == EMPTY_VALUE else answer)
        )
    if entry.kind == "route":
        return _edit(mapping, entry, by, lambda node: node.update(target=answer))
    if entry.kind == "agent":
        return _edit(
            mapping, entry, by, lambda node: node.update(user_id=answer, username=None, state="matched")
        )
    raise EntryChangeError(f"a {entry.kind.replace('_', ' ')} is changed in the mapping file itself")


def skip_entry(mapping: Mapping, entry: ReviewEntry, reason: str, *, by: str) -> Mapping:
    """The mapping with `entry` not migrated, for `reason`: a field skipped, a value left empty, a
    route skipped, an agent's records given to the fallback owner."""
    reason = reason.strip()
    if not reason:
        raise EntryChangeError("give a reason for skipping it")
    if entry.kind == "field":
        change = {"target": None, "create": None, "value_map": None, "skip": reason}
    elif entry.kind == "value":
        change = {"target": None, "new_value": False}
    elif entry.kind == "route":
        change = {"target": "skip", "skip_reason": reason, "incoming": None, "status": None}
    elif entry.kind == "agent":
        change = {"user_id": None, "username": None, "state": "no_user"}
    else:
        raise EntryChangeError(
            f"a {entry.kind.replace('_', ' ')} cannot be skipped here; edit the mapping file"
        )

    def apply(node: dict[str, Any]) -> None:
        node.update(change)
        node["evidence"]["reasons"] = [*node["evidence"]["reasons"], f"skipped: {reason}"]

    return _edit(mapping, entry, by, apply)


def _edit(
    mapping: Mapping, entry: ReviewEntry, by: str, apply: Callable[[dict[str, Any]], object]
) -> Mapping:
    """Apply `apply` to the entry's node in the document, mark it decided by `by`, re-validate."""
    if entry.location is None:
        raise EntryChangeError(
            f"nothing in the mapping feeds {entry.target}: map a source onto it in the file"
        )
    content = mapping.model_dump(mode="json")
    node: Any = content
    for part in entry.location:
        node = node[part]
    apply(node)
    node["evidence"]["accepted_by"] = by
    try:
        return Mapping.model_validate(content)
    except ValidationError as error:
        raise EntryChangeError(validation_message(error)) from None


def _retarget_field(node: dict[str, Any], target: str) -> None:
    node.update(target=target, skip=None)
    create = node.get("create")
    if create is not None:
        field_name = target.split(".", 1)[-1]
        # A custom field the org must get follows the new name; a standard target needs no field.
        if field_name.endswith("__c"):
            create["api_name"] = field_name
        else:
            node["create"] = None


def _document_entries(mapping: Mapping) -> list[ReviewEntry]:
    entries = [
        ReviewEntry(
            "field",
            ("fields", index),
            item.source,
            item.target or f"(skip: {item.skip})",
            item.evidence,
            unmapped=item.skip is not None,
            creates=f"{item.create.type} '{item.create.label}'" if item.create else None,
        )
        for index, item in enumerate(mapping.fields)
    ]
    for map_index, value_map in enumerate(mapping.value_maps):
        for index, value in enumerate(value_map.entries):
            location: Location = ("value_maps", map_index, "entries", index)
            source = f"{value_map.name}: {_shown(value.source)}"
            target = f"{value_map.target} = {_shown(value.target)}"
            entries.append(
                ReviewEntry("value", location, source, target, value.evidence, unmapped=value.target is None)
            )
    for index, route in enumerate(mapping.message_routes):
        source = f"message {route.author_type}/{route.direction}"
        target = route.target if route.target != "skip" else f"(skip: {route.skip_reason})"
        entries.append(
            ReviewEntry(
                "route",
                ("message_routes", index),
                source,
                target,
                route.evidence,
                unmapped=route.target == "skip",
            )
        )
    for index, agent in enumerate(mapping.owners.agents):
        source = f"agent {agent.agent_id} {agent.email or agent.name}"
        target = f"User {agent.user_id}" if agent.user_id else f"fallback owner ({agent.state})"
        unmapped = agent.state != "matched"
        entries.append(
            ReviewEntry(
                "agent", ("owners", "agents", index), source, target, agent.evidence, unmapped=unmapped
            )
        )
    for index, custom in enumerate(mapping.custom_objects):
        source = f"custom object {custom.source_key}"
        entries.append(
            ReviewEntry("custom_object", ("custom_objects", index), source, custom.api_name, custom.evidence)
        )
    return entries


def _with_conflicts(entry: ReviewEntry, conflicts: tuple[str, ...]) -> ReviewEntry:
    if not conflicts:
        return entry
    return replace(entry, conflicts=conflicts)


def _conflicts(mapping: Mapping, org: OrgSnapshot | None) -> dict[Location | None, tuple[str, ...]]:
    found: dict[Location | None, list[str]] = defaultdict(list)
    sources_by_target: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for index, item in enumerate(mapping.fields):
        if item.target is not None:
            sources_by_target[item.target].append((index, item.source))
    for target, feeders in sources_by_target.items():
        if len({source for _, source in feeders}) > 1:
            for index, source in feeders:
                others = ", ".join(other for _, other in feeders if other != source)
                found[("fields", index)].append(f"{target} is also fed by {others}")
    for map_index, value_map in enumerate(mapping.value_maps):
        allowed = _allowed_values(mapping, org, value_map.target)
        if allowed is None:
            continue
        for index, value in enumerate(value_map.entries):
            if value.target is not None and not value.new_value and value.target not in allowed:
                found[("value_maps", map_index, "entries", index)].append(
                    f"{value_map.target} has no value {value.target!r} and new_value is not set"
                )
    return {location: tuple(messages) for location, messages in found.items()}


def _allowed_values(mapping: Mapping, org: OrgSnapshot | None, target: str) -> set[str] | None:
    """The values a target picklist will hold: those the mapping creates it with, else the org's;
    None when neither is known (the schema check reports a missing field)."""
    for item in mapping.fields:
        if item.target == target and item.create is not None and item.create.picklist_values:
            return set(item.create.picklist_values)
    if org is None:
        return None
    sobject, field_name = target.split(".", 1)
    described = org.field(sobject, field_name)
    if described is None or described.get("type") not in ("picklist", "multipicklist"):
        return None
    return set(org.picklist_values(sobject, field_name))


def _required_not_fed(mapping: Mapping, org: OrgSnapshot | None) -> list[ReviewEntry]:
    """Required fields (createable, not nillable, not defaulted) of each target object the mapping
    writes fields to, that no entry feeds: the load would fail on every record."""
    if org is None:
        return []
    fed: dict[str, set[str]] = defaultdict(set)
    for item in mapping.fields:
        if item.target_object and item.target_field:
            fed[item.target_object].add(item.target_field.lower())
    if any(route.target == "EmailMessage" for route in mapping.message_routes):
        fed["EmailMessage"].update(name.lower() for name in ROUTE_FED_FIELDS["EmailMessage"])
    missing: list[ReviewEntry] = []
    for sobject in fed:
        for described in org.fields(sobject):
            required = (
                described.get("createable")
                and not described.get("nillable", True)
                and not described.get("defaultedOnCreate")
                and described.get("type") != "boolean"
            )
            if required and described["name"].lower() not in fed[sobject]:
                target = f"{sobject}.{described['name']}"
                message = f"{target} is required and no entry feeds it"
                evidence = Evidence(confidence=0.0, warnings=[message])
                missing.append(
                    ReviewEntry("required", None, "(nothing)", target, evidence, (message,), unmapped=True)
                )
    return missing


def _shown(value: str | None) -> str:
    return "(empty)" if value is None else value
