"""Discovery speed and memory on a generated dataset of BENCH_TICKETS tickets.

The raw schema is landed with dlt straight from the dataset's JSONL files (attachments nested
into their messages, custom-object records as `custom_object_records_<key>`, the extractor's
table names), not through the HTTP extractor: this measures discovery, not extraction.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dlt

from benchmarks.measure import peak_rss_mb, write_results
from dlt_pipelines.stames.helpers import escape_lone_surrogates
from emulators.stames_api.generator.build import generate_dataset
from stames_sf.discovery.service import run_discovery
from stames_sf.workdir import RAW_SCHEMA, WorkDir

BENCH_TICKETS = int(os.environ.get("BENCH_DISCOVERY_TICKETS", "20000"))
SEED = 42
FLAT_COLLECTIONS = (
    "agents", "customers", "tickets", "status_changes", "ticket_statuses", "channels", "custom_fields",
    "custom_objects", "tags", "deleted_records",
)  # fmt: skip


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    if path.exists():
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    # As the extractor does: lone surrogates (§3 #14) become their escape text.
                    yield escape_lone_surrogates(json.loads(line))


def _messages(dataset: Path) -> Iterator[dict[str, Any]]:
    by_message: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for attachment in _lines(dataset / "attachments.jsonl"):
        attachment.pop("content", None)
        by_message[attachment["message_id"]].append(attachment)
    for message in _lines(dataset / "messages.jsonl"):
        yield {**message, "attachments": by_message.get(message["id"], [])}


def land(dataset: Path, work: WorkDir) -> None:
    @dlt.source(name="stames_bench")
    def source() -> list[Any]:
        dlt.current.source_schema().remove_type_detection("iso_timestamp")
        resources = [dlt.resource(_lines(dataset / f"{name}.jsonl"), name=name) for name in FLAT_COLLECTIONS]
        resources.append(dlt.resource(_messages(dataset), name="messages"))
        for records in sorted((dataset / "custom_object_records").glob("*.jsonl")):
            resources.append(dlt.resource(_lines(records), name=f"custom_object_records_{records.stem}"))
        return resources

    pipeline = dlt.pipeline(
        pipeline_name="discovery_bench",
        pipelines_dir=str(work.dlt_dir),
        destination=dlt.destinations.duckdb(str(work.warehouse)),
        dataset_name=RAW_SCHEMA,
    )
    pipeline.run(source(), loader_file_format="parquet").raise_on_failed_jobs()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="discovery-bench-") as scratch:
        dataset = Path(scratch) / "dataset"
        started = time.perf_counter()
        generate_dataset(dataset, BENCH_TICKETS, SEED)
        generated = time.perf_counter()
        work = WorkDir.at(Path(scratch) / "work")
        land(dataset, work)
        landed = time.perf_counter()
        rss_before = peak_rss_mb()
        report = run_discovery(work)
        discovered = time.perf_counter()
        results = {
            "tickets": BENCH_TICKETS,
            "messages": report.records("messages"),
            "attachments": report.attachments.count,
            "generate_s": round(generated - started, 2),
            "land_s": round(landed - generated, 2),
            "discover_s": round(discovered - landed, 2),
            "peak_rss_mb_before_discovery": round(rss_before, 1),
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "report_md_bytes": report.markdown_path.stat().st_size if report.markdown_path else 0,
            "report_html_bytes": report.html_path.stat().st_size if report.html_path else 0,
        }
    markdown = "\n".join(
        [
            "# Discovery benchmark",
            "",
            f"Generated dataset of {BENCH_TICKETS:,} tickets (seed {SEED}), landed with dlt from JSONL "
            "(not through the HTTP extractor), then `run_discovery`.",
            "",
            "| measure | value |",
            "| --- | ---: |",
            *(f"| {key} | {value:,} |" for key, value in results.items()),
        ]
    )
    write_results("discovery", results, markdown)
    print(markdown)


if __name__ == "__main__":
    main()
