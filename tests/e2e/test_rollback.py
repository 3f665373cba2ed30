"""`stames-sf rollback` end to end: a load into the local org, then its rollback, proven against
the org's own export taken before the load (not against the loader's snapshot)."""

from __future__ import annotations

from typer.testing import CliRunner

from stames_sf.cli import app
from tests.fixtures.load import LoadBed, kill_load_mid_files, ledger, sync_rows
from tests.fixtures.salesforce import salesforce_client

MODIFIED_STAMPS = frozenset(
    {"LastModifiedDate", "LastModifiedById", "SystemModstamp", "LastReferencedDate", "LastViewedDate"}
)
"""What any write moves, a restore included: the platform sets them, nobody can set them back."""


def live_export(bed: LoadBed) -> dict[str, dict[str, dict]]:
    """Every live record of every object, by Id, without the modification stamps."""
    return {
        sobject: {
            record["Id"]: {name: value for name, value in record.items() if name not in MODIFIED_STAMPS}
            for record in records
            if not record.get("IsDeleted")
        }
        for sobject, records in bed.org.org.export().items()
    }


def assert_org_as_before(bed: LoadBed, before: dict[str, dict[str, dict]]) -> None:
    after = live_export(bed)
    for sobject in sorted(before.keys() | after.keys()):
        was, now = before.get(sobject, {}), after.get(sobject, {})
        assert sorted(now.keys() - was.keys()) == [], f"{sobject}: records left over"
        assert sorted(was.keys() - now.keys()) == [], f"{sobject}: pre-existing records gone"
        for record_id, record in was.items():
            assert now[record_id] == record, f"{sobject} {record_id} differs from before the load"


def run_cli(bed: LoadBed, *args: str) -> object:
    return CliRunner().invoke(app, [*args, "--work", str(bed.work.root)])


def only_run(bed: LoadBed) -> str:
    [(run_id,)] = ledger(bed.work, "SELECT run_id FROM ops.load_runs")
    return run_id


def test_rollback_of_a_full_load_returns_the_org_to_before_and_twice_is_harmless(load_bed: LoadBed) -> None:
    # A Contact already in the org under a Stames id the load brings: the load updates it, so the
    # rollback must put its old name back rather than delete it.
    contact = sync_rows(load_bed.work, "sync_salesforce__contacts", '"Stames_Id__c"')[0]["Stames_Id__c"]
    earlier = salesforce_client(load_bed.org).Contact.create(
        {"LastName": "Before The Load", "Stames_Id__c": contact}
    )
    before = live_export(load_bed)
    loaded = run_cli(load_bed, "load")
    assert loaded.exit_code == 0, loaded.output
    run_id = only_run(load_bed)
    assert live_export(load_bed)["Contact"][earlier["id"]]["LastName"] != "Before The Load"

    dry = run_cli(load_bed, "rollback", "--run", run_id, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert (load_bed.work.reports / f"rollback-{run_id}-dry-run.md").exists()
    assert any(live_export(load_bed)["Case"]), "a dry run deletes nothing"
    cases_loaded = ledger(
        load_bed.work, "SELECT count(*) FROM ops.load_records WHERE phase = 'Case' AND action = 'created'"
    )
    assert f"{cases_loaded[0][0]:,}" in dry.output

    rolled = run_cli(load_bed, "rollback", "--run", run_id)
    assert rolled.exit_code == 0, rolled.output
    assert_org_as_before(load_bed, before)
    report = (load_bed.work.reports / f"rollback-{run_id}.md").read_text(encoding="utf-8")
    assert "The org is as the run found it" in report
    assert ledger(load_bed.work, f"SELECT status FROM ops.load_runs WHERE run_id = '{run_id}'") == [
        ("rolled_back",)
    ]

    again = run_cli(load_bed, "rollback", "--run", run_id)
    assert again.exit_code == 0, again.output
    assert_org_as_before(load_bed, before)


def test_rollback_of_a_killed_load_removes_what_the_interrupted_calls_created(load_bed: LoadBed) -> None:
    before = live_export(load_bed)
    kill_load_mid_files(load_bed)
    run_id = only_run(load_bed)
    assert ledger(load_bed.work, f"SELECT status FROM ops.load_runs WHERE run_id = '{run_id}'") == [
        ("running",)
    ]

    rolled = run_cli(load_bed, "rollback", "--run", run_id)
    assert rolled.exit_code == 0, rolled.output
    assert_org_as_before(load_bed, before)


def test_rollback_of_an_unknown_run_is_refused_in_one_line(load_bed: LoadBed) -> None:
    refused = run_cli(load_bed, "rollback", "--run", "load-nope")
    assert refused.exit_code == 1
    assert "there is no run load-nope" in refused.output
