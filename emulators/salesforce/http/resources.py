"""Small REST resources: the version list, the per-version resource index, and `limits`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emulators.salesforce.http.identity import identity_url
from emulators.salesforce.http.requests_io import api_version
from emulators.salesforce.http.versions import supported_versions

BULK_QUERY_JOBS_PER_DAY = 10_000
BULK_QUERY_STORAGE_MB = 1_048_576  # 1 TB of query results per 24 h
BULK_BATCHES_PER_DAY = 15_000


async def versions(request: Request) -> Response:
    """`GET /services/data`: unauthenticated, not counted, no `Sforce-Limit-Info` [doc]."""
    return JSONResponse(supported_versions(request.app.state.api_version))


async def resource_index(request: Request) -> Response:
    """`GET /services/data/vXX.X/` (Resources by Version): each resource's path, and `identity`, the
    absolute identity URL of the calling user [doc: "List Available REST Resources"]."""
    base = f"/services/data/v{api_version(request)}"
    names = ("sobjects", "query", "queryAll", "limits", "composite", "jobs")
    resources = {name: f"{base}/{name}" for name in names}
    resources["identity"] = identity_url(request, request.state.session.user_id)
    return JSONResponse(dict(sorted(resources.items())))


def _allowance(maximum: int, used: int = 0) -> dict[str, int]:
    return {"Max": maximum, "Remaining": max(0, maximum - used)}


async def limits(request: Request) -> Response:
    state = request.app.state
    daily = int(state.org.toggle("daily_api_limit"))
    return JSONResponse(
        {
            "ConcurrentAsyncGetReportInstances": _allowance(200),
            "DailyApiRequests": _allowance(daily, state.usage.used),
            "DailyAsyncApexExecutions": _allowance(250_000),
            "DailyBulkApiBatches": _allowance(BULK_BATCHES_PER_DAY),
            "DailyBulkV2QueryFileStorageMB": _allowance(BULK_QUERY_STORAGE_MB),
            "DailyBulkV2QueryJobs": _allowance(BULK_QUERY_JOBS_PER_DAY),
            "DataStorageMB": _allowance(1024),
            "FileStorageMB": _allowance(10240),
            "SingleEmail": _allowance(5000),
        }
    )
