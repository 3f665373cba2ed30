"""`stames-sf map propose | review | confirm`: the mapping a person confirms before anything loads."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from mapping.review import DEFAULT_ACCEPT_ABOVE
from stames_sf.options import DEFAULT_WORK, ConnectionOption, WorkOption, connection_file

if TYPE_CHECKING:
    from pathlib import Path

    from mapping.model import Mapping
    from mapping.org import OrgSnapshot
    from mapping.review import ReviewEntry
    from stames_sf.mapping_service import Review
    from stames_sf.workdir import WorkDir

app = typer.Typer(no_args_is_help=True)

AcceptAboveOption = Annotated[
    float,
    typer.Option(
        "--accept-above",
        min=0.0,
        max=1.0,
        help="Entries with a confidence at or above this are accepted as proposed; the rest (and "
        "every conflict) need a decision.",
    ),
]


def system_clock() -> datetime:
    return datetime.now(UTC)


def fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(1)


@app.command()
def propose(
    work: WorkOption = DEFAULT_WORK,
    connection: ConnectionOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace a confirmed mapping (it is kept as a .bak beside it).")
    ] = False,
) -> None:
    """Propose the mapping from the extracted data and the target org: <work>/mapping/mapping.yml."""
    from mapping.document import MappingError
    from mapping.review import pending, review_entries
    from stames_sf import mapping_service
    from stames_sf.workdir import WorkDir, WorkDirBusyError

    work_dir = WorkDir.at(work)
    try:
        proposal = mapping_service.propose(
            work_dir, connection_file(connection, work_dir), now=system_clock(), force=force
        )
    except (MappingError, WorkDirBusyError) as error:
        fail(str(error))
    if proposal.backup is not None:
        typer.echo(f"Kept the replaced mapping as {proposal.backup}")
    entries = review_entries(proposal.mapping, proposal.org)
    counts = mapping_service.summary_counts(entries)
    undecided = len(pending(entries, DEFAULT_ACCEPT_ABOVE))
    typer.echo(
        f"Wrote {proposal.path}: {len(proposal.mapping.fields)} fields, "
        f"{len(proposal.mapping.value_maps)} value maps; {counts['conflict']} conflicts, "
        f"{counts['unmapped']} unmapped, {counts['lossy']} lossy, "
        f"{undecided} to decide at --accept-above {DEFAULT_ACCEPT_ABOVE:g}."
    )
    typer.echo("Next: `stames-sf map review`, then `stames-sf map confirm`.")


@app.command()
def review(work: WorkOption = DEFAULT_WORK, connection: ConnectionOption = None) -> None:
    """Print the mapping as a table: conflicts, unmapped and lossy entries first, lowest confidence first."""
    from mapping.document import MappingError
    from stames_sf import mapping_service
    from stames_sf.workdir import WorkDir

    work_dir = WorkDir.at(work)
    try:
        mapping = mapping_service.read_current(work_dir)
    except MappingError as error:
        fail(str(error))
    result = mapping_service.review(work_dir, mapping, _org_for_checks(connection, work_dir))
    _print_table(result.entries)
    typer.echo(_state_line(result))
    counts = mapping_service.summary_counts(result.entries)
    typer.echo(
        f"{len(result.entries)} entries: {counts['conflict']} conflicts, {counts['unmapped']} unmapped, "
        f"{counts['lossy']} lossy, {counts['ok']} as proposed."
    )


@app.command()
def confirm(
    work: WorkOption = DEFAULT_WORK,
    connection: ConnectionOption = None,
    accept_above: AcceptAboveOption = DEFAULT_ACCEPT_ABOVE,
    by: Annotated[str | None, typer.Option("--by", help="Who confirms (default: your user name).")] = None,
    yes: Annotated[
        bool,
        typer.Option("--yes", help="Do not ask; refuse if any entry is below --accept-above or in conflict."),
    ] = False,
) -> None:
    """Confirm the mapping: decide each entry below the threshold, stamp who, when and a content
    hash, and copy the mapping into the warehouse's `mapping` schema."""
    from mapping.document import MappingError, confirmation_state, mapping_path
    from mapping.review import pending, review_entries
    from stames_sf import mapping_service
    from stames_sf.workdir import WorkDir, WorkDirBusyError

    work_dir = WorkDir.at(work)
    confirmer = by or _user_name()
    try:
        mapping = mapping_service.read_current(work_dir)
        if mapping.confirmation is not None and confirmation_state(mapping) == "confirmed":
            mapping_service.publish_confirmed(work_dir)
            stamp = mapping.confirmation
            typer.echo(
                f"Already confirmed by {stamp.by} at {stamp.at.isoformat()}; copied into the warehouse again."
            )
            return
        org = _org_for_checks(connection, work_dir)
        undecided = pending(review_entries(mapping, org), accept_above)
        if undecided and yes:
            fail(mapping_service.undecided_message(undecided, accept_above))
        while undecided:
            mapping = _decide(mapping, undecided[0], confirmer, len(undecided))
            undecided = pending(review_entries(mapping, org), accept_above)
        confirmed = mapping_service.confirm_mapping(
            work_dir, mapping, by=confirmer, now=system_clock(), accept_above=accept_above, org=org
        )
    except (MappingError, WorkDirBusyError) as error:
        fail(str(error))
    stamp = confirmed.confirmation
    assert stamp is not None
    typer.echo(f"Confirmed by {stamp.by} at {stamp.at.isoformat()} ({stamp.content_hash}).")
    typer.echo(f"Wrote {mapping_path(work_dir.root)} and the `mapping` schema of {work_dir.warehouse}.")


