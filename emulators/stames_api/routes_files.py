"""Attachment metadata, the 302 indirection and the signed file host (API.md §2.7 #13–15)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse

from emulators.stames_api.content import generated_bytes
from emulators.stames_api.errors import ApiError, gone, not_found
from emulators.stames_api.routes_tickets import path_int, renderer
from emulators.stames_api.server import Server
from emulators.stames_api.signing import UrlSigner
from emulators.stames_api.store import Store

CHUNK_SIZE = 256 * 1024
RANGE_PATTERN = re.compile(r"^bytes=(\d*)-(\d*)$")


def _attachment(store: Store, attachment_id: Any) -> dict[str, Any]:
    row = store.attachments.find(attachment_id)
    if row is None:
        raise not_found(f"attachment {attachment_id}")
    return store.attachments.record(row)


async def get_attachment(request: Request, server: Server) -> dict[str, Any]:
    stored = _attachment(server.store, path_int(request, "attachment_id", "attachment"))
    return renderer(request, server).attachment(stored)


async def attachment_content(request: Request, server: Server) -> Response:
    stored = _attachment(server.store, path_int(request, "attachment_id", "attachment"))
    if stored.get("status") == "purged":
        raise gone(f"attachment {stored.get('id')}")
    url = renderer(request, server).attachment(stored)["download_url"]
    return RedirectResponse(url, status_code=302)


@dataclass(frozen=True)
class Content:
    """Where an attachment's bytes come from: a file in the dataset or the shared generator."""

    size: int
    path: Path | None
    seed: int | None

    def chunks(self, start: int, end: int) -> Iterator[bytes]:
        """Bytes start..end (exclusive), read or generated lazily."""
        if self.path is None:
            yield from generated_bytes(self.size, self.seed or 0, start, end)
            return
        with self.path.open("rb") as handle:
            handle.seek(start)
            remaining = end - start
            while remaining > 0:
                block = handle.read(min(CHUNK_SIZE, remaining))
                if not block:
                    return
                remaining -= len(block)
                yield block


def _content(store: Store, stored: dict[str, Any]) -> Content:
    spec = stored.get("content")
    if isinstance(spec, dict) and isinstance(spec.get("generate"), dict):
        generate = spec["generate"]
        return Content(int(generate.get("size", 0)), None, int(generate.get("seed", 0)))
    if isinstance(spec, dict) and isinstance(spec.get("file"), str):
        path = (store.root / spec["file"]).resolve()
        if path.is_relative_to(store.root) and path.is_file():
            return Content(path.stat().st_size, path, None)
    raise not_found(f"content of attachment {stored.get('id')}")


def _etag(content: Content, stored: dict[str, Any]) -> str:
    declared = stored.get("sha256")
    if isinstance(declared, str) and declared:
        return declared
    digest = hashlib.sha256()
    for chunk in content.chunks(0, content.size):
        digest.update(chunk)
    return digest.hexdigest()


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, end-exclusive) of a single `bytes=` range; None for no/unsupported range.

    Raises 416 when the range cannot be satisfied (RFC 9110 §14.1.2).
    """
    if not header:
        return None
    match = RANGE_PATTERN.match(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        start, end = max(0, size - int(last)), size
    else:
        start = int(first)
        end = min(size, int(last) + 1) if last else size
    if start >= size or start >= end:
        raise ApiError(
            416,
            "range_not_satisfiable",
            "requested range not satisfiable",
            headers={"Content-Range": f"bytes */{size}"},
        )
    return start, end


def _disposition(file_name: Any) -> str:
    name = file_name if isinstance(file_name, str) and file_name else "file"
    return "attachment; filename*=UTF-8''" + quote(name, safe="", errors="replace")


async def download_file(request: Request, server: Server) -> Response:
    """Stream one attachment's bytes; separate bucket, signed URL, purged 404, quarantined 403."""
    headers = server.throttle.admit_file()
    try:
        token = request.path_params["token"]
        server.signer.check(
            token, request.query_params.get("expires"), request.query_params.get("sig"), server.clock.now_ms()
        )
        stored = _attachment(server.store, _id_from_token(token))
        if stored.get("status") == "purged":
            raise not_found("file (purged)")
        if stored.get("status") == "quarantined":
            raise ApiError(403, "quarantined", "file is quarantined by the malware scan")
        content = _content(server.store, stored)
        span = parse_range(request.headers.get("range"), content.size)
    except ApiError as error:
        error.headers = {**headers, **error.headers}
        raise
    start, end = span or (0, content.size)
    headers |= {
        "Content-Length": str(end - start),
        "Content-Disposition": _disposition(stored.get("file_name")),
        "ETag": f'"{_etag(content, stored)}"',
        "Accept-Ranges": "bytes",
    }
    if span is not None:
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{content.size}"
    # Set as a header, not media_type: Starlette would append "; charset=utf-8" to text/* types,
    # and the file host must send the attachment's stored content_type verbatim.
    headers["Content-Type"] = stored.get("content_type") or "application/octet-stream"
    status = 206 if span is not None else 200
    return StreamingResponse(content.chunks(start, end), status_code=status, headers=headers)


def _id_from_token(token: str) -> Any:
    text = UrlSigner.attachment_id(token)
    try:
        return int(text)
    except ValueError:
        return text
