"""The DML step: which transport, and rows that failed for a reason a resend cures go again."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from loaders.load.dml import DmlStep, StepResult
from loaders.load.http import Clock
from loaders.load.records import DmlSpec, LoadRecord, Operation, RecordResult, failure

SPEC = DmlSpec("Contact", Operation.UPSERT, ("LastName",))


class ScriptedTransport:
    """Answers each record from a script of outcomes per attempt (the last one repeats)."""

    def __init__(self, script: dict[str, list[str]]) -> None:
        self.script = script
        self.calls: list[list[str]] = []

    def run(self, spec: DmlSpec, records: Sequence[LoadRecord]) -> Iterator[list[RecordResult]]:
        self.calls.append([record.key for record in records])
        results = []
        for record in records:
            outcomes = self.script[record.key]
            outcome = outcomes.pop(0) if len(outcomes) > 1 else outcomes[0]
            if outcome == "ok":
                results.append(RecordResult(record.key, f"003{record.key}", True, created=True))
            else:
                results.append(failure(record.key, outcome, "scripted"))
        yield results


def _records(*keys: str) -> list[LoadRecord]:
    return [LoadRecord(key, {"LastName": key}) for key in keys]


def _run(step: DmlStep, records: list[LoadRecord]) -> list[StepResult]:
    seen: list[StepResult] = []
    step.run(SPEC, records, seen.extend)
    return seen


def test_volume_picks_bulk_and_small_sets_collections() -> None:
    bulk, collections = ScriptedTransport({}), ScriptedTransport({})
    step = DmlStep(bulk, collections, Clock(sleep=lambda _: None), bulk_threshold=3)
    assert step.transport_for(3) is bulk
    assert step.transport_for(2) is collections


def test_retryable_rows_go_again_and_the_rest_are_final_at_once() -> None:
    sleeps: list[float] = []
    collections = ScriptedTransport(
        {
            "a": ["ok"],
            "b": ["UNABLE_TO_LOCK_ROW", "ok"],
            "c": ["REQUIRED_FIELD_MISSING"],
            "d": ["UNPROCESSED", "UNABLE_TO_LOCK_ROW", "UNABLE_TO_LOCK_ROW"],
        }
    )
    step = DmlStep(
        ScriptedTransport({}), collections, Clock(sleep=sleeps.append), max_attempts=3, retry_backoff_s=1.0
    )
    results = {item.result.key: item for item in _run(step, _records("a", "b", "c", "d"))}
    assert collections.calls == [["a", "b", "c", "d"], ["b", "d"], ["d"]]
    assert (results["a"].result.success, results["a"].attempts) == (True, 1)
    assert (results["b"].result.success, results["b"].attempts) == (True, 2)
    assert (results["c"].result.error_code, results["c"].attempts) == ("REQUIRED_FIELD_MISSING", 1)
    assert (results["d"].result.error_code, results["d"].attempts) == ("UNABLE_TO_LOCK_ROW", 3)
    assert sleeps == [1.0, 2.0]  # exponential between attempts


def test_forcing_collections_ignores_volume() -> None:
    bulk, collections = ScriptedTransport({"x": ["ok"]}), ScriptedTransport({"x": ["ok"]})
    step = DmlStep(bulk, collections, Clock(sleep=lambda _: None), bulk_threshold=1)
    step.run(SPEC, _records("x"), lambda _: None, force_collections=True)
    assert (bulk.calls, collections.calls) == ([], [["x"]])
