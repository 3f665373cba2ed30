"""Signed, expiring file URLs (API.md §2.7 #13–15), S3-style: token + expires + HMAC."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from emulators.stames_api.clock import format_timestamp
from emulators.stames_api.errors import ApiError


class UrlSigner:
    """Issues and checks `/files/{token}?expires=&sig=` URLs for attachment ids."""

    def __init__(self, seed: int, ttl_seconds: int) -> None:
        self._key = hashlib.sha256(f"stames-files:{seed}".encode()).digest()
        self.ttl_seconds = ttl_seconds

    @staticmethod
    def token_for(attachment_id: Any) -> str:
        return base64.urlsafe_b64encode(f"att:{attachment_id}".encode()).rstrip(b"=").decode("ascii")

    @staticmethod
    def attachment_id(token: str) -> str:
        """The attachment id a token names (as text), or 404 for tokens we never issued."""
        try:
            decoded = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("utf-8")
        except ValueError as exc:
            raise ApiError(404, "not_found", "file not found") from exc
        if not decoded.startswith("att:"):
            raise ApiError(404, "not_found", "file not found")
        return decoded[4:]

    def _signature(self, token: str, expires: int) -> str:
        return hmac.new(self._key, f"{token}:{expires}".encode(), hashlib.sha256).hexdigest()[:40]

    def sign(self, base_url: str, attachment_id: Any, now_ms: int) -> tuple[str, str]:
        """(download_url, expires_at) valid for the configured TTL from `now_ms`."""
        expires = now_ms // 1000 + self.ttl_seconds
        token = self.token_for(attachment_id)
        url = f"{base_url.rstrip('/')}/files/{token}?expires={expires}&sig={self._signature(token, expires)}"
        return url, format_timestamp(expires * 1000)

    def check(self, token: str, expires_raw: str | None, signature: str | None, now_ms: int) -> None:
        """403 url_expired past `expires`; 403 invalid_signature for anything forged."""
        try:
            expires = int(expires_raw or "")
        except ValueError as exc:
            raise ApiError(403, "invalid_signature", "signed URL is malformed") from exc
        if not signature or not hmac.compare_digest(signature, self._signature(token, expires)):
            raise ApiError(403, "invalid_signature", "signature does not match")
        if now_ms // 1000 > expires:
            raise ApiError(
                403, "url_expired", "Request has expired; fetch a fresh URL from /attachments/{id}"
            )
