"""The ContentVersion phase: distinct files uploaded, checked, and linked to every Case that had them."""

from __future__ import annotations

from collections import defaultdict

from loaders.load.context import RunContext
from loaders.load.files import FileRow, Uploaded, file_row, stored_versions, upload_all
from loaders.load.generated_files import write_generated_files
from loaders.load.ledger import LedgerRow
from loaders.load.plan import AUDIT_FIELDS, AuditFields, Phase
from loaders.load.record_phase import find_existing, parent_failed
from loaders.load.records import DmlSpec, LoadRecord, Operation, Value
from loaders.load.source import FileEntry, file_index, read_batches
from mapping.model import EXTERNAL_ID_FIELD as STAMES_ID

LINK = "ContentDocumentLink"


def run_file_phase(context: RunContext, phase: Phase) -> None:
    """Memory follows one batch of full rows: every row is known only by its key, checksum and Case
    (to choose each file's representative), and full rows are read a batch at a time to upload."""
    _write_missing_generated_files(context)
    done = context.ledger.done_keys(context.run_id, phase.name)
    existing = find_existing(context, phase, done)
    versions = {key: sf_id for key, (sf_id, _) in existing.before_run.items()}
    versions.update(context.ledger.loaded_ids(context.run_id, phase.sobject))
    index = file_index(context.con, phase)
    context.progress.advance(phase.name, sum(1 for entry in index if entry.key in done))
    groups: dict[str, list[FileEntry]] = defaultdict(list)
    for entry in index:
        groups[entry.sha256].append(entry)
    representatives = {sha: _representative(group, versions) for sha, group in groups.items()}
    representative_keys = {entry.key for entry in representatives.values()}
    case_ids = context.ids("Case")
    failed_cases = context.ledger.failed_keys(context.run_id, "Case")
    for batch in read_batches(context.con, phase, context.settings.read_batch_rows):
        rows = [file_row(record, helpers, context.work_root) for record, helpers in batch]
        uploads = [row for row in rows if row.record.key in representative_keys]
        _upload_representatives(context, phase, uploads, done, versions, case_ids, failed_cases)
    _link_duplicates(context, phase, groups, representatives, done, versions, case_ids)


def _write_missing_generated_files(context: RunContext) -> None:
    """The transform writes the files it generates; after a bare `dbt build` they are written here."""
    written = write_generated_files(context.con, context.work_root).written
    if written:
        context.progress.note(
            f"{written:,} generated files (over-long bodies, data: images) were not on disk, as after "
            "a bare `dbt build`: written now (`stames-sf transform` writes them itself)"
        )


def _representative(group: list[FileEntry], versions: dict[str, str]) -> FileEntry:
    """The row whose upload stands for the file: one already in the org, else the first."""
    return next((entry for entry in group if entry.key in versions), group[0])


def _entity(phase: Phase, row: FileRow, case_id: str) -> dict[str, Value]:
    values = {name: value for name, value in row.record.values.items() if name in phase.insertable}
    if phase.audit is not AuditFields.KEPT:
        values = {name: value for name, value in values.items() if name not in AUDIT_FIELDS}
    return {**values, STAMES_ID: row.record.key, "FirstPublishLocationId": case_id}


def _upload_representatives(
    context: RunContext,
    phase: Phase,
    representatives: list[FileRow],
    done: set[str],
    versions: dict[str, str],
    case_ids: dict[str, str],
    failed_cases: set[str],
) -> None:
    to_upload: list[FileRow] = []
    skipped: list[LedgerRow] = []
    for row in representatives:
        key = row.record.key
        if key in done:
            continue
        if key in versions:
            skipped.append(LedgerRow(phase.name, phase.sobject, key, versions[key], "unchanged", 1))
        elif row.case_key in failed_cases or row.case_key not in case_ids:
            reason = "did not load in this run" if row.case_key in failed_cases else "is not in the org"
            skipped.append(parent_failed(phase.name, phase.sobject, key, f"its Case {row.case_key} {reason}"))
        else:
            to_upload.append(row)
    context.write(skipped)
    context.progress.advance(phase.name, len(skipped))
    batch: list[Uploaded] = []

    def confirm() -> None:
        _confirm(context, phase, batch, versions)
        batch.clear()

    def on_done(uploaded: Uploaded) -> None:
        batch.append(uploaded)
        if len(batch) >= 200:
            confirm()

    upload_all(
        context.http,
        to_upload,
        lambda row: _entity(phase, row, case_ids[row.case_key or ""]),
        context.settings.files_in_flight,
        on_done,
    )
    confirm()


