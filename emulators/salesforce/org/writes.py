"""The write pipeline every transport goes through: insert, update, upsert and delete of one record,
in the order Salesforce applies its checks. Each raises `Rejected`; `Org` turns that into a failed
`SaveResult` after rolling back the record's savepoint."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulators.salesforce.org import objects, record_errors, references
from emulators.salesforce.org.fields import ObjectSchema
from emulators.salesforce.org.ids import normalise
from emulators.salesforce.org.repository import OrgRepository
from emulators.salesforce.org.rules import apply_defaults, check_required, clean_values
from emulators.salesforce.org.types import FieldError, OpContext
from emulators.salesforce.org.values import Rejected


def insert_record(
    org: OrgRepository,
    schema: ObjectSchema,
    values: Mapping[str, Any],
    ctx: OpContext,
    *,
    system: bool = False,
) -> str:
    """Validate, complete and store a new record; `system` inserts skip the createable checks."""
    if not system and not schema.flag("createable"):
        raise Rejected(record_errors.object_not("inserted", schema.describe["label"]))
    user = org.user(ctx.user_id)
    audit_allowed = system or org.audit_allowed(schema, user)
    values = references.resolve_relationships(org, schema, values)
    clean = clean_values(schema, values, ctx.wire, "insert", audit_allowed=audit_allowed, system=system)
    apply_defaults(schema, clean, ctx.user_id)
    blobs = _pop_blobs(schema, clean)
    objects.before_insert(org, schema, clean, blobs, ctx)
    check_required(schema, clean, "insert")
    if not system:
        references.check_references(org, schema, clean, inactive_allowed=audit_allowed)
    references.check_unique(org, schema, clean, None)
    record_id = org.mint(schema)
    record = stamp_new(org, record_id, clean, ctx.user_id)
    objects.derive(org, schema, record, None)
    org.write_new(schema, record)
    for content in blobs.values():
        org.store_file(record_id, content)
    objects.after_insert(org, schema, record, ctx, system=system)
    return record_id


def stamp_new(org: OrgRepository, record_id: str, clean: dict[str, Any], user_id: str) -> dict[str, Any]:
    """System and audit fields of a new record (audit values, when allowed, win over now/current user)."""
    now = org.now()
    created = clean.get("CreatedDate") or now
    creator = clean.get("CreatedById") or user_id
    modified = clean.get("LastModifiedDate") or created
    if created > now:
        raise Rejected(record_errors.integrity("CreatedDate: can't be in the future", ["CreatedDate"]))
    if modified < created:
        raise Rejected(
            record_errors.integrity("Last Modified Date is before Created Date", ["LastModifiedDate"])
        )
    return {
        "Id": record_id,
        "IsDeleted": False,
        **clean,
        "CreatedDate": created,
        "CreatedById": creator,
        "LastModifiedDate": modified,
        "LastModifiedById": clean.get("LastModifiedById") or creator,
        "SystemModstamp": now,
    }


def update_record(
    org: OrgRepository, schema: ObjectSchema, raw_id: str, values: Mapping[str, Any], ctx: OpContext
) -> str:
    """Validate and apply changes to a live record."""
    record_id, existing = org.live(schema, raw_id)
    if not schema.flag("updateable"):
        raise Rejected(record_errors.object_not("updated", schema.describe["label"]))
    incoming = {key: value for key, value in values.items() if key.lower() != "id"}
    incoming = references.resolve_relationships(org, schema, incoming)
    clean = clean_values(schema, incoming, ctx.wire, "update", audit_allowed=False)
    check_required(schema, clean, "update")
    blobs = _pop_blobs(schema, clean)
    objects.before_update(org, schema, existing, clean, ctx)
    references.check_references(org, schema, clean, inactive_allowed=False)
    references.check_unique(org, schema, clean, record_id)
    now = org.now()
    record = {
        **existing,
        **clean,
        "LastModifiedDate": now,
        "LastModifiedById": ctx.user_id,
        "SystemModstamp": now,
    }
    objects.derive(org, schema, record, existing)
    org.write_existing(schema, record)
    for content in blobs.values():
        org.store_file(record_id, content)
    return record_id


def upsert_record(
    org: OrgRepository,
    schema: ObjectSchema,
    external_id_field: str,
    values: Mapping[str, Any],
    ctx: OpContext,
) -> tuple[str, bool]:
    """Insert or update by external id: (record Id, created)."""
    rule = schema.rule(external_id_field)
    if rule is None or not (rule.external_id or rule.id_lookup or rule.type == "id"):
        raise Rejected(record_errors.not_an_external_id(schema.name, external_id_field))
    key = next((name for name in values if name.lower() == rule.name.lower()), None)
    value = values.get(key) if key else None
    if rule.type == "id":
        if value in (None, ""):
            return insert_record(org, schema, {k: v for k, v in values.items() if k != key}, ctx), True
        rest = {k: v for k, v in values.items() if k != key}
        return update_record(org, schema, str(value), rest, ctx), False
    if value is None or value == "":
        raise Rejected(record_errors.missing_external_id(rule.name))
    matches = org.find_ids(schema.name, rule.name, str(value) if not isinstance(value, str) else value)
    if len(matches) > 1:
        raise Rejected(record_errors.duplicate_external_id(rule.name, matches))
    if matches:
        rest = {k: v for k, v in values.items() if k != key}
        return update_record(org, schema, matches[0], rest, ctx), False
    return insert_record(org, schema, values, ctx), True


def delete_record(org: OrgRepository, raw_id: str, ctx: OpContext, *, hard: bool) -> str:
    """Delete a record and what it takes along; refuse when Cases still point at it."""
    canonical = normalise(raw_id) if isinstance(raw_id, str) else None
    if canonical is None:
        raise Rejected(FieldError("MALFORMED_ID", f"malformed id {raw_id}", []))
    row = org.fetch_row(canonical)
    if row is None or (row[1] and not hard):
        raise Rejected(record_errors.entity_deleted())
    schema = org.schema(row[0])
    if not schema.flag("deletable"):
        raise Rejected(record_errors.object_not("deleted", schema.describe["label"]))
    if hard and not org.user(ctx.user_id).hard_delete:
        raise Rejected(record_errors.insufficient_access("insufficient access rights: Bulk API Hard Delete"))
    objects.check_restricted_delete(org, schema, canonical)
    removed_ids = [*objects.cascade_children(org, schema, canonical), canonical]
    removed = [(found[0], found[2]) for found in map(org.fetch_row, removed_ids) if found is not None]
    for record_id in removed_ids:
        org.remove_record(record_id, hard=hard, deleted_with=canonical)
    objects.after_delete(org, removed)
    return canonical


def undelete_record(org: OrgRepository, raw_id: str) -> str:
    """Bring a record back from the Recycle Bin, with the records its delete took along
    [doc: SOAP API undelete(): "an undelete call undeletes the cascade-deleted records"]."""
    canonical = normalise(raw_id) if isinstance(raw_id, str) else None
    if canonical is None:
        raise Rejected(FieldError("MALFORMED_ID", f"malformed id {raw_id}", []))
    row = org.fetch_row(canonical)
    if row is None or not row[1] or canonical not in org.binned_with(canonical):
        raise Rejected(FieldError("UNDELETE_FAILED", "Entity is not in the recycle bin", []))
    schema = org.schema(row[0])
    if not schema.flag("undeletable"):
        raise Rejected(record_errors.object_not("undeleted", schema.describe["label"]))
    for record_id in org.binned_with(canonical):
        org.restore_record(record_id)
    return canonical


def _pop_blobs(schema: ObjectSchema, clean: dict[str, Any]) -> dict[str, bytes]:
    """Binary values leave the record: they are kept as files, not in SQLite."""
    return {
        name: clean.pop(name)
        for name in [name for name in clean if schema.rules[name.lower()].type == "base64"]
        if clean.get(name) is not None
    }
