"""Pure record processors for the Stames source: no I/O, so they are unit-tested directly."""

from __future__ import annotations

import re
from typing import Any

_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _escape_surrogate(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape_lone_surrogates(value: Any) -> Any:
    """Replace lone UTF-16 surrogates by their JSON escape text (`\\ud83d`), recursively.

    The API sends JSON-escaped lone surrogates (§3 #14). Python decodes them into strings that
    cannot be written as UTF-8, so parquet and DuckDB would reject the whole page. Escaping keeps
    the damage visible and reversible instead of silently replacing it with U+FFFD.
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _LONE_SURROGATE.sub(_escape_surrogate, value)
        return value
    if isinstance(value, dict):
        return {key: escape_lone_surrogates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [escape_lone_surrogates(item) for item in value]
    return value


def has_truncated_body(message: dict[str, Any]) -> bool:
    """The list views cut bodies at 64 KiB (§2.7 #8); such messages need a fetch by id."""
    return bool(message.get("body_truncated"))


def message_detail_path(message: dict[str, Any]) -> str:
    """Path of the single-message endpoint (#9) that returns the untruncated bodies."""
    return f"tickets/{message['ticket_id']}/messages/{message['id']}"


def with_full_body(listed: dict[str, Any], detail: dict[str, Any] | None) -> dict[str, Any]:
    """The message from the list view, with bodies replaced by the detail view's when we have it.

    A message deleted between list and detail fetch (GDPR redaction) keeps the truncated body
    rather than vanishing: its tombstone arrives through `/deleted_records`.
    """
    if detail is None:
        return listed
    return {**listed, **detail}
