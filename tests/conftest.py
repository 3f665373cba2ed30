"""Fixtures live in modules under tests/fixtures and are loaded as plugins."""

import os
import sys

os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")

# An xdist worker's __main__ has neither __spec__ nor __file__, which is how pyspark.sql.connect
# recognises its own doctest run: imported there (Great Expectations imports it whenever pyspark
# is installed), it exits the worker. A file name tells it this is not a doctest run.
_main = sys.modules["__main__"]
if getattr(_main, "__spec__", None) is None and not hasattr(_main, "__file__"):
    _main.__file__ = "<pytest-xdist worker>"

pytest_plugins: list[str] = [
    "tests.fixtures.soql_store",
    "tests.fixtures.stames_api",
    "tests.fixtures.discovery",
    "tests.fixtures.salesforce",
    "tests.fixtures.salesforce_org",
    "tests.fixtures.stames_dataset",
    "tests.fixtures.extract",
    "tests.fixtures.salesforce_bulk",
    "tests.fixtures.soql_server",
    "tests.fixtures.ports",
    "tests.fixtures.sf_cli",
    "tests.fixtures.propose",
    "tests.fixtures.mapping_documents",
    "tests.fixtures.transform",
    "tests.fixtures.dbt_messages",
    "tests.fixtures.expectations",
    "tests.fixtures.load",
    "tests.fixtures.handoff",
    "tests.fixtures.oauth",
]
