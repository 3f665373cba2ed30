"""Setup objects a client queries to learn whether Case automation would fire for it (contract §4.8),
answered from the org's state as a real org answers them. Their rows are derived on every read from
the toggle `automation_enabled` and the users' `bypass_automation` permission; nothing is stored, so
`/__admin/toggles` and `/__admin/users/{id}/permissions` show through at once. The objects are
read-only (insert, update and delete fail with INVALID_TYPE, as for any object whose describe says
it cannot be written).

| Object | Rows |
|---|---|
| ApexTrigger | `CaseAutoResponse` on Case (before/after insert), `Active` while the toggle is on |
| AssignmentRule | none (see below) |
| CustomPermission | `Bypass_Automation` |
| PermissionSet | `Stames_Load_Bypass` |
| SetupEntityAccess | the permission set grants the custom permission (SetupEntityType `CustomPermission`) |
| PermissionSetAssignment | the permission set, for every user holding `bypass_automation` |

The automation's queue reassignment is the trigger's work, not an assignment rule's: it honours the
bypass permission and runs on every API, while a real Case assignment rule ignores custom
permissions and runs only when the request asks for it (REST `Sforce-Auto-Assign`, Bulk
`assignmentRuleId`) [doc: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_autoassign.htm].
So the org answers the AssignmentRule query with no rows.

How a client finds the bypass, with the queries a real org answers [doc: object reference
SetupEntityAccess, "To grant users access to an entity, associate the appropriate SetupEntityAccess
record with a PermissionSet that's assigned to a user"; SetupEntityType `CustomPermission` from
v31.0]: CustomPermission by DeveloperName → SetupEntityAccess by SetupEntityId → the permission
sets (ParentId) → PermissionSetAssignment by AssigneeId and PermissionSetId.
Not modelled: the permission sets that profiles own (a real org assigns every user theirs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from emulators.salesforce.org.automation import BYPASS_PERMISSION, TRIGGER_NAME
from emulators.salesforce.org.ids import KEY_PREFIXES, mint, to18
from emulators.salesforce.org.schema import API_VERSION

SETUP_OBJECTS = frozenset(
    {
        "ApexTrigger",
        "AssignmentRule",
        "CustomPermission",
        "PermissionSet",
        "SetupEntityAccess",
        "PermissionSetAssignment",
    }
)

BYPASS_PERMISSION_SET = "Stames_Load_Bypass"

TRIGGER_BODY = f"""trigger {TRIGGER_NAME} on Case (before insert, after insert) {{
    if (FeatureManagement.checkPermission('{BYPASS_PERMISSION}')) {{
        return;
    }}
    CaseAutoResponseHandler.handle(Trigger.operationType, Trigger.new);
}}
"""
"""What the trigger would say in Apex: Email/Web Cases go to the support queue (before insert), every
Case gets an auto-response Task (after insert), unless the user holds the bypass permission."""


@dataclass(frozen=True)
class SetupState:
    """What the setup rows are derived from."""

    automation_enabled: bool
    admin_user_id: str
    bypass_user_ids: tuple[str, ...]
    stamp: str
    """CreatedDate/SystemModstamp of every row: when the org was seeded."""


def _id(sobject: str) -> str:
    return mint(KEY_PREFIXES[sobject], 1)


TRIGGER_ID = _id("ApexTrigger")
PERMISSION_ID = _id("CustomPermission")
PERMISSION_SET_ID = _id("PermissionSet")
ENTITY_ACCESS_ID = _id("SetupEntityAccess")


def assignment_id(user_id: str) -> str:
    """One PermissionSetAssignment per user: the user's Id body under the object's prefix."""
    return to18(KEY_PREFIXES["PermissionSetAssignment"] + user_id[3:15])


def setup_rows(sobject: str, state: SetupState) -> list[dict[str, Any]]:
    """The rows of one setup object (stored form: non-null values only)."""
    audit = {
        "CreatedDate": state.stamp,
        "CreatedById": state.admin_user_id,
        "LastModifiedDate": state.stamp,
        "LastModifiedById": state.admin_user_id,
        "SystemModstamp": state.stamp,
    }
    if sobject == "ApexTrigger":
        return [_trigger(state, audit)]
    if sobject == "CustomPermission":
        return [
            {
                "Id": PERMISSION_ID,
                "IsDeleted": False,
                "DeveloperName": BYPASS_PERMISSION,
                "MasterLabel": BYPASS_PERMISSION.replace("_", " "),
                "Language": "en_US",
                "Description": f"Skips the {TRIGGER_NAME} Case trigger (data migrations).",
                "IsProtected": False,
                "IsLicensed": False,
                **audit,
            }
        ]
    if sobject == "PermissionSet":
        return [
            {
                "Id": PERMISSION_SET_ID,
                "Name": BYPASS_PERMISSION_SET,
                "Label": BYPASS_PERMISSION_SET.replace("_", " "),
                "Description": f"Grants the {BYPASS_PERMISSION} custom permission.",
                "IsOwnedByProfile": False,
                "IsCustom": True,
                "Type": "Regular",
                "HasActivationRequired": False,
                **audit,
            }
        ]
    if sobject == "SetupEntityAccess":
        return [
            {
                "Id": ENTITY_ACCESS_ID,
                "ParentId": PERMISSION_SET_ID,
                "SetupEntityId": PERMISSION_ID,
                "SetupEntityType": "CustomPermission",
                "SystemModstamp": state.stamp,
            }
        ]
    if sobject == "PermissionSetAssignment":
        return list(_assignments(state.bypass_user_ids, state.stamp))
    return []  # AssignmentRule: none (module docstring)


def _trigger(state: SetupState, audit: dict[str, Any]) -> dict[str, Any]:
    usage = dict.fromkeys(
        (
            "UsageBeforeUpdate",
            "UsageAfterUpdate",
            "UsageBeforeDelete",
            "UsageAfterDelete",
            "UsageIsBulk",
            "UsageAfterUndelete",
        ),
        False,
    )
    return {
        "Id": TRIGGER_ID,
        "Name": TRIGGER_NAME,
        "TableEnumOrId": "Case",
        "UsageBeforeInsert": True,
        "UsageAfterInsert": True,
        **usage,
        "ApiVersion": float(API_VERSION),
        "Status": "Active" if state.automation_enabled else "Inactive",
        "IsValid": True,
        "Body": TRIGGER_BODY,
        "LengthWithoutComments": len(TRIGGER_BODY),
        **audit,
    }


def _assignments(user_ids: Iterable[str], stamp: str) -> Iterable[dict[str, Any]]:
    for user_id in sorted(user_ids):
        yield {
            "Id": assignment_id(user_id),
            "AssigneeId": user_id,
            "PermissionSetId": PERMISSION_SET_ID,
            "IsActive": True,
            "IsRevoked": False,
            "SystemModstamp": stamp,
        }
