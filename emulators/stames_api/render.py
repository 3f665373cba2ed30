"""What the API computes on top of stored rows: list-view truncation and fresh signed URLs."""

from __future__ import annotations

from typing import Any

from emulators.stames_api.signing import UrlSigner
from emulators.stames_api.store import Store

LIST_BODY_LIMIT_BYTES = 64 * 1024
BODY_FIELDS = ("body_text", "body_html")


def truncate_utf8(text: str, limit: int) -> str | None:
    """`text` cut to at most `limit` UTF-8 bytes on a character boundary, or None if it fits."""
    if len(text) * 4 <= limit:
        return None
    encoded = text.encode("utf-8", "surrogatepass")
    if len(encoded) <= limit:
        return None
    cut = encoded[:limit]
    for trim in range(4):
        try:
            return cut[: len(cut) - trim].decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            continue
    return cut.decode("utf-8", "ignore")


def truncate_bodies(message: dict[str, Any]) -> None:
    """List endpoints cut each body at 64 KiB and flag it; #9 serves the stored message whole."""
    for name in BODY_FIELDS:
        body = message.get(name)
        if isinstance(body, str):
            shortened = truncate_utf8(body, LIST_BODY_LIMIT_BYTES)
            if shortened is not None:
                message[name] = shortened
                message["body_truncated"] = True


class Renderer:
    """Turns stored rows into response objects for one request (base URL and time fixed)."""

    def __init__(self, store: Store, signer: UrlSigner, base_url: str, now_ms: int) -> None:
        self.store = store
        self.signer = signer
        self.base_url = base_url
        self.now_ms = now_ms

    def sign_into(self, attachment: dict[str, Any], status: Any) -> None:
        if status == "purged":
            attachment["download_url"] = None
            attachment["expires_at"] = None
            return
        url, expires_at = self.signer.sign(self.base_url, attachment.get("id"), self.now_ms)
        attachment["download_url"] = url
        attachment["expires_at"] = expires_at

    def attachment(self, stored: dict[str, Any]) -> dict[str, Any]:
        """Metadata as stored, without the dataset-only `content` spec, with a fresh URL."""
        shown = {name: value for name, value in stored.items() if name != "content"}
        self.sign_into(shown, stored.get("status"))
        return shown

    def message(self, stored: dict[str, Any], *, list_view: bool) -> dict[str, Any]:
        if list_view:
            truncate_bodies(stored)
        embedded = stored.get("attachments")
        if isinstance(embedded, list):
            for entry in embedded:
                if isinstance(entry, dict) and "id" in entry:
                    self.sign_into(entry, self._attachment_status(entry))
        else:
            rows = self.store.attachments_by_message.get(stored.get("id"), [])
            if rows:
                stored["attachments"] = [self.attachment(self.store.attachments.record(row)) for row in rows]
        return stored

    def _attachment_status(self, entry: dict[str, Any]) -> Any:
        row = self.store.attachments.find(entry.get("id"))
        if row is None:
            return entry.get("status")
        return self.store.attachments.record(row).get("status")
