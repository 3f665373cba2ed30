"""The field proposer: for every Stames field a Salesforce target or a skip, with its evidence.

Stames' own fields have a known place (`CONVENTIONS`, the choices of the hand-written mapping
of the generated dataset); each is still checked against the org (does the field exist, can it
be written, do the values fit). Custom fields and fields the conventions do not know go to an
existing field of their object when name or label (translated) and type agree and the field is
free; otherwise to a new custom field typed from the data. Nothing is dropped: what cannot be
placed is a skip or a low-confidence entry that says why.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mapping.model import CHANNEL_SOURCE_FIELD, EXTERNAL_ID_FIELD, CustomField, Evidence, FieldMapping
from mapping.org import OrgSnapshot
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
STATUS_HISTORY_OBJECT = "Stames_Status_Change__c"
TARGET_OBJECTS = {
    "ticket": "Case",
    "customer": "Contact",
    "message": "EmailMessage",
    "status_change": STATUS_HISTORY_OBJECT,
}
NEW_FIELD_PREFIX = "Stames_"
"""New fields on standard objects carry it; fields of the tool's own custom objects do not."""
CHANNEL_TYPES = ("email", "facebook", "instagram", "whatsapp", "sms", "api", "web_form")
REMINDER_TRIGGERS = (
    "none",
    "at_time",
    "before_sla_breach",
    "after_customer_inactivity",
    "after_status_unchanged",
)
AUDIT_FIELDS = frozenset({"CreatedDate", "LastModifiedDate", "CreatedById", "LastModifiedById"})


@dataclass(frozen=True)
class Convention:
    """Where a Stames field of the contract goes, and why."""

    target: str | None = None
    skip: str | None = None
    confidence: float = 0.9
    reason: str | None = None
    value_map: str | None = None
    create: CustomField | None = None
    picklist: tuple[str, ...] = ()
    """For a created picklist: the contract's values, in order (values found beyond them are added)."""
    warnings: tuple[str, ...] = field(default=())


def _text(api_name: str, label: str, length: int = 255) -> CustomField:
    return CustomField(api_name=api_name, label=label, type="Text", length=length)


def _created(api_name: str, label: str, **definition: Any) -> CustomField:
    return CustomField(api_name=api_name, label=label, **definition)


_PICKLIST_PLACEHOLDER = ("-",)  # replaced by the contract's and the data's values