def _decide(mapping: Mapping, entry: ReviewEntry, by: str, remaining: int) -> Mapping:
    """Ask about one entry until the answer gives a valid mapping."""
    from mapping.review import EMPTY_VALUE, EntryChangeError, accept_entry, change_entry, skip_entry

    typer.echo("")
    kind = entry.kind.replace("_", " ")
    typer.echo(f"{remaining} to decide. [{entry.flag}] {kind}: {entry.source} → {entry.target}")
    for line in _evidence_lines(entry):
        typer.echo(f"  {line}")
    if not entry.choices:
        fail(f"{entry.conflicts[0]}: map a source onto it in the mapping file, then confirm again.")
    choice = _ask_choice(entry.choices)
    while True:
        try:
            if choice == "accept":
                return accept_entry(mapping, entry, by=by)
            if choice == "change":
                hint = {
                    "field": "new target (Object.Field)",
                    "value": f"new Salesforce value ({EMPTY_VALUE}: leave empty)",
                    "route": "new target (EmailMessage, Task, CaseComment)",
                    "agent": "Salesforce User Id",
                }[entry.kind]
                return change_entry(mapping, entry, typer.prompt(hint), by=by)
            return skip_entry(mapping, entry, typer.prompt("reason"), by=by)
        except EntryChangeError as error:
            typer.echo(f"Not valid: {error}. Try again.")


def _ask_choice(choices: tuple[str, ...]) -> str:
    """One of `choices`, typed in full or by its first letter."""
    by_answer = {**{choice: choice for choice in choices}, **{choice[0]: choice for choice in choices}}
    while True:
        answer = str(typer.prompt("/".join(f"[{choice[0]}]{choice[1:]}" for choice in choices)))
        if answer.strip().lower() in by_answer:
            return by_answer[answer.strip().lower()]
        typer.echo(f"Answer one of: {', '.join(choices)}.")


def _evidence_lines(entry: ReviewEntry) -> list[str]:
    evidence = entry.evidence
    lines = [f"confidence {evidence.confidence:.2f}"]
    lines += [f"conflict: {message}" for message in entry.conflicts]
    if entry.creates:
        lines.append(f"new field: {entry.creates}")
    lines += [f"reason: {reason}" for reason in evidence.reasons]
    lines += [f"warning: {warning}" for warning in evidence.warnings]
    scores = {
        "name": evidence.name_similarity,
        "label": evidence.label_similarity,
        "type": evidence.type_compatibility,
        "values": evidence.value_overlap,
        "fill rate": evidence.fill_rate,
    }
    shown = [f"{name} {score:.2f}" for name, score in scores.items() if score is not None]
    if shown:
        lines.append("scores: " + ", ".join(shown))
    if evidence.samples:
        lines.append("samples: " + ", ".join(evidence.samples[:5]))
    return lines


def _org_for_checks(connection: Path | None, work_dir: WorkDir) -> OrgSnapshot | None:
    from stames_sf.mapping_service import read_org_if_reachable

    org, reason = read_org_if_reachable(connection_file(connection, work_dir))
    if org is None:
        typer.echo(f"Not checked against the org ({reason})", err=True)
    return org


def _state_line(result: Review) -> str:
    stamp = result.mapping.confirmation
    if result.state == "unconfirmed" or stamp is None:
        return f"{result.path}: not confirmed; run `stames-sf map confirm`."
    when = f"{stamp.by} at {stamp.at.isoformat()}"
    if result.state == "changed":
        return f"{result.path}: changed since {when} confirmed it; run `stames-sf map confirm` again."
    return f"{result.path}: confirmed by {when} (accept-above {stamp.accepted_above:g})."


def _print_table(entries: list[ReviewEntry]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False)
    table.add_column("flag")
    table.add_column("source", overflow="fold")
    table.add_column("target", overflow="fold")
    table.add_column("conf.", justify="right")
    table.add_column("why", overflow="fold")
    for entry in entries:
        why = [*entry.conflicts, *entry.evidence.warnings]
        if entry.creates:
            why.append(f"new field: {entry.creates}")
        if entry.evidence.accepted_by:
            why.append(f"decided by {entry.evidence.accepted_by}")
        # Text(): labels and reasons are data, never rich markup.
        table.add_row(
            Text(entry.flag),
            Text(entry.source),
            Text(entry.target or ""),
            Text(f"{entry.confidence:.2f}"),
            Text("; ".join(why)),
        )
    Console().print(table)


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        fail("Cannot tell who is confirming: pass --by NAME.")
