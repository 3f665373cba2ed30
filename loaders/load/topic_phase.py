"""Tags as Topics: a Topic per tag name (found by name, case-insensitively, or created), then one
TopicAssignment per tag on a Case. Neither object has `Stames_Id__c` nor an update [CONTRACT §4.5]."""

from __future__ import annotations

from loaders.load.context import RunContext
from loaders.load.ledger import LedgerRow
from loaders.load.org_reads import query_all
from loaders.load.plan import Phase
from loaders.load.record_phase import parent_failed
from loaders.load.records import DmlSpec, LoadRecord, Operation
from loaders.load.source import read_batches


def topics_by_name(context: RunContext) -> dict[str, str]:
    return {
        str(row["Name"]).casefold(): row["Id"]
        for row in query_all(context.http, "SELECT Id, Name FROM Topic")
    }


def run_topic_phase(context: RunContext, phase: Phase) -> None:
    done = context.ledger.done_keys(context.run_id, phase.name)
    existing = topics_by_name(context)
    new: list[LoadRecord] = []
    rows: list[LedgerRow] = []
    for batch in read_batches(context.con, phase, context.settings.read_batch_rows):
        for record, _ in batch:
            if record.key in done:
                continue
            if record.key.casefold() in existing:
                rows.append(
                    LedgerRow(
                        phase.name, phase.sobject, record.key, existing[record.key.casefold()], "unchanged", 1
                    )
                )
            else:
                new.append(LoadRecord(record.key, {}))
    context.write(rows)
    context.progress.advance(phase.name, len(rows))
    context.insert(
        phase.name, phase.sobject, DmlSpec("Topic", Operation.INSERT, ("Name",), key_field="Name"), new
    )


def run_topic_assignment_phase(context: RunContext, phase: Phase) -> None:
    done = context.ledger.done_keys(context.run_id, phase.name)
    topics = topics_by_name(context)
    cases = context.ids("Case")
    new: list[LoadRecord] = []
    rows: list[LedgerRow] = []
    for batch in read_batches(context.con, phase, context.settings.read_batch_rows):
        for record, helpers in batch:
            if record.key in done:
                continue
            topic = topics.get(str(helpers.get("stames__topic_name") or "").casefold())
            case = cases.get(record.parent_keys.get("EntityId") or "")
            if topic and case:
                new.append(LoadRecord(record.key, {"TopicId": topic, "EntityId": case}))
            else:
                missing = "Topic" if not topic else "Case"
                rows.append(
                    parent_failed(phase.name, phase.sobject, record.key, f"its {missing} is not in the org")
                )
    context.write(rows)
    context.progress.advance(phase.name, len(rows))
    spec = DmlSpec("TopicAssignment", Operation.INSERT, ("TopicId", "EntityId"), key_field="Id")
    context.insert(phase.name, phase.sobject, spec, new)
