"""The field proposer: for every Stames field a Salesforce target or a skip, with its evidence.

Stames' own fields have a known place (`conventions.py`, the choices of the hand-written mapping
of the generated dataset); each is still checked against the org (does the field exist, can it
be written, do the values fit). Custom fields and fields the conventions do not know go to an
existing field of their object when name or label (translated) and type agree and the field is
free; otherwise to a new custom field typed from the data. Nothing is dropped: what cannot be
placed is a skip or a low-confidence entry that says why.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapping.model import EXTERNAL_ID_FIELD, CustomField, Evidence, FieldMapping
from mapping.org import OrgSnapshot
from mapping.propose.conventions import NEW_FIELD_PREFIX, TARGET_OBJECTS, Convention, conventions_for
from mapping.propose.profile import TAG_DISTINCT_LIMIT, FieldProfile, profile_warehouse
from mapping.propose.similarity import English, salesforce_label_words, similarity, to_english
from mapping.propose.types import (
    custom_field_name,
    custom_object_name,
    field_kind,
    lookup_reference,
    new_custom_field,
    picklist_value_warnings,
    type_compatibility,
)

MATCH_SIMILARITY = 0.85
"""Name or label similarity an existing field needs before a custom field goes to it."""
MATCH_TYPE = 0.8
MATCH_CEILING = 0.95
"""A custom field placed on an existing field by name is a guess across languages: never certain."""
MATCH_VALUE_OVERLAP = 0.5
AUDIT_FIELDS = frozenset({"CreatedDate", "LastModifiedDate", "CreatedById", "LastModifiedById"})


def propose_fields(warehouse: Path, org: OrgSnapshot) -> list[FieldMapping]:
    """Every Stames field in `warehouse` (a DuckDB file with `raw_stames`, opened read-only) with
    its target in `org` or a skip, each with a confidence and its evidence. Deterministic."""
    return propose_from_profiles(profile_warehouse(warehouse), org)


def propose_from_profiles(profiles: Iterable[FieldProfile], org: OrgSnapshot) -> list[FieldMapping]:
    """`propose_fields` on profiles already measured."""
    profiles = list(profiles)
    taken = {
        convention.target
        for profile in profiles
        for convention in conventions_for(profile)
        if convention.target is not None
    }
    entries: list[FieldMapping] = []
    for profile in profiles:
        conventions = conventions_for(profile)
        if conventions:
            entries.extend(_conventional(profile, convention, org) for convention in conventions)
            continue
        entry = _proposed(profile, org, taken)
        if entry.target is not None:
            taken.add(entry.target)
        entries.append(entry)
    return entries


def _conventional(profile: FieldProfile, convention: Convention, org: OrgSnapshot) -> FieldMapping:
    warnings = list(convention.warnings)
    confidence = convention.confidence
    if convention.skip is not None:
        evidence = Evidence(
            confidence=confidence,
            reasons=[convention.reason or "a field of the Stames contract (API.md) that is not migrated"],
            warnings=warnings,
            fill_rate=round(profile.fill_rate, 4),
            samples=list(profile.samples),
        )
        return _entry(profile, None, convention.skip, None, None, evidence)
    assert convention.target is not None
    reasons = [
        convention.reason or f"a field of the Stames contract (API.md) whose place is {convention.target}"
    ]
    sobject, name = convention.target.split(".", 1)
    create = convention.create
    if create is not None and create.type in ("Picklist", "MultiselectPicklist"):
        create, picklist_warnings = _picklist_values(profile, create, convention.picklist)
        warnings.extend(picklist_warnings)
    described = org.field(sobject, name) if org.has_object(sobject) else None
    type_score: float | None = None
    overlap: float | None = None
    if create is None and org.has_object(sobject) and name != EXTERNAL_ID_FIELD:
        if described is None:
            warnings.append(f"{convention.target} is not in the org's describe")
            confidence = min(confidence, 0.5)
        else:
            type_score = 1.0 if convention.value_map else _type_score(profile, described)
            confidence, more = _check_existing(profile, described, convention.target, confidence, type_score)
            warnings.extend(more)
            overlap = (
                _value_overlap(profile, org.picklist_values(sobject, name))
                if described["type"] == "picklist"
                else None
            )
            if overlap is not None and convention.value_map:
                reasons.append(
                    f"{overlap:.0%} of the values are the org's picklist values;"
                    f" value map {convention.value_map} translates the rest"
                )
    elif name == EXTERNAL_ID_FIELD:
        reasons.append(f"{EXTERNAL_ID_FIELD} is created on every target object (unique, case-sensitive)")
    evidence = Evidence(
        confidence=round(confidence, 2),
        reasons=reasons,
        warnings=warnings,
        name_similarity=_name_similarity(profile, sobject, name, described),
        type_compatibility=type_score,
        value_overlap=overlap,
        fill_rate=round(profile.fill_rate, 4),
        samples=list(profile.samples),
    )
    return _entry(profile, convention.target, None, create, convention.value_map, evidence)


def _check_existing(
    profile: FieldProfile, described: dict[str, Any], target: str, confidence: float, type_score: float
) -> tuple[float, list[str]]:
    """Confidence and warnings for writing `profile` into an existing field."""
    warnings = []
    name = described["name"]
    if not described.get("createable"):
        if name in AUDIT_FIELDS:
            warnings.append(
                f"{name} is written only with the permission 'Set Audit Fields upon Record Creation'"
            )
        else:
            warnings.append(f"{target} is not createable in this org")
            confidence = min(confidence, 0.5)
    if type_score < MATCH_TYPE:
        warnings.append(f"a {field_kind(profile)} field into a {described['type']} field: the type narrows")
        confidence = min(confidence, 0.7)
    if described["type"] == "email" and profile.invalid_emails:
        warnings.append(
            f"{profile.invalid_emails} values are not addresses an Email field takes:"
            " they fail unless cleaned"
        )
        confidence = min(confidence, 0.8)
    length = described.get("length") or 0
    if (
        length
        and profile.max_length
        and profile.max_length > length
        and described["type"] in ("string", "textarea", "email", "phone")
    ):
        warnings.append(
            f"values up to {profile.max_length} characters; {target} holds {length}: longer ones will be cut"
        )
        confidence = min(confidence, 0.8)
    return confidence, warnings


def _type_score(profile: FieldProfile, described: dict[str, Any]) -> float:
    kind = field_kind(profile)
    if described["type"] == "reference" and kind == "integer":
        return 1.0
    return type_compatibility(kind, described["type"])


def _proposed(profile: FieldProfile, org: OrgSnapshot, taken: set[str | None]) -> FieldMapping:
    """A field the conventions do not know: an existing field that fits, else a new custom field."""
    sobject = _target_object(profile)
    if profile.stored_type == "list":
        evidence = Evidence(
            confidence=0.3,
            warnings=["not migrated unless a target is chosen by hand"],
            fill_rate=round(profile.fill_rate, 4),
            samples=list(profile.samples),
        )
        return _entry(
            profile, None, "a list with no single-field target: check where it belongs", None, None, evidence
        )
    if profile.custom and profile.filled == 0:
        evidence = Evidence(
            confidence=0.8,
            reasons=[f"label '{profile.label}'"] if profile.label else [],
            warnings=["no record holds a value: nothing to migrate"],
            fill_rate=0.0,
        )
        skip = "no record holds a value" + ("" if profile.active else " (inactive in Stames)")
        return _entry(profile, None, skip, None, None, evidence)
    source_words = _source_words(profile)
    notes = list(dict.fromkeys(note for words in source_words for note in words.translations))
    renamed = [] if profile.source.endswith(f".{profile.key}") else [f"Stames key '{profile.key}'"]
    reasons = renamed + (
        [f"label '{profile.label}': {', '.join(notes)}" if profile.label else ", ".join(notes)]
        if notes
        else []
    )
    match = _best_existing(profile, sobject, org, source_words)
    if match is not None:
        target = f"{sobject}.{match.described['name']}"
        if target not in taken:
            return _matched(profile, target, match, org, reasons)
        reasons.append(f"means the same as {target}, which another Stames field fills: a field of its own")
    label = (
        profile.label
        or f"Stames {' '.join(word.capitalize() for word in profile.key.replace('.', '_').split('_'))}"
    )
    prefix = "" if sobject.endswith("__c") else NEW_FIELD_PREFIX  # the tool's own objects need none
    api_name = _unique_name(custom_field_name(profile.key, prefix=prefix), sobject, taken)
    choice = new_custom_field(profile, api_name, label)
    warnings = list(choice.warnings)
    confidence = choice.confidence
    if not profile.custom:
        warnings.append("a field the Stames contract does not list: proposed as a custom field, check it")
        confidence = min(confidence, 0.6)
    if profile.flags:
        warnings.extend(profile.flags)
        confidence = min(confidence, 0.6)
    if not profile.active:
        reasons.append("inactive in Stames; migrated because records hold values")
    if profile.filled == 0:
        warnings.append("no record holds a value")
        confidence = min(confidence, 0.6)
    reasons.append(f"no existing {sobject} field fits: a new {choice.field.type} field")
    value_map = (
        f"custom.{profile.source.rsplit('.', 1)[1]}"
        if profile.custom
        and profile.stored_type == "dropdown"
        and not profile.object.startswith("custom_object.")
        else None
    )
    evidence = Evidence(
        confidence=round(confidence, 2),
        reasons=[*reasons, *choice.reasons],
        warnings=warnings,
        name_similarity=round(match.name_score, 2) if match else None,
        type_compatibility=1.0,
        fill_rate=round(profile.fill_rate, 4),
        samples=list(profile.samples),
    )
    return _entry(profile, f"{sobject}.{api_name}", None, choice.field, value_map, evidence)


@dataclass(frozen=True)
class _Match:
    described: dict[str, Any]
    name_score: float
    type_score: float
    overlap: float | None


def _best_existing(
    profile: FieldProfile, sobject: str, org: OrgSnapshot, source_words: list[English]
) -> _Match | None:
    """The existing field of `sobject` closest in name and type, if it is close enough."""
    best: _Match | None = None
    for described in org.fields(sobject):
        if not described.get("createable") or described["name"] == EXTERNAL_ID_FIELD:
            continue
        references = described.get("referenceTo") or []
        if described["type"] == "reference" and lookup_reference(profile) not in references:
            continue
        field_words = [
            to_english(_bare(described["name"])),
            salesforce_label_words(described.get("label") or "", sobject),
        ]
        name_score = max(similarity(left, right) for left in source_words for right in field_words)
        type_score = _type_score(profile, described)
        if name_score < MATCH_SIMILARITY or type_score < MATCH_TYPE:
            continue
        overlap = None
        if described["type"] in ("picklist", "multipicklist"):
            overlap = _value_overlap(profile, org.picklist_values(sobject, described["name"]))
            if overlap is not None and overlap < MATCH_VALUE_OVERLAP:
                continue
        candidate = _Match(described, name_score, type_score, overlap)
        if best is None or (name_score, type_score) > (best.name_score, best.type_score):
            best = candidate
    return best


def _matched(
    profile: FieldProfile, target: str, match: _Match, org: OrgSnapshot, reasons: list[str]
) -> FieldMapping:
    confidence = MATCH_CEILING * (0.6 * match.name_score + 0.4 * match.type_score)
    confidence, warnings = _check_existing(profile, match.described, target, confidence, match.type_score)
    org_values = {_fold_value(value) for value in org.picklist_values(*target.split(".", 1))}
    missing = [value for value in profile.values or () if org_values and _fold_value(value) not in org_values]
    if missing:
        warnings.append(f"values the org's picklist lacks: {', '.join(missing)}; add them or map them")
        confidence = min(confidence, 0.8)
    reasons = [
        *reasons,
        f"name or label matches {target} ({match.name_score:.0%}), type {match.described['type']} fits",
    ]
    evidence = Evidence(
        confidence=round(confidence, 2),
        reasons=reasons,
        warnings=warnings,
        name_similarity=round(match.name_score, 2),
        type_compatibility=round(match.type_score, 2),
        value_overlap=match.overlap,
        fill_rate=round(profile.fill_rate, 4),
        samples=list(profile.samples),
    )
    return _entry(profile, target, None, None, None, evidence)


def _source_words(profile: FieldProfile) -> list[English]:
    words = [to_english(profile.key.replace(".", " "))]
    if profile.label:
        words.append(to_english(profile.label))
    return words


def _name_similarity(
    profile: FieldProfile, sobject: str, name: str, described: dict[str, Any] | None
) -> float:
    field_words = [to_english(_bare(name))]
    if described is not None:
        field_words.append(salesforce_label_words(described.get("label") or "", sobject))
    return round(max(similarity(left, right) for left in _source_words(profile) for right in field_words), 2)


def _target_object(profile: FieldProfile) -> str:
    if profile.object.startswith("custom_object."):
        return custom_object_name(profile.object.split(".", 1)[1])
    return TARGET_OBJECTS[profile.object]


def _unique_name(api_name: str, sobject: str, taken: set[str | None]) -> str:
    candidate, number = api_name, 2
    while f"{sobject}.{candidate}" in taken:
        candidate = f"{api_name.removesuffix('__c')[:37]}_{number}__c"
        number += 1
    return candidate


def _value_overlap(profile: FieldProfile, org_values: list[str]) -> float | None:
    """Share of the field's distinct values that are org picklist values (case and accents folded)."""
    if not org_values or not profile.values:
        return None
    known = {_fold_value(value) for value in org_values}
    return round(sum(_fold_value(value) in known for value in profile.values) / len(profile.values), 2)


