"""Where the fields of the Stames contract go: the fixed places of the hand-written mapping of
the generated dataset (`tests/fixtures/mappings/generated.yml`), with the reason for each.

The field proposer still checks every one against the org; fields not listed here (custom
fields, fields the contract does not name) are placed from their names, labels and values.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from mapping.model import CHANNEL_SOURCE_FIELD, EXTERNAL_ID_FIELD, CustomField, Strategies
from mapping.propose.profile import FieldProfile
from mapping.propose.types import custom_object_name

STATUS_HISTORY_OBJECT: str = Strategies.model_fields["status_history_object"].default
"""The custom object status changes go to (CaseHistory cannot be inserted), as the model names it."""
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
            skip="the author is named by FromName; agents own Cases through the assignee",
            confidence=0.7,
            warnings=("which agent wrote a message is kept by name only, not as a link to a User",),
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
            skip="who changed it is kept as its type; agent ids are not users on this object",
            confidence=0.6,
            warnings=(
                "which agent or customer changed a status is lost; only agent, customer or system is kept",
            ),
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


def conventions_for(profile: FieldProfile) -> tuple[Convention, ...]:
    """Where a field of the contract goes (one source can feed two targets); none for the rest."""
    if profile.custom:
        return ()
    if profile.object.startswith("custom_object."):
        convention = CUSTOM_OBJECT_CONVENTIONS.get(profile.key)
        if convention is None:
            return ()
        sobject = custom_object_name(profile.object.split(".", 1)[1])
        return (replace(convention, target=f"{sobject}.{convention.target}"),)
    return CONVENTIONS.get(profile.source, ())
