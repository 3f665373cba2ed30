"""The demo generates its dataset once; a rerun on the same work folder reuses it untouched."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from stames_sf.demo import DemoSettings, ensure_dataset
from stames_sf.workdir import WorkDir


def test_a_rerun_reuses_the_generated_dataset(tmp_path: Path) -> None:
    work = WorkDir.at(tmp_path / "engagement")
    settings = DemoSettings(tickets=3, seed=5)
    first_output, second_output = io.StringIO(), io.StringIO()

    first = ensure_dataset(work, settings, Console(file=first_output))
    files_before = {path: path.stat().st_mtime_ns for path in first.rglob("*") if path.is_file()}
    second = ensure_dataset(work, settings, Console(file=second_output))

    assert first == second == work.datasets / "demo-n3-s5"
    assert "generating 3 tickets" in first_output.getvalue()
    assert "reusing dataset" in second_output.getvalue()
    files_after = {path: path.stat().st_mtime_ns for path in second.rglob("*") if path.is_file()}
    assert files_after == files_before and files_before
