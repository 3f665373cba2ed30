"""`cd dbt_project && ../.venv/bin/dbt build`, as the README tells a migration engineer: no flags, no
environment variable, the profile in the project and the warehouse of the default work folder.

Only the staging layer is built here (`--select staging`, its own tests): what is under test is
where dbt finds its profile and warehouse; the whole build is tested in-process elsewhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.fixtures.dbt_messages import project_copy
from tests.fixtures.transform import ExtractedDataset, confirmed_work

DEFAULT_WORK = ".stames-sf"
"""The default work folder, relative to the repository root (the Makefile's WORK)."""


def test_dbt_build_from_inside_the_project_uses_the_default_work_folder(
    extracted_small_dataset: ExtractedDataset, tmp_path: Path
) -> None:
    checkout = tmp_path / "checkout"  # a clone's layout: dbt_project/ beside the work folder
    project = project_copy(checkout / "dbt_project")
    work = confirmed_work(extracted_small_dataset, checkout / DEFAULT_WORK)
    environment = {key: value for key, value in os.environ.items() if key != "STAMES_SF_WAREHOUSE"}
    environment["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    dbt = shutil.which("dbt", path=str(Path(sys.executable).parent))
    assert dbt is not None, "dbt is installed in the project's virtualenv"

    built = subprocess.run(
        # `cautious`: only the tests of staging itself, not those that also read the marts
        [dbt, "build", "--select", "staging", "--indirect-selection", "cautious"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert built.returncode == 0, built.stdout[-3000:]
    assert (project / "target" / "manifest.json").is_file()  # dbt's own files stay in the project
    with duckdb.connect(str(work.warehouse), read_only=True) as con:
        staged = con.execute("select count(*) from staging.stg_stames__tickets").fetchone()[0]
        extracted = con.execute("select count(*) from raw_stames.tickets").fetchone()[0]
    assert staged == extracted == len(extracted_small_dataset.dataset.tickets)
