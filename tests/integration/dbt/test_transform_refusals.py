"""The transform runs on a confirmed mapping only: `stames-sf transform` checks the file and the
warehouse's copy before dbt starts, and dbt itself refuses a warehouse without a confirmation."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from mapping.document import mapping_path
from stames_sf.cli import app
from stames_sf.transform_service import run_dbt_build
from stames_sf.workdir import WorkDir
from tests.fixtures.transform import ExtractedDataset, confirmed_work


def _transform(work: WorkDir):
    return CliRunner().invoke(app, ["transform", "--work", str(work.root)])


def test_no_mapping_file_is_one_line_and_exit_1(tmp_path: Path):
    result = _transform(WorkDir.at(tmp_path / "work"))
    assert result.exit_code == 1
    assert "stames-sf map propose" in result.output
    assert "Traceback" not in result.output


def test_an_unconfirmed_mapping_is_refused(extracted_small_dataset: ExtractedDataset, tmp_path: Path):
    work = confirmed_work(extracted_small_dataset, tmp_path / "work")
    content = yaml.safe_load(mapping_path(work.root).read_text(encoding="utf-8"))
    del content["confirmation"]
    mapping_path(work.root).write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    result = _transform(work)
    assert result.exit_code == 1
    assert "not confirmed" in result.output and "stames-sf map confirm" in result.output


def test_a_mapping_edited_after_confirmation_is_refused(
    extracted_small_dataset: ExtractedDataset, tmp_path: Path
):
    work = confirmed_work(extracted_small_dataset, tmp_path / "work")
    path = mapping_path(work.root)
    path.write_text(
        path.read_text(encoding="utf-8").replace("spam tickets", "junk tickets"), encoding="utf-8"
    )
    result = _transform(work)
    assert result.exit_code == 1
    assert "changed after" in result.output


def test_a_warehouse_without_the_confirmed_copy_is_refused(
    extracted_small_dataset: ExtractedDataset, tmp_path: Path
):
    work = confirmed_work(extracted_small_dataset, tmp_path / "work", publish=False)
    result = _transform(work)
    assert result.exit_code == 1
    assert "does not hold the confirmed mapping" in result.output
    assert "stames-sf map confirm" in result.output


def test_bare_dbt_build_refuses_a_warehouse_without_a_confirmation(
    extracted_small_dataset: ExtractedDataset, tmp_path: Path
):
    # past the Python gate: dbt's own on-run-start check is what a user's `dbt build` meets
    work = confirmed_work(extracted_small_dataset, tmp_path / "work", publish=False)
    result = run_dbt_build(work)
    assert not result.succeeded
    assert any("no confirmed mapping" in failure for failure in result.failures), result.failures
    assert "stames-sf map confirm" in " ".join(result.failures)
