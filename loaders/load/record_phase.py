"""A phase of ordinary records: insert what is new, update what exists (its prior values kept),
adopt the org's own records the transform matched (update by Id), and leave frozen objects as
they are. Lookups that wait for a later phase are set in a links pass at the end of the run."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from loaders.load.context import RunContext, ledger_rows
from loaders.load.dml import StepResult
from loaders.load.ledger import LedgerRow
from loaders.load.org_reads import records_with_stames_id
from loaders.load.plan import AUDIT_FIELDS, CREATED_AT_FALLBACK, AuditFields, Lookup, Phase
from loaders.load.records import DmlSpec, LoadRecord, Operation, ParentRef
from loaders.load.sameness import unchanged
from loaders.load.source import read_batches
from mapping.model import EXTERNAL_ID_FIELD as STAMES_ID

Transform = Callable[[LoadRecord], LoadRecord]


@dataclass(frozen=True)
class Existing:
    """Records of the phase's object the org already holds, by Stames id."""

    before_run: dict[str, tuple[str, dict]]
    """Held before this run started (the snapshot): an upsert updates them."""
    from_this_run: dict[str, str]
    """Created by an earlier, interrupted attempt of this run that the ledger did not hear of."""


def snapshot_fields(phase: Phase) -> list[str]:
    """The fields a rerun may change on an existing record: what the prior values must hold."""
    if phase.insert_only:
        return []
    fields = [name for name in phase.columns if name in phase.updatable and name not in AUDIT_FIELDS]
    lookups = [lookup.parent.field for lookup in phase.lookups]
    return list(dict.fromkeys([*fields, *lookups]))


def find_existing(context: RunContext, phase: Phase, done: set[str]) -> Existing:
    """What the org holds of the phase's object; records an interrupted attempt of this run
    created without the ledger hearing of it are written to the ledger now and added to `done`."""
    before = context.ledger.snapshot(context.run_id, phase.sobject)
    from_this_run: dict[str, str] = {}
    if phase.name in context.interrupted_phases:
        for sf_id, key, _ in records_with_stames_id(context.http, phase.sobject, []):
            if key not in before and key not in done:
                from_this_run[key] = sf_id
    context.write(
        [
            LedgerRow(phase.name, phase.sobject, key, sf_id, "created", 1)
            for key, sf_id in from_this_run.items()
        ]
    )
    done |= set(from_this_run)
    return Existing(before, from_this_run)


def parent_failed(phase: str, sobject: str, key: str, why: str) -> LedgerRow:
    """The ledger row of a record that was not sent because a parent it needs is missing."""
    return LedgerRow(phase, sobject, key, None, "failed", 1, error_code="PARENT_FAILED", error_message=why)


def run_record_phase(context: RunContext, phase: Phase, transform: Transform | None = None) -> None:
    done = context.ledger.done_keys(context.run_id, phase.name)
    existing = find_existing(context, phase, done)
    failed_parents = _failed_parents(context, phase)
    parent_ids = _parent_ids(context, _updatable_lookups(phase)) if existing.before_run else {}
    for batch in read_batches(context.con, phase, context.settings.read_batch_rows):
        already = sum(1 for record, _ in batch if record.key in done)
        if already:
            context.progress.advance(phase.name, already)
        pending = [(record, helpers) for record, helpers in batch if record.key not in done]
        if pending:
            _load_batch(context, phase, pending, existing, failed_parents, transform, parent_ids)


def _updatable_fields(phase: Phase) -> list[str]:
    return [name for name in phase.columns if name in phase.updatable and name not in AUDIT_FIELDS]


def _updatable_lookups(phase: Phase) -> tuple[Lookup, ...]:
    return tuple(lookup for lookup in phase.immediate if lookup.parent.field in phase.updatable)


def _parent_ids(context: RunContext, lookups: Sequence[Lookup]) -> dict[str, dict[str, str]]:
    """Parent object → Stames id → Salesforce id, to tell whether a lookup would change."""
    return {sobject: context.ids(sobject) for sobject in {lookup.parent.parent_sobject for lookup in lookups}}


