"""The load plan: one phase per target object in the mapping's load order, each knowing its sync
rows, the fields it may send on insert and on update (from the org's describe, for the loading
user), and its lookups — set through the parent's `Stames_Id__c`, or deferred to a second pass
when the parent loads at the same time or later (a Case's parent Case, a Case's lookup to a
custom-object record)."""

from __future__ import annotations

from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field
from enum import StrEnum

from expectations.sync_tables import (
    CUSTOM_FIELD_TABLES,
    HELPER_PREFIX,
    REFERENCE_PREFIX,
    SyncModel,
    sync_models,
)
from loaders.load.records import ParentRef
from mapping.model import EXTERNAL_ID_FIELD as STAMES_ID
from mapping.model import STAMES_CREATED_AT, Mapping

AUDIT_FIELDS = ("CreatedDate", "LastModifiedDate")
CREATED_AT_FALLBACK = STAMES_CREATED_AT.api_name
"""Where the original creation time goes when the loading user may not set audit fields."""
POLYMORPHIC_PARENTS: dict[str, str] = {
    "WhatId": "Case",
    "WhoId": "Contact",
    "FirstPublishLocationId": "Case",
    "EntityId": "Case",
    "RelatedToId": "Case",
}
"""Which object a polymorphic lookup of a sync table names: the transform writes these columns
for one parent each (a note's Case, a file's Case)."""
INSERT_ONLY = frozenset({"EmailMessage", "ContentVersion", "TopicAssignment", "Topic"})
"""Objects a rerun never updates: an EmailMessage is frozen once sent, a ContentVersion would
become a new version, TopicAssignment has no update [CONTRACT §4.1, §4.4, §4.5]."""


class PhaseKind(StrEnum):
    RECORDS = "records"
    FILES = "files"
    TOPICS = "topics"
    TOPIC_ASSIGNMENTS = "topic_assignments"


class AuditFields(StrEnum):
    KEPT = "CreatedDate set on insert"
    FALLBACK = f"CreatedDate kept in {CREATED_AT_FALLBACK}"
    DROPPED = "original CreatedDate not kept (no audit permission, no Stames_Created_At__c)"


@dataclass(frozen=True)
class Lookup:
    column: str
    """`ref__AccountId`."""
    parent: ParentRef
    deferred: bool


@dataclass(frozen=True)
class Phase:
    order: int
    sobject: str
    model: SyncModel
    kind: PhaseKind
    columns: tuple[str, ...]
    """Field columns of the sync table(s) that go to Salesforce."""
    insertable: frozenset[str]
    updatable: frozenset[str]
    lookups: tuple[Lookup, ...] = ()
    extension_table: str | None = None
    audit: AuditFields = AuditFields.DROPPED
    insert_only: bool = False

    @property
    def name(self) -> str:
        return self.sobject

    @property
    def links_name(self) -> str:
        return f"{self.sobject}.links"

    @property
    def deferred(self) -> tuple[Lookup, ...]:
        return tuple(lookup for lookup in self.lookups if lookup.deferred)

    @property
    def immediate(self) -> tuple[Lookup, ...]:
        return tuple(lookup for lookup in self.lookups if not lookup.deferred)


@dataclass(frozen=True)
class LoadPlan:
    phases: tuple[Phase, ...]
    problems: tuple[str, ...] = field(default=())

    def phase(self, sobject: str) -> Phase | None:
        return next((phase for phase in self.phases if phase.sobject == sobject), None)


def build_plan(
    mapping: Mapping,
    describes: MappingType[str, dict],
    table_columns: MappingType[str, tuple[str, ...]],
    custom_object_fields: MappingType[str, tuple[str, ...]],
) -> LoadPlan:
    """Phases for every sync model of `mapping`; `table_columns` are the sync tables' columns,
    `custom_object_fields` the field names each custom object's records carry in their JSON."""
    models = [model for model in sync_models(mapping) if not model.extension]
    orders = {model.sobject: index for index, model in enumerate(models)}
    phases: list[Phase] = []
    problems: list[str] = []
    for index, model in enumerate(models):
        describe = describes.get(model.sobject)
        if describe is None:
            problems.append(f"the org has no {model.sobject}: deploy the schema (`stames-sf schema deploy`)")
            continue
        fields = {item["name"]: item for item in describe["fields"]}
        extension = CUSTOM_FIELD_TABLES.get(model.sobject)
        columns = list(table_columns.get(model.table, ()))
        if extension:
            columns += [name for name in table_columns.get(extension, ()) if name != STAMES_ID]
        if model.shared:
            columns += list(custom_object_fields.get(model.sobject, ()))
        send = [name for name in columns if _is_field(name)]
        unknown = [name for name in send if name not in fields and name not in AUDIT_FIELDS]
        if unknown:
            problems.append(
                f"{model.sobject} has no field {', '.join(unknown)} in the org: deploy the schema"
            )
        audit = _audit(fields)
        lookups, lookup_problems = _lookups(model.sobject, columns, fields, orders, index)
        problems += lookup_problems
        phases.append(
            Phase(
                order=index,
                sobject=model.sobject,
                model=model,
                kind=_kind(model.sobject),
                columns=tuple(send),
                insertable=frozenset(name for name in send if fields.get(name, {}).get("createable")),
                updatable=frozenset(name for name in send if fields.get(name, {}).get("updateable")),
                lookups=tuple(lookups),
                extension_table=extension if extension in table_columns else None,
                audit=audit,
                insert_only=model.sobject in INSERT_ONLY,
            )
        )
    return LoadPlan(tuple(phases), tuple(problems))


def _is_field(column: str) -> bool:
    return not column.startswith((REFERENCE_PREFIX, HELPER_PREFIX)) and column != "Id"


def _kind(sobject: str) -> PhaseKind:
    return {
        "ContentVersion": PhaseKind.FILES,
        "Topic": PhaseKind.TOPICS,
        "TopicAssignment": PhaseKind.TOPIC_ASSIGNMENTS,
    }.get(sobject, PhaseKind.RECORDS)


def _audit(fields: MappingType[str, dict]) -> AuditFields:
    if fields.get("CreatedDate", {}).get("createable"):
        return AuditFields.KEPT
    if CREATED_AT_FALLBACK in fields:
        return AuditFields.FALLBACK
    return AuditFields.DROPPED


def _lookups(
    sobject: str,
    columns: list[str],
    fields: MappingType[str, dict],
    orders: MappingType[str, int],
    own_order: int,
) -> tuple[list[Lookup], list[str]]:
    lookups: list[Lookup] = []
    problems: list[str] = []
    for column in columns:
        if not column.startswith(REFERENCE_PREFIX):
            continue
        name = column.removeprefix(REFERENCE_PREFIX)
        described = fields.get(name)
        if described is None or not described.get("relationshipName"):
            problems.append(f"{sobject}.{name} is not a lookup in the org: deploy the schema")
            continue
        targets = list(described.get("referenceTo") or [])
        polymorphic = len(targets) > 1 or bool(described.get("polymorphicForeignKey"))
        parent = POLYMORPHIC_PARENTS.get(name) if polymorphic else (targets[0] if targets else None)
        if parent is None or (polymorphic and parent not in targets):
            problems.append(f"{sobject}.{name}: cannot tell which object it names ({', '.join(targets)})")
            continue
        if parent not in orders:
            problems.append(f"{sobject}.{name} names {parent}, which this load does not load")
            continue
        reference = ParentRef(name, described["relationshipName"], parent, polymorphic)
        deferred = orders[parent] >= own_order
        lookups.append(Lookup(column, reference, deferred))
    return lookups, problems
