"""The work folder: everything one migration writes lives below it.

One warehouse, one ledger, one place for files, state, logs and reports, so every stage finds
what the previous one left without configuration. Nothing is written outside this folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_WORK_DIR = Path(".stames-sf")
RAW_SCHEMA = "raw_stames"


@dataclass(frozen=True)
class WorkDir:
    """Paths inside one migration's work folder."""

    root: Path

    @classmethod
    def at(cls, root: Path | str = DEFAULT_WORK_DIR) -> WorkDir:
        """A work folder at `root`, created with its sub-folders if missing."""
        work = cls(Path(root).resolve())
        for folder in (work.root, work.files, work.state, work.logs, work.reports, work.dlt_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return work

    @property
    def warehouse(self) -> Path:
        """The single DuckDB file: raw data, dbt models, the run ledger."""
        return self.root / "warehouse.duckdb"

    @property
    def files(self) -> Path:
        """Content-addressed attachment store (sha256 → bytes)."""
        return self.root / "files"

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def dlt_dir(self) -> Path:
        """dlt's pipelines dir, kept inside the work folder instead of the user's home or /var."""
        return self.state / "dlt"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def datasets(self) -> Path:
        """Generated Stames datasets (demo and tests)."""
        return self.root / "datasets"

    @property
    def salesforce_state(self) -> Path:
        """State folder of the local Salesforce org emulator, when the demo runs one."""
        return self.root / "salesforce-org"
