"""Bulk API 2.0 HTTP handlers, relative to `/services/data/v{version}` (part B mounts them).

Handlers only translate HTTP to `BulkService` calls: JSON or multipart job creation, the streamed
CSV upload, state PATCHes, job listing and the result files (optionally gzip-compressed).
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from emulators.salesforce.bulk import messages
from emulators.salesforce.bulk.jobs import ABORTED, FAILED, JOB_COMPLETE, JobKind
from emulators.salesforce.bulk.query import DEFAULT_PAGE_SIZE, decode_locator, encode_locator, read_page
from emulators.salesforce.bulk.service import UPLOAD_LIMIT_BYTES, BulkError, BulkService, exceeds_upload_limit

MULTIPART_CHAR_LIMIT = 100_000
LIST_PAGE_SIZE = 1000
_CHUNK = 1024 * 1024
_RESULT_FILES = {
    "successfulResults": "successful",
    "failedResults": "failed",
    "unprocessedrecords": "unprocessed",
    "unprocessedRecords": "unprocessed",
}
_FINISHED = frozenset({JOB_COMPLETE, FAILED, ABORTED})


def routes() -> list[BaseRoute]:
    """Every Bulk 2.0 route, each with and without a trailing slash."""
    table: list[tuple[str, Any, list[str]]] = [
        ("/jobs/ingest", ingest_root, ["GET", "POST"]),
        ("/jobs/ingest/{job_id}", ingest_job, ["GET", "PATCH", "DELETE"]),
        ("/jobs/ingest/{job_id}/batches", upload, ["PUT"]),
        ("/jobs/ingest/{job_id}/{result_name}", ingest_results, ["GET"]),
        ("/jobs/query", query_root, ["GET", "POST"]),
        ("/jobs/query/{job_id}", query_job, ["GET", "PATCH", "DELETE"]),
        ("/jobs/query/{job_id}/results", query_results, ["GET"]),
        ("/jobs/query/{job_id}/resultPages", query_result_pages, ["GET"]),
    ]
    built: list[BaseRoute] = []
    for path, endpoint, methods in table:
        built.append(Route(path, _guarded(endpoint), methods=methods))
        built.append(Route(path + "/", _guarded(endpoint), methods=methods))
    return built


def _guarded(endpoint: Any) -> Any:
    """Answer BulkError as Salesforce does: a JSON array with one error element."""

    async def handler(request: Request) -> Response:
        try:
            response: Response = await endpoint(request)
        except BulkError as error:
            return JSONResponse(error.body(), status_code=error.status)
        return response

    handler.__name__ = endpoint.__name__
    return handler


def _service(request: Request) -> BulkService:
    service: BulkService = request.app.state.bulk
    return service


def _user_id(request: Request) -> str:
    return str(request.state.session.user_id)


def _version(request: Request) -> str:
    return str(request.path_params.get("version") or request.app.state.api_version)


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BulkError(400, *messages.BAD_JSON) from None
    if not isinstance(body, dict):
        raise BulkError(400, *messages.BAD_JSON)
    return body


# --- ingest -----------------------------------------------------------------------------------


async def ingest_root(request: Request) -> Response:
    if request.method == "GET":
        return _job_list(request, "ingest")
    service = _service(request)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await _create_multipart(request, service)
    job = service.create_ingest(await _json_body(request), _user_id(request), _version(request))
    return JSONResponse(job.info(brief=True))


async def _create_multipart(request: Request, service: BulkService) -> Response:
    """One request carrying the job (`job` part) and its data (`content` part): UploadComplete."""
    async with request.form(max_part_size=UPLOAD_LIMIT_BYTES) as form:
        job_part = form.get("job")
        content_part = form.get("content")
        job_text = await job_part.read() if isinstance(job_part, UploadFile) else job_part
        content = await content_part.read() if isinstance(content_part, UploadFile) else content_part
    try:
        spec = json.loads(job_text or "{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BulkError(400, *messages.BAD_JSON) from None
    if not isinstance(spec, dict):
        raise BulkError(400, *messages.BAD_JSON)
    data = content.encode("utf-8") if isinstance(content, str) else (content or b"")
    if len(data.decode("utf-8", errors="replace")) > MULTIPART_CHAR_LIMIT:
        raise BulkError(400, messages.INVALID_JOB, messages.MULTIPART_TOO_LARGE)
    job = service.create_ingest(spec, _user_id(request), _version(request))
    service.start_upload(job.id).write_bytes(data)
    service.finish_upload(job.id)
    return JSONResponse(service.change_state("ingest", job.id, "UploadComplete").info(brief=True))


async def ingest_job(request: Request) -> Response:
    return await _job_resource(request, "ingest")


async def upload(request: Request) -> Response:
    """PUT …/batches: stream the CSV to the job folder; 201 with no body."""
    service = _service(request)
    job_id = request.path_params["job_id"]
    target = service.start_upload(job_id)
    length_header = request.headers.get("content-length", "")
    declared = int(length_header) if length_header.isdigit() else 0
    if exceeds_upload_limit(declared):
        raise BulkError(400, *messages.UPLOAD_TOO_LARGE)
    gzipped = request.headers.get("content-encoding", "").lower() == "gzip"
    written = await _stream_to(target, _decoded(request.stream(), gzipped))
    if exceeds_upload_limit(written):
        target.unlink(missing_ok=True)
        raise BulkError(400, *messages.UPLOAD_TOO_LARGE)
    service.finish_upload(job_id)
    return Response(status_code=201)


async def _decoded(chunks: AsyncIterator[bytes], gzipped: bool) -> AsyncIterator[bytes]:
    inflater = zlib.decompressobj(wbits=47) if gzipped else None
    async for chunk in chunks:
        yield inflater.decompress(chunk) if inflater else chunk
    if inflater:
        yield inflater.flush()


async def _stream_to(target: Path, chunks: AsyncIterator[bytes]) -> int:
    written = 0
    with target.open("wb") as output:
        async for chunk in chunks:
            written += len(chunk)
            if exceeds_upload_limit(written):
                break
            output.write(chunk)
    return written


async def ingest_results(request: Request) -> Response:
    service = _service(request)
    job = service.ingest_job(request.path_params["job_id"])
    kind = _RESULT_FILES.get(request.path_params["result_name"])
    if kind is None:
        raise BulkError(404, *messages.NOT_FOUND)
    if job.state not in _FINISHED:
        raise BulkError(400, messages.INVALID_JOB_STATE, messages.NO_RESULTS_YET)
    files = service.files(job.id)
    path: Path = getattr(files, kind)
    never_read = not path.exists() or path.stat().st_size == 0
    if kind == "unprocessed" and never_read and files.upload.exists():
        path = files.upload  # the job stopped before reading its data: all of it is unprocessed
    return _file_response(request, path)


def _file_response(request: Request, path: Path) -> Response:
    headers = {"Content-Type": "text/csv; charset=UTF-8"}
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        headers["Content-Encoding"] = "gzip"
        return StreamingResponse(_gzip_chunks(path), headers=headers)
    if not path.exists():
        return Response(b"", headers=headers)
    return StreamingResponse(_file_chunks(path), headers=headers)


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as source:
        while chunk := source.read(_CHUNK):
            yield chunk


def _gzip_chunks(path: Path) -> Iterator[bytes]:
    deflater = zlib.compressobj(wbits=31)
    if path.exists():
        for chunk in _file_chunks(path):
            yield deflater.compress(chunk)
    yield deflater.flush()


# --- query ------------------------------------------------------------------------------------


async def query_root(request: Request) -> Response:
    if request.method == "GET":
        return _job_list(request, "query")
    spec = await _json_body(request)
    job = await run_in_threadpool(_service(request).create_query, spec, _user_id(request), _version(request))
    return JSONResponse(job.info(brief=True))


async def query_job(request: Request) -> Response:
    return await _job_resource(request, "query")


async def query_results(request: Request) -> Response:
    service = _service(request)
    job = service.query_job(request.path_params["job_id"])
    if job.api_version != _version(request):
        raise BulkError(409, *messages.VERSION_MISMATCH)
    if job.state != JOB_COMPLETE:
        raise BulkError(400, messages.INVALID_JOB_STATE, messages.NO_RESULTS_YET)
    offset = _locator_offset(request.query_params.get("locator"))
    page = read_page(service.files(job.id), offset, _max_records(request.query_params.get("maxRecords")))
    headers = {
        "Content-Type": "text/csv; charset=UTF-8",
        "Sforce-NumberOfRecords": str(page.number_of_records),
        "Sforce-Locator": page.next_locator or "null",
    }
    body = page.body
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        headers["Content-Encoding"] = "gzip"
        body = gzip.compress(body, compresslevel=5)
    return Response(body, headers=headers)


def _locator_offset(locator: str | None) -> int:
    if not locator or locator == "null":
        return 0
    offset = decode_locator(locator)
    if offset is None:
        raise BulkError(400, *messages.BAD_LOCATOR)
    return offset


def _max_records(value: str | None) -> int:
    if value is None or value == "":
        return DEFAULT_PAGE_SIZE
    if not value.isdigit() or int(value) <= 0:
        raise BulkError(400, *messages.BAD_MAX_RECORDS)
    return int(value)


async def query_result_pages(request: Request) -> Response:
    """`resultPages` (v58+): one result URL per page of the default size."""
    service = _service(request)
    job = service.query_job(request.path_params["job_id"])
    if job.state != JOB_COMPLETE:
        raise BulkError(400, messages.INVALID_JOB_STATE, messages.NO_RESULTS_YET)
    base = f"/services/data/v{_version(request)}/jobs/query/{job.id}/results"
    pages = []
    for offset in range(0, max(job.number_records_processed, 1), DEFAULT_PAGE_SIZE):
        locator = f"locator={encode_locator(offset)}&" if offset else ""
        pages.append({"resultUrl": f"{base}?{locator}maxRecords={DEFAULT_PAGE_SIZE}"})
    return JSONResponse({"resultPages": pages, "nextRecordsUrl": None, "done": True})


# --- shared -----------------------------------------------------------------------------------


async def _job_resource(request: Request, kind: JobKind) -> Response:
    service = _service(request)
    job_id = request.path_params["job_id"]
    if request.method == "DELETE":
        service.delete(kind, job_id)
        return Response(status_code=204)
    if request.method == "PATCH":
        wanted = (await _json_body(request)).get("state")
        return JSONResponse(service.change_state(kind, job_id, str(wanted)).info(brief=True))
    job = service.ingest_job(job_id) if kind == "ingest" else service.query_job(job_id)
    return JSONResponse(job.info())


def _job_list(request: Request, kind: JobKind) -> Response:
    locator = request.query_params.get("queryLocator") or ""
    after = int(locator) if locator.isdigit() else 0
    jobs, next_seq = _service(request).jobs.page(kind, after_seq=after, limit=LIST_PAGE_SIZE)
    wanted_type = request.query_params.get("jobType")
    if wanted_type:  # only Bulk 2.0 jobs live here: Classic and BigObjectIngest lists are empty
        jobs = [job for job in jobs if job.info()["jobType"] == wanted_type]
    next_url = None
    if next_seq is not None:
        next_url = f"/services/data/v{_version(request)}/jobs/{kind}?queryLocator={next_seq}"
    return JSONResponse(
        {"done": next_url is None, "records": [job.info() for job in jobs], "nextRecordsUrl": next_url}
    )
