"""Would the org's Case automation fire for the loading user? The loader asks before it writes
(contract §4.8) and stops unless the user bypasses the automation or the operator accepts it.

Everything is read with queries a real org answers, as the connected user; nothing here calls the
emulator's `/__admin` endpoints, which no real org has.

- **What fires**: active Apex triggers on Case (`ApexTrigger`, the query of `schema.org_facts`)
  [doc: https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-apextrigger.html].
- **The bypass**: the custom permission `Bypass_Automation`, the convention §4.8 cites (triggers
  check `FeatureManagement.checkPermission('Bypass_Automation')`, flows and validation rules
  `$Permission.Bypass_Automation`). A user holds a custom permission when a permission set assigned
  to them grants it, which takes three queries [doc:
  https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_setupentityaccess.htm,
  "To grant users access to an entity, associate the appropriate SetupEntityAccess record with a
  PermissionSet that's assigned to a user"; SetupEntityType `CustomPermission` from v31.0]:
  `CUSTOM_PERMISSION_SOQL`, `PERMISSION_SETS_SOQL`, `ASSIGNMENTS_SOQL`. Profiles and permission set
  groups grant through PermissionSets of their own (`IsOwnedByProfile`, the group's aggregate
  permission set), which the same assignment query sees [recall].
- **Assignment rules** are reported, not counted as firing: a custom permission does not bypass
  them, and they run only when a request asks for them (Bulk `assignmentRuleId`; REST unless it
  sends `Sforce-Auto-Assign: FALSE`) [doc:
  https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_autoassign.htm].
  A loader that writes Cases over REST sends that header.

On a real org these setup objects need "View Setup and Configuration" (or "Assign Permission
Sets"); without it a query fails, and what could not be read is reported with its error code, never
guessed. An unreadable answer refuses the load like automation that fires, unless accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceError

from loaders.org_snapshot import current_user_id
from loaders.schema.org_facts import Observation, error_code, observe_case_automation

BYPASS_PERMISSION = "Bypass_Automation"
ACCEPT_OPTION = "--accept-automation"

CUSTOM_PERMISSION_SOQL = "SELECT Id FROM CustomPermission WHERE DeveloperName = '{name}'"
PERMISSION_SETS_SOQL = (
    "SELECT ParentId FROM SetupEntityAccess "
    "WHERE SetupEntityType = 'CustomPermission' AND SetupEntityId IN ({ids})"
)
ASSIGNMENTS_SOQL = (
    "SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '{user_id}' AND PermissionSetId IN ({ids})"
)
USERNAME_SOQL = "SELECT Username FROM User WHERE Id = '{user_id}'"

TRIGGERS_READ = "active Case triggers (ApexTrigger)"
ASSIGNMENT_RULES_READ = "active Case assignment rules (AssignmentRule)"
USER_READ = "the connected user's Id (identity URL)"

_ID = re.compile(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?")
_DEVELOPER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class AutomationWouldFireError(RuntimeError):
    """The load would set off Case automation (or could not tell) and was not accepted."""

    def __init__(self, check: AutomationCheck) -> None:
        super().__init__(refusal(check))
        self.check = check


@dataclass(frozen=True)
class AutomationCheck:
    """What the org says about Case automation and the loading user."""

    triggers: tuple[str, ...]
    """Names of the active Case triggers."""
    assignment_rules: tuple[str, ...]
    """Names of the active Case assignment rules (reported; they run only when a load asks)."""
    bypassed: bool | None
    """Whether the user holds the bypass custom permission; None when that could not be read."""
    unreadable: tuple[str, ...] = ()
    """What could not be read, each with the org's error code: `active Case triggers (ApexTrigger):
    INVALID_TYPE`."""
    user: str = "the connected user"
    """Who loads: the Username, else the Id."""
    bypass_permission: str = BYPASS_PERMISSION

    @property
    def would_fire(self) -> bool | None:
        """True when an active Case trigger would run for the user; None when that cannot be told
        (the triggers or the bypass could not be read)."""
        if self.bypassed:
            return False
        if self.triggers:
            return None if self.bypassed is None else True
        triggers_unread = any(item.startswith(TRIGGERS_READ) for item in self.unreadable)
        return None if triggers_unread else False


def check_case_automation(client: Salesforce, bypass_permission: str = BYPASS_PERMISSION) -> AutomationCheck:
    """Read the active Case triggers and assignment rules, and whether the connected user holds
    `bypass_permission` (a custom permission's DeveloperName)."""
    if not _DEVELOPER_NAME.fullmatch(bypass_permission):
        raise ValueError(f"not a custom permission API name: {bypass_permission!r}")
    unreadable: list[str] = []
    observed = observe_case_automation(client)
    triggers = _names(observed.triggers, TRIGGERS_READ, unreadable)
    rules = _names(observed.assignment_rules, ASSIGNMENT_RULES_READ, unreadable)
    try:
        user_id = current_user_id(client)
    except SalesforceError as error:
        unreadable.append(f"{USER_READ}: {error_code(error)}")
        user_id = None
    if user_id is not None and not _ID.fullmatch(user_id):
        unreadable.append(f"{USER_READ}: not an Id ({user_id!r})")
        user_id = None
    bypassed = _holds_permission(client, user_id, bypass_permission, unreadable) if user_id else None
    return AutomationCheck(
        triggers=triggers,
        assignment_rules=rules,
        bypassed=bypassed,
        unreadable=tuple(unreadable),
        user=_username(client, user_id) if user_id else "the connected user",
        bypass_permission=bypass_permission,
    )


def require_automation_safe(check: AutomationCheck, accept_automation: bool) -> None:
    """Return when nothing fires for the user, or the operator accepted it; else raise
    `AutomationWouldFireError` with a one-line message saying what fires and the ways out."""
    if accept_automation or check.would_fire is False:
        return
    raise AutomationWouldFireError(check)


def refusal(check: AutomationCheck) -> str:
    """One line: what fires (or what could not be read), for whom, and the three ways out."""
    permission = check.bypass_permission
    ways_out = (
        f"Grant the {permission} custom permission to {check.user} (a permission set), "
        f"deactivate the automation, or pass {ACCEPT_OPTION} to load anyway."
    )
    fired = (
        f"active Case trigger(s) {', '.join(check.triggers)} would run on every Case the load inserts"
        if check.triggers
        else ""
    )
    if check.would_fire:
        return (
            f"Case automation would fire for {check.user}: {fired}, and {check.user} does not hold "
            f"the {permission} custom permission. {ways_out}"
        )
    unread = "; ".join(check.unreadable) or "nothing"
    lead = f"{fired}; " if fired else ""
    return (
        f"Cannot tell whether Case automation would fire for {check.user}: {lead}could not read "
        f"{unread}. {ways_out}"
    )


def _names(observation: Observation, what: str, unreadable: list[str]) -> tuple[str, ...]:
    if observation.unreadable is not None:
        unreadable.append(f"{what}: {observation.unreadable}")
    return observation.names


def _holds_permission(
    client: Salesforce, user_id: str, permission: str, unreadable: list[str]
) -> bool | None:
    """Whether a permission set assigned to the user grants the custom permission."""
    steps = (
        (CUSTOM_PERMISSION_SOQL, "Id", f"the {permission} custom permission (CustomPermission)"),
        (PERMISSION_SETS_SOQL, "ParentId", f"the permission sets granting {permission} (SetupEntityAccess)"),
        (ASSIGNMENTS_SOQL, "Id", "the user's permission set assignments (PermissionSetAssignment)"),
    )
    found: tuple[str, ...] = ()
    for template, column, what in steps:
        soql = template.format(name=permission, user_id=user_id, ids=_id_list(found))
        try:
            records = client.query_all(soql)["records"]
        except SalesforceError as error:
            unreadable.append(f"{what}: {error_code(error)}")
            return None
        found = tuple(dict.fromkeys(str(row[column]) for row in records if row.get(column)))
        if not found:
            return False
    return True


def _id_list(ids: Iterable[str]) -> str:
    """Ids the org returned, quoted for an IN list (anything not shaped like an Id is dropped)."""
    return ", ".join(f"'{value}'" for value in ids if _ID.fullmatch(value))


def _username(client: Salesforce, user_id: str) -> str:
    try:
        records = client.query(USERNAME_SOQL.format(user_id=user_id))["records"]
    except SalesforceError:
        return user_id
    return str(records[0]["Username"]) if records else user_id
