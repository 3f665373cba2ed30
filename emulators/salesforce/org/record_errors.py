"""The errors a record write can get: every error code and message (and the limits and object lists
that decide them) chosen from memory rather than from a cited source, in one place.

CONTRACT.md §2.4 cites the codes and the shapes; where it marks a message [recall] or gives no code
for a situation, the choice is made here so that a check against a real org can correct it in one
edit. Each entry says which situation it covers.
"""

from __future__ import annotations

from emulators.salesforce.org.types import FieldError

TYPE_ERROR_CODE = "INVALID_TYPE_ON_FIELD_IN_RECORD"
"""A value that does not parse as the field's type (date, datetime, number, boolean, bad JSON shape)."""

NUMBER_RANGE_CODE = "NUMBER_OUTSIDE_VALID_RANGE"
"""A number with more integer digits than precision − scale (or `digits` for int fields)."""

LENGTH_IN_UTF16_UNITS = True
"""Salesforce measures text length as Java does (UTF-16 code units): an emoji counts as 2."""

FIRST_YEAR, LAST_YEAR = 1700, 4000
"""Dates and datetimes Salesforce stores: 1700-01-01 to 4000-12-31; others fail with the type code."""

UNIQUE_INCLUDES_RECYCLE_BIN = True
"""A soft-deleted record keeps its unique values until it is hard-deleted or the bin is emptied, so a
re-load after a soft rollback collides (DUPLICATE_VALUE naming the deleted record)."""

AUDIT_FIELD_OBJECTS = frozenset(
    {"Account", "Case", "CaseComment", "Contact", "ContentVersion", "EmailMessage", "Event", "Task", "Lead"}
)
"""Contract §4.3 [doc, v198 list]: standard objects whose audit fields can be set on insert (plus custom)."""

EMAIL_EDITABLE_AFTER_SEND = frozenset({"IsExternallyVisible"})
"""Contract §4.1 [doc]: fields still updatable on a non-draft EmailMessage (besides custom fields)."""

JSON_BASE64_MAX_BYTES = int(37.5 * 1024 * 1024)
"""Contract §2.1 [doc]: decoded VersionData limit for a JSON (non-multipart) insert."""


def type_error(label: str, value: object) -> FieldError:
    return FieldError(TYPE_ERROR_CODE, f"{label}: value not of required type: {value}")


def too_long(rule_name: str, label: str, value: str, max_length: int) -> FieldError:
    shown = value if len(value) <= 60 else value[:60] + "..."
    return FieldError(
        "STRING_TOO_LONG", f"{label}: data value too large: {shown} (max length={max_length})", [rule_name]
    )


def number_out_of_range(rule_name: str, label: str, value: object) -> FieldError:
    return FieldError(
        NUMBER_RANGE_CODE, f"{label}: value outside of valid range on numeric field: {value}", [rule_name]
    )


def invalid_email(rule_name: str, label: str, value: str) -> FieldError:
    return FieldError("INVALID_EMAIL_ADDRESS", f"{label}: invalid email address: {value}", [rule_name])


def bad_picklist(rule_name: str, label: str, value: str) -> FieldError:
    return FieldError(
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
        f"{label}: bad value for restricted picklist field: {value}",
        [rule_name],
    )


def malformed_reference(rule_name: str, label: str, value: str) -> FieldError:
    """A lookup value that is not a 15/18-char Id at all."""
    return FieldError("MALFORMED_ID", f"{label}: id value of incorrect type: {value}", [rule_name])


def wrong_reference_type(rule_name: str, label: str, value: str) -> FieldError:
    """A well-formed Id of an object the lookup does not point to."""
    return FieldError(
        "FIELD_INTEGRITY_EXCEPTION", f"{label}: id value of incorrect type: {value}", [rule_name]
    )


def missing_reference(rule_name: str) -> FieldError:
    """A well-formed Id of the right object that no record has."""
    return FieldError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", [rule_name])


def deleted_reference(rule_name: str) -> FieldError:
    """A lookup to a record in the recycle bin."""
    return FieldError("ENTITY_IS_DELETED", "entity is deleted", [rule_name])


def inactive_owner(rule_name: str) -> FieldError:
    """Owner set to an inactive user without "Update Records with Inactive Owners"."""
    return FieldError("INACTIVE_OWNER_OR_USER", "operation performed with inactive user", [rule_name])


def unknown_field(sobject: str, name: str) -> FieldError:
    return FieldError(
        "INVALID_FIELD",
        f"No such column '{name}' on sobject of type {sobject}",
        [name],
    )


