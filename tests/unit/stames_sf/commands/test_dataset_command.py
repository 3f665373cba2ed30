import json
from pathlib import Path

from typer.testing import CliRunner

from stames_sf.cli import app


def test_generate_writes_a_dataset_and_reports_it(tmp_path: Path):
    out_dir = tmp_path / "dataset"
    result = CliRunner().invoke(
        app,
        [
            "dataset",
            "generate",
            str(out_dir),
            "--tickets",
            "60",
            "--seed",
            "4",
            "--work",
            str(tmp_path / "work"),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads((out_dir / "generation_report.json").read_text(encoding="utf-8"))
    assert report["tickets"] == 60
    assert report["seed"] == 4
    assert len((out_dir / "tickets.jsonl").read_text(encoding="utf-8").splitlines()) == 60
    assert "tickets" in result.output


def test_generate_defaults_to_the_work_folder(tmp_path: Path):
    result = CliRunner().invoke(app, ["dataset", "generate", "--tickets", "20", "--work", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "datasets" / "stames-20-42" / "manifest.json").exists()


def test_generate_refuses_a_folder_that_is_not_a_dataset(tmp_path: Path):
    (tmp_path / "keep.txt").write_text("x")
    result = CliRunner().invoke(app, ["dataset", "generate", str(tmp_path), "--tickets", "5"])
    assert result.exit_code == 2
    assert (tmp_path / "keep.txt").read_text() == "x"
