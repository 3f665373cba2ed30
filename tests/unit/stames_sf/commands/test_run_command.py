"""`stames-sf run --config FILE` stops at the mapping gate with the exact commands to run next.
Cheap on purpose: a work folder holding only a mapping file; the gate is checked before any stage
reads the warehouse or the org."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from typer.testing import CliRunner

from mapping.document import mapping_path, write_mapping
from mapping.model import ManualItem, Mapping
from stames_sf.cli import app
from tests.fixtures.mapping_documents import GENERATED_MAPPING

EXIT_GATE = 2


def engagement(folder: Path, steps: list[str]) -> Path:
    config = folder / "engagement.toml"
    config.write_text(f'work = "work"\nsteps = {json.dumps(steps)}\n', encoding="utf-8")
    return config


def run(config: Path, *extra: str) -> object:
    return CliRunner().invoke(app, ["run", "--config", str(config), *extra])


def next_commands(work: Path, config: Path) -> str:
    review = shlex.join(["stames-sf", "map", "review", "--work", str(work)])
    confirm = shlex.join(["stames-sf", "map", "confirm", "--work", str(work)])
    rerun = shlex.join(["stames-sf", "run", "--config", str(config)])
    return f"Next: `{review}`, then `{confirm}`, then `{rerun}`."


def test_an_unconfirmed_mapping_stops_the_run_and_says_what_to_do(tmp_path: Path) -> None:
    config = engagement(tmp_path, ["map", "transform", "validate", "users", "load"])
    work = tmp_path / "work"
    mapping_file = mapping_path(work)
    mapping_file.parent.mkdir(parents=True)
    mapping_file.write_text(GENERATED_MAPPING.read_text(encoding="utf-8"), encoding="utf-8")

    stopped = run(config)

    assert stopped.exit_code == EXIT_GATE, stopped.output
    gate_line = next(line for line in stopped.output.splitlines() if line.startswith("Stopped at"))
    assert gate_line == (
        f"Stopped at the mapping gate: the mapping at {mapping_file} is not confirmed. "
        + next_commands(work, config)
    )
    assert not (work / "logs" / "dbt.log").exists(), "the transform ran past the gate"
    [log] = (work / "logs").glob("run-*.log")
    assert '"event": "gate"' in log.read_text(encoding="utf-8")


def test_a_mapping_changed_since_confirmation_stops_the_run_before_the_transform(
    mapped_work: Path, confirmed_mapping: Mapping
) -> None:
    config = engagement(mapped_work.parent, ["transform", "validate"])
    edited = confirmed_mapping.model_copy(
        update={"manual": [*confirmed_mapping.manual, ManualItem(topic="t", what="w", why="y")]}
    )
    write_mapping(edited, mapping_path(mapped_work))

    stopped = run(config, "--log-format", "json")

    assert stopped.exit_code == EXIT_GATE, stopped.output
    events = [json.loads(line) for line in stopped.stdout.splitlines()]
    gate = next(event for event in events if event["event"] == "gate")
    assert gate["gate"] == "mapping"
    assert gate["problem"] == f"the mapping at {mapping_path(mapped_work)} changed after it was confirmed."
    assert f"Next: {gate['next']}" == next_commands(mapped_work, config)
    assert events[-1] == {"event": "done", "at": events[-1]["at"], "exit_code": EXIT_GATE}
    assert [event["stage"] for event in events if event["event"] == "stage"] == ["transform", "transform"]


def test_no_mapping_at_all_names_the_proposal_first(tmp_path: Path) -> None:
    config = engagement(tmp_path, ["transform"])
    stopped = run(config, "--quiet")
    assert stopped.exit_code == EXIT_GATE, stopped.output
    propose = shlex.join(["stames-sf", "map", "propose", "--work", str(tmp_path / "work")])
    assert (
        f"there is no mapping at {mapping_path(tmp_path / 'work')}. Next: `{propose}`, then" in stopped.output
    )


def test_an_invalid_engagement_file_is_an_error_not_a_gate(tmp_path: Path) -> None:
    config = tmp_path / "engagement.toml"
    config.write_text('work = "w"\nsteps = ["lod"]\n', encoding="utf-8")
    failed = run(config)
    assert failed.exit_code == 1
    assert "steps.0: Input should be 'extract'" in failed.output