CONVENTIONS: dict[str, tuple[Convention, ...]] = {
    "ticket.id": (
        Convention(
            "Case." + EXTERNAL_ID_FIELD,
            confidence=1.0,
            reason="the Stames id is the key the loader upserts on",
        ),
    ),
    "ticket.number": (
        Convention(
            "Case.Stames_Number__c",
            create=_text("Stames_Number__c", "Stames Number", 32),
            reason="CaseNumber is an auto-number: the Stames number is kept beside it",
        ),
    ),
    "ticket.subject": (Convention("Case.Subject", confidence=1.0),),
    "ticket.description_text": (Convention("Case.Description", confidence=1.0),),
    "ticket.description_html": (
        Convention(skip="the first message carries the HTML body; Description holds the text"),
    ),
    "ticket.status": (Convention("Case.Status", confidence=1.0, value_map="ticket_status"),),
    "ticket.status_category": (Convention(skip="derived from the status", confidence=1.0),),
    "ticket.priority": (Convention("Case.Priority", confidence=1.0, value_map="ticket_priority"),),
    "ticket.assignee_id": (
        Convention(
            "Case.OwnerId", confidence=1.0, reason="agents become owners through the agent → user match"
        ),
    ),
    "ticket.team_id": (
        Convention(skip="Stames teams have no API; owners come from the assignee", confidence=0.8),
    ),
    "ticket.customer_id": (Convention("Case.ContactId", confidence=1.0),),
    "ticket.requester.name": (Convention("Case.SuppliedName"),),
    "ticket.requester.email": (Convention("Case.SuppliedEmail"),),
    "ticket.requester.id": (Convention(skip="the same as customer_id", confidence=1.0),),
    "ticket.channel.type": (
        Convention(
            "Case.Origin", value_map="channel_origin", reason="Origin holds the channels Salesforce knows"
        ),
        Convention(
            f"Case.{CHANNEL_SOURCE_FIELD}",
            confidence=1.0,
            picklist=CHANNEL_TYPES,
            create=_created(
                CHANNEL_SOURCE_FIELD,
                "Stames Channel Source",
                type="Picklist",
                picklist_values=list(_PICKLIST_PLACEHOLDER),
            ),
            reason="every channel kept as it was, including those Origin lacks",
        ),
    ),
    "ticket.channel.source_ref": (
        Convention(
            "Case.Stames_Channel_Ref__c", create=_text("Stames_Channel_Ref__c", "Stames Channel Reference")
        ),
    ),
    "ticket.channel.inbox_id": (
        Convention(skip="the inbox is named by the channel source and reference", confidence=0.8),
    ),
    "ticket.tags": (
        Convention(
            "Case.Stames_Tags__c",
            value_map="tags",
            create=_created(
                "Stames_Tags__c",
                "Stames Tags",
                type="MultiselectPicklist",
                visible_lines=5,
                picklist_values=list(_PICKLIST_PLACEHOLDER),
            ),
            reason="tags as a multi-select picklist of their normalised names",
        ),
    ),
    "ticket.sla_due_at": (
        Convention(
            "Case.Stames_SLA_Due_At__c",
            create=_created("Stames_SLA_Due_At__c", "Stames SLA Due At", type="DateTime"),
        ),
    ),
    "ticket.sms_notification": (
        Convention(
            "Case.Stames_SMS_Notification__c",
            create=_created("Stames_SMS_Notification__c", "Stames SMS Notification", type="Checkbox"),
        ),
    ),
    "ticket.reminder.trigger": (
        Convention(
            "Case.Stames_Reminder_Trigger__c",
            picklist=REMINDER_TRIGGERS,
            create=_created(
                "Stames_Reminder_Trigger__c",
                "Stames Reminder Trigger",
                type="Picklist",
                picklist_values=list(_PICKLIST_PLACEHOLDER),
            ),
        ),
    ),
    "ticket.reminder.offset_minutes": (
        Convention(
            "Case.Stames_Reminder_Offset_Minutes__c",
            create=_created(
                "Stames_Reminder_Offset_Minutes__c",
                "Stames Reminder Offset Minutes",
                type="Number",
                precision=18,
                scale=0,
            ),
        ),
    ),
    "ticket.reminder.remind_at": (
        Convention(
            "Case.Stames_Remind_At__c",
            create=_created("Stames_Remind_At__c", "Stames Remind At", type="DateTime"),
        ),
    ),
    "ticket.message_count": (Convention(skip="derived; reconcile counts the EmailMessages", confidence=1.0),),
    "ticket.attachment_count": (Convention(skip="derived; reconcile counts the files", confidence=1.0),),
    "ticket.merged_into_id": (
        Convention(
            "Case.ParentId",
            confidence=0.8,
            reason="a merged ticket becomes a child Case of the one it was merged into",
        ),
    ),
    "ticket.is_spam": (Convention(skip="spam tickets are excluded (rule spam)", confidence=1.0),),
    "ticket.deleted_at": (Convention(skip="deleted tickets are excluded (rule deleted)", confidence=1.0),),
    "ticket.created_at": (Convention("Case.CreatedDate", confidence=1.0),),
    "ticket.updated_at": (Convention("Case.LastModifiedDate", confidence=1.0),),
    "customer.id": (
        Convention(
            "Contact." + EXTERNAL_ID_FIELD,
            confidence=1.0,
            reason="the Stames id is the key the loader upserts on",
        ),
    ),
    "customer.name": (
        Convention(
            "Contact.LastName",
            warnings=("the name is split at its last space; the words before it go to FirstName",),
        ),
    ),
    "customer.email": (Convention("Contact.Email", confidence=1.0),),
    "customer.phone": (Convention("Contact.Phone", confidence=1.0),),
    "customer.phone_raw": (
        Convention(skip="the normalised phone is kept; the raw form is its source", confidence=0.8),
    ),
    "customer.company": (
        Convention("Account.Name", reason="one business Account per normalised company name"),
    ),
    "customer.identities": (
        Convention(skip="channel identities stay on the messages as channel source", confidence=0.8),
    ),
    "customer.merged_into_id": (
        Convention(skip="merged customers are followed to their survivor (rule merged)", confidence=1.0),
    ),
    "customer.created_at": (Convention("Contact.CreatedDate", confidence=1.0),),
    "customer.updated_at": (Convention("Contact.LastModifiedDate", confidence=1.0),),
    "message.id": (
        Convention(
            "EmailMessage." + EXTERNAL_ID_FIELD,
            confidence=1.0,
            reason="the Stames id is the key the loader upserts on",
        ),
    ),
    "message.ticket_id": (Convention("EmailMessage.ParentId", confidence=1.0),),
    "message.body_text": (Convention("EmailMessage.TextBody", confidence=1.0),),
    "message.body_html": (Convention("EmailMessage.HtmlBody", confidence=1.0),),
    "message.created_at": (Convention("EmailMessage.MessageDate", confidence=1.0),),
    "message.author.name": (Convention("EmailMessage.FromName"),),
    "message.external_id": (Convention("EmailMessage.MessageIdentifier", confidence=0.8),),
    "message.channel.type": (
        Convention(
            f"EmailMessage.{CHANNEL_SOURCE_FIELD}",
            confidence=1.0,
            picklist=CHANNEL_TYPES,
            create=_created(
                CHANNEL_SOURCE_FIELD,
                "Stames Channel Source",
                type="Picklist",
                picklist_values=list(_PICKLIST_PLACEHOLDER),
            ),
        ),
    ),
    "message.delivery_status": (
        Convention(skip="no EmailMessage field holds a delivery receipt", confidence=0.8),
    ),
    "message.channel.inbox_id": (
        Convention(skip="the inbox is named by the channel source", confidence=0.8),
    ),
    "message.body_size_bytes": (Convention(skip="derived from the body", confidence=1.0),),
    "message.direction": (
        Convention(skip="decides the message route (EmailMessage, Task or skip) and Incoming"),
    ),
    "message.author.type": (Convention(skip="decides the message route (EmailMessage, Task or skip)"),),
    "message.is_private": (Convention(skip="private notes are the internal direction, routed to Task"),),
    "message.body_truncated": (
        Convention(skip="list views truncate; extraction fetched every full body", confidence=1.0),
    ),
    "message.updated_at": (Convention(skip="MessageDate holds when the message was sent", confidence=0.8),),
    "message.author.id": (
        Convention(
            skip="the author is named by FromName; agents own Cases through the assignee", confidence=0.7
        ),
    ),
    "message.attachments": (
        Convention(skip="attachments load as files (ContentVersion) linked to their Case", confidence=1.0),
    ),
    "status_change.id": (Convention(f"{STATUS_HISTORY_OBJECT}.{EXTERNAL_ID_FIELD}", confidence=1.0),),
    "status_change.ticket_id": (
        Convention(
            f"{STATUS_HISTORY_OBJECT}.Case__c",
            confidence=1.0,
            create=_created("Case__c", "Case", type="Lookup", reference_to="Case", relationship_name="Case"),
        ),
    ),
    "status_change.from_status": (
        Convention(
            f"{STATUS_HISTORY_OBJECT}.From_Status__c",
            confidence=1.0,
            create=_text("From_Status__c", "From Status"),
        ),
    ),
    "status_change.to_status": (
        Convention(
            f"{STATUS_HISTORY_OBJECT}.To_Status__c", confidence=1.0, create=_text("To_Status__c", "To Status")
        ),
    ),
    "status_change.changed_at": (
        Convention(
            f"{STATUS_HISTORY_OBJECT}.Changed_At__c",
            confidence=1.0,
            create=_created("Changed_At__c", "Changed At", type="DateTime"),
        ),
    ),
    "status_change.changed_by.type": (
        Convention(
            f"{STATUS_HISTORY_OBJECT}.Changed_By_Type__c",
            confidence=1.0,
            create=_text("Changed_By_Type__c", "Changed By Type", 40),
        ),
    ),
    "status_change.via": (
        Convention(f"{STATUS_HISTORY_OBJECT}.Via__c", confidence=1.0, create=_text("Via__c", "Via", 40)),
    ),
    "status_change.from_category": (Convention(skip="derived from the from status"),),
    "status_change.to_category": (Convention(skip="derived from the to status"),),
    "status_change.updated_at": (
        Convention(skip="Changed_At__c holds when the status changed", confidence=0.8),
    ),
    "status_change.changed_by.id": (
        Convention(
            skip="who changed it is kept as its type; agent ids are not users on this object", confidence=0.6
        ),
    ),
}
"""Stames fields of the contract (API.md) and where they go; one source can feed two targets."""

