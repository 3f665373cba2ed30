"""Companies become the Accounts the org already has: `stames-sf transform --connection` copies the
org's Accounts, over HTTP from the local org, and dbt matches them by normalised company name."""

from __future__ import annotations

from pathlib import Path

import duckdb
from simple_salesforce import Salesforce
from typer.testing import CliRunner

from emulators.salesforce.http.server import RunningServer, connection_path
from stames_sf.cli import app
from tests.fixtures.transform import ExtractedDataset, confirmed_work

GLOBEX_SPELLINGS = {"globex corporation", "globex corp.", "globex", "globex corp", "globex inc."}
"""How the generated customers write this company (the generator's vocabulary, lower-cased)."""


def _transform(work: Path, connection: Path) -> str:
    result = CliRunner().invoke(app, ["transform", "--work", str(work), "--connection", str(connection)])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_company_the_org_has_is_that_account_and_its_contacts_join_it(
    extracted_small_dataset: ExtractedDataset, sf_server: RunningServer, sf: Salesforce, tmp_path: Path
) -> None:
    existing = sf.Account.create({"Name": "Globex Corporation"})["id"]
    sf.Account.create({"Name": "Initech"})  # no customer of the dataset works there
    in_org = len(sf.query_all("SELECT Id FROM Account")["records"])
    work = confirmed_work(extracted_small_dataset, tmp_path / "work")

    output = _transform(work.root, connection_path(sf_server.state_dir))

    assert f"Accounts: {in_org} in the org, matched to companies by normalised name." in output
    with duckdb.connect(str(work.warehouse), read_only=True) as con:
        matched = con.execute(
            'select "Stames_Id__c", "Id", "Name" from salesforce.sync_salesforce__accounts '
            'where "Id" is not null'
        ).fetchall()
        globex_customers = {
            str(customer_id)
            for (customer_id,) in con.execute(
                "select id from raw_stames.customers where lower(trim(company)) in ?",
                [sorted(GLOBEX_SPELLINGS)],
            ).fetchall()
        }
        contacts = dict(
            con.execute(
                'select "Stames_Id__c", "ref__AccountId" from salesforce.sync_salesforce__contacts'
            ).fetchall()
        )
    [(stames_id, account_id, name)] = matched
    assert (account_id, name) == (existing, "Globex Corporation")  # the org's record, the org's name
    globex_contacts = globex_customers & contacts.keys()
    assert globex_contacts and {contacts[contact] for contact in globex_contacts} == {stames_id}


def test_two_org_accounts_of_one_company_are_not_guessed_between(
    extracted_small_dataset: ExtractedDataset, sf_server: RunningServer, sf: Salesforce, tmp_path: Path
) -> None:
    sf.Account.create({"Name": "Globex Corporation"})
    sf.Account.create({"Name": "GLOBEX Inc."})
    work = confirmed_work(extracted_small_dataset, tmp_path / "work")

    _transform(work.root, connection_path(sf_server.state_dir))

    with duckdb.connect(str(work.warehouse), read_only=True) as con:
        matched = con.execute(
            'select count(*) from salesforce.sync_salesforce__accounts where "Id" is not null'
        )
        assert matched.fetchone() == (0,)


def test_without_a_connection_file_every_company_is_a_new_account(
    extracted_small_dataset: ExtractedDataset, tmp_path: Path
) -> None:
    work = confirmed_work(extracted_small_dataset, tmp_path / "work")
    absent = tmp_path / "no-org" / "connection.json"

    output = _transform(work.root, absent)

    assert f"Accounts: not matched to the org's (no connection file at {absent})" in output
    with duckdb.connect(str(work.warehouse), read_only=True) as con:
        matched = con.execute(
            'select count(*) from salesforce.sync_salesforce__accounts where "Id" is not null'
        )
        assert matched.fetchone() == (0,)