def _fold_value(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip().lower()


def tag_value(tag: str) -> str:
    """A tag as a multi-select picklist value: accents folded, lower case, `,` and `;` (the
    multi-select separator) replaced by a space."""
    folded = _fold_value(tag).replace(",", " ").replace(";", " ")
    return " ".join(folded.split())


def _picklist_values(
    profile: FieldProfile, create: CustomField, contract: tuple[str, ...]
) -> tuple[CustomField, list[str]]:
    """A created picklist's values: the contract's, then any other found in the data (flagged)."""
    found = list(profile.values or ())
    warnings = []
    if profile.stored_type == "tags":
        values = sorted({tag_value(tag) for tag in found if tag_value(tag)})
        changed = sorted({tag for tag in found if any(sign in tag for sign in ",;")})
        if changed:
            warnings.append(f"tags with ',' or ';' have them replaced by a space: {', '.join(changed)}")
        if profile.values is None:
            values = sorted({tag_value(tag) for tag in profile.samples})
            warnings.append(
                f"more than {TAG_DISTINCT_LIMIT} distinct tags: too many for a picklist, only the most"
                " frequent are listed; consider topics (strategies.tags)"
            )
    else:
        extra = [value for value in found if value not in contract]
        values = [*contract, *extra]
        if extra:
            warnings.append(
                f"values outside the contract's list, added as picklist values: {', '.join(extra)}"
            )
    warnings.extend(picklist_value_warnings(values))
    return create.model_copy(update={"picklist_values": values or list(contract) or ["none"]}), warnings


def _entry(
    profile: FieldProfile,
    target: str | None,
    skip: str | None,
    create: CustomField | None,
    value_map: str | None,
    evidence: Evidence,
) -> FieldMapping:
    return FieldMapping(
        source=profile.source,
        source_type=profile.stored_type,
        target=target,
        skip=skip,
        create=create,
        value_map=value_map,
        evidence=evidence,
    )


def _bare(api_name: str) -> str:
    """An API name without the marks of the tool's fields: `Stames_Product_Model__c` → `Product_Model`."""
    return api_name.removesuffix("__c").removeprefix(NEW_FIELD_PREFIX)
