"""What the schema plan and check need of the org that describes do not say: which Case and Task
statuses are closed, and the Case automation a load would set off.

Only what the API lets a client read is reported. Active Case assignment rules and Case triggers
are ordinary SOQL objects on a real org (`AssignmentRule`, `ApexTrigger`); an org that does not
answer those queries gets "not readable" with the error code, never a guess. Flows are not readable
this way and are left to the admin (the check says so); whether the loading user holds a bypass
custom permission is read by `loaders.automation`, which reuses these queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceError

ASSIGNMENT_RULES_SOQL = "SELECT Name FROM AssignmentRule WHERE SobjectType = 'Case' AND Active = true"
CASE_TRIGGERS_SOQL = "SELECT Name FROM ApexTrigger WHERE TableEnumOrId = 'Case' AND Status = 'Active'"


CLOSED_STATUS_SOQL = {
    "CaseStatus": "SELECT ApiName FROM CaseStatus WHERE IsClosed = true",
    "TaskStatus": "SELECT ApiName FROM TaskStatus WHERE IsClosed = true",
}
"""The status objects behind the two closable standard value sets [doc: object reference,
CaseStatus / TaskStatus: ApiName, IsClosed]."""


@dataclass(frozen=True)
class Observation:
    """Names a query returned, or why it could not be read."""

    names: tuple[str, ...] = ()
    unreadable: str | None = None


@dataclass(frozen=True)
class CaseAutomation:
    assignment_rules: Observation
    triggers: Observation


def observe_case_automation(client: Salesforce) -> CaseAutomation:
    return CaseAutomation(
        assignment_rules=_names(client, ASSIGNMENT_RULES_SOQL),
        triggers=_names(client, CASE_TRIGGERS_SOQL),
    )


def closed_statuses(client: Salesforce) -> dict[str, frozenset[str]]:
    """The closed values of each closable standard value set the org lets the client read."""
    closed: dict[str, frozenset[str]] = {}
    for set_name, soql in CLOSED_STATUS_SOQL.items():
        try:
            records = client.query_all(soql)["records"]
        except SalesforceError:
            continue
        closed[set_name] = frozenset(str(row["ApiName"]) for row in records)
    return closed


def _names(client: Salesforce, soql: str) -> Observation:
    try:
        records = client.query_all(soql)["records"]
    except SalesforceError as error:
        return Observation(unreadable=error_code(error))
    return Observation(names=tuple(str(row["Name"]) for row in records))


def error_code(error: SalesforceError) -> str:
    """The `errorCode` of a failed call (INVALID_TYPE, INSUFFICIENT_ACCESS…), else the exception's name."""
    content = error.content
    if isinstance(content, list) and content and isinstance(content[0], dict):
        return str(content[0].get("errorCode") or type(error).__name__)
    return type(error).__name__
