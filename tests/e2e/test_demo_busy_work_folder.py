"""The demo on a work folder another run holds: one line naming that run, exit 1, no traceback."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from stames_sf.cli import app
from stames_sf.workdir import WorkDir, exclusive_run


def test_a_demo_on_a_held_work_folder_says_who_holds_it(tmp_path: Path) -> None:
    work = WorkDir.at(tmp_path / "work")
    with exclusive_run(work):
        result = CliRunner().invoke(app, ["demo", "--work", str(work.root), "--tickets", "20", "--seed", "3"])

    assert result.exit_code == 1, result.output
    assert "Another stames-sf run (process" in result.output
    assert "Traceback" not in result.output
    assert not work.warehouse.exists()
