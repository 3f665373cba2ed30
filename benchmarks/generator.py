"""Dataset generator: wall time, peak memory and output size at 3,000 and 100,000 tickets.

Each size runs in its own process so peak RSS belongs to that size alone. Datasets are written to
a temporary folder and removed afterwards; only the numbers are kept.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.measure import peak_rss_mb, write_results

SIZES = (3_000, 100_000)
SEED = 42


def _folder_bytes(root: Path) -> int:
    return sum(path.stat().st_size for path in root.rglob("*") if path.is_file())


def measure_one(tickets: int) -> dict[str, float | int]:
    """Generate one dataset in this process and report time, memory and size."""
    from emulators.stames_api.generator import generate_dataset

    load_at_start = os.getloadavg()[0]  # other work on the machine slows wall time; record it
    with tempfile.TemporaryDirectory(prefix="stames-bench-") as folder:
        started = time.perf_counter()
        summary = generate_dataset(Path(folder) / "dataset", tickets, SEED)
        seconds = time.perf_counter() - started
        size = _folder_bytes(Path(folder))
    return {
        "tickets": tickets,
        "load_average_at_start": round(load_at_start, 2),
        "seconds": round(seconds, 2),
        "tickets_per_second": round(tickets / seconds, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "dataset_mb": round(size / 2**20, 1),
        "messages": summary.counts["messages"],
        "attachments": summary.counts["attachments"],
    }


def main() -> None:
    runs = []
    for tickets in SIZES:
        child = subprocess.run(
            [sys.executable, "-m", "benchmarks.generator", str(tickets)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
        print(runs[-1], flush=True)
    lines = [
        "# Dataset generator",
        "",
        f"Seed {SEED}; each size in a fresh process. Memory should stay flat as tickets grow;",
        "wall time depends on other load on the machine (1-minute load average recorded).",
        "",
        "| tickets | seconds | tickets/s | peak RSS MB | dataset MB | messages | attachments | load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['tickets']:,} | {r['seconds']} | {r['tickets_per_second']} | {r['peak_rss_mb']} | "
        f"{r['dataset_mb']} | {r['messages']:,} | {r['attachments']:,} | {r['load_average_at_start']} |"
        for r in runs
    ]
    write_results("generator", {"seed": SEED, "runs": runs}, "\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) == 2:
        print(json.dumps(measure_one(int(sys.argv[1]))))
    else:
        main()
