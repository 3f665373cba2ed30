"""Shared helpers for benchmarks: peak memory and result files."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).parent / "results"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB.

    On Linux `VmHWM` from /proc: `ru_maxrss` survives `exec`, so a benchmark child started by a
    large parent (one serving a 30,000-ticket dataset) would report the parent's peak as its own.
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def tree_rss_mb(root_pid: int) -> float:
    """Resident memory of `root_pid` and all its descendants now, in MiB (Linux /proc).

    Sampled, not a high-water mark: a benchmark polls it (every 0.2 s) and keeps the largest."""
    total_kb = 0
    pending = [root_pid]
    while pending:
        pid = pending.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
            for task in Path(f"/proc/{pid}/task").iterdir():
                children = (task / "children").read_text(encoding="ascii").split()
                pending.extend(int(child) for child in children)
        except (FileNotFoundError, ProcessLookupError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def measure_table(title: str, results: dict[str, Any]) -> str:
    """A Markdown page: `# title` and a two-column table of `results`, one row per key."""
    return "\n".join(
        [
            f"# {title}",
            "",
            "| measure | value |",
            "|---|---|",
            *(f"| {key} | {value} |" for key, value in results.items()),
        ]
    )


def write_results(name: str, results: dict[str, Any], markdown: str) -> None:
    """Write `results/<name>.json` and `results/<name>.md`."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"{name}.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    (RESULTS_DIR / f"{name}.md").write_text(markdown.rstrip() + "\n")


def cached_dataset(root: Path, tickets: int, seed: int) -> Path:
    """The generated dataset of this size and seed in `root`, generated on first use only."""
    from emulators.stames_api.generator.build import generate_dataset

    folder = root / f"ds{tickets}-seed{seed}"
    if not (folder / "manifest.json").is_file():
        started = time.perf_counter()
        generate_dataset(folder, tickets, seed)
        print(f"generated {tickets:,} tickets in {time.perf_counter() - started:.1f} s", flush=True)
    return folder


def run_child(module: str, *arguments: str) -> dict[str, Any]:
    """`python -m <module> <arguments>` in its own process (so its peak memory is its own); the
    JSON object its last output line prints."""
    completed = subprocess.run(
        [sys.executable, "-m", module, *arguments],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{module} {arguments[0]} failed:\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])
