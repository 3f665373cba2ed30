"""Fixtures live in modules under tests/fixtures and are loaded as plugins."""

import os

os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")

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
    "tests.fixtures.oauth",
]
