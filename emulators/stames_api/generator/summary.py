"""What a generated dataset holds, written next to it as `generation_report.json`."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

REPORT_NAME = "generation_report.json"
REPORT_FORMAT = "stames-generation-report/1"


@dataclass(frozen=True)
class DatasetSummary:
    """Counts per collection (file stem -> lines) and per edge-case class (name -> occurrences).

    Tests and the discovery stage compare what they find in the dataset against these numbers.
    """

    seed: int
    tickets: int
    counts: dict[str, int]
    edge_cases: dict[str, int]

    def write(self, dataset_dir: Path) -> Path:
        path = dataset_dir / REPORT_NAME
        document = {"format": REPORT_FORMAT, **asdict(self)}
        path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return path

    @classmethod
    def read(cls, dataset_dir: Path) -> DatasetSummary:
        document = json.loads((dataset_dir / REPORT_NAME).read_text(encoding="utf-8"))
        return cls(
            seed=document["seed"],
            tickets=document["tickets"],
            counts=document["counts"],
            edge_cases=document["edge_cases"],
        )