def not_writable(names: list[str]) -> FieldError:
    return FieldError(
        "INVALID_FIELD_FOR_INSERT_UPDATE",
        f"Unable to create/update fields: {', '.join(names)}. Please check the security settings of this "
        "field and verify that it is read/write for your profile or permission set.",
        names,
    )


def id_on_insert() -> FieldError:
    return FieldError("INVALID_FIELD_FOR_INSERT_UPDATE", "cannot specify Id in an insert call", ["Id"])


def required_missing(names: list[str]) -> FieldError:
    return FieldError("REQUIRED_FIELD_MISSING", f"Required fields are missing: [{', '.join(names)}]", names)


def duplicate_value(field_name: str, existing_id: str) -> FieldError:
    return FieldError(
        "DUPLICATE_VALUE",
        f"duplicate value found: {field_name} duplicates value on record with id: {existing_id}",
        [field_name],
    )


def entity_deleted() -> FieldError:
    """Writes to a deleted record, and to a well-formed Id no record has (Bulk answers the same)."""
    return FieldError("ENTITY_IS_DELETED", "entity is deleted", [])


def wrong_object_id(sobject: str, value: str) -> FieldError:
    return FieldError("MALFORMED_ID", f"{sobject} ID: id value of incorrect type: {value}", ["Id"])


def object_not(operation: str, label: str) -> FieldError:
    """Insert/update/delete on an object whose describe says it cannot (CaseHistory, User delete…)."""
    return FieldError("INVALID_TYPE", f"entity type cannot be {operation}: {label}", [])


def insufficient_access(message: str) -> FieldError:
    return FieldError("INSUFFICIENT_ACCESS_OR_READONLY", message, [])


def integrity(message: str, fields: list[str]) -> FieldError:
    return FieldError("FIELD_INTEGRITY_EXCEPTION", message, fields)


def duplicate_external_id(field_name: str, ids: list[str]) -> FieldError:
    return FieldError(
        "DUPLICATE_EXTERNAL_ID",
        f"{field_name}: more than one record found for external id field: [{', '.join(ids)}]",
        [field_name],
    )


def external_id_repeated(field_name: str, value: str) -> FieldError:
    """The same external id twice in one DML chunk of an upsert: every such record fails, none is
    written [page: salesforce.stackexchange.com questions 296121 and 104048]."""
    return FieldError("DUPLICATE_VALUE", f"Duplicate external id specified: {value}", [field_name])


def missing_external_id(field_name: str) -> FieldError:
    return FieldError("MISSING_ARGUMENT", f"{field_name} not specified", [])


def not_an_external_id(sobject: str, field_name: str) -> FieldError:
    return FieldError(
        "INVALID_FIELD",
        f"Field {field_name} on {sobject} is not an External ID or indexed field",
        [field_name],
    )


def email_not_draft() -> FieldError:
    """Contract §4.1 [doc]: only drafts can be edited; the code is [recall]."""
    return FieldError(
        "FIELD_INTEGRITY_EXCEPTION",
        "You can only update the IsExternallyVisible field or custom fields on an email message that isn't a "
        "draft.",
        [],
    )


def topics_not_enabled(sobject: str) -> FieldError:
    return FieldError("FIELD_INTEGRITY_EXCEPTION", f"Topics aren't enabled for {sobject}.", ["EntityId"])


def automation_failed(reason: str) -> FieldError:
    return FieldError("CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", reason, [])


def delete_blocked(sobject: str, child_object: str, child_ids: list[str]) -> FieldError:
    """Deleting an Account/Contact that live Cases still reference."""
    listed = ", ".join(child_ids[:5])
    return FieldError(
        "DELETE_FAILED",
        f"Your attempt to delete this {sobject} could not be completed because it is associated with the "
        f"following {child_object.lower()}s.: {listed}",
        [],
    )


def foreign_key_not_found(value: str, field_name: str, sobject: str) -> FieldError:
    """A nested `"Account": {"Ext__c": …}` reference that matches no record."""
    return FieldError(
        "INVALID_FIELD",
        f"Foreign key external ID: {value} not found for field {field_name} in entity {sobject}",
        [],
    )


def bad_foreign_key(field_name: str, reference: str) -> FieldError:
    """A nested reference without one key field, or polymorphic without `attributes.type`."""
    return FieldError(
        "INVALID_FIELD", f"{field_name}: invalid foreign key reference {reference}", [field_name]
    )
