"""The proposer: reads the raw data and the target org, writes a `Mapping` with evidence.

`propose_mapping` is deterministic: the same warehouse and org give the same document.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from mapping.model import Mapping
from mapping.org import OrgSnapshot


def propose_mapping(warehouse: Path, org: OrgSnapshot, *, now: datetime) -> Mapping:
    """The proposed mapping of the Stames data in `warehouse` onto `org`, stamped `now`."""
    raise NotImplementedError("the proposer arrives with the mapping issue")