def _confirm(context: RunContext, phase: Phase, batch: list[Uploaded], versions: dict[str, str]) -> None:
    """Check each upload's Checksum (MD5) and ContentSize as the org stored them."""
    uploaded_ids = [
        item.result.salesforce_id for item in batch if item.result.success and item.result.salesforce_id
    ]
    stored = stored_versions(context.http, uploaded_ids) if uploaded_ids else {}
    rows: list[LedgerRow] = []
    for item in batch:
        key, result = item.row.record.key, item.result
        if not result.success:
            rows.append(
                LedgerRow(
                    phase.name,
                    phase.sobject,
                    key,
                    None,
                    "failed",
                    1,
                    error_code=result.error_code,
                    error_message=result.error_message,
                )
            )
            continue
        version = stored.get(result.salesforce_id or "", {})
        stored_size = version.get("ContentSize")
        if version.get("Checksum") != item.md5 or stored_size is None or int(stored_size) != item.row.size:
            rows.append(
                LedgerRow(
                    phase.name,
                    phase.sobject,
                    key,
                    result.salesforce_id,
                    "failed",
                    1,
                    error_code="CHECKSUM_MISMATCH",
                    error_message=f"the org stored {stored_size} bytes, checksum "
                    f"{version.get('Checksum')}; sent {item.row.size} bytes, md5 {item.md5}",
                )
            )
            continue
        versions[key] = result.salesforce_id or ""
        rows.append(LedgerRow(phase.name, phase.sobject, key, result.salesforce_id, "created", 1))
    context.write(rows)
    context.progress.advance(phase.name, len(rows))


def _link_duplicates(
    context: RunContext,
    phase: Phase,
    groups: dict[str, list[FileEntry]],
    representatives: dict[str, FileEntry],
    done: set[str],
    versions: dict[str, str],
    case_ids: dict[str, str],
) -> None:
    duplicates = [
        (entry, representatives[sha])
        for sha, group in groups.items()
        for entry in group
        if entry is not representatives[sha] and entry.key not in done
    ]
    if not duplicates:
        return
    version_ids = sorted({versions[rep.key] for _, rep in duplicates if rep.key in versions})
    documents = {
        version_id: info.get("ContentDocumentId")
        for version_id, info in stored_versions(context.http, version_ids).items()
    }
    records: list[LoadRecord] = []
    skipped: list[LedgerRow] = []
    for entry, representative in duplicates:
        document = documents.get(versions.get(representative.key, ""))
        case_id = case_ids.get(entry.case_key or "")
        if not document or not case_id:
            missing = (
                "its file did not load" if not document else f"its Case {entry.case_key} is not in the org"
            )
            skipped.append(parent_failed(phase.name, LINK, entry.key, missing))
            continue
        records.append(
            LoadRecord(
                entry.key,
                {
                    "ContentDocumentId": document,
                    "LinkedEntityId": case_id,
                    "ShareType": "V",
                    "Visibility": "AllUsers",
                },
            )
        )
    context.write(skipped)
    context.progress.advance(phase.name, len(skipped))
    spec = DmlSpec(
        LINK,
        Operation.INSERT,
        ("ContentDocumentId", "LinkedEntityId", "ShareType", "Visibility"),
        key_field="Id",
    )

    context.insert(phase.name, LINK, spec, records, success="linked", duplicate="unchanged")
