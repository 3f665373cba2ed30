"""Rules particular to one object (contract §4): derived fields, files, topics, email drafts,
and what a delete takes with it."""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath
from typing import Any

from emulators.salesforce.org import automation, record_errors
from emulators.salesforce.org.fields import ObjectSchema
from emulators.salesforce.org.repository import OrgRepository
from emulators.salesforce.org.types import OpContext
from emulators.salesforce.org.values import Rejected

RESTRICT_FIELDS: dict[str, tuple[str, ...]] = {"Case": ("AccountId", "ContactId")}
"""References that block their parent's delete: an Account or Contact with live Cases cannot be deleted
[recall: "Your attempt to delete … could not be completed because it is associated with the following
cases"]. A rollback therefore deletes Cases before Contacts and Accounts."""

EMAIL_DRAFT = "5"
EMAIL_STATUS_CHANGES = frozenset({("0", "1")})
"""Status changes a non-draft EmailMessage accepts: New (0) to Read (1) [doc: object reference
EmailMessage, "The Status field is mostly read-only. You can change the status only from New to Read"].
The same page says only IsExternallyVisible and custom fields change on a non-draft; the Status
sentence is the more specific one and wins here (emulator README, notes)."""

FILE_TYPES: dict[str, str] = {
    "pdf": "PDF",
    "png": "PNG",
    "jpg": "JPG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "txt": "TEXT",
    "csv": "CSV",
    "doc": "WORD",
    "docx": "WORD_X",
    "xls": "EXCEL",
    "xlsx": "EXCEL_X",
    "ppt": "POWER_POINT",
    "pptx": "POWER_POINT_X",
    "zip": "ZIP",
    "html": "HTML",
    "htm": "HTML",
    "xml": "XML",
    "json": "JSON",
    "eml": "EML",
    "msg": "MSG",
    "rtf": "RTF",
    "mp4": "MP4",
    "mov": "MOV",
    "svg": "SVG",
    "bmp": "BMP",
}
"""ContentVersion.FileType by extension [recall]; anything else is UNKNOWN."""


def before_insert(
    org: OrgRepository, schema: ObjectSchema, clean: dict[str, Any], blobs: dict[str, bytes], ctx: OpContext
) -> None:
    """Object rules on insert that can reject the record."""
    name = schema.name
    if name == "ContentVersion":
        _content_version(org, clean, blobs)
    elif name == "ContentDocumentLink":
        _unique_pair(
            org,
            "ContentDocumentLink",
            "ContentDocumentId",
            clean.get("ContentDocumentId"),
            "LinkedEntityId",
            clean.get("LinkedEntityId"),
        )
    elif name == "TopicAssignment":
        _topic_assignment(org, schema, clean)
    elif name == "Case":
        automation.before_case_insert(org, clean, ctx)


def before_update(
    org: OrgRepository, schema: ObjectSchema, existing: dict[str, Any], clean: dict[str, Any], ctx: OpContext
) -> None:
    """Object rules on update: EmailMessage is frozen once it is not a draft (contract §4.1), except
    for IsExternallyVisible, custom fields and Status going from New to Read."""
    del org, ctx
    if schema.name == "EmailMessage" and existing.get("Status") != EMAIL_DRAFT:
        frozen = [
            name
            for name in clean
            if name not in record_errors.EMAIL_EDITABLE_AFTER_SEND
            and not schema.rules[name.lower()].custom
            and not (name == "Status" and (existing.get("Status"), clean[name]) in EMAIL_STATUS_CHANGES)
        ]
        if frozen:
            raise Rejected(record_errors.email_not_draft())


def derive(
    org: OrgRepository, schema: ObjectSchema, record: dict[str, Any], previous: dict[str, Any] | None
) -> None:
    """Fields Salesforce computes from others, on every insert and update."""
    name = schema.name
    if schema.custom and previous is None:
        _custom_name(org, schema, record)
    if name in ("Contact", "User"):
        record["Name"] = " ".join(part for part in (record.get("FirstName"), record.get("LastName")) if part)
    elif name == "Case":
        _case(org, record, previous)
    if name == "User" and not record.get("CommunityNickname"):
        local = str(record.get("Email") or "user").split("@", 1)[0][:30]
        record["CommunityNickname"] = f"{local}{org.next_number('CommunityNickname', 1)}"
    elif name == "Task":
        record["IsClosed"] = record.get("Status") in org.closed_values("Task")
        record["IsHighPriority"] = record.get("Priority") == "High"
        record["AccountId"] = _task_account(org, record)
    elif name == "EmailMessage":
        record["Name"] = record.get("Subject")
    elif name == "Topic" and record.get("TalkingAbout") is None:
        record["TalkingAbout"] = 0  # not nillable; no one talks about a new topic yet [recall]
    elif name == "TopicAssignment":
        entity = str(record.get("EntityId") or "")
        record["EntityKeyPrefix"] = entity[:3]
        target = org.live_record(entity)
        record["EntityType"] = target[0] if target else None


