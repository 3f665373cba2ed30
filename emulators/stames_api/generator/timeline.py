"""Time on the generated account: a frozen `now`, millisecond UTC stamps, legacy local stamps."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

NOW = "2024-06-01T12:00:00.000Z"
ACCOUNT_TIMEZONE = "Europe/Madrid"
_MADRID = ZoneInfo(ACCOUNT_TIMEZONE)


def to_ms(text: str) -> int:
    """Milliseconds since the epoch for an ISO stamp ending in Z."""
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


NOW_MS = to_ms(NOW)
# Everything is written before the server's first snapshot (now - 60 s), so a full scan sees it all.
LATEST_MS = NOW_MS - 5 * 60_000
FIRST_TICKET_MS = to_ms("2018-06-01T00:00:00.000Z")
LEGACY_CUTOFF_MS = to_ms("2019-04-01T00:00:00.000Z")
HISTORY_START_MS = to_ms("2021-01-01T00:00:00.000Z")
ACCOUNT_CREATED_MS = to_ms("2018-11-20T09:00:00.000Z")
# 02:30 local happens twice in Madrid that night; this is the second one (CET, fold=1).
DST_AMBIGUOUS_MS = to_ms("2018-10-28T01:30:00.000Z")

MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS


def iso(ms: int) -> str:
    """`YYYY-MM-DDTHH:MM:SS.sssZ`: the API's server-maintained stamp format."""
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def legacy_local(ms: int) -> str:
    """`YYYY-MM-DD HH:MM:SS` in account-local time, as the 2019 import wrote `created_at`."""
    return datetime.fromtimestamp(ms / 1000, _MADRID).strftime("%Y-%m-%d %H:%M:%S")


def created_stamp(ms: int) -> str:
    """`created_at` as stored: timezone-less local time for records from before the import."""
    return legacy_local(ms) if ms < LEGACY_CUTOFF_MS else iso(ms)


def iso_date(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d")
