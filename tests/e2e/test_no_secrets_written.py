"""The Stames API key never lands in the work folder or in any output, whatever the run did."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from emulators.stames_api.settings import ALL_SCOPES
from tests.fixtures.stames_api import StartStames

FULL_KEY = "sk_test_SECRETfullscopes0000000000000001"
NARROW_KEY = "sk_test_SECRETnoagentsscope000000000002"


def _cli(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RUNTIME__DLTHUB_TELEMETRY": "false"}
    command = [sys.executable, "-m", "stames_sf.cli", *arguments]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_extract_discover_and_a_failed_run_write_no_key_anywhere(
    start_stames: StartStames, tmp_path: Path
) -> None:
    server = start_stames(api_keys={FULL_KEY: set(ALL_SCOPES), NARROW_KEY: set(ALL_SCOPES) - {"agents:read"}})
    work = tmp_path / "work"
    base = ["--work", str(work), "--base-url", server.api_url, "--no-progress"]

    extracted = _cli(["extract", *base, "--api-key", FULL_KEY], tmp_path)
    assert extracted.returncode == 0, extracted.stderr[-2000:]
    discovered = _cli(["discover", "--work", str(work)], tmp_path)
    assert discovered.returncode == 0, discovered.stderr[-2000:]
    failed = _cli(["extract", *base, "--api-key", NARROW_KEY], tmp_path)
    assert failed.returncode == 1, failed.stderr[-2000:]
    via_env = subprocess.run(
        [sys.executable, "-m", "stames_sf.cli", "extract", *base],
        cwd=tmp_path,
        env={**os.environ, "RUNTIME__DLTHUB_TELEMETRY": "false", "SOURCES__STAMES__API_KEY": FULL_KEY},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert via_env.returncode == 0, via_env.stderr[-2000:]

    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert any(path.name == "warehouse.duckdb" for path in written)
    # dlt's runtime trace pickles resolved configuration (a key read from the environment or
    # secrets.toml included) after every step; it is not written at all.
    assert not [path for path in written if path.name == "trace.pickle"]
    for key in (FULL_KEY, NARROW_KEY):
        needle = key.encode()
        holding = [str(path.relative_to(tmp_path)) for path in written if needle in path.read_bytes()]
        assert holding == [], f"{key} written to {holding}"
        for run in (extracted, discovered, failed, via_env):
            assert key not in run.stdout + run.stderr
