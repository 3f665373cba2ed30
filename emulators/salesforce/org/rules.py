"""Record-level checks that need only the object's schema: known fields, writability, types,
defaults and required fields. Checks that read other records live in the store."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from emulators.salesforce.org import record_errors
from emulators.salesforce.org.fields import ObjectSchema
from emulators.salesforce.org.types import Wire
from emulators.salesforce.org.values import Rejected, coerce

AUDIT_FIELDS = ("CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById")
"""Settable on insert with "Set Audit Fields upon Record Creation"; never on update (contract §4.3)."""

DELETED_PREFIX = "~deleted:"
"""Lookup-index field prefix for unique values still held by records in the recycle bin."""

_IGNORED_KEYS = frozenset({"attributes"})

Mode = Literal["insert", "update"]


def clean_values(
    schema: ObjectSchema,
    values: Mapping[str, Any],
    wire: Wire,
    mode: Mode,
    *,
    audit_allowed: bool,
    system: bool = False,
) -> dict[str, Any]:
    """Incoming values keyed by canonical field name, in stored form; raises `Rejected`.
    `system` writes (seed, automation, derived records) may set any field, as the platform does."""
    clean: dict[str, Any] = {}
    not_writable: list[str] = []
    for key, raw in values.items():
        if key in _IGNORED_KEYS:
            continue
        rule = schema.rule(key)
        if rule is None:
            raise Rejected(record_errors.unknown_field(schema.name, key))
        if rule.type == "id":
            if mode == "insert" and raw not in (None, ""):
                raise Rejected(record_errors.id_on_insert())
            continue
        writable = rule.createable if mode == "insert" else rule.updateable
        audit_ok = mode == "insert" and audit_allowed and rule.name in AUDIT_FIELDS
        if not writable and not audit_ok and not system:
            not_writable.append(rule.name)
            continue
        clean[rule.name] = raw
    if not_writable:
        raise Rejected(record_errors.not_writable(not_writable))
    for name, raw in clean.items():
        rule = schema.rules[name.lower()]
        value = coerce(rule, raw, wire)
        if value is None and rule.type == "boolean":
            value = False
        clean[name] = value
    return clean


def apply_defaults(schema: ObjectSchema, clean: dict[str, Any], user_id: str) -> None:
    """Values Salesforce fills on insert: owner, default picklist entries, booleans. A boolean that
    is not nillable is never null, read-only ones (HasAttachment, IsArchived…) included."""
    for rule in schema.rules.values():
        if clean.get(rule.name) is not None:
            continue
        if rule.type == "boolean" and not rule.nillable:
            clean[rule.name] = bool(rule.default_value)
        elif not rule.createable:
            continue
        elif rule.name == "OwnerId":
            clean["OwnerId"] = user_id
        elif rule.default_picklist is not None and rule.defaulted:
            clean[rule.name] = rule.default_picklist
        elif rule.type == "boolean":
            clean[rule.name] = bool(rule.default_value)


def check_required(schema: ObjectSchema, clean: Mapping[str, Any], mode: Mode) -> None:
    """REQUIRED_FIELD_MISSING for required fields absent on insert or nulled on update."""
    if mode == "insert":
        missing = [
            rule.name for rule in schema.rules.values() if rule.required and clean.get(rule.name) is None
        ]
    else:
        missing = [
            name for name, value in clean.items() if value is None and not schema.rules[name.lower()].nillable
        ]
    if missing:
        raise Rejected(record_errors.required_missing(missing))


def index_key(value: Any, *, case_sensitive: bool) -> str:
    """How a lookup value is compared: text case-insensitively unless the field says otherwise."""
    text = value if isinstance(value, str) else str(value)
    return text if case_sensitive else text.casefold()
