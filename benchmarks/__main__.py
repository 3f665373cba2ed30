"""Run every benchmark module listed in BENCHMARKS (or those named on the command line).

Each module exposes `main() -> None` and writes `benchmarks/results/<name>.json` and `.md`.
"""

from __future__ import annotations

import importlib
import sys
import time

BENCHMARKS: list[str] = [
    "discovery",
    "extract",
    "generator",
    "load",
    "org_store",
    "pipeline",
    "salesforce_bulk",
    "salesforce_rest",
    "sfdmu_compare",
    "soql",
    "stames_server",
    "transform",
    "transform_engines",
    "validate",
]


def run(names: list[str]) -> None:
    for name in names:
        started = time.perf_counter()
        print(f"== benchmark {name}", flush=True)
        importlib.import_module(f"benchmarks.{name}").main()
        print(f"== {name} done in {time.perf_counter() - started:.1f} s", flush=True)


if __name__ == "__main__":
    run(sys.argv[1:] or BENCHMARKS)
