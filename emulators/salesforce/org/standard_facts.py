"""Facts that field-flags.txt does not carry (lengths, targets, picklists) for the objects built from it.

Lengths come from the Salesforce field reference where the contract cites them (§4.1–§4.6); the rest
are [recall] and can be corrected here without touching any rule code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_LENGTHS: dict[str, int] = {
    "string": 255,
    "textarea": 32000,
    "email": 80,
    "phone": 40,
    "url": 255,
    "picklist": 255,
    "multipicklist": 4099,
    "combobox": 255,
}
"""Length of a text field with no fact below [recall]."""

EXTRA_FLAGS = """
== Profile
  Id(id,--R), Name(string,-UR), Description(string,-UN), UserLicenseId(reference,--R),
  UserType(picklist,--N), CreatedDate(datetime,--R), CreatedById(reference,--R),
  LastModifiedDate(datetime,--R), LastModifiedById(reference,--R), SystemModstamp(datetime,--R)
== Organization
  Id(id,--R), Name(string,-UR), Division(string,-UN), Street(textarea,-UN), City(string,-UN),
  State(string,-UN), PostalCode(string,-UN), Country(string,-UN), Phone(phone,-UN), Fax(phone,-UN),
  PrimaryContact(string,-UN), DefaultLocaleSidKey(picklist,-UR), TimeZoneSidKey(picklist,-UR),
  LanguageLocaleKey(picklist,-UR), FiscalYearStartMonth(int,--N), OrganizationType(picklist,--N),
  NamespacePrefix(string,--N), InstanceName(string,--N), IsSandbox(boolean,--R),
  TrialExpirationDate(datetime,--N), IsReadOnly(boolean,--R), WebToCaseDefaultOrigin(string,-UN),
  CreatedDate(datetime,--R), CreatedById(reference,--R), LastModifiedDate(datetime,--R),
  LastModifiedById(reference,--R), SystemModstamp(datetime,--R)
== ApexTrigger
  Id(id,--R), NamespacePrefix(string,--N), Name(string,--R), TableEnumOrId(picklist,--R),
  UsageBeforeInsert(boolean,--R), UsageAfterInsert(boolean,--R), UsageBeforeUpdate(boolean,--R),
  UsageAfterUpdate(boolean,--R), UsageBeforeDelete(boolean,--R), UsageAfterDelete(boolean,--R),
  UsageIsBulk(boolean,--R), UsageAfterUndelete(boolean,--R), ApiVersion(double,--R),
  Status(picklist,--R), IsValid(boolean,--R), BodyCrc(double,--N), Body(textarea,--N),
  LengthWithoutComments(int,--R), CreatedDate(datetime,--R), CreatedById(reference,--R),
  LastModifiedDate(datetime,--R), LastModifiedById(reference,--R), SystemModstamp(datetime,--R)
== AssignmentRule
  Id(id,--R), Name(string,--N), SobjectType(picklist,--N), Active(boolean,--R),
  CreatedById(reference,--R), CreatedDate(datetime,--R), LastModifiedById(reference,--R),
  LastModifiedDate(datetime,--R), SystemModstamp(datetime,--R)
== CustomPermission
  Id(id,--R), IsDeleted(boolean,--R), DeveloperName(string,--R), Language(picklist,--R),
  MasterLabel(string,--R), NamespacePrefix(string,--N), CreatedDate(datetime,--R),
  CreatedById(reference,--R), LastModifiedDate(datetime,--R), LastModifiedById(reference,--R),
  SystemModstamp(datetime,--R), IsProtected(boolean,--R), IsLicensed(boolean,--R),
  Description(textarea,--N)
== PermissionSet
  Id(id,--R), Name(string,--R), Label(string,--R), LicenseId(reference,--N), ProfileId(reference,--N),
  IsOwnedByProfile(boolean,--R), IsCustom(boolean,--R), PermissionSetGroupId(reference,--N),
  Type(picklist,--N), NamespacePrefix(string,--N), Description(string,--N),
  HasActivationRequired(boolean,--R), CreatedDate(datetime,--R), CreatedById(reference,--R),
  LastModifiedDate(datetime,--R), LastModifiedById(reference,--R), SystemModstamp(datetime,--R)
