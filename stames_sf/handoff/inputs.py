"""The work-folder files a pack copies, found where each stage writes them, or what is missing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from expectations.validation import ReportPaths as ValidationPaths
from loaders.agents.decisions import decisions_path, reconciliation_path
from loaders.load.ledger import SCHEMA
from loaders.reconcile.report import report_paths
from mapping.document import confirmation_state, mapping_path
from mapping.model import Mapping
from stames_sf.discovery.service import REPORT_NAME as SCOPE_REPORT
from stames_sf.handoff.pack import MissingInput, PackEntry, PackSection
from stames_sf.handoff.run import HandoffRun, has_table
from stames_sf.workdir import WorkDir

MAPPING_FOLDER = "mapping"
DATA_DOCS_FOLDER = "data-docs"
ROLLBACK_REPORTS = {
    "": "Rollback of this run: what was deleted and restored, and the proof against the pre-run snapshot.",
    "-dry-run": "Rollback dry run: what a rollback of this run would delete and restore.",
}
"""`rollback-<run><suffix>.md/.html`, as `loaders.rollback.report.write_report` names them."""
GONE_TICKETS_REPORT = "delta-{run_id}-gone-tickets.md"
"""As `stames_sf.delta_service` names it: the tickets deleted or merged in Stames since loaded."""


def modified_at(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def copied(source: Path, description: str, name: str | None = None) -> PackEntry:
    return PackEntry(name or source.name, description, modified_at(source), source)


def scope_section(work: WorkDir) -> PackSection:
    files = [work.reports / f"{SCOPE_REPORT}.html", work.reports / f"{SCOPE_REPORT}.md"]
    entries = tuple(
        copied(path, "The scope document: what Stames holds, field by field, and the Salesforce estimate.")
        for path in files
        if path.is_file()
    )
    missing = () if entries else (MissingInput("The scope document", "stames-sf discover"),)
    return PackSection("Scope", entries, missing)


def mapping_section(
    work: WorkDir, run: HandoffRun, mapping: Mapping | None, problem: str | None
) -> PackSection:
    """`mapping` as read from the work folder, or None and the `problem` that kept it from reading."""
    entries: list[PackEntry] = []
    missing: list[MissingInput] = []
    mapping_file = mapping_path(work.root)
    if mapping_file.is_file():
        entries.append(
            copied(
                mapping_file,
                _mapping_description(mapping, problem, run),
                f"{MAPPING_FOLDER}/{mapping_file.name}",
            )
        )
    else:
        missing.append(
            MissingInput("The confirmed mapping", "stames-sf map propose && stames-sf map confirm")
        )
    decisions = decisions_path(work.root)
    agents_csv = reconciliation_path(work.reports)
    if decisions.is_file():
        entries.append(
            copied(
                decisions,
                "Agent decisions: which Salesforce user owns each Stames agent's records.",
                f"{MAPPING_FOLDER}/{decisions.name}",
            )
        )
    else:
        missing.append(MissingInput("The agent decisions", "stames-sf users"))
    if agents_csv.is_file():
        entries.append(
            copied(
                agents_csv,
                "Agent reconciliation: every agent, their email, situation and what they own.",
                f"{MAPPING_FOLDER}/{agents_csv.name}",
            )
        )
    return PackSection("Mapping", tuple(entries), tuple(missing))


def _mapping_description(mapping: Mapping | None, problem: str | None, run: HandoffRun) -> str:
    if mapping is None:
        return f"The mapping file, which does not read: {problem}"
    state = confirmation_state(mapping)
    if state == "unconfirmed" or mapping.confirmation is None:
        said = "The mapping, NOT confirmed."
    elif state == "changed":
        said = f"The mapping, edited after {mapping.confirmation.by} confirmed it."
    else:
        confirmation = mapping.confirmation
        said = f"The confirmed mapping (by {confirmation.by}, {confirmation.at:%Y-%m-%d %H:%M %Z})."
    if mapping.confirmation is not None and mapping.confirmation.content_hash != run.mapping_hash:
        said += " This run loaded another version of it."
    return said


def validation_section(work: WorkDir) -> PackSection:
    paths = ValidationPaths.under(work.reports)
    entries: list[PackEntry] = [
        copied(path, "The sign-off report: validation results, reconciliation and quarantine in plain words.")
        for path in (paths.signoff_html, paths.signoff_markdown)
        if path.is_file()
    ]
    data_docs_index = paths.data_docs / "index.html"
    if data_docs_index.is_file():
        entries.append(
            PackEntry(
                DATA_DOCS_FOLDER,
                "Great Expectations Data Docs: every expectation and its result (GX's own pages; "
                "they load their styles and scripts from public CDNs).",
                modified_at(data_docs_index),
                paths.data_docs,
                opens=f"{DATA_DOCS_FOLDER}/index.html",
            )
        )
    missing = (
        () if entries else (MissingInput("The Data Docs and the sign-off report", "stames-sf validate"),)
    )
    return PackSection("Validation and sign-off", tuple(entries), missing)


def reconciliation_section(con: duckdb.DuckDBPyConnection, work: WorkDir, run: HandoffRun) -> PackSection:
    """Every recorded reconciliation of the run, oldest first; each report holds its Case sample."""
    rows = (
        con.execute(
            f"SELECT reconciled_at, passed, unexplained, sample_size, seed, signed_off_by "
            f"FROM {SCHEMA}.reconciliations WHERE run_id = ? ORDER BY reconciled_at",
            [run.run_id],
        ).fetchall()
        if has_table(con, SCHEMA, "reconciliations")
        else []
    )
    # Two reconciliations in one second share a report file, which holds the later one.
    entries: dict[Path, PackEntry] = {}
    for reconciled_at, passed, unexplained, sample_size, seed, signed_off_by in rows:
        paths = report_paths(work.reports, run.run_id, reconciled_at)
        verdict = "PASSED" if passed else f"FAILED ({unexplained:,} unexplained)"
        signed = f", signed off by {signed_off_by}" if signed_off_by else ""
        description = (
            f"Reconciliation and sample report: counts per phase, Case statuses and {sample_size} sampled "
            f"Cases (seed {seed}); {verdict}{signed}."
        )
        for path in (paths.html, paths.markdown):
            if path.is_file():
                entries[path] = PackEntry(path.name, description, reconciled_at, path)
    missing = (
        ()
        if entries
        else (
            MissingInput("The reconciliation and sample report", f"stames-sf reconcile --run {run.run_id}"),
        )
    )
    return PackSection("Reconciliation", tuple(entries.values()), missing)


def rollback_and_delta_section(work: WorkDir, run: HandoffRun) -> PackSection:
    entries: list[PackEntry] = []
    for suffix, description in ROLLBACK_REPORTS.items():
        for extension in ("html", "md"):
            path = work.reports / f"rollback-{run.run_id}{suffix}.{extension}"
            if path.is_file():
                entries.append(copied(path, description))
    gone = work.reports / GONE_TICKETS_REPORT.format(run_id=run.run_id)
    if gone.is_file():
        entries.append(
            copied(gone, "Delta: tickets deleted, marked spam or merged in Stames since they were loaded.")
        )
    note = None if entries else "No rollback or delta report for this run."
    return PackSection("Rollback and delta", tuple(entries), note=note)
