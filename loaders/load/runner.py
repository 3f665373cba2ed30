"""A load run from start to end: choose or resume the run, read the org, plan, snapshot what the
run may update, then each phase in dependency order with its reconciliation row, then the
deferred lookups. A stop at the API budget, at a phase's failure threshold or by a kill leaves a
run that `run_load` resumes where it stopped."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from expectations.sync_tables import (
    CUSTOM_OBJECT_RECORDS_TABLE,
    QUARANTINE_TABLE,
    SOBJECT_COLUMN,
    SYNC_SCHEMA,
)
from loaders.load.context import LoadProgress, LoadSettings, RunContext
from loaders.load.file_phase import run_file_phase
from loaders.load.http import BudgetReachedError, Clock, OrgError, OrgHttp
from loaders.load.ledger import Ledger, PhaseCounts, SnapshotObject
from loaders.load.org_reads import all_records, daily_allowance, describe, identity
from loaders.load.plan import LoadPlan, Phase, PhaseKind, build_plan
from loaders.load.record_phase import run_links_pass, run_record_phase, snapshot_fields
from loaders.load.records import LoadRecord
from loaders.load.source import count_rows
from loaders.load.topic_phase import run_topic_assignment_phase, run_topic_phase
from mapping.model import Mapping

RESUMABLE = ("running", "paused", "stopped")
FILE_PLACEHOLDER = re.compile(r"stames-file:([A-Za-z0-9_.:-]+)")
VERSION_DOWNLOAD = "/sfc/servlet.shepherd/version/download/{}"
"""The org-relative URL of a ContentVersion's bytes: what an inline image's `src` becomes."""


class LoadRefusedError(Exception):
    """The load cannot start; the message is one line saying why and what to do."""


@dataclass(frozen=True)
class LoadRequest:
    warehouse: Path
    work_root: Path
    mapping: Mapping
    mapping_hash: str
    data_hash: str
    http: OrgHttp
    spill_dir: Path | None = None
    """Where DuckDB spills what passes its memory limit (the work folder's state)."""
    target: str = "sandbox"
    settings: LoadSettings = LoadSettings()  # noqa: RUF009 - frozen: one shared default is safe
    retry_failed: bool = False
    new_run: bool = False


@dataclass(frozen=True)
class PhaseSummary:
    phase: str
    sobject: str
    status: str
    counts: PhaseCounts


@dataclass(frozen=True)
class LoadOutcome:
    run_id: str
    status: str
    reason: str | None
    resumed: bool
    phases: tuple[PhaseSummary, ...]
    forecast_calls: int
    api_calls: int
    audit: dict[str, str]


def run_load(request: LoadRequest, clock: Clock, progress: LoadProgress) -> LoadOutcome:
    with duckdb.connect(str(request.warehouse), config=_duckdb_config(request)) as con:
        ledger = Ledger(con)
        run_id, resumed = _choose_run(ledger, request, clock)
        plan = _plan(con, request)
        who = identity(request.http)
        allowance = daily_allowance(request.http)
        used = allowance.max - allowance.remaining
        request.http.usage.stop_at = used + math.floor(request.settings.budget_share * allowance.remaining)
        if not resumed:
            ledger.start_run(
                run_id,
                clock.now(),
                request.target,
                request.http.instance_url,
                who.organization_id,
                who.user_id,
                request.mapping_hash,
                request.data_hash,
            )
        forecast = forecast_calls(con, plan, request.settings)
        audit = {
            phase.sobject: phase.audit.value for phase in plan.phases if phase.kind is not PhaseKind.TOPICS
        }
        ledger.set_run(
            run_id, status="running", forecast_calls=forecast, audit_fields=str(audit), stop_reason=None
        )
        progress.note(
            f"{'Resuming' if resumed else 'Starting'} run {run_id}: about {forecast:,} API calls forecast; "
            f"{allowance.remaining:,} of {allowance.max:,} left today; "
            f"this run stops at {request.http.usage.stop_at:,} used."
        )
        interrupted = (
            frozenset(
                phase.name
                for phase in plan.phases
                for name in (phase.name, phase.links_name)
                if ledger.phase_status(run_id, name) in RESUMABLE
            )
            if resumed
            else frozenset()
        )
        context = RunContext(
            request.http,
            con,
            ledger,
            run_id,
            plan,
            request.settings,
            request.work_root,
            clock,
            progress,
            interrupted,
        )
        status, reason = "completed", None
        summaries: list[PhaseSummary] = []
        try:
            if not ledger.has_snapshot(run_id):
                _take_snapshot(context)
                ledger.set_run(run_id, snapshot_at=clock.now())
            for phase in plan.phases:
                summary = _run_phase(context, phase, request)
                summaries.append(summary)
                if summary.status == "stopped":
                    status = "stopped"
                    reason = (
                        f"{phase.sobject}: {summary.counts.failed:,} of {summary.counts.attempted:,} failed, "
                        f"over the threshold of {request.settings.failure_threshold:.0%}; fix and load again "
                        "(the run resumes and retries them)"
                    )
                    break
            else:
                for phase in plan.phases:
                    if phase.deferred:
                        summaries.append(_run_links(context, phase))
        except BudgetReachedError as stop:
            status, reason = "paused", str(stop)
        except OrgError as error:
            status, reason = "stopped", f"the org refused a call: {error}"
        if status != "completed":
            ledger.close_open_phases(run_id, "paused" if status == "paused" else "stopped")
        ledger.set_run(
            run_id,
            status=status,
            stop_reason=reason,
            api_calls=request.http.usage.calls,
            finished_at=clock.now() if status == "completed" else None,
        )
        return LoadOutcome(
            run_id, status, reason, resumed, tuple(summaries), forecast, request.http.usage.calls, audit
        )


def _duckdb_config(request: LoadRequest) -> dict[str, str]:
    """A bounded DuckDB: the loader reads sync tables in batches, so memory need not grow with them."""
    config = {"memory_limit": request.settings.duckdb_memory_limit, "threads": "2"}
    if request.spill_dir is not None:
        request.spill_dir.mkdir(parents=True, exist_ok=True)
        config["temp_directory"] = str(request.spill_dir)
    return config


def _choose_run(ledger: Ledger, request: LoadRequest, clock: Clock) -> tuple[str, bool]:
    latest = ledger.latest_run()
    if latest and latest.status in RESUMABLE:
        same = latest.mapping_hash == request.mapping_hash and latest.data_hash == request.data_hash
        if same and not request.new_run:
            return latest.run_id, True
        if not request.new_run:
            raise LoadRefusedError(
                f"run {latest.run_id} stopped ({latest.status}) with another mapping or other sync data: "
                "load again with --new-run to start over (its records stay in the org and are updated)"
            )
        ledger.set_run(latest.run_id, status="superseded")
    elif request.retry_failed:
        if latest is None or latest.status != "completed":
            raise LoadRefusedError("there is no finished run to retry: run `stames-sf load` first")
        if latest.mapping_hash != request.mapping_hash:
            raise LoadRefusedError(
                f"run {latest.run_id} used another mapping: --retry-failed reloads the same run's rows"
            )
        return latest.run_id, True
    return f"load-{clock.now().strftime('%Y%m%dT%H%M%S%fZ')}", False


def _plan(con: duckdb.DuckDBPyConnection, request: LoadRequest) -> LoadPlan:
    columns: dict[str, tuple[str, ...]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = ? "
        "ORDER BY ordinal_position",
        [SYNC_SCHEMA],
    ).fetchall():
        columns[table] = (*columns.get(table, ()), column)
    custom_fields: dict[str, tuple[str, ...]] = {}
    if CUSTOM_OBJECT_RECORDS_TABLE in columns:
        for sobject, key in con.execute(
            f"SELECT DISTINCT {SOBJECT_COLUMN}, unnest(json_keys(stames__field_values)) "
            f'FROM {SYNC_SCHEMA}."{CUSTOM_OBJECT_RECORDS_TABLE}" ORDER BY 1, 2'
        ).fetchall():
            custom_fields[sobject] = (*custom_fields.get(sobject, ()), key)
    from expectations.sync_tables import sync_models

    describes = {}
    for model in sync_models(request.mapping):
        if model.extension:
            continue
        described = describe(request.http, model.sobject)
        if described is not None:
            describes[model.sobject] = described
    plan = build_plan(request.mapping, describes, columns, custom_fields)
    if plan.problems:
        raise LoadRefusedError("the org does not match the sync tables: " + "; ".join(plan.problems))
    return plan


def _take_snapshot(context: RunContext) -> None:
    """Every record of every object the run touches, as it is now: the prior values of every
    update, and what a rollback proves the org returned to."""
    for target in snapshot_targets(context.plan):
        records = list(all_records(context.http, target.sobject, target.fields, keyed=target.keyed))
        context.ledger.save_snapshot(context.run_id, target.sobject, records)
        context.ledger.save_snapshot_object(context.run_id, replace(target, records=len(records)))


def snapshot_targets(plan: LoadPlan) -> list[SnapshotObject]:
    """The objects the plan writes to, with the fields it may change: a file phase also creates
    ContentDocuments, topic phases Topics and TopicAssignments (neither has `Stames_Id__c`)."""
    fields: dict[str, list[str]] = {}
    keyed: dict[str, bool] = {}
    for phase in plan.phases:
        if phase.kind is PhaseKind.TOPICS:
            fields.setdefault("Topic", ["Name"])
            keyed["Topic"] = False
            continue
        if phase.kind is PhaseKind.TOPIC_ASSIGNMENTS:
            fields.setdefault("TopicAssignment", ["TopicId", "EntityId"])
            keyed["TopicAssignment"] = False
            continue
        fields[phase.sobject] = list(dict.fromkeys([*fields.get(phase.sobject, []), *snapshot_fields(phase)]))
        keyed[phase.sobject] = True
        if phase.kind is PhaseKind.FILES:
            fields.setdefault("ContentDocument", [])
            keyed["ContentDocument"] = False
    return [SnapshotObject(sobject, tuple(names), keyed[sobject], 0) for sobject, names in fields.items()]


def _run_phase(context: RunContext, phase: Phase, request: LoadRequest) -> PhaseSummary:
    source_rows = count_rows(context.con, phase)
    context.ledger.start_phase(context.run_id, phase.name, phase.order, phase.sobject, context.clock.now())
    context.progress.start(phase.name, source_rows)
    if phase.kind is PhaseKind.FILES:
        run_file_phase(context, phase)
    elif phase.kind is PhaseKind.TOPICS:
        run_topic_phase(context, phase)
    elif phase.kind is PhaseKind.TOPIC_ASSIGNMENTS:
        run_topic_assignment_phase(context, phase)
    else:
        transform = _inline_images(context) if phase.sobject == "EmailMessage" else None
        run_record_phase(context, phase, transform)
    context.progress.finish(phase.name)
    counts = _counts(context, phase.name, source_rows, _quarantined(context, phase, request.mapping))
    over = counts.attempted and counts.failed / counts.attempted > context.settings.failure_threshold
    status = "stopped" if over else "completed"
    context.ledger.finish_phase(context.run_id, phase.name, status, counts, context.clock.now())
    return PhaseSummary(phase.name, phase.sobject, status, counts)


def _run_links(context: RunContext, phase: Phase) -> PhaseSummary:
    name = phase.links_name
    context.ledger.start_phase(context.run_id, name, phase.order, phase.sobject, context.clock.now())
    run_links_pass(context, phase)
    counts = _counts(context, name, 0, 0)
    context.ledger.finish_phase(context.run_id, name, "completed", counts, context.clock.now())
    return PhaseSummary(name, phase.sobject, "completed", counts)


def _counts(context: RunContext, phase: str, source_rows: int, quarantined: int) -> PhaseCounts:
    actions = context.ledger.counts(context.run_id, phase)
    return PhaseCounts(
        source_rows=source_rows,
        quarantined=quarantined,
        attempted=sum(actions.values()) - actions.get("unchanged", 0),
        created=actions.get("created", 0),
        updated=actions.get("updated", 0),
        linked=actions.get("linked", 0),
        unchanged=actions.get("unchanged", 0),
        failed=actions.get("failed", 0),
        failed_by_error=context.ledger.failed_by_error(context.run_id, phase),
    )


def _quarantined(context: RunContext, phase: Phase, mapping: Mapping) -> int:
    sources = [entry.source for entry in mapping.objects if entry.target == phase.sobject]
    if not sources:
        return 0
    placeholders = ", ".join("?" for _ in sources)
    [(count,)] = context.con.execute(
        f'SELECT count(*) FROM {SYNC_SCHEMA}."{QUARANTINE_TABLE}" WHERE object IN ({placeholders})', sources
    ).fetchall()
    return int(count)


def _inline_images(context: RunContext) -> Callable[[LoadRecord], LoadRecord]:
    """EmailMessage bodies name their inline images `stames-file:<ContentVersion Stames id>`;
    they become the version's download URL (a file uploaded once for several rows serves all)."""
    by_sha = (
        dict(
            context.con.execute(
                f'SELECT "Stames_Id__c", stames__sha256 FROM {SYNC_SCHEMA}.'
                '"sync_salesforce__content_versions"'
            ).fetchall()
        )
        if "sync_salesforce__content_versions" in _tables(context.con)
        else {}
    )
    versions = context.ids("ContentVersion")
    version_of_sha = {by_sha[key]: sf_id for key, sf_id in versions.items() if key in by_sha}

    def replace(match: re.Match[str]) -> str:
        version = versions.get(match.group(1)) or version_of_sha.get(by_sha.get(match.group(1), ""))
        return VERSION_DOWNLOAD.format(version) if version else match.group(0)

    def transform(record: LoadRecord) -> LoadRecord:
        body = record.values.get("HtmlBody")
        if not isinstance(body, str) or "stames-file:" not in body:
            return record
        return LoadRecord(
            record.key, {**record.values, "HtmlBody": FILE_PLACEHOLDER.sub(replace, body)}, record.parent_keys
        )

    return transform


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", [SYNC_SCHEMA]
    ).fetchall()
    return {name for (name,) in rows}


def forecast_calls(con: duckdb.DuckDBPyConnection, plan: LoadPlan, settings: LoadSettings) -> int:
    """The calls the data needs: per Bulk job create, upload, close, about two polls and the
    results; per Collections batch one; per file one upload, plus a checksum read per 200."""
    calls = 2 + len(plan.phases)  # limits, identity, one describe a phase
    for phase in plan.phases:
        rows = count_rows(con, phase)
        calls += 1  # the snapshot query
        if phase.kind is PhaseKind.FILES:
            calls += rows + math.ceil(rows / 200) * 2
        elif rows >= settings.bulk_threshold and phase.kind is PhaseKind.RECORDS:
            calls += math.ceil(rows / settings.bulk.max_rows_per_job) * 6
        else:
            calls += math.ceil(rows / 200)
        if phase.deferred:
            calls += (
                math.ceil(rows / settings.bulk.max_rows_per_job) * 6
                if rows >= settings.bulk_threshold
                else math.ceil(rows / 200)
            )
    return calls