def after_insert(
    org: OrgRepository, schema: ObjectSchema, record: dict[str, Any], ctx: OpContext, *, system: bool
) -> None:
    """Records the platform creates alongside: the file's document and links, automation's Task."""
    if schema.name == "ContentVersion":
        _file_document(org, record, ctx)
    elif schema.name == "ContentDocumentLink":
        _email_has_attachment(org, str(record.get("LinkedEntityId") or ""))
    elif schema.name == "Case" and not system:
        automation.after_case_insert(org, record, ctx)


def after_delete(org: OrgRepository, removed: list[tuple[str, dict[str, Any]]]) -> None:
    """What follows the removal of records (object name, stored data): an email whose last file link
    went no longer has an attachment."""
    for sobject, data in removed:
        if sobject == "ContentDocumentLink":
            _email_has_attachment(org, str(data.get("LinkedEntityId") or ""))


def cascade_children(org: OrgRepository, schema: ObjectSchema, parent_id: str) -> list[str]:
    """Ids of the live records a delete of `parent_id` takes with it, depth first."""
    del schema
    found: list[str] = []
    for child_object, fields in org.cascade_fields().items():
        for field_name in sorted(fields):
            for child_id in org.children(child_object, field_name, parent_id):
                if child_id not in found:
                    found += [*cascade_children(org, org.schema(child_object), child_id), child_id]
    return found


def check_restricted_delete(org: OrgRepository, schema: ObjectSchema, parent_id: str) -> None:
    """DELETE_FAILED when live records still point at `parent_id` through a restricting lookup."""
    for child_object, fields in RESTRICT_FIELDS.items():
        for field_name in fields:
            blocking = org.children(child_object, field_name, parent_id)
            if blocking:
                raise Rejected(record_errors.delete_blocked(schema.name, child_object, blocking))


def _task_account(org: OrgRepository, task: dict[str, Any]) -> str | None:
    """Task.AccountId [doc: object reference Task]: the WhatId's Account (an Account itself, or a
    custom object that is a child of Account); with any other WhatId, the Account of the Contact in
    WhoId; otherwise null. A Task without WhatId counts as "any other" [recall]."""
    what_id = task.get("WhatId")
    what = org.object_of(what_id) if what_id else None
    if what is not None and what.name == "Account":
        return str(what_id)
    if what is not None and what.custom:
        parent = _custom_parent_account(org, what, str(what_id))
        if parent is not None:
            return parent
    who_id = task.get("WhoId")
    contact = org.live_record(who_id) if who_id else None
    if contact is not None and contact[0] == "Contact":
        account_id = contact[1].get("AccountId")
        return str(account_id) if account_id else None
    return None


def _custom_parent_account(org: OrgRepository, schema: ObjectSchema, record_id: str) -> str | None:
    """The Account a custom record is the master-detail child of, if any."""
    found = org.live_record(record_id)
    if found is None:
        return None
    for field_name in sorted(org.cascade_fields().get(schema.name, ())):
        rule = schema.rule(field_name)
        if rule is not None and rule.reference_to == ("Account",) and found[1].get(rule.name):
            return str(found[1][rule.name])
    return None


def _email_has_attachment(org: OrgRepository, message_id: str) -> None:
    """EmailMessage.HasAttachment follows the files linked to the message."""
    found = org.live_record(message_id) if message_id else None
    if found is None or found[0] != "EmailMessage":
        return
    has_files = bool(org.children("ContentDocumentLink", "LinkedEntityId", message_id))
    if found[1].get("HasAttachment") is not has_files:
        org.write_existing(org.schema("EmailMessage"), {**found[1], "HasAttachment": has_files})


def _custom_name(org: OrgRepository, schema: ObjectSchema, record: dict[str, Any]) -> None:
    """A custom record's Name: the next auto number, or its own Id when a Text name was left empty."""
    rule = schema.rule("Name")
    if rule is None or record.get("Name") is not None:
        return
    if rule.createable:
        record["Name"] = record["Id"]
    else:
        record["Name"] = f"{org.next_number(schema.name + '.Name', 1):08d}"  # [recall] display format


def _case(org: OrgRepository, record: dict[str, Any], previous: dict[str, Any] | None) -> None:
    closed = record.get("Status") in org.closed_values("Case")
    record["IsClosed"] = closed
    if closed and not (previous and previous.get("IsClosed")):
        record["ClosedDate"] = org.now()
    elif not closed:
        record["ClosedDate"] = None
    if previous is None:
        record["CaseNumber"] = f"{org.next_number('CaseNumber', 1000):08d}"
    contact = org.live_record(record["ContactId"]) if record.get("ContactId") else None
    contact_data = contact[1] if contact else {}
    record["ContactEmail"] = contact_data.get("Email")
    record["ContactPhone"] = contact_data.get("Phone")
    record["ContactMobile"] = contact_data.get("MobilePhone")
    record["ContactFax"] = contact_data.get("Fax")
    if previous is None and not record.get("AccountId") and contact_data.get("AccountId"):
        record["AccountId"] = contact_data["AccountId"]  # [recall] Salesforce fills it from the Contact


