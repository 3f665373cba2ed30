"""Stames dataset generator: writes the §3b dataset folder the local Stames server serves.

`generate_dataset(out_dir, tickets, seed)` is deterministic (same arguments, same bytes), streams
to disk with flat memory, and injects every data-quality edge case of the API contract's §3 at
the rates of its seed profile (see `profile.py`). A `generation_report.json` at the folder root
records what was written.
"""

from emulators.stames_api.generator.build import DATASET_FORMAT, generate_dataset
from emulators.stames_api.generator.summary import REPORT_NAME, DatasetSummary

__all__ = ["DATASET_FORMAT", "REPORT_NAME", "DatasetSummary", "generate_dataset"]
