"""The map stage as calls: propose the mapping from the warehouse and the live org, review it,
confirm it, copy it into the warehouse; and `require_mapping`, the gate every later stage passes.

Time comes in as an argument (`now`), so a test stamps a confirmation with a fixed instant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mapping.document import (
    ConfirmationState,
    MappingError,
    carries_confirmation,
    confirm,
    confirmation_state,
    mapping_path,
    read_mapping,
    require_confirmed,
    write_mapping,
)
from mapping.model import Mapping
from mapping.org import OrgSnapshot
from mapping.propose import propose_mapping
from mapping.review import ReviewEntry, pending, review_entries
from mapping.warehouse import publish_mapping, require_published
from stames_sf.workdir import RAW_SCHEMA, WorkDir, exclusive_run

Proposer = Callable[[Path, OrgSnapshot], Mapping]
"""`(warehouse, org) -> Mapping`; the default is `mapping.propose.propose_mapping` at `now`."""


class MapStepError(MappingError):
    """The map stage cannot go on (no org, no data, a decision missing); one line saying what to do.
    A `MappingError`, so a later stage catches one type from `require_mapping`."""


@dataclass(frozen=True)
class Proposal:
    mapping: Mapping
    path: Path
    backup: Path | None
    """Where the file this proposal replaced was kept, if there was one."""
    org: OrgSnapshot


def read_org(connection_file: Path) -> OrgSnapshot:
    """The target org's describes, users and queues, read over the connection in `connection_file`."""
    from simple_salesforce import Salesforce

    from loaders.org_snapshot import fetch_org_snapshot
    from stames_sf.org_access import OrgUnreachableError, read_from_org

    def snapshot(client: Salesforce) -> OrgSnapshot:
        custom_objects = [item["name"] for item in client.describe()["sobjects"] if item.get("custom")]
        return fetch_org_snapshot(client, extra_objects=custom_objects)

    try:
        return read_from_org(connection_file, snapshot)
    except OrgUnreachableError as error:
        raise MapStepError(str(error)) from None


def propose(
    work: WorkDir,
    connection_file: Path,
    *,
    now: datetime,
    force: bool = False,
    proposer: Proposer | None = None,
) -> Proposal:
    """Propose the mapping and write it to `<work>/mapping/mapping.yml`.

    A file that carries a confirmation is not replaced unless `force`; any file replaced is kept
    beside it as `mapping.yml.<timestamp>.bak`.
    """
    path = mapping_path(work.root)
    if carries_confirmation(path) and not force:
        raise MapStepError(
            f"{path} is confirmed; a new proposal would replace it and void the confirmation: "
            "rerun with --force (the current file is kept as a .bak beside it)."
        )
    with exclusive_run(work):
        if not _has_raw_data(work.warehouse):
            raise MapStepError(f"No extracted data in {work.warehouse}: run `stames-sf extract` first.")
        org = read_org(connection_file)
        propose_with = proposer or (lambda warehouse, snapshot: propose_mapping(warehouse, snapshot, now=now))
        mapping = propose_with(work.warehouse, org)
        backup = None
        if path.exists():
            backup = path.with_name(f"{path.name}.{now.strftime('%Y%m%dT%H%M%SZ')}.bak")
            path.replace(backup)
        write_mapping(mapping, path)
    return Proposal(mapping=mapping, path=path, backup=backup, org=org)


def read_org_if_reachable(connection_file: Path) -> tuple[OrgSnapshot | None, str | None]:
    """The org for review's checks, or None with the one-line reason it could not be read.

    Review and confirm still work without the org; they then cannot check value-map targets
    against its picklists or its required fields, and say so."""
    try:
        return read_org(connection_file), None
    except MapStepError as error:
        return None, str(error)


@dataclass(frozen=True)
class Review:
    mapping: Mapping
    path: Path
    state: ConfirmationState
    """`changed`: edited after its confirmation."""
    entries: list[ReviewEntry]


def read_current(work: WorkDir) -> Mapping:
    """The work folder's mapping file, parsed and validated (confirmed or not)."""
    return read_mapping(mapping_path(work.root))


def review(work: WorkDir, mapping: Mapping, org: OrgSnapshot | None) -> Review:
    """The mapping's entries in review order, and whether its confirmation still holds."""
    return Review(mapping, mapping_path(work.root), confirmation_state(mapping), review_entries(mapping, org))


def confirm_mapping(
    work: WorkDir,
    mapping: Mapping,
    *,
    by: str,
    now: datetime,
    accept_above: float,
    org: OrgSnapshot | None,
) -> Mapping:
    """Stamp the mapping (who, when, content hash), write the file and copy it into the warehouse.

    Refuses while an entry still needs a decision at `accept_above`."""
    undecided = pending(review_entries(mapping, org), accept_above)
    if undecided:
        raise MapStepError(undecided_message(undecided, accept_above))
    confirmed = confirm(mapping, by=by, at=now, accepted_above=accept_above)
    with exclusive_run(work):
        write_mapping(confirmed, mapping_path(work.root))
        _publish(confirmed, work.warehouse)
    return confirmed


def publish_confirmed(work: WorkDir) -> Mapping:
    """Copy the confirmed, unchanged mapping file into the warehouse again (e.g. a rebuilt one)."""
    mapping = require_confirmed(mapping_path(work.root))
    with exclusive_run(work):
        _publish(mapping, work.warehouse)
    return mapping


def _publish(mapping: Mapping, warehouse: Path) -> None:
    import duckdb

    try:
        publish_mapping(mapping, warehouse)
    except duckdb.IOException as error:
        # Another process (a duckdb shell, a BI tool) holds the file open for writing.
        raise MapStepError(
            f"Cannot write {warehouse} (is another program holding it open?): {error}; the mapping "
            "file is confirmed, rerun `stames-sf map confirm` to copy it into the warehouse."
        ) from None


def undecided_message(undecided: list[ReviewEntry], accept_above: float) -> str:
    conflicts = sum(1 for entry in undecided if entry.conflicts)
    first = undecided[0]
    return (
        f"{len(undecided)} entries need a decision ({conflicts} conflicts, the rest below "
        f"{accept_above:g}), first {first.source} → {first.target} ({first.confidence:.2f}): "
        "run `stames-sf map confirm` without --yes to decide them."
    )


def require_mapping(work: WorkDir) -> Mapping:
    """The gate of every stage after mapping: the confirmed, unchanged mapping, also in the warehouse.

    Raises a `MappingError` whose one-line message says what to do."""
    import duckdb

    mapping = require_confirmed(mapping_path(work.root))
    try:
        require_published(mapping, work.warehouse)
    except duckdb.IOException as error:
        raise MapStepError(f"Cannot read {work.warehouse} (is another run writing it?): {error}") from None
    return mapping


def _has_raw_data(warehouse: Path) -> bool:
    import duckdb

    if not warehouse.exists():
        return False
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            row = con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = ?", [RAW_SCHEMA]
            ).fetchone()
    except duckdb.IOException as error:
        raise MapStepError(f"Cannot read {warehouse} (is an extraction running?): {error}") from None
    return bool(row and row[0])


def summary_counts(entries: list[ReviewEntry]) -> dict[str, int]:
    counts = {"conflict": 0, "unmapped": 0, "lossy": 0, "ok": 0}
    for entry in entries:
        counts[entry.flag] += 1
    return counts
