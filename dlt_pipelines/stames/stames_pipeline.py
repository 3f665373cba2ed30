"""Run the Stames extraction by hand: `python -m dlt_pipelines.stames.stames_pipeline [WORK_DIR]`.

Reads the base URL and API key from dlt's providers (env `SOURCES__STAMES__*`, `.dlt/`).
"""

from __future__ import annotations

import sys

from dlt_pipelines.stames.attachments import download_attachments
from dlt_pipelines.stames.pipeline import resolve_connection, run_extract
from stames_sf.extraction import attachment_paths
from stames_sf.workdir import DEFAULT_WORK_DIR, WorkDir


def main(work_dir: str = str(DEFAULT_WORK_DIR)) -> None:
    """Extract, then download attachments, into `work_dir`."""
    base_url, api_key = resolve_connection(None, None)
    work = WorkDir.at(work_dir)
    print(run_extract(work, base_url=base_url, api_key=api_key, progress=True))
    print(download_attachments(attachment_paths(work), base_url=base_url, api_key=api_key, progress=True))


if __name__ == "__main__":
    main(*sys.argv[1:2])
