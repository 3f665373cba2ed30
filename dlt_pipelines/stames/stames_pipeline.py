"""Run the Stames dlt load by hand: `python -m dlt_pipelines.stames.stames_pipeline [DUCKDB] [PIPELINES_DIR]`.

Reads the base URL and API key from dlt's providers (env `SOURCES__STAMES__*`, `.dlt/`). Only the
dlt load: `stames-sf extract` adds the work folder lock and the attachment step.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dlt_pipelines.stames.pipeline import resolve_connection, run_extract


def main(duckdb_path: str = "stames.duckdb", pipelines_dir: str = ".dlt-pipelines") -> None:
    """Extract every collection into `duckdb_path`, keeping dlt's state in `pipelines_dir`."""
    base_url, api_key = resolve_connection(None, None)
    summary = run_extract(
        duckdb_path=Path(duckdb_path),
        pipelines_dir=Path(pipelines_dir),
        base_url=base_url,
        api_key=api_key,
        progress=True,
    )
    print(summary)


if __name__ == "__main__":
    main(*sys.argv[1:3])
