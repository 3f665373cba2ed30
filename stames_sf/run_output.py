"""Where a long run (`stames-sf demo`, `stames-sf run`) writes: the terminal, its log file, and
JSON lines for automation.

Every run has one log file, `<work>/logs/<command>-<time>.log` (beside dbt's and Spark's own logs).
Library chatter goes there in every mode, never to the terminal: Python logging (dlt's schema
warnings, Great Expectations' info lines; dlt's logger keeps its own handler, so it is given this
one) and Python warnings. Each stage's start and end are logged there too.

- `text` (default): the stages print to the terminal as their own commands do.
- `--quiet`: the terminal shows only errors and the final summary; the stages' output goes to
  the log file.
- `--log-format json`: stdout carries one JSON object per line (`start`, `stage`, `summary`,
  `gate`, `error`, `done`, each with `event` and `at`); the stages' output goes to the log file.

In the last two modes anything else a library prints on stdout or stderr lands in the log file as
well, so stdout stays parseable.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TextIO

from rich.console import Console

from loaders.load.http import Clock
from stames_sf.options import LogFormat
from stames_sf.workdir import WorkDir

LOGGER = logging.getLogger("stames_sf.run")
LOG_LINE = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FILE_WIDTH = 160
"""Columns of what rich writes into the log file (tables fit; long paths are never wrapped)."""
OWN_HANDLER_LOGGERS = ("dlt",)
"""Libraries whose logger does not propagate to the root and prints to stderr through a handler of
its own; during a run that handler is the log file's (dlt reuses the first handler it finds)."""


class StageListener(Protocol):
    def stage(self, name: str) -> None: ...


@dataclass
class RunOutput:
    """The consoles and the event stream of one run; `console` is where the stages print."""

    command: str
    log_path: Path
    log_format: LogFormat
    quiet: bool
    console: Console
    """The stages' output: the terminal in text mode, the log file when quiet or JSON."""
    terminal: Console
    """stdout as it was when the run started (only the summary, when quiet)."""
    errors: Console
    clock: Clock
    _stdout: TextIO
    _stage: tuple[str, datetime] | None = field(default=None)

    @property
    def is_json(self) -> bool:
        return self.log_format is LogFormat.json

    @property
    def stages_on_terminal(self) -> bool:
        """Whether the stages' own output (and their progress bars) reach the terminal."""
        return not (self.quiet or self.is_json)

    def event(self, kind: str, at: datetime | None = None, **fields: Any) -> None:
        """One event (at `at`, default now): a line in the log file, and a JSON object on stdout in
        JSON mode."""
        record = {"event": kind, "at": (at or self.clock.now()).isoformat(), **fields}
        line = json.dumps(record, default=str, ensure_ascii=False)
        LOGGER.info(line)
        if self.is_json:
            self._stdout.write(line + "\n")
            self._stdout.flush()

    def stage(self, name: str) -> None:
        """The previous stage finished (with its duration); `name` starts."""
        self.finish_stage()
        started_at = self.clock.now()
        self._stage = (name, started_at)
        self.event("stage", at=started_at, stage=name, status="started")

    def finish_stage(self) -> None:
        if self._stage is None:
            return
        name, started_at = self._stage
        self._stage = None
        finished_at = self.clock.now()
        seconds = round((finished_at - started_at).total_seconds(), 1)
        self.event("stage", at=finished_at, stage=name, status="finished", seconds=seconds)

    def error(self, message: str) -> None:
        """A one-line error: red on stderr, or an `error` event in JSON mode; always in the log."""
        LOGGER.error(message)
        if self.is_json:
            self.event("error", message=message)
        else:
            self.errors.print(message, style="red", markup=False, highlight=False, soft_wrap=True)


@contextmanager
def open_run_output(
    work: WorkDir, command: str, *, quiet: bool, log_format: LogFormat, clock: Clock
) -> Iterator[RunOutput]:
    """The run's output for the duration of the block; its log file is opened (appended to) first,
    and library logging is sent there until the block ends, then restored."""
    log_path = work.run_log(command, clock.now())
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        log_file = stack.enter_context(log_path.open("a", encoding="utf-8"))
        stack.enter_context(library_logs_to(log_path))
        stdout, stderr = sys.stdout, sys.stderr
        to_log_file = quiet or log_format is LogFormat.json
        if to_log_file:
            stack.enter_context(redirect_stdout(log_file))
            stack.enter_context(redirect_stderr(log_file))
        terminal = Console(file=stdout)
        file_console = Console(file=log_file, width=LOG_FILE_WIDTH, no_color=True, force_terminal=False)
        output = RunOutput(
            command=command,
            log_path=log_path,
            log_format=log_format,
            quiet=quiet,
            console=file_console if to_log_file else terminal,
            terminal=terminal,
            errors=Console(file=stderr),
            clock=clock,
            _stdout=stdout,
        )
        output.event("start", command=command, work=str(work.root), log=str(log_path))
        try:
            yield output
        except BaseException:
            LOGGER.exception("%s stopped", command)
            raise
        finally:
            output.finish_stage()


@contextmanager
def library_logs_to(log_path: Path) -> Iterator[None]:
    """Python logging and warnings into `log_path` for the block; the handlers, levels and warning
    capture found before are put back after."""
    handler = _file_handler(log_path)
    root = logging.getLogger()
    saved_root = (root.handlers[:], root.level)
    # A handler a library installed on the root (logging.basicConfig) prints to the terminal.
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)  # libraries' warnings; every HTTP request at INFO would drown them
    LOGGER.setLevel(logging.INFO)
    # One handler each: such a library sets its own line format on the handler it finds.
    own = {logging.getLogger(name): _file_handler(log_path) for name in OWN_HANDLER_LOGGERS}
    saved_own = {logger: logger.handlers[:] for logger in own}
    for logger, own_handler in own.items():
        logger.handlers[:] = [own_handler]
    # A library may have turned capture on already, pointing at a `showwarning` replaced since
    # (captureWarnings(True) is then a no-op): start it afresh, and with its logger enabled.
    logging.captureWarnings(False)
    logging.captureWarnings(True)
    warnings_logger = logging.getLogger("py.warnings")
    was_disabled, warnings_logger.disabled = warnings_logger.disabled, False
    try:
        yield
    finally:
        logging.captureWarnings(False)
        warnings_logger.disabled = was_disabled
        for logger, handlers in saved_own.items():
            logger.handlers[:] = handlers
        root.handlers[:], level = saved_root
        root.setLevel(level)
        for opened in (handler, *own.values()):
            opened.close()


def _file_handler(log_path: Path) -> logging.Handler:
    handler = logging.FileHandler(log_path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_LINE))
    return handler
