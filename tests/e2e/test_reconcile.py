"""`stames-sf reconcile` end to end: the 60-ticket work folder loaded into the local org over HTTPS
once per module, then reconciled through the CLI; the org is changed through its REST API."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
import requests
from typer.testing import CliRunner

from emulators.salesforce.http.server import running_server
from stames_sf.cli import app
from stames_sf.demo import agent_emails
from stames_sf.workdir import WorkDir
from tests.fixtures.load import LoadBed, ledger, sync_rows

SEED = "20240607"
SAMPLE_ROW = re.compile(r"^\| (\d+) \| (\w+) \| \d+ \| (pass|\*\*FAIL\*\*[^|]*) \|$", re.MULTILINE)


@pytest.fixture(scope="module")
def loaded_bed(load_ready_work: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoadBed]:
    """One load per module: the ready work folder copied, its org served, `stames-sf load` run."""
    root = tmp_path_factory.mktemp("reconcile") / "work"
    shutil.copytree(load_ready_work, root, ignore=shutil.ignore_patterns("run.lock"))
    work = WorkDir.at(root)
    dataset = next(path for path in work.datasets.iterdir() if path.is_dir())
    with running_server(work.salesforce_state, match_agent_emails=agent_emails(dataset)) as org:
        bed = LoadBed(work, org)
        loaded = CliRunner().invoke(app, ["load", "--work", str(root)])
        assert loaded.exit_code == 0, loaded.output
        yield bed


def reconcile(bed: LoadBed, *extra: str) -> object:
    return CliRunner().invoke(app, ["reconcile", "--work", str(bed.work.root), "--seed", SEED, *extra])


def latest_report(bed: LoadBed) -> str:
    [(path,)] = ledger(
        bed.work, "SELECT report_path FROM ops.reconciliations ORDER BY reconciled_at DESC LIMIT 1"
    )
    return Path(path).with_suffix(".md").read_text("utf-8")


def patch_case(bed: LoadBed, case_id: str, values: dict) -> None:
    connection = json.loads(bed.connection_file.read_text("utf-8"))
    answer = requests.patch(
        f"{connection['instance_url']}/services/data/v{connection['api_version']}/sobjects/Case/{case_id}",
        json=values,
        headers={"Authorization": f"Bearer {connection['access_token']}"},
        verify=connection["ca_file"],
        timeout=30,
    )
    assert answer.status_code == 204, answer.text


def test_a_clean_load_reconciles_and_is_signed_off(loaded_bed: LoadBed) -> None:
    result = reconcile(loaded_bed, "--sign-off", "Ana QA")
    assert result.exit_code == 0, result.output
    assert "PASSED" in result.output
    report = latest_report(loaded_bed)
    sampled = SAMPLE_ROW.findall(report)
    case_keys = {row["Stames_Id__c"] for row in sync_rows(loaded_bed.work, "sync_salesforce__cases")}
    assert len(sampled) == 30
    assert {key for key, _, _ in sampled} <= case_keys
    assert {verdict for _, _, verdict in sampled} == {"pass"}
    [(passed, size, seed, unexplained, signer, signed_at, report_path)] = ledger(
        loaded_bed.work,
        "SELECT passed, sample_size, seed, unexplained, signed_off_by, signed_off_at, report_path "
        "FROM ops.reconciliations",
    )
    assert (passed, size, seed, unexplained, signer) == (True, 30, int(SEED), 0, "Ana QA")
    assert signed_at is not None
    assert Path(report_path).is_file() and Path(report_path).suffix == ".html"
    phases = dict(
        ledger(
            loaded_bed.work,
            "SELECT phase, in_org FROM ops.reconciliation_phases WHERE phase IN ('Case', 'Contact')",
        )
    )
    assert phases == {
        "Case": len(case_keys),
        "Contact": len(sync_rows(loaded_bed.work, "sync_salesforce__contacts")),
    }


def test_a_subject_changed_in_the_org_fails_naming_the_field_with_both_values(loaded_bed: LoadBed) -> None:
    clean = reconcile(loaded_bed)
    assert clean.exit_code == 0, clean.output
    stames_id, case_id, _ = SAMPLE_ROW.findall(latest_report(loaded_bed))[0]
    [original] = [
        row["Subject"]
        for row in sync_rows(loaded_bed.work, "sync_salesforce__cases")
        if row["Stames_Id__c"] == stames_id
    ]
    patch_case(loaded_bed, case_id, {"Subject": "Changed <b>after</b> the load"})
    try:
        changed = reconcile(loaded_bed, "--sign-off", "Ana QA")
        assert changed.exit_code == 1, changed.output
        assert "Not signed off" in changed.output
        report = latest_report(loaded_bed)
        assert f"| {stames_id} | Subject | {original} | Changed &lt;b&gt;after&lt;/b&gt; the load |" in report
        failed = [key for key, _, verdict in SAMPLE_ROW.findall(report) if verdict != "pass"]
        assert failed == [stames_id]
        [(passed, unexplained, signer)] = ledger(
            loaded_bed.work,
            "SELECT passed, unexplained, signed_off_by FROM ops.reconciliations "
            "ORDER BY reconciled_at DESC LIMIT 1",
        )
        assert passed is False and unexplained >= 1 and signer is None
    finally:
        patch_case(loaded_bed, case_id, {"Subject": original})


def test_no_load_run_is_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    result = CliRunner().invoke(app, ["reconcile", "--work", str(empty)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"No warehouse in {empty}: extract, transform and load first."
    ]


def test_a_work_folder_without_a_completed_run_is_one_line(load_ready_work: Path, tmp_path: Path) -> None:
    root = tmp_path / "work"
    shutil.copytree(load_ready_work, root, ignore=shutil.ignore_patterns("run.lock"))
    result = CliRunner().invoke(app, ["reconcile", "--work", str(root)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "No load run is recorded in this work folder: run `stames-sf load` first."
    ]


def test_the_handoff_pack_of_the_loaded_run_links_only_files_it_holds(loaded_bed: LoadBed) -> None:
    """`stames-sf handoff` as its own process on the loaded work folder."""
    root = loaded_bed.work.root
    command = [sys.executable, "-m", "stames_sf.cli", "handoff", "--work", str(root)]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert finished.returncode == 0, finished.stderr
    [(run_id,)] = ledger(loaded_bed.work, "SELECT run_id FROM ops.load_runs")
    pack = root / "handoff" / run_id
    hrefs = re.findall(r'href="([^"]+)"', (pack / "index.html").read_text("utf-8"))
    assert [href for href in hrefs if not (pack / unquote(href)).is_file()] == []
    assert {
        "scope.html",
        "mapping/mapping.yml",
        "signoff.html",
        "data-docs/index.html",
        "manual-work.html",
    } <= set(hrefs)