== SetupEntityAccess
  Id(id,--R), ParentId(reference,--R), SetupEntityId(reference,--R), SetupEntityType(picklist,--N),
  SystemModstamp(datetime,--R)
== PermissionSetAssignment
  Id(id,--R), AssigneeId(reference,--R), PermissionSetId(reference,--N),
  PermissionSetGroupId(reference,--N), ExpirationDate(datetime,--N), IsActive(boolean,--R),
  IsRevoked(boolean,--R), SystemModstamp(datetime,--R)
"""
"""Objects the recorded material has no flags for, in the same format [recall]. The setup objects
from ApexTrigger on are the ones the automation check reads (`setup_objects.py`); their fields are
those of the Salesforce field reference [doc:
https://developer.salesforce.com/docs/platform/field-reference/references/field-reference/salesforce-field-reference-<object>.html]
(PermissionSet: the fields a permission check reads, not its several hundred `Permissions*` flags).
Here they are read-only: their rows are derived from the org's state (setup_objects.py)."""

FIELD_FACTS: dict[str, dict[str, dict[str, Any]]] = {
    "EmailMessage": {
        "ParentId": {"reference_to": ("Case",), "relationship_name": "Parent"},
        "ActivityId": {"reference_to": ("Task",), "relationship_name": "Activity"},
        "TextBody": {"length": 131072},  # [recall] contract §4.1: probably 131072 now
        "HtmlBody": {"length": 131072, "html": True, "extra_type_info": "richtextarea"},
        "Headers": {"length": 32000},
        "Subject": {"length": 3000},
        "Name": {"length": 3000},
        "FromName": {"length": 1000},
        "FromAddress": {"length": 1000},
        "ToAddress": {"length": 4000},
        "CcAddress": {"length": 4000},
        "BccAddress": {"length": 4000},
        "ClientThreadIdentifier": {"length": 765},
        "AttachmentIds": {"length": 32768},
        # [recall] an insert without Status works (Apex tests routinely omit it) and reads back as New
        "Status": {
            "picklist": ("0", "1", "2", "3", "4", "5"),
            "restricted": True,
            "default_picklist": "0",
            "defaulted": True,
        },
        "FromId": {"reference_to": ("User",), "relationship_name": "From"},
        "ReplyToEmailMessageId": {
            "reference_to": ("EmailMessage",),
            "relationship_name": "ReplyToEmailMessage",
        },
        "RelatedToId": {"relationship_name": "RelatedTo"},
        "EmailTemplateId": {"reference_to": ("EmailTemplate",), "relationship_name": "EmailTemplate"},
        "AutomationType": {"picklist": ("EmailToCase", "EmailToCaseAutoResponse"), "restricted": True},
        # [doc: object reference EmailMessage, "set to the default value of true, the email message is
        # visible to external users in the case feed"]
        "IsExternallyVisible": {"default_value": True},
    },
    "Task": {
        "WhoId": {"reference_to": ("Contact", "Lead"), "relationship_name": "Who"},
        "WhatId": {"relationship_name": "What"},
        "Subject": {"picklist": ("Call", "Send Letter", "Send Quote", "Other")},
        "Status": {
            "picklist": ("Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"),
            "default_picklist": "Not Started",
            "defaulted": True,
        },
        "Priority": {"picklist": ("High", "Normal", "Low"), "default_picklist": "Normal", "defaulted": True},
        "OwnerId": {"reference_to": ("Group", "User"), "relationship_name": "Owner"},
        "AccountId": {"reference_to": ("Account",), "relationship_name": "Account"},
        "CallType": {"picklist": ("Internal", "Inbound", "Outbound"), "restricted": True},
        "TaskSubtype": {"picklist": ("Task", "Email", "ListEmail", "Cadence", "Call"), "restricted": True},
        # [fixture: CCI Event describe] the recurrence lookup has no relationship name
        "RecurrenceActivityId": {"reference_to": ("Task",), "relationship_name": None},
    },
    "User": {
        "Username": {"length": 80, "unique": True, "id_lookup": True},
        "LastName": {"length": 80},
        "FirstName": {"length": 40},
        "Name": {"length": 121, "name_field": True},
        "Email": {"length": 128, "id_lookup": True},
        "Alias": {"length": 8},
        # [recall] generated from the e-mail when an insert leaves it out
        "CommunityNickname": {"length": 40, "unique": True, "id_lookup": True, "defaulted": True},
        "IsActive": {"default_value": True},
        "ProfileId": {"reference_to": ("Profile",), "relationship_name": "Profile"},
        "UserRoleId": {"reference_to": ("UserRole",), "relationship_name": "UserRole"},
        "ManagerId": {"reference_to": ("User",), "relationship_name": "Manager"},
        "DelegatedApproverId": {"reference_to": ("User", "Group")},
        "ContactId": {"reference_to": ("Contact",), "relationship_name": "Contact"},
        "AccountId": {"reference_to": ("Account",), "relationship_name": "Account"},
        "FederationIdentifier": {"length": 512},
        "CallCenterId": {"reference_to": ("CallCenter",), "relationship_name": "CallCenter"},
        "IndividualId": {"reference_to": ("Individual",), "relationship_name": "Individual"},
        "UserType": {"picklist": ("Standard", "PowerPartner", "CsnOnly", "Guest")},
        "DigestFrequency": {"picklist": ("D", "W", "N"), "default_picklist": "D", "defaulted": True},
        "DefaultGroupNotificationFrequency": {"picklist": ("P", "D", "W", "N"), "defaulted": True},
    },
    "ContentVersion": {
        "ContentDocumentId": {
            "reference_to": ("ContentDocument",),
            "relationship_name": "ContentDocument",
            "defaulted": True,
        },
        "Title": {"length": 255},
        "PathOnClient": {"length": 500},
        "Description": {"length": 1000},
        "FirstPublishLocationId": {"relationship_name": "FirstPublishLocation"},
        "ContentBodyId": {"reference_to": ("ContentBody",), "relationship_name": "ContentBody"},
        "ContentModifiedById": {"reference_to": ("User",), "relationship_name": "ContentModifiedBy"},
        "ExternalDataSourceId": {
            "reference_to": ("ExternalDataSource",),
            "relationship_name": "ExternalDataSource",
        },
        "OwnerId": {"reference_to": ("User",), "relationship_name": "Owner"},
        "Origin": {"picklist": ("C", "H"), "restricted": True, "default_picklist": "C", "defaulted": True},
        "ContentLocation": {
            "picklist": ("S", "E", "L"),
            "restricted": True,
            "default_picklist": "S",
            "defaulted": True,
        },
        "SharingOption": {
            "picklist": ("A", "R"),
            "restricted": True,
            "default_picklist": "A",
            "defaulted": True,
        },
        "SharingPrivacy": {
            "picklist": ("N", "P"),
            "restricted": True,
            "default_picklist": "N",
            "defaulted": True,
        },
        "PublishStatus": {"picklist": ("U", "P", "R")},
        "IsMajorVersion": {"default_value": True},
        "VersionNumber": {"length": 20},
        "FileType": {"length": 20},
        "FileExtension": {"length": 40},
        "Checksum": {"length": 50},
    },
    "ContentDocument": {
        "OwnerId": {"reference_to": ("User",), "relationship_name": "Owner"},
        "LatestPublishedVersionId": {
            "reference_to": ("ContentVersion",),
            "relationship_name": "LatestPublishedVersion",
        },
        "ParentId": {"reference_to": ("ContentWorkspace",), "relationship_name": "Parent"},
        "ContentAssetId": {"reference_to": ("ContentAsset",), "relationship_name": "ContentAsset"},
        "ArchivedById": {"reference_to": ("User",), "relationship_name": "ArchivedBy"},
        "Title": {"length": 255},
        "PublishStatus": {"picklist": ("U", "P", "R")},
    },
    "ContentDocumentLink": {
        "LinkedEntityId": {"relationship_name": "LinkedEntity"},
        "ContentDocumentId": {"reference_to": ("ContentDocument",), "relationship_name": "ContentDocument"},
        "ShareType": {
            "picklist": ("V", "C", "I"),
            "restricted": True,
            "default_picklist": "V",
            "defaulted": True,
        },
        "Visibility": {
            "picklist": ("AllUsers", "InternalUsers", "SharedUsers"),
            "restricted": True,
            "default_picklist": "AllUsers",
            "defaulted": True,
        },
    },
    "Topic": {
        "Name": {"length": 99, "name_field": True},  # [recall] topic names are at most 99 characters
        "Description": {"length": 1000},
    },
    "TopicAssignment": {
        "TopicId": {"reference_to": ("Topic",), "relationship_name": "Topic"},
        "EntityId": {"relationship_name": "Entity"},
        "EntityKeyPrefix": {"length": 3, "id_lookup": True},
    },
    "CaseComment": {
        "ParentId": {"reference_to": ("Case",), "relationship_name": "Parent"},
        "CommentBody": {"length": 4000},
    },
    "CaseHistory": {
        "CaseId": {"reference_to": ("Case",), "relationship_name": "Case"},
    },
    "Group": {
        "Name": {"length": 40, "name_field": True},
        "DeveloperName": {"length": 80, "unique": True, "id_lookup": True},
        "Type": {"picklist": ("Queue", "Regular", "Role", "Organization"), "restricted": True},
        "OwnerId": {"reference_to": ("User", "Organization"), "relationship_name": "Owner"},
        "RelatedId": {"reference_to": ("User",), "relationship_name": "Related"},
    },
    "RecordType": {
        "Name": {"length": 80, "name_field": True},
        "DeveloperName": {"length": 80},
        "SobjectType": {"length": 40},
        "BusinessProcessId": {"reference_to": ("BusinessProcess",)},
    },
    "Profile": {
        "UserLicenseId": {"reference_to": ("UserLicense",)},
    },
    # [doc: field reference ApexTrigger: Name 255, TableEnumOrId/Status picklists of 40, ApiVersion
    # double(18,1), Body 1000000; object reference: Name is idLookup; metadata ApexTrigger: status
    # Active, Inactive, Deleted]
    "ApexTrigger": {
        "Name": {"length": 255, "id_lookup": True, "name_field": True},
        "NamespacePrefix": {"length": 15},
        "TableEnumOrId": {"length": 40},
        "Status": {"length": 40, "picklist": ("Active", "Inactive", "Deleted"), "restricted": True},
        "ApiVersion": {"precision": 18, "scale": 1},
        "BodyCrc": {"precision": 18, "scale": 0},
        "Body": {"length": 1000000},
    },
    # [doc: field reference AssignmentRule: Name 120; object reference: SobjectType Case or Lead]
    "AssignmentRule": {
        "Name": {"length": 120},
        "SobjectType": {"length": 40, "picklist": ("Case", "Lead"), "restricted": True},
    },
    # [doc: field reference CustomPermission: DeveloperName/MasterLabel 80, Description 255]
    "CustomPermission": {
        "DeveloperName": {"length": 80},
        "MasterLabel": {"length": 80},
        "NamespacePrefix": {"length": 15},
        "Language": {"length": 40},
        "Description": {"length": 255},
    },
    "PermissionSet": {  # [recall] lengths and Type values
        "Name": {"length": 80},
        "Label": {"length": 80},
        "NamespacePrefix": {"length": 15},
        "Description": {"length": 255},
        "Type": {"length": 40, "picklist": ("Regular", "Group", "Profile", "Session", "Standard")},
        "LicenseId": {
            "reference_to": ("PermissionSetLicense", "UserLicense"),
            "relationship_name": "License",
        },
        "ProfileId": {"reference_to": ("Profile",), "relationship_name": "Profile"},
        "PermissionSetGroupId": {"reference_to": ("PermissionSetGroup",)},
    },
    # [doc: object reference SetupEntityAccess: ParentId → PermissionSet (Parent); SetupEntityType
    # values ApexClass, ApexPage, ConnectedApplication, CustomPermission (v31+), ServiceProvider,
    # TabSet, CustomEntityDefinition (v48+), restricted]
    "SetupEntityAccess": {
        "ParentId": {"reference_to": ("PermissionSet",), "relationship_name": "Parent"},
        "SetupEntityId": {
            "reference_to": (
                "ApexClass",
                "ApexPage",
                "ConnectedApplication",
                "CustomEntityDefinition",
                "CustomPermission",
                "ServiceProvider",
                "TabSet",
            ),
        },
        "SetupEntityType": {
            "length": 40,
            "picklist": (
                "ApexClass",
                "ApexPage",
                "ConnectedApplication",
                "CustomPermission",
                "ServiceProvider",
                "TabSet",
                "CustomEntityDefinition",
            ),
            "restricted": True,
        },
    },
    # [doc: object reference PermissionSetAssignment: AssigneeId → User (Assignee)]
    "PermissionSetAssignment": {
        "AssigneeId": {"reference_to": ("User",), "relationship_name": "Assignee"},
        "PermissionSetId": {"reference_to": ("PermissionSet",)},
        "PermissionSetGroupId": {"reference_to": ("PermissionSetGroup",)},
    },
}
"""Per-object, per-field overrides of what the flags alone imply."""

_READ_ONLY = {"createable": False, "updateable": False, "deletable": False}
"""The setup objects: derived from the org's state, never written through the API (setup_objects.py)."""

OBJECT_FACTS: dict[str, dict[str, Any]] = {
    "EmailMessage": {"label": "Email Message", "labelPlural": "Email Messages"},
    "Task": {"label": "Task", "labelPlural": "Tasks"},
    "User": {"label": "User", "labelPlural": "Users", "deletable": False, "undeletable": False},
    "ContentVersion": {"label": "Content Version", "labelPlural": "Content Versions", "deletable": False},
    "ContentDocument": {"label": "Content Document", "labelPlural": "Content Documents", "createable": False},
    "ContentDocumentLink": {"label": "Content Document Link", "labelPlural": "Content Document Link"},
    "Topic": {"label": "Topic", "labelPlural": "Topics"},
    "TopicAssignment": {"label": "Topic Assignment", "labelPlural": "Topic Assignments", "updateable": False},
    "CaseComment": {"label": "Case Comment", "labelPlural": "Case Comments"},
    "CaseHistory": {
        "label": "Case History",
        "labelPlural": "Case History",
        "createable": False,
        "updateable": False,
        "deletable": False,
    },
    "Group": {"label": "Group", "labelPlural": "Groups"},
    "RecordType": {"label": "Record Type", "labelPlural": "Record Types", "deletable": False},
    "Profile": {"label": "Profile", "labelPlural": "Profile", "createable": False, "deletable": False},
    "Organization": {
        "label": "Organization",
        "labelPlural": "Organizations",
        "createable": False,
        "deletable": False,
    },
    **{
        name: {"label": label, "labelPlural": plural, **_READ_ONLY}
        for name, label, plural in (
            ("ApexTrigger", "Apex Trigger", "Apex Triggers"),
            ("AssignmentRule", "Assignment Rule", "Assignment Rules"),
            ("CustomPermission", "Custom Permission", "Custom Permissions"),
            ("PermissionSet", "Permission Set", "Permission Sets"),
            ("SetupEntityAccess", "Setup Entity Access", "Setup Entity Access"),
            ("PermissionSetAssignment", "Permission Set Assignment", "Permission Set Assignments"),
        )
    },
}
"""Object-level describe flags of the built objects (createable/updateable/deletable default True)."""

TOPIC_ENABLED_OBJECTS = frozenset(
    {"Account", "Asset", "Campaign", "Case", "Contact", "ContentDocument", "Contract", "Event", "Lead"}
    | {"Opportunity", "Order", "Solution", "Task"}
)
"""Contract §4.5 [doc]: objects with topics on by default (TopicsForObjects), off for custom objects;
TopicAssignment.EntityId lists those the org has as its `referenceTo`."""

CHILD_RELATIONSHIPS: dict[str, list[tuple[str, str, str, bool]]] = {
    "ContentDocument": [
        ("ContentVersion", "ContentDocumentId", "ContentVersions", True),
        ("ContentDocumentLink", "ContentDocumentId", "ContentDocumentLinks", True),
        ("TopicAssignment", "EntityId", "TopicAssignments", True),
    ],
    "Topic": [("TopicAssignment", "TopicId", "TopicAssignments", True)],
    "Task": [("TopicAssignment", "EntityId", "TopicAssignments", True)],
    "User": [("ContentDocumentLink", "LinkedEntityId", "ContentDocumentLinks", False)],
    "EmailMessage": [("ContentDocumentLink", "LinkedEntityId", "ContentDocumentLinks", True)],
    "*custom": [
        ("ContentDocumentLink", "LinkedEntityId", "ContentDocumentLinks", True),
        ("Task", "WhatId", "Tasks", True),
    ],
}
"""(child object, field, relationship name, cascadeDelete) of the built describes; `*custom` applies to
every deployed custom object [recall: the names are the standard ones used in SOQL subqueries]."""


def child_relationships(sobject: str) -> list[dict[str, Any]]:
    """The `childRelationships` entries of a built or custom object, in the recorded shape."""
    return [
        {
            "cascadeDelete": cascade,
            "childSObject": child,
            "deprecatedAndHidden": False,
            "field": field_name,
            "junctionIdListNames": [],
            "junctionReferenceTo": [],
            "relationshipName": relationship,
            "restrictedDelete": False,
        }
        for child, field_name, relationship, cascade in CHILD_RELATIONSHIPS.get(sobject, [])
    ]


CASCADE_FIELDS: dict[str, tuple[str, ...]] = {
    "CaseComment": ("ParentId",),
    "EmailMessage": ("ParentId",),
    "Task": ("WhatId",),
    "ContentDocumentLink": ("LinkedEntityId", "ContentDocumentId"),
    "TopicAssignment": ("EntityId", "TopicId"),
    "ContentVersion": ("ContentDocumentId",),
}
"""Reference fields whose parent's delete deletes the child [recall: activities, comments, emails,
file links and topic assignments go with their record; versions and links go with their document]."""


@dataclass(frozen=True)
class PolymorphicTargets:
    """The objects a polymorphic lookup may point to. A describe lists those the org has (as a real
    org's describe lists only its own objects), plus every deployed custom object when `custom`."""

    standard: frozenset[str]
    custom: bool


_FILE_HOLDERS = frozenset(
    {"Account", "Case", "CollaborationGroup", "Contact", "ContentWorkspace", "EmailMessage", "Lead"}
    | {"Opportunity", "Task", "User"}
)
"""Records a file can be published to or shared with [recall: records with feed tracking, users,
groups and libraries; the object reference lists several hundred, these are the helpdesk ones]."""

POLYMORPHIC_TARGETS: dict[tuple[str, str], PolymorphicTargets] = {
    # [doc: object reference TaskRelation, "a task can also be related to one account, asset,
    # campaign, case, contract, opportunity, product, solution, or custom object"]
    ("Task", "WhatId"): PolymorphicTargets(
        frozenset({"Account", "Asset", "Campaign", "Case", "Contract", "Opportunity", "Product2"})
        | {"Solution"},
        custom=True,
    ),
    # [recall: object reference EmailMessage, "non-human objects such as accounts, opportunities,
    # campaigns, cases, or custom objects"]
    ("EmailMessage", "RelatedToId"): PolymorphicTargets(
        frozenset({"Account", "Campaign", "Case", "Opportunity"}), custom=True
    ),
    ("ContentVersion", "FirstPublishLocationId"): PolymorphicTargets(_FILE_HOLDERS, custom=True),
    # [doc: object reference ContentDocumentLink, "In API versions 25.0 and later, you can create
    # ContentDocumentLink objects with a LinkedEntityId of type User, CollaborationGroup, or Organization"]
    ("ContentDocumentLink", "LinkedEntityId"): PolymorphicTargets(
        _FILE_HOLDERS | {"Organization"}, custom=True
    ),
    # contract §4.5 [doc]: topics are on for these objects and off for custom objects
    ("TopicAssignment", "EntityId"): PolymorphicTargets(TOPIC_ENABLED_OBJECTS, custom=False),
}
"""Polymorphic lookups whose targets the field flags do not carry (Task.WhoId and the owners list
theirs in `FIELD_FACTS`)."""

CLOSED_CASE_STATUSES = frozenset({"Closed"})
"""Case Status values whose CaseStatus row has IsClosed=true in a fresh org; deploys may add more."""

CLOSED_TASK_STATUSES = frozenset({"Completed"})
