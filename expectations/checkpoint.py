"""Run the suites with Great Expectations (pandas route) and build the Data Docs.

GX 1.24 on DuckDB: the SQL route fails silently, so each suite's projection is read from DuckDB
in Arrow batches of `CHUNK_ROWS` and every batch is validated as a pandas DataFrame by the
suite's checkpoint. A result is the sum over its batches. The Data Docs are built once, after the
last run. `great_expectations` is imported here,
inside `run_checkpoints`, only when a validation runs.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from expectations.suites import Check, Suite

CHUNK_ROWS = 200_000
"""Rows per validated batch: a few narrow columns each, so about 50 MB of DataFrame at most."""
DATA_DOCS_SITE = "data-docs"
EXAMPLES_KEPT = 5


@dataclass
class Outcome:
    """One expectation's result over the whole table."""

    suite: str
    table: str
    check: Check
    success: bool = True
    unexpected_count: int = 0
    row_count: int = 0
    examples: list[str] = field(default_factory=list)

    def absorb(self, success: bool, result: dict[str, Any]) -> None:
        self.success = self.success and success
        self.unexpected_count += int(result.get("unexpected_count") or 0)
        self.row_count += int(result.get("element_count") or 0)
        for value in result.get("partial_unexpected_list") or []:
            shown = str(value)
            if len(self.examples) < EXAMPLES_KEPT and shown not in self.examples:
                self.examples.append(shown)


def _batches(con: duckdb.DuckDBPyConnection, query: str, chunk_rows: int) -> Iterator[Any]:
    """The projection as pandas DataFrames of at most `chunk_rows` rows (one empty frame for no rows)."""
    reader = con.sql(query).to_arrow_reader(chunk_rows)
    empty = True
    for batch in reader:
        empty = False
        yield batch.to_pandas()
    if empty:
        yield reader.schema.empty_table().to_pandas()


def run_checkpoints(
    con: duckdb.DuckDBPyConnection, suites: Sequence[Suite], data_docs: Path, chunk_rows: int = CHUNK_ROWS
) -> list[Outcome]:
    """Validate every suite's projection; Data Docs land in `data_docs` (index.html)."""
    # GX sends usage events to its servers unless told not to; nothing of a migration leaves the machine.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    # The site shows this validation only: pages of an earlier run would outlive their index entry.
    shutil.rmtree(data_docs, ignore_errors=True)
    data_docs.mkdir(parents=True)
    context.add_data_docs_site(
        site_name=DATA_DOCS_SITE,
        site_config={
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs)},
        },
    )
    source = context.data_sources.add_pandas("sync_tables")
    outcomes: list[Outcome] = []
    for suite in suites:
        batch_definition = source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("rows")
        expectations = [
            getattr(gx.expectations, check.expectation)(
                column=check.column,
                description=check.words,
                meta={"rule": check.rule, "check": index},
                **check.arguments,
            )
            for index, check in enumerate(suite.checks)
        ]
        gx_suite = context.suites.add(gx.ExpectationSuite(name=suite.name, expectations=expectations))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=gx_suite)
        )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=suite.name,
                validation_definitions=[definition],
                result_format={"result_format": "SUMMARY", "partial_unexpected_count": EXAMPLES_KEPT},
            )
        )
        suite_outcomes = [Outcome(suite.name, suite.model.table, check) for check in suite.checks]
        for frame in _batches(con, suite.query, chunk_rows):
            result = checkpoint.run(batch_parameters={"dataframe": frame})
            for validation in result.run_results.values():
                for expectation_result in validation.results:
                    index = int(expectation_result.expectation_config.meta["check"])
                    suite_outcomes[index].absorb(
                        bool(expectation_result.success), dict(expectation_result.result)
                    )
        outcomes.extend(suite_outcomes)
    # Once for all suites and chunks: UpdateDataDocsAction would rebuild the whole site per run.
    context.build_data_docs(site_names=[DATA_DOCS_SITE])
    return outcomes
