"""Checks that read other records: lookups point at live records of the right object, unique values
are free, and nested external-id references (`"Account": {"Ext__c": "A-1"}`) resolve to Ids."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulators.salesforce.org import record_errors
from emulators.salesforce.org.fields import FieldRule, ObjectSchema
from emulators.salesforce.org.repository import OrgRepository
from emulators.salesforce.org.rules import DELETED_PREFIX, index_key
from emulators.salesforce.org.values import Rejected


def check_references(
    org: OrgRepository, schema: ObjectSchema, clean: Mapping[str, Any], *, inactive_allowed: bool
) -> None:
    """Every lookup value must name a live record of an object the field's describe lists in
    `referenceTo`; a polymorphic lookup takes no other object either (Task.WhatId never a Contact)."""
    for name, value in clean.items():
        rule = schema.rules[name.lower()]
        if rule.type != "reference" or value is None:
            continue
        target = org.object_of(value)
        if target is None or target.name not in rule.reference_to:
            raise Rejected(record_errors.wrong_reference_type(rule.name, rule.label, value))
        state = org.record_state(value)
        if state is None:
            raise Rejected(record_errors.missing_reference(rule.name))
        if state[1]:
            raise Rejected(record_errors.deleted_reference(rule.name))
        owner_check = target.name == "User" and rule.name == "OwnerId" and not inactive_allowed
        if owner_check and not org.user(value).is_active:
            raise Rejected(record_errors.inactive_owner(rule.name))


def resolve_relationships(
    org: OrgRepository, schema: ObjectSchema, values: Mapping[str, Any]
) -> Mapping[str, Any]:
    """REST JSON may set a lookup by the parent's external id: `"Account": {"Ext__c": "A-1"}`
    (polymorphic ones name the type in `attributes`). Replace such entries by the lookup's Id."""
    if not any(isinstance(value, dict) for key, value in values.items() if key != "attributes"):
        return values
    resolved: dict[str, Any] = {}
    for key, value in values.items():
        rule = schema.relationships.get(key.lower()) if isinstance(value, dict) else None
        if rule is None or key == "attributes":
            resolved[key] = value
            continue
        resolved[rule.name] = _parent_id(org, rule, value)
    return resolved


def _parent_id(org: OrgRepository, rule: FieldRule, reference: dict[str, Any]) -> str:
    declared = (reference.get("attributes") or {}).get("type")
    only_target = rule.reference_to[0] if len(rule.reference_to) == 1 else None
    target = declared or only_target
    keys = [key for key in reference if key != "attributes"]
    if target is None or len(keys) != 1 or org.find_object(target) is None:
        raise Rejected(record_errors.bad_foreign_key(rule.name, str(reference)))
    parent = org.schema(target)
    key_rule = parent.rule(keys[0])
    if key_rule is None or not (key_rule.external_id or key_rule.id_lookup):
        raise Rejected(record_errors.not_an_external_id(parent.name, keys[0]))
    value = reference[keys[0]]
    matches = org.find_ids(parent.name, key_rule.name, value if isinstance(value, str) else str(value))
    if not matches:
        raise Rejected(record_errors.foreign_key_not_found(str(value), key_rule.name, parent.name))
    if len(matches) > 1:
        raise Rejected(record_errors.duplicate_external_id(key_rule.name, matches))
    return matches[0]


def check_unique(
    org: OrgRepository, schema: ObjectSchema, clean: Mapping[str, Any], own_id: str | None
) -> None:
    """DUPLICATE_VALUE when another live record holds a unique field's value."""
    for rule in schema.indexed:
        value = clean.get(rule.name)
        if not rule.unique or value is None:
            continue
        key = index_key(value, case_sensitive=rule.case_sensitive)
        others = [found for found in org.indexed_ids(schema.name, rule.name, key) if found != own_id]
        if record_errors.UNIQUE_INCLUDES_RECYCLE_BIN:
            others += org.indexed_ids(schema.name, DELETED_PREFIX + rule.name, key)
        if others:
            raise Rejected(record_errors.duplicate_value(rule.name, others[0]))
