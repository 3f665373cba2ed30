"""What the index lists: the pack's files in sections, and the inputs not produced yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote


@dataclass(frozen=True)
class PackEntry:
    """One file (or folder) of the pack."""

    name: str
    """Its path inside the pack, `/`-separated."""
    description: str
    dated: datetime | None
    source: Path | None = None
    """The work-folder file or folder copied in; None when the handoff wrote it."""
    opens: str | None = None
    """The page to link inside a copied folder (`data-docs/index.html`), else `name` is linked."""

    @property
    def href(self) -> str:
        return quote(self.opens or self.name)


@dataclass(frozen=True)
class MissingInput:
    what: str
    command: str
    """The command that produces it."""


@dataclass(frozen=True)
class PackSection:
    title: str
    entries: tuple[PackEntry, ...] = ()
    missing: tuple[MissingInput, ...] = ()
    note: str | None = None
    """Said when the section is empty without anything missing (no rollback of this run)."""
