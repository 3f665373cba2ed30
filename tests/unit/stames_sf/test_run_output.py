"""A run's output: library chatter in its log file, JSON lines on stdout for automation, the
terminal kept to errors and the summary when quiet; logging as it was afterwards."""

from __future__ import annotations

import io
import json
import logging
import sys
import warnings
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, datetime, timedelta
from pathlib import Path

from loaders.load.http import Clock
from stames_sf.options import LogFormat
from stames_sf.run_output import open_run_output
from stames_sf.workdir import WorkDir

START = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


def ticking_clock() -> Clock:
    """Each reading is one second after the last."""
    readings = iter(START + timedelta(seconds=second) for second in range(1000))
    return Clock(sleep=lambda _: None, now=lambda: next(readings))


def run_once(work: WorkDir, *, quiet: bool, log_format: LogFormat) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        redirect_stdout(stdout),
        redirect_stderr(stderr),
        open_run_output(work, "demo", quiet=quiet, log_format=log_format, clock=ticking_clock()) as output,
    ):
        output.stage("extract")
        logging.getLogger("dlt").warning("columns did not receive any data")
        logging.getLogger("great_expectations").warning("a temporary directory")
        warnings.warn("a library's FutureWarning", FutureWarning, stacklevel=1)
        print("a library printing on its own")
        output.console.print("Extracted 40 rows")
        output.stage("load")
        output.error("Load run x stopped: too many failures")
        output.event("done", exit_code=1)
    return stdout.getvalue(), stderr.getvalue()


def test_library_chatter_goes_to_the_run_log_and_json_lines_to_stdout(tmp_path: Path) -> None:
    work = WorkDir.at(tmp_path)
    root_handlers = logging.getLogger().handlers[:]
    dlt_handlers = logging.getLogger("dlt").handlers[:]

    stdout, stderr = run_once(work, quiet=False, log_format=LogFormat.json)

    events = [json.loads(line) for line in stdout.splitlines()]
    assert [event["event"] for event in events] == [
        "start",
        "stage",
        "stage",
        "stage",
        "error",
        "done",
        "stage",
    ]
    assert events[2] == {
        "event": "stage",
        "at": events[2]["at"],
        "stage": "extract",
        "status": "finished",
        "seconds": 1.0,
    }
    assert events[0]["log"] == str(work.logs / "demo-20260301T083000Z.log")
    assert stderr == ""
    log = (work.logs / "demo-20260301T083000Z.log").read_text(encoding="utf-8")
    for chatter in ("columns did not receive any data", "a temporary directory", "a library's FutureWarning"):
        assert chatter in log
    assert "a library printing on its own" in log and "Extracted 40 rows" in log
    assert "ERROR stames_sf.run: Load run x stopped" in log
    assert logging.getLogger().handlers == root_handlers and logging.getLogger("dlt").handlers == dlt_handlers


def test_quiet_keeps_the_terminal_to_errors(tmp_path: Path) -> None:
    work = WorkDir.at(tmp_path)
    stdout, stderr = run_once(work, quiet=True, log_format=LogFormat.text)
    assert stdout == ""
    assert stderr.strip() == "Load run x stopped: too many failures"
    assert "Extracted 40 rows" in next(work.logs.glob("demo-*.log")).read_text(encoding="utf-8")


def test_text_mode_prints_the_stages_and_logs_only_the_chatter(tmp_path: Path) -> None:
    work = WorkDir.at(tmp_path)
    stdout, stderr = run_once(work, quiet=False, log_format=LogFormat.text)
    assert "Extracted 40 rows" in stdout and "a library printing on its own" in stdout
    assert "columns did not receive any data" not in stdout + stderr
    assert "Load run x stopped" in stderr
    assert sys.stdout is not None
