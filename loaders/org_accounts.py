"""The org's Accounts (Id, Name) copied into the warehouse, so the transform can match Stames
companies to Accounts the customer already has (mapping strategy `match_existing_accounts`).

The match itself is made in dbt (`stg_org__accounts`, `int_customers_accounts_assigned`), with the
same company-name normalisation as the Stames side: one rule, both sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
from simple_salesforce import Salesforce

ACCOUNTS_SOQL = "SELECT Id, Name FROM Account"
ORG_SCHEMA = "org"
ACCOUNTS_TABLE = "accounts"


def fetch_org_accounts(client: Salesforce) -> list[tuple[str, str]]:
    """Every live Account of the org as (Id, Name)."""
    return [(row["Id"], row["Name"]) for row in client.query_all(ACCOUNTS_SOQL)["records"] if row.get("Name")]


def write_org_accounts(warehouse: Path, accounts: Sequence[tuple[str, str]]) -> None:
    """Replace `org.accounts(id, name)` in the warehouse with `accounts` (none: match nothing)."""
    ids = [account_id for account_id, _ in accounts]
    names = [name for _, name in accounts]
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {ORG_SCHEMA}")
        con.execute(f"CREATE OR REPLACE TABLE {ORG_SCHEMA}.{ACCOUNTS_TABLE} (id VARCHAR, name VARCHAR)")
        if accounts:
            con.execute(
                f"INSERT INTO {ORG_SCHEMA}.{ACCOUNTS_TABLE} "
                "SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
                [ids, names],
            )
