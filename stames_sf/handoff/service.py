"""The handoff stage as one call: choose the run, copy what the work folder holds, write the error
CSVs, the manual-work inventory and the index. The pack is built in a scratch folder and swapped
in at the end, so a pack on disk is always whole and a rebuild leaves no stale file behind."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from mapping.document import MappingError, mapping_path, read_mapping
from mapping.model import Mapping
from stames_sf.discovery.warehouse import RawWarehouse
from stames_sf.handoff.errors import failed_records, write_error_csvs
from stames_sf.handoff.inputs import (
    mapping_section,
    reconciliation_section,
    rollback_and_delta_section,
    scope_section,
    validation_section,
)
from stames_sf.handoff.inventory import ManualWork
from stames_sf.handoff.not_carried import not_carried_section
from stames_sf.handoff.pack import MissingInput, PackEntry, PackSection
from stames_sf.handoff.rebuild import mapping_items_section, rebuild_section
from stames_sf.handoff.render import INDEX_NAME, write_index, write_manual_work
from stames_sf.handoff.run import HandoffRun, NoRunToHandOffError, choose_run
from stames_sf.workdir import RAW_SCHEMA, WorkDir, exclusive_run


@dataclass(frozen=True)
class HandoffPack:
    run: HandoffRun
    folder: Path
    index: Path
    sections: tuple[PackSection, ...]

    @property
    def missing(self) -> list[MissingInput]:
        return [item for section in self.sections for item in section.missing]

    @property
    def files(self) -> int:
        return sum(len(section.entries) for section in self.sections)


def build_handoff(work: WorkDir, run_id: str | None, now: datetime) -> HandoffPack:
    """Raises one-line errors: `NoRunToHandOffError`, `WorkDirBusyError`."""
    if not work.warehouse.is_file():
        raise NoRunToHandOffError(f"No warehouse in {work.root}: extract, transform and load first.")
    with exclusive_run(work):
        mapping, problem = _read_mapping(work)
        with duckdb.connect(str(work.warehouse), read_only=True) as con:
            run = choose_run(con, run_id)
            scratch = _empty_folder(work.handoff / f".{run.run_id}.partial")
            failed = failed_records(con, run.run_id)
            copies = (
                scope_section(work),
                mapping_section(work, run, mapping, problem),
                validation_section(work),
                reconciliation_section(con, work, run),
            )
            rollback_and_delta = rollback_and_delta_section(work, run)
            manual = ManualWork(
                run.run_id,
                now,
                (
                    rebuild_section(RawWarehouse(con, RAW_SCHEMA), mapping),
                    mapping_items_section(mapping, problem),
                    not_carried_section(con, run, failed),
                ),
            )
        for section in (*copies, rollback_and_delta):
            for entry in section.entries:
                _copy_in(entry, scratch)
        errors = write_error_csvs(failed, scratch, now)
        sections = (*copies, errors, _manual_work_section(manual, scratch), rollback_and_delta)
        write_index(run, sections, now, scratch)
        folder = _swap_in(scratch, work.handoff / run.run_id)
    return HandoffPack(run, folder, folder / INDEX_NAME, sections)


def _read_mapping(work: WorkDir) -> tuple[Mapping | None, str | None]:
    try:
        return read_mapping(mapping_path(work.root)), None
    except MappingError as unreadable:
        return None, str(unreadable)


def _manual_work_section(manual: ManualWork, pack: Path) -> PackSection:
    markdown, html = write_manual_work(manual, pack)
    description = (
        "The manual-work inventory: portal, notification triggers and reminders, SLAs to rebuild, "
        "and what the load could not carry, with the numbers."
    )
    return PackSection(
        "Manual work",
        tuple(PackEntry(path.name, description, manual.generated_at) for path in (html, markdown)),
    )


def _empty_folder(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _copy_in(entry: PackEntry, pack: Path) -> None:
    if entry.source is None:
        return
    target = pack / entry.name
    target.parent.mkdir(parents=True, exist_ok=True)
    if entry.source.is_dir():
        shutil.copytree(entry.source, target)
    else:
        shutil.copy2(entry.source, target)


def _swap_in(scratch: Path, folder: Path) -> Path:
    """`scratch` becomes `folder`; the pack it replaces is removed once the new one is in place."""
    previous = folder.with_name(f".{folder.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if folder.exists():
        folder.rename(previous)
    scratch.rename(folder)
    shutil.rmtree(previous, ignore_errors=True)
    return folder
