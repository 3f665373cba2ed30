"""The contract between the org store (records + rules) and its transports (REST, Bulk 2.0, SOQL).

Every write path (REST sObject, sObject Collections, Bulk 2.0 ingest) calls the same `OrgStore`
operations, so a rule is enforced once and holds everywhere. Transports only translate their wire
format (JSON, CSV) into these calls and the results back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Wire = Literal["json", "csv"]
"""How values arrive. JSON carries typed values; CSV carries strings only ("true", "12.5")."""


@dataclass(frozen=True)
class FieldError:
    """One error of one record, as Salesforce reports it (`errorCode` / `statusCode`)."""

    code: str
    message: str
    fields: list[str] = field(default_factory=list)

    def rest_body(self) -> dict[str, Any]:
        """The REST error element: `{"message", "errorCode", "fields"}`."""
        return {"message": self.message, "errorCode": self.code, "fields": self.fields}

    def save_result_error(self) -> dict[str, Any]:
        """The sObject Collections SaveResult error element: `{"statusCode", "message", "fields"}`."""
        return {"statusCode": self.code, "message": self.message, "fields": self.fields}

    def bulk_error(self) -> str:
        """Bulk 2.0 `sf__Error`: `ERRORCODE:message:field list --`."""
        return f"{self.code}:{self.message}:{','.join(self.fields)} --"


@dataclass(frozen=True)
class SaveResult:
    """The outcome of one record's insert/update/upsert/delete."""

    id: str | None
    success: bool
    errors: list[FieldError] = field(default_factory=list)
    created: bool = False


@dataclass(frozen=True)
class OpContext:
    """Who writes, and through which API. Rules that depend on the user (audit fields, automation
    bypass, hardDelete permission) read it from here."""

    user_id: str
    wire: Wire = "json"
    api: Literal["rest", "collections", "bulk"] = "rest"


class RecordStore(Protocol):
    """Read access used by SOQL and by relationship resolution."""

    def sobject_names(self) -> list[str]:
        """API names of every object in the org (standard and deployed custom)."""
        ...

    def describe(self, sobject: str) -> dict[str, Any]:
        """The describe JSON of `sobject` (case-insensitive name), reflecting deployed metadata.
        Raises KeyError for an unknown object."""
        ...

    def scan(self, sobject: str, *, include_deleted: bool = False) -> Iterator[dict[str, Any]]:
        """Every record of `sobject` as a dict keyed by field API name, values in REST JSON form
        (datetimes as `2013-04-04T20:52:22.000+0000`, dates `YYYY-MM-DD`, numbers, booleans)."""
        ...

    def get(self, record_id: str, *, include_deleted: bool = False) -> dict[str, Any] | None:
        """One record by 15- or 18-char Id, any object; includes `"attributes": {"type": ...}`."""
        ...

    def find_ids(self, sobject: str, field_name: str, value: str) -> list[str]:
        """Ids of live records whose `field_name` equals `value` (external ids, idLookup fields)."""
        ...


class OrgStore(RecordStore, Protocol):
    """Write access. Each call validates the record against the org's rules and returns a
    `SaveResult` instead of raising for record-level errors."""

    def insert(self, sobject: str, values: Mapping[str, Any], ctx: OpContext) -> SaveResult: ...

    def update(
        self, sobject: str, record_id: str, values: Mapping[str, Any], ctx: OpContext
    ) -> SaveResult: ...

    def upsert(
        self,
        sobject: str,
        external_id_field: str,
        values: Mapping[str, Any],
        ctx: OpContext,
    ) -> SaveResult:
        """Insert or update by `values[external_id_field]`; several matches → an error result
        (REST answers 300, Bulk `DUPLICATE_EXTERNAL_ID`)."""
        ...

    def delete(self, record_id: str, ctx: OpContext, *, hard: bool = False) -> SaveResult: ...

    def atomic(self) -> AbstractContextManager[None]:
        """Group writes into one transaction: an exception inside rolls all of them back
        (allOrNone collections; Bulk commits per internal batch of up to 10,000 rows)."""
        ...

    def toggle(self, name: str) -> Any:
        """Current value of an org switch (see `TOGGLES`)."""
        ...

    def set_toggles(self, values: Mapping[str, Any]) -> None:
        """Change org switches; unknown names raise KeyError. Persisted with the org."""
        ...


TOGGLES: dict[str, Any] = {
    "audit_fields_enabled": False,  # org preference + user permission "Set Audit Fields upon Record Creation"
    "automation_enabled": True,  # the Case insert rule of contract §4.8 fires unless the user bypasses it
    "daily_api_limit": 15000,  # DailyApiRequests Max; 403 REQUEST_LIMIT_EXCEEDED once spent
    "concurrent_job_limit": 10,  # Bulk 2.0 ingest jobs InProgress at once
    "fault_503_rate": 0.0,  # share of REST/Bulk requests answered 503
    "fault_lock_row_rate": 0.0,  # share of Bulk rows failing UNABLE_TO_LOCK_ROW
    "fault_slow_jobs_seconds": 0.0,  # extra delay before a Bulk job leaves UploadComplete
    "fault_failed_job_rate": 0.0,  # share of Bulk ingest jobs ending Failed
}
"""Org switches with their defaults. The admin endpoint `/__admin/toggles` reads and writes them."""
