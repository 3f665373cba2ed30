"""One DML step over two transports, as CumulusCI's bulkdata has it: Bulk API 2.0 for volume,
sObject Collections for small sets; rows that failed for a reason a resend cures are sent again
with backoff, the rest come back with their error.

Bulk results need a key column to be matched by; an object without one (ContentDocumentLink,
TopicAssignment) goes by Collections, whose results come in the order sent."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from loaders.load.http import Clock
from loaders.load.records import DmlSpec, LoadRecord, RecordResult


class Transport(Protocol):
    def run(self, spec: DmlSpec, records: Sequence[LoadRecord]) -> Iterator[list[RecordResult]]: ...


@dataclass(frozen=True)
class StepResult:
    result: RecordResult
    attempts: int


@dataclass
class DmlStep:
    bulk: Transport
    collections: Transport
    clock: Clock
    bulk_threshold: int = 1_000
    """At or above this many records a step goes by Bulk API 2.0 (below, a Bulk job costs more
    calls than Collections' 200-record batches)."""
    max_attempts: int = 3
    retry_backoff_s: float = 2.0

    def transport_for(self, count: int) -> Transport:
        return self.bulk if count >= self.bulk_threshold else self.collections

    def run(
        self,
        spec: DmlSpec,
        records: Sequence[LoadRecord],
        on_results: Callable[[list[StepResult]], None],
        *,
        force_collections: bool = False,
    ) -> None:
        """Send `records`; `on_results` gets every final result (success or last failure) as soon
        as it is known, so the ledger is written batch by batch."""
        pending = list(records)
        attempt = 1
        while pending:
            retry: list[LoadRecord] = []
            by_key = {record.key: record for record in pending}
            transport = self.collections if force_collections else self.transport_for(len(pending))
            for batch in transport.run(spec, pending):
                final = [result for result in batch if not (result.retryable and attempt < self.max_attempts)]
                retry.extend(
                    by_key[result.key] for result in batch if result.retryable and attempt < self.max_attempts
                )
                if final:
                    on_results([StepResult(result, attempt) for result in final])
            if retry:
                self.clock.sleep(self.retry_backoff_s * 2 ** (attempt - 1))
            pending = retry
            attempt += 1
