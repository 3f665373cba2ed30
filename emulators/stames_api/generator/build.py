"""`generate_dataset`: writes a §3b dataset folder in one streaming pass over the tickets."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from emulators.stames_api.generator import catalog, customers, observed_edge_cases
from emulators.stames_api.generator.agents import Roster, build_roster
from emulators.stames_api.generator.attachments import AttachmentFactory
from emulators.stames_api.generator.custom_records import RecordSinks
from emulators.stames_api.generator.profile import Volumes
from emulators.stames_api.generator.summary import REPORT_NAME, DatasetSummary
from emulators.stames_api.generator.tickets import TicketGenerator, TicketSinks
from emulators.stames_api.generator.timeline import NOW
from emulators.stames_api.generator.writer import JsonlWriter, write_json, write_jsonl

DATASET_FORMAT = "stames-dataset/1"
ProgressCallback = Callable[[int, int], None]
_PROGRESS_EVERY = 100
_GENERATED_NAMES: tuple[str, ...] = (
    "manifest.json",
    "agents.jsonl",
    "customers.jsonl",
    "tickets.jsonl",
    "messages.jsonl",
    "status_changes.jsonl",
    "attachments.jsonl",
    "ticket_statuses.jsonl",
    "channels.jsonl",
    "custom_fields.jsonl",
    "custom_objects.jsonl",
    "tags.jsonl",
    "deleted_records.jsonl",
    REPORT_NAME,
    "custom_object_records",
    "files",
)


def _prepare(out_dir: Path) -> None:
    """Start from an empty folder; a previous dataset there is replaced, anything else refused."""
    if out_dir.exists() and any(out_dir.iterdir()):
        if not (out_dir / "manifest.json").exists():
            raise FileExistsError(f"{out_dir} is not empty and holds no dataset; refusing to overwrite it")
        for name in _GENERATED_NAMES:
            target = out_dir / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    (out_dir / "files").mkdir(parents=True, exist_ok=True)
    (out_dir / "custom_object_records").mkdir(exist_ok=True)


def _write_settings(out_dir: Path) -> None:
    write_json(out_dir / "manifest.json", {"format": DATASET_FORMAT, "now": NOW, "account": catalog.ACCOUNT})
    write_jsonl(out_dir / "ticket_statuses.jsonl", catalog.TICKET_STATUSES)
    write_jsonl(out_dir / "channels.jsonl", catalog.CHANNELS)
    write_jsonl(out_dir / "custom_fields.jsonl", catalog.CUSTOM_FIELDS)
    write_jsonl(out_dir / "custom_objects.jsonl", catalog.CUSTOM_OBJECTS)


def _write_agents(out_dir: Path, roster: Roster, tombstones: JsonlWriter, kinds: Counter[str]) -> None:
    write_jsonl(out_dir / "agents.jsonl", roster.records)
    for agent in roster.records:
        if agent["deleted"]:
            tombstones.write(
                {
                    "object": "agent",
                    "id": str(agent["id"]),
                    "deleted_at": agent["updated_at"],
                    "reason": "gdpr_erasure",
                    "merged_into_id": None,
                }
            )
    kinds["agents_anonymised"] = sum(agent["deleted"] for agent in roster.records)
    kinds["agents_deactivated"] = sum(
        not agent["active"] and not agent["deleted"] for agent in roster.records
    )
    kinds["agents_light"] = sum(agent["role"] == "light_agent" for agent in roster.records)
    kinds["agents_hard_deleted"] = len(roster.hard_deleted_ids)


def _write_customers(
    out_dir: Path, seed: int, count: int, tombstones: JsonlWriter, kinds: Counter[str]
) -> None:
    with JsonlWriter(out_dir / "customers.jsonl") as writer:
        for index in range(count):
            customer = customers.build_customer(seed, index, count)
            writer.write(customer)
            kinds.update(observed_edge_cases.customer_kinds(customer))
            kinds["customers_duplicate"] += customers.is_duplicate(seed, index, count)
            if customer["merged_into_id"] is not None:
                tombstones.write(
                    {
                        "object": "customer",
                        "id": str(customer["id"]),
                        "deleted_at": customer["updated_at"],
                        "reason": "merged",
                        "merged_into_id": str(customer["merged_into_id"]),
                    }
                )


def _write_tags(out_dir: Path, tag_counts: Counter[str]) -> None:
    write_jsonl(
        out_dir / "tags.jsonl",
        [{"name": name, "ticket_count": tag_counts[name]} for name in sorted(tag_counts)],
    )


def generate_dataset(
    out_dir: Path, tickets: int, seed: int = 42, *, progress: ProgressCallback | None = None
) -> DatasetSummary:
    """Write a deterministic dataset of `tickets` tickets (and proportional everything) to `out_dir`.

    The same (tickets, seed) always gives byte-identical files. Memory stays flat in `tickets`:
    every ticket and its children are written as soon as they are built.
    """
    if tickets < 1:
        raise ValueError("a dataset needs at least one ticket")
    out_dir = Path(out_dir)
    _prepare(out_dir)
    _write_settings(out_dir)
    volumes = Volumes.for_tickets(tickets)
    kinds: Counter[str] = Counter()
    roster = build_roster(seed, volumes.agents)
    names = ("tickets", "messages", "status_changes", "attachments", "deleted_records")
    writers = {name: JsonlWriter(out_dir / f"{name}.jsonl") for name in names}
    records = RecordSinks(
        JsonlWriter(out_dir / "custom_object_records" / "warranty.jsonl"),
        JsonlWriter(out_dir / "custom_object_records" / "subscription.jsonl"),
    )
    try:
        _write_agents(out_dir, roster, writers["deleted_records"], kinds)
        _write_customers(out_dir, seed, volumes.customers, writers["deleted_records"], kinds)
        generator = TicketGenerator(
            seed, volumes, roster, TicketSinks(**writers, records=records), AttachmentFactory(seed, out_dir)
        )
        for index in range(tickets):
            generator.write(index)
            if progress is not None and (index + 1) % _PROGRESS_EVERY == 0:
                progress(index + 1, tickets)
    finally:
        for writer in (*writers.values(), records.warranty, records.subscription):
            writer.close()
    if progress is not None:
        progress(tickets, tickets)
    _write_tags(out_dir, generator.tag_counts)
    kinds.update(generator.kinds)
    kinds["records_dangling_ticket_ids"] = records.dangling
    counts = {name: writer.count for name, writer in writers.items()}
    counts.update(
        agents=len(roster.records),
        customers=volumes.customers,
        tags=len(generator.tag_counts),
        warranty=records.warranty.count,
        subscription=records.subscription.count,
        files=sum(1 for _ in (out_dir / "files").iterdir()),
    )
    summary = DatasetSummary(
        seed=seed,
        tickets=tickets,
        counts=dict(sorted(counts.items())),
        edge_cases=dict(sorted(kinds.items())),
    )
    summary.write(out_dir)
    return summary
