"""The engagement file: the committed example reads, paths are the file's, mistakes are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from stames_sf.engagement.config import DEFAULT_STEPS, STEP_ORDER, ConfigError, load_config

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "engagement.toml"


def write(folder: Path, text: str) -> Path:
    path = folder / "engagement.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_committed_example_reads_with_its_paths_beside_it() -> None:
    config = load_config(EXAMPLE)
    assert config.work == EXAMPLE.parent / "acme"
    assert config.salesforce.connection == EXAMPLE.parent / "acme-sandbox.json"
    assert config.stames.api_key_env == "STAMES_API_KEY"
    assert str(config.stames.base_url) == "https://acme.stames.app/api/v1"
    assert config.ordered_steps == DEFAULT_STEPS


def test_only_the_work_folder_is_required_and_steps_run_in_pipeline_order(tmp_path: Path) -> None:
    minimal = load_config(write(tmp_path, 'work = "w"\n'))
    assert minimal.work == tmp_path / "w"
    assert minimal.salesforce.connection is None
    assert minimal.salesforce.target == "sandbox"
    assert minimal.thresholds.failure_threshold == 0.10
    assert "delta" not in minimal.ordered_steps

    shuffled = load_config(write(tmp_path, 'work = "/abs/w"\nsteps = ["handoff", "delta", "extract"]\n'))
    assert shuffled.work == Path("/abs/w")
    assert shuffled.ordered_steps == ("extract", "delta", "handoff")
    assert [step for step in STEP_ORDER if step in shuffled.steps] == list(shuffled.ordered_steps)


def test_an_api_key_in_the_file_is_refused_saying_where_it_goes(tmp_path: Path) -> None:
    path = write(tmp_path, 'work = "w"\n[stames]\napi_key = "sk_live_secret"\n')
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    message = str(refused.value)
    assert "stames: the Stames API key never goes in this file" in message
    assert "api_key_env" in message and "SOURCES__STAMES__API_KEY" in message
    assert "sk_live_secret" not in message


def test_every_problem_is_named_by_its_place(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'steps = ["extract", "lod", "extract"]\n'
        '[stames]\nbase_url = "not a url"\napi_key_env = "MY KEY"\n'
        '[salesforce]\ntarget = "prod"\nconection = "c.json"\n'
        "[thresholds]\nfailure_threshold = 1.5\nsample = 10\n",
    )
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    lines = str(refused.value).splitlines()
    assert lines[0] == f"{path} is not a valid engagement file:"
    places = {line.strip().split(":")[0] for line in lines[1:]}
    assert {
        "work",
        "steps.1",
        "stames.base_url",
        "stames.api_key_env",
        "salesforce.target",
        "salesforce.conection",
        "thresholds.failure_threshold",
        "thresholds.sample",
    } <= places
    assert any(
        "'extract'" in line and "'handoff'" in line for line in lines if line.strip().startswith("steps.1")
    )


def test_a_step_listed_twice_or_no_step_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="each step once: load listed more than once"):
        load_config(write(tmp_path, 'work = "w"\nsteps = ["load", "load"]\n'))
    with pytest.raises(ConfigError, match="name at least one step"):
        load_config(write(tmp_path, 'work = "w"\nsteps = []\n'))


def test_a_file_that_is_not_toml_or_not_there_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"is not valid TOML: .*line 1"):
        load_config(write(tmp_path, "work = \n"))
    with pytest.raises(ConfigError, match="Cannot read the engagement file"):
        load_config(tmp_path / "missing.toml")