CUSTOM_OBJECT_CONVENTIONS: dict[str, Convention] = {
    "id": Convention(
        EXTERNAL_ID_FIELD, confidence=1.0, reason="the Stames id is the key the loader upserts on"
    ),
    "name": Convention("Name", confidence=1.0),
    "customer_id": Convention(
        "Contact__c", reason="the record's customer: the Contact lookup of the custom object"
    ),
    "ticket_ids": Convention(
        "Case__c",
        confidence=0.8,
        reason="the record's first ticket: the Case lookup of the custom object",
        warnings=("one Case per record: further ticket ids are not linked",),
    ),
    "created_at": Convention("CreatedDate"),
    "updated_at": Convention("LastModifiedDate"),
}
"""Record fields every custom object has; targets are fields of `Stames_<Key>__c`."""


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
        for convention in _conventions(profile)
        if convention.target is not None
    }
    entries: list[FieldMapping] = []
    for profile in profiles:
        conventions = _conventions(profile)
        if conventions:
            entries.extend(_conventional(profile, convention, org) for convention in conventions)
            continue
        entry = _proposed(profile, org, taken)
        if entry.target is not None:
            taken.add(entry.target)
        entries.append(entry)
    return entries


def _conventions(profile: FieldProfile) -> tuple[Convention, ...]:
    if profile.custom:
        return ()
    if profile.object.startswith("custom_object."):
        convention = CUSTOM_OBJECT_CONVENTIONS.get(profile.key)
        if convention is None:
            return ()
        sobject = custom_object_name(profile.object.split(".", 1)[1])
        return (_replace_target(convention, f"{sobject}.{convention.target}"),)
    return CONVENTIONS.get(profile.source, ())


def _replace_target(convention: Convention, target: str) -> Convention:
    return replace(convention, target=target)


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
