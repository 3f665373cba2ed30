"""What a DML step sends and what it gets back, independent of the transport."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum

Value = str | bool | int | float | Decimal | date | datetime | None

RETRYABLE_CODES = frozenset(
    {"UNABLE_TO_LOCK_ROW", "REQUEST_LIMIT_EXCEEDED", "SERVER_UNAVAILABLE", "UNPROCESSED", "TIMEOUT"}
)
"""Row errors a resend can cure: a lock held by another job, a limit that frees up, a job that
stopped before reaching the row."""


class Operation(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    UPSERT = "upsert"


@dataclass(frozen=True)
class ParentRef:
    """A lookup set through the parent's external id, never through an Id we looked up."""

    field: str
    """The lookup field, `AccountId`."""
    relationship: str
    """Its relationship name, `Account`."""
    parent_sobject: str
    polymorphic: bool = False
    external_id_field: str = "Stames_Id__c"

    @property
    def bulk_header(self) -> str:
        """`Account.Stames_Id__c`, or `Case:What.Stames_Id__c` for a polymorphic lookup."""
        column = f"{self.relationship}.{self.external_id_field}"
        return f"{self.parent_sobject}:{column}" if self.polymorphic else column


@dataclass(frozen=True)
class DmlSpec:
    """One DML step: which object, how records are matched, which columns go."""

    sobject: str
    operation: Operation
    fields: tuple[str, ...]
    parents: tuple[ParentRef, ...] = ()
    key_field: str = "Stames_Id__c"
    """The upsert key, or `Id` for an update."""


@dataclass(frozen=True)
class LoadRecord:
    key: str
    """The value of `spec.key_field`: how this record's result is found again."""
    values: dict[str, Value]
    parent_keys: dict[str, str | None] = field(default_factory=dict)
    """Lookup field → the parent's external id."""


@dataclass(frozen=True)
class RecordResult:
    key: str
    salesforce_id: str | None
    success: bool
    created: bool = False
    error_code: str | None = None
    error_message: str | None = None

    @property
    def retryable(self) -> bool:
        return not self.success and self.error_code in RETRYABLE_CODES


def failure(key: str, code: str, message: str, salesforce_id: str | None = None) -> RecordResult:
    return RecordResult(key, salesforce_id or None, False, error_code=code, error_message=message)


def parse_bulk_error(text: str) -> tuple[str, str]:
    """`CODE:message:fields --` (a Bulk 2.0 `sf__Error`) as (code, message)."""
    body = text.strip().removesuffix("--").strip()
    code, _, rest = body.partition(":")
    message, _, fields = rest.rpartition(":") if rest.count(":") else (rest, "", "")
    message = message or rest
    return code.strip(), f"{message.strip()} [{fields.strip()}]" if fields.strip() else message.strip()


def api_datetime(moment: datetime) -> str:
    """The API's dateTime: UTC with milliseconds and `Z`. A naive value is already UTC."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def api_text(value: Value) -> str:
    """A value as the API writes it in CSV and where JSON takes a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return api_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return "" if value is None else str(value)


def api_json(value: Value) -> object:
    """A value as JSON carries it: booleans and numbers as themselves, the rest as text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return api_text(value)
