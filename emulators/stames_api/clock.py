"""Server time: a real or frozen clock, and the contract's timestamp format."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, tzinfo

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def format_timestamp(epoch_ms: int) -> str:
    """`YYYY-MM-DDTHH:MM:SS.sssZ`, the only form server-maintained fields take."""
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}Z"


def to_epoch_ms(moment: datetime) -> int:
    """Milliseconds since the epoch; exact, unlike float timestamps."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def parse_loose(value: object, naive_zone: tzinfo = UTC) -> int | None:
    """Epoch ms of a stored timestamp; naive legacy values are read in `naive_zone`, garbage gives None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=naive_zone)
    return to_epoch_ms(parsed)


class Clock:
    """'Now' for snapshot_at, updated_at bumps and URL/cursor expiry; frozen when the tests need it."""

    def __init__(self, frozen: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._frozen_ms = to_epoch_ms(frozen) if frozen is not None else None

    def now_ms(self) -> int:
        with self._lock:
            if self._frozen_ms is not None:
                return self._frozen_ms
        return time.time_ns() // 1_000_000

    def freeze(self, moment: datetime) -> None:
        with self._lock:
            self._frozen_ms = to_epoch_ms(moment)

    def advance(self, seconds: float) -> None:
        """Move a frozen clock forward (or freeze the real one first)."""
        current = self.now_ms()
        with self._lock:
            self._frozen_ms = current + round(seconds * 1000)