def _content_version(org: OrgRepository, clean: dict[str, Any], blobs: dict[str, bytes]) -> None:
    content = blobs.get("VersionData")
    if content is None and not clean.get("ContentUrl"):
        raise Rejected(record_errors.required_missing(["VersionData"]))
    if content is not None and not clean.get("PathOnClient"):
        raise Rejected(record_errors.required_missing(["PathOnClient"]))
    extension = PurePosixPath(str(clean.get("PathOnClient") or "")).suffix.lstrip(".").lower()
    clean["FileExtension"] = extension or None
    clean["FileType"] = FILE_TYPES.get(extension, "UNKNOWN") if content is not None else "LINK"
    clean["ContentSize"] = len(content) if content is not None else None
    clean["Checksum"] = (
        hashlib.md5(content, usedforsecurity=False).hexdigest() if content is not None else None
    )
    clean["IsLatest"] = True
    clean["PublishStatus"] = "P"
    document_id = clean.get("ContentDocumentId")
    if document_id:
        versions = org.children("ContentVersion", "ContentDocumentId", document_id)
        clean["VersionNumber"] = str(len(versions) + 1)
    else:
        clean["VersionNumber"] = "1"


def _file_document(org: OrgRepository, version: dict[str, Any], ctx: OpContext) -> None:
    """A new version without ContentDocumentId creates its ContentDocument (contract §4.4)."""
    document_fields = {
        "Title": version.get("Title"),
        "OwnerId": version.get("OwnerId"),
        "LatestPublishedVersionId": version["Id"],
        "ContentSize": version.get("ContentSize"),
        "FileType": version.get("FileType"),
        "FileExtension": version.get("FileExtension"),
        "PublishStatus": "P",
        "SharingOption": version.get("SharingOption"),
        "SharingPrivacy": version.get("SharingPrivacy"),
        "ContentModifiedDate": version.get("CreatedDate"),
        "CreatedDate": version.get("CreatedDate"),
        "CreatedById": version.get("CreatedById"),
    }
    schema = org.schema("ContentVersion")
    document_id = version.get("ContentDocumentId")
    if document_id:
        for older_id in org.children("ContentVersion", "ContentDocumentId", document_id):
            older = org.live_record(older_id)
            if older and older_id != version["Id"]:
                org.write_existing(schema, {**older[1], "IsLatest": False})
        found = org.live_record(document_id)
        if found:
            org.write_existing(
                org.schema("ContentDocument"),
                {
                    **found[1],
                    **document_fields,
                    "CreatedDate": found[1]["CreatedDate"],
                    "CreatedById": found[1]["CreatedById"],
                },
            )
        return
    document_id = org.system_insert("ContentDocument", document_fields, ctx.user_id)
    org.write_existing(schema, {**version, "ContentDocumentId": document_id})
    owner = version.get("OwnerId")
    if owner:
        org.system_insert(
            "ContentDocumentLink",
            {
                "ContentDocumentId": document_id,
                "LinkedEntityId": owner,
                "ShareType": "I",
                "Visibility": "AllUsers",
            },
            ctx.user_id,
        )
    location = version.get("FirstPublishLocationId")
    if location and location != owner:
        org.system_insert(
            "ContentDocumentLink",
            {
                "ContentDocumentId": document_id,
                "LinkedEntityId": location,
                "ShareType": "I",
                "Visibility": "AllUsers",
            },
            ctx.user_id,
        )


def _unique_pair(
    org: OrgRepository, sobject: str, first: str, first_value: Any, second: str, second_value: Any
) -> None:
    if not first_value or not second_value:
        return
    for other_id in org.children(sobject, first, str(first_value)):
        other = org.live_record(other_id)
        if other and str(other[1].get(second, "")).lower() == str(second_value).lower():
            raise Rejected(record_errors.duplicate_value(second, other_id))


def _topic_assignment(org: OrgRepository, schema: ObjectSchema, clean: dict[str, Any]) -> None:
    """EntityId's `referenceTo` holds the objects with topics enabled; any other record gets the topics
    message rather than the generic wrong-object one."""
    entity_id = clean.get("EntityId")
    entity_rule = schema.rules["entityid"]
    if entity_id:
        target = org.live_record(str(entity_id))
        if target and target[0] not in entity_rule.reference_to:
            raise Rejected(record_errors.topics_not_enabled(target[0]))
    _unique_pair(org, "TopicAssignment", "EntityId", entity_id, "TopicId", clean.get("TopicId"))
