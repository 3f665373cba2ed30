"""getUpdated / getDeleted over REST: `GET /sobjects/{Object}/updated/?start=&end=` and
`…/deleted/?start=&end=` (simple-salesforce `sf.Account.updated()` / `.deleted()`).

A reconcile step can ask which records changed or went to the recycle bin in a time window; both
read `SystemModstamp`, which every write stamps.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emulators.salesforce.http.describe import describe_of
from emulators.salesforce.http.errors import SalesforceApiError


def _instant(request: Request, name: str) -> datetime:
    raw = request.query_params.get(name)
    if not raw:
        raise SalesforceApiError(400, "MISSING_ARGUMENT", f"Missing parameter: {name}")
    try:
        parsed = datetime.fromisoformat(raw.replace(" ", "+"))
    except ValueError as error:
        raise SalesforceApiError(400, "INVALID_REPLICATION_DATE", f"Invalid date: {raw}") from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _window(request: Request) -> tuple[datetime, datetime]:
    start, end = _instant(request, "start"), _instant(request, "end")
    if end < start:
        raise SalesforceApiError(400, "INVALID_REPLICATION_DATE", "end date is before start date")
    return start, end


def _stamp(record: dict[str, Any]) -> datetime | None:
    value = record.get("SystemModstamp")
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _format(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def _changed(
    org: Any, sobject: str, start: datetime, end: datetime, *, deleted: bool
) -> list[dict[str, Any]]:
    return [
        record
        for record in org.scan(sobject, include_deleted=deleted)
        if bool(record.get("IsDeleted")) is deleted
        and (stamp := _stamp(record)) is not None
        and start <= stamp <= end
    ]


async def updated(request: Request) -> Response:
    name = str(describe_of(request, request.path_params["sobject"])["name"])
    start, end = _window(request)
    records = await run_in_threadpool(_changed, request.app.state.org, name, start, end, deleted=False)
    return JSONResponse({"ids": [record["Id"] for record in records], "latestDateCovered": _format(end)})


async def deleted(request: Request) -> Response:
    name = str(describe_of(request, request.path_params["sobject"])["name"])
    start, end = _window(request)
    records = await run_in_threadpool(_changed, request.app.state.org, name, start, end, deleted=True)
    return JSONResponse(
        {
            "deletedRecords": [
                {"id": record["Id"], "deletedDate": record["SystemModstamp"]} for record in records
            ],
            "earliestDateAvailable": _format(start),
            "latestDateCovered": _format(end),
        }
    )
