"""The org's Case automation (contract §4.8), standing in for the triggers and flows a real
service org runs, so that a loader's bypass handling can be tested.

It runs on Case insert when the toggle `automation_enabled` is on and the running user lacks the
bypass permission (`bypass_automation`). It then:

1. rejects the Case with CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY when its Origin is in
   `QUEUE_ORIGINS` but it has neither a ContactId nor a SuppliedEmail (the auto-response flow has
   no recipient and throws);
2. sets OwnerId to the default support queue (`Org.support_queue_id`) when Origin is in
   `QUEUE_ORIGINS`, overriding any OwnerId the load sent (an assignment rule);
3. after the insert, creates one Task: WhatId = the Case, WhoId = its ContactId, Subject
   "Auto-response sent", Status "Completed", owned by the running user.

A migration therefore either runs as a user with the bypass permission, or turns the toggle off,
or expects these Tasks and owner changes and corrects them.

A client sees this automation the way it sees a real org's (`setup_objects.py`): as the Apex trigger
`TRIGGER_NAME` on Case (Status Active while the toggle is on), and the bypass as the custom
permission `BYPASS_PERMISSION`, held through a permission set by every user with `bypass_automation`.
"""

from __future__ import annotations

from typing import Any

from emulators.salesforce.org import record_errors
from emulators.salesforce.org.repository import OrgRepository
from emulators.salesforce.org.types import OpContext
from emulators.salesforce.org.values import Rejected

QUEUE_ORIGINS = frozenset({"Email", "Web"})
AUTO_RESPONSE_SUBJECT = "Auto-response sent"
TRIGGER_NAME = "CaseAutoResponse"
BYPASS_PERMISSION = "Bypass_Automation"
"""The custom permission the automation checks, as `FeatureManagement.checkPermission` would (§4.8)."""


def runs_for(org: OrgRepository, ctx: OpContext) -> bool:
    return bool(org.toggle("automation_enabled")) and not org.user(ctx.user_id).bypass_automation


def before_case_insert(org: OrgRepository, clean: dict[str, Any], ctx: OpContext) -> None:
    if not runs_for(org, ctx) or clean.get("Origin") not in QUEUE_ORIGINS:
        return
    if not clean.get("ContactId") and not clean.get("SuppliedEmail"):
        raise Rejected(
            record_errors.automation_failed(
                f"{TRIGGER_NAME}: execution of AfterInsert caused by: no recipient for the auto-response "
                "(neither ContactId nor SuppliedEmail is set)"
            )
        )
    clean["OwnerId"] = org.support_queue_id


def after_case_insert(org: OrgRepository, case: dict[str, Any], ctx: OpContext) -> None:
    if not runs_for(org, ctx):
        return
    org.system_insert(
        "Task",
        {
            "WhatId": case["Id"],
            "WhoId": case.get("ContactId"),
            "Subject": AUTO_RESPONSE_SUBJECT,
            "Status": "Completed",
            "Priority": "Normal",
            "OwnerId": ctx.user_id,
        },
        ctx.user_id,
    )