def _failed_parents(context: RunContext, phase: Phase) -> dict[str, set[str]]:
    """Lookup field → parent keys that failed to load in this run (their children cannot load)."""
    failed: dict[str, set[str]] = {}
    for lookup in phase.immediate:
        failed[lookup.parent.field] = context.ledger.failed_keys(context.run_id, lookup.parent.parent_sobject)
    return failed


def _load_batch(
    context: RunContext,
    phase: Phase,
    pending: list[tuple[LoadRecord, dict]],
    existing: Existing,
    failed_parents: dict[str, set[str]],
    transform: Transform | None,
    parent_ids: dict[str, dict[str, str]],
) -> None:
    updatable = _updatable_fields(phase)
    updatable_lookups = _updatable_lookups(phase)
    new: list[LoadRecord] = []
    update: list[LoadRecord] = []
    adopt: list[LoadRecord] = []
    adopt_keys: dict[str, str] = {}
    skipped: list[LedgerRow] = []
    for record, helpers in pending:
        orphaned = _orphaned(record, phase.immediate, failed_parents)
        if orphaned:
            skipped.append(
                parent_failed(
                    phase.name, phase.sobject, record.key, f"its {orphaned} did not load in this run"
                )
            )
            continue
        if transform is not None:
            record = transform(record)
        org_id = helpers.get("Id")
        adopted_before = existing.before_run.get(record.key)
        if (
            org_id
            and adopted_before
            and adopted_before[0] == org_id
            and unchanged(record, adopted_before[1], updatable, updatable_lookups, parent_ids)
        ):
            # Adopted by an earlier run (it holds this Stames id already) and nothing differs.
            skipped.append(LedgerRow(phase.name, phase.sobject, record.key, org_id, "unchanged", 1))
        elif org_id:
            adopt.append(LoadRecord(org_id, {**record.values, STAMES_ID: record.key}, record.parent_keys))
            adopt_keys[org_id] = record.key
        elif record.key in existing.before_run:
            sf_id, values_before = existing.before_run[record.key]
            if phase.insert_only or unchanged(
                record, values_before, updatable, updatable_lookups, parent_ids
            ):
                skipped.append(LedgerRow(phase.name, phase.sobject, record.key, sf_id, "unchanged", 1))
            else:
                update.append(record)
        else:
            new.append(_with_audit(record, phase))
    context.write(skipped)
    context.progress.advance(phase.name, len(skipped))
    _send(context, phase, _spec(phase, Operation.UPSERT, _insert_fields(phase), phase.immediate), new)
    _send(
        context,
        phase,
        _spec(phase, Operation.UPSERT, updatable, updatable_lookups),
        update,
        existing.before_run,
    )
    adopt_spec = DmlSpec(
        phase.sobject, Operation.UPDATE, (STAMES_ID, *updatable), _parents(updatable_lookups), key_field="Id"
    )
    _send(context, phase, adopt_spec, adopt, existing.before_run, adopt_keys)


def _orphaned(record: LoadRecord, lookups: Sequence[Lookup], failed: dict[str, set[str]]) -> str | None:
    for lookup in lookups:
        parent_key = record.parent_keys.get(lookup.parent.field)
        if parent_key and parent_key in failed.get(lookup.parent.field, ()):
            return f"{lookup.parent.parent_sobject} {parent_key}"
    return None


def _with_audit(record: LoadRecord, phase: Phase) -> LoadRecord:
    if phase.audit is AuditFields.KEPT:
        return record
    values = {name: value for name, value in record.values.items() if name not in AUDIT_FIELDS}
    if phase.audit is AuditFields.FALLBACK and record.values.get("CreatedDate") is not None:
        values[CREATED_AT_FALLBACK] = record.values["CreatedDate"]
    return LoadRecord(record.key, values, record.parent_keys)


