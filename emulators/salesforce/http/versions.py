"""API versions the emulator answers to, labelled the way `GET /services/data` labels them."""

from __future__ import annotations

from emulators.salesforce.http.error_messages import OLDEST_VERSION

_SEASONS = ("Winter", "Spring", "Summer")
_WINTER_23 = 56  # v56.0 is Winter '23; every release since advances one season


def release_label(major: int) -> str:
    """`57` → `"Spring '23"` (three releases a year, Winter first)."""
    offset = major - _WINTER_23
    year = 23 + offset // 3
    return f"{_SEASONS[offset % 3]} '{year:02d}"


def supported_versions(latest: str) -> list[dict[str, str]]:
    """The `/services/data` listing, oldest first, up to and including `latest`."""
    newest = int(float(latest))
    return [
        {"label": release_label(major), "url": f"/services/data/v{major}.0", "version": f"{major}.0"}
        for major in range(OLDEST_VERSION, newest + 1)
    ]


def version_status(version: str, latest: str) -> int:
    """200 for a served version, 410 for a retired one, 404 for one that does not exist (yet)."""
    try:
        number = float(version)
    except ValueError:
        return 404
    if number != int(number) or number > float(latest):
        return 404
    if number < OLDEST_VERSION:
        return 410
    return 200
