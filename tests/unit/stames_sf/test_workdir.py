import os
import subprocess
import sys

import pytest

from stames_sf.workdir import WorkDir, WorkDirBusyError, exclusive_run


def test_work_folder_holds_everything_below_its_root(tmp_path):
    work = WorkDir.at(tmp_path / "engagement")
    for path in (work.warehouse, work.files, work.state, work.dlt_dir, work.logs, work.reports):
        assert path.is_relative_to(work.root)
    assert work.files.is_dir() and work.dlt_dir.is_dir()
    assert work.warehouse.suffix == ".duckdb"


def test_a_second_run_on_the_same_folder_is_refused_with_the_holders_pid(tmp_path):
    work = WorkDir.at(tmp_path / "engagement")
    with exclusive_run(work):
        assert work.lock_file.read_text().strip() == str(os.getpid())
        with pytest.raises(WorkDirBusyError, match=rf"process {os.getpid()}\)"), exclusive_run(work):
            pytest.fail("two runs held one work folder")
    # Released: the next run gets it, and a clean release leaves no pid behind to report.
    with exclusive_run(work) as lock:
        assert lock.taken_over_from_pid is None


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path):
    work = WorkDir.at(tmp_path / "engagement")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK_THEN_WAIT, str(work.root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == b"locked"
        with pytest.raises(WorkDirBusyError, match=rf"process {holder.pid}\)"), exclusive_run(work):
            pytest.fail("the live holder's lock was ignored")
    finally:
        holder.kill()
        holder.wait(timeout=30)
    with exclusive_run(work) as lock:
        assert lock.taken_over_from_pid == str(holder.pid)
        assert work.lock_file.read_text().strip() == str(os.getpid())


HOLD_LOCK_THEN_WAIT = """
import sys
from stames_sf.workdir import WorkDir, exclusive_run
with exclusive_run(WorkDir.at(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""