def _insert_fields(phase: Phase) -> list[str]:
    fields = [name for name in phase.columns if name in phase.insertable]
    if phase.audit is AuditFields.KEPT:
        return fields
    fields = [name for name in fields if name not in AUDIT_FIELDS]
    return [*fields, CREATED_AT_FALLBACK] if phase.audit is AuditFields.FALLBACK else fields


def _parents(lookups: Sequence[Lookup]) -> tuple[ParentRef, ...]:
    return tuple(lookup.parent for lookup in lookups)


def _spec(phase: Phase, operation: Operation, fields: Sequence[str], lookups: Sequence[Lookup]) -> DmlSpec:
    return DmlSpec(phase.sobject, operation, tuple(fields), _parents(lookups))


def _send(
    context: RunContext,
    phase: Phase,
    spec: DmlSpec,
    records: list[LoadRecord],
    before: Mapping[str, tuple[str, dict]] | None = None,
    key_of: dict[str, str] | None = None,
) -> None:
    """Send `records`; `before` (key → (Id, values before the run)) gives the prior values of the
    fields sent, looked up for this batch's keys only: the snapshot can hold the whole org."""
    if not records:
        return
    sent = set(spec.fields) | {parent.field for parent in spec.parents}
    keys = {record.key for record in records} | {(key_of or {}).get(record.key, "") for record in records}
    known = before or {}
    prior_sent = {
        key: {name: value for name, value in known[key][1].items() if name in sent}
        for key in keys
        if key in known
    }

    def record(results: list[StepResult]) -> None:
        context.write(ledger_rows(phase.name, phase.sobject, results, prior_sent, key_of))
        context.progress.advance(phase.name, len(results))

    context.step.run(spec, records, record)


def run_links_pass(context: RunContext, phase: Phase) -> None:
    """Set the lookups that had to wait (a Case's parent Case, its custom-object record)."""
    name = phase.links_name
    done = context.ledger.done_keys(context.run_id, name)
    loaded = context.ledger.done_keys(context.run_id, phase.name)
    failed_parents = {
        lookup.parent.field: context.ledger.failed_keys(context.run_id, lookup.parent.parent_sobject)
        for lookup in phase.deferred
    }
    before = context.ledger.snapshot(context.run_id, phase.sobject)
    spec = DmlSpec(phase.sobject, Operation.UPSERT, (), _parents(phase.deferred))
    prior = {key: values for key, (_, values) in before.items()}
    parent_ids = _parent_ids(context, phase.deferred) if before else {}
    for batch in read_batches(context.con, phase, context.settings.read_batch_rows):
        records: list[LoadRecord] = []
        skipped: list[LedgerRow] = []
        for record, _ in batch:
            keys = {
                field: key
                for field, key in record.parent_keys.items()
                if key and field in {lookup.parent.field for lookup in phase.deferred}
            }
            if not keys or record.key in done or record.key not in loaded:
                continue
            orphaned = _orphaned(record, phase.deferred, failed_parents)
            if orphaned:
                skipped.append(
                    parent_failed(name, phase.sobject, record.key, f"its {orphaned} did not load in this run")
                )
                continue
            links = LoadRecord(record.key, {}, keys)
            if record.key in before and unchanged(
                links, before[record.key][1], (), phase.deferred, parent_ids
            ):
                sf_id = before[record.key][0]
                skipped.append(LedgerRow(name, phase.sobject, record.key, sf_id, "unchanged", 1))
                continue
            records.append(links)
        context.write(skipped)
        if records:

            def write(results: list[StepResult]) -> None:
                rows = ledger_rows(name, phase.sobject, results, prior)
                context.write([_as_update(row) for row in rows])

            context.step.run(spec, records, write)


def _as_update(row: LedgerRow) -> LedgerRow:
    """A links-pass row only ever updates: the record itself was created by its phase."""
    if row.action != "created":
        return row
    return LedgerRow(
        row.phase, row.sobject, row.stames_id, row.salesforce_id, "updated", row.attempts, row.prior_values
    )
