"""`stames-sf map review | confirm | propose` on the hand-written mapping, without an org."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml
from typer.testing import CliRunner

from mapping.document import MappingChangedError, mapping_path, read_mapping
from stames_sf.cli import app
from stames_sf.mapping_service import require_mapping
from stames_sf.workdir import WorkDir

GENERATED = Path(__file__).parents[3] / "fixtures" / "mappings" / "generated.yml"
WIDE = {"COLUMNS": "220"}
PENDING_AT_DEFAULT = 21
"""Entries of generated.yml below 0.9 (all at 0.8): counted by hand from the file."""


@pytest.fixture
def work(tmp_path: Path) -> Path:
    root = tmp_path / "work"
    (root / "mapping").mkdir(parents=True)
    shutil.copy(GENERATED, root / "mapping" / "mapping.yml")
    return root


def _run(*args: str, input: str | None = None):
    return CliRunner().invoke(app, ["map", *args], input=input, env=WIDE)


def _edit(work: Path, edit) -> None:
    path = work / "mapping" / "mapping.yml"
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(content)
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _one_line(text: str) -> str:
    """The one error line of stderr; the note that the org was not checked is a separate warning."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("Not checked")]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def test_review_prints_conflicts_first_and_spanish_values(work: Path):
    def feed_subject_twice(content):
        entry = next(item for item in content["fields"] if item["source"] == "ticket.requester.name")
        entry["target"] = "Case.Subject"

    _edit(work, feed_subject_twice)
    result = _run("review", "--work", str(work))
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    assert "conflict" in rows[0] and "ticket.requester.name" in rows[0]
    assert "Case.Subject is also fed by ticket.subject" in rows[0]
    assert "conflict" in rows[1] and "ticket.subject" in rows[1]
    assert "unmapped" in rows[2]
    assert any("tags: devolución" in row and "devolucion" in row for row in rows)
    assert any(
        "ticket.custom.warranty_record" in row and "new field: Lookup 'Garantía'" in row for row in rows
    )
    assert "not confirmed" in result.stdout
    assert "Not checked against the org" in result.stderr


def test_review_of_a_broken_file_names_the_line(work: Path):
    path = work / "mapping" / "mapping.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("load_order: 3,", "load_order: three,"), "utf-8")
    result = _run("review", "--work", str(work))
    assert result.exit_code == 1
    line = _one_line(result.stderr)
    assert "line 18: objects[2].load_order:" in line  # the Case line of the file


def test_confirm_yes_refuses_while_entries_are_below_the_threshold(work: Path):
    before = (work / "mapping" / "mapping.yml").read_text(encoding="utf-8")
    result = _run("confirm", "--work", str(work), "--yes", "--by", "ana")
    assert result.exit_code == 1
    line = _one_line(result.stderr)
    assert line.startswith(f"{PENDING_AT_DEFAULT} entries need a decision (0 conflicts, the rest below 0.9)")
    assert (work / "mapping" / "mapping.yml").read_text(encoding="utf-8") == before
    assert not (work / "warehouse.duckdb").exists()


def test_confirm_yes_stamps_the_file_and_writes_the_warehouse(work: Path):
    result = _run("confirm", "--work", str(work), "--yes", "--accept-above", "0.8", "--by", "Begoña")
    assert result.exit_code == 0, result.output
    mapping = require_mapping(WorkDir.at(work))
    assert mapping.confirmation is not None
    assert (mapping.confirmation.by, mapping.confirmation.accepted_above) == ("Begoña", 0.8)
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        row = con.execute("SELECT confirmed_by, content_hash FROM mapping.confirmation").fetchone()
    assert row == ("Begoña", mapping.confirmation.content_hash)

    again = _run("confirm", "--work", str(work), "--yes")
    assert again.exit_code == 0 and "Already confirmed by Begoña" in again.stdout


def test_confirm_asks_each_entry_below_the_threshold(work: Path):
    # 1st (ticket.team_id): change, a bad answer first; 2nd (ticket.channel.inbox_id): skip; the rest: accept.
    answers = ["c", "Case team", "Case.Stames_Team__c", "s", "no hace falta"]
    answers += ["a"] * (PENDING_AT_DEFAULT - 2)
    result = _run("confirm", "--work", str(work), "--by", "ana", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Not valid: fields[9].target: Value error, 'Case team' is not a target" in result.stdout
    assert f"{PENDING_AT_DEFAULT} to decide. [unmapped] field: ticket.team_id" in result.stdout
    mapping = require_mapping(WorkDir.at(work))
    team = mapping.targets_of("ticket.team_id")[0]
    assert (team.target, team.evidence.accepted_by) == ("Case.Stames_Team__c", "ana")
    inbox = mapping.targets_of("ticket.channel.inbox_id")[0]
    assert inbox.skip == "no hace falta"
    below = [item for item in mapping.fields if item.evidence.confidence < 0.9]
    assert all(item.evidence.accepted_by == "ana" for item in below)


def test_confirm_without_answers_writes_nothing(work: Path):
    before = (work / "mapping" / "mapping.yml").read_text(encoding="utf-8")
    result = _run("confirm", "--work", str(work), "--by", "ana", input="a\n")
    assert result.exit_code == 1
    assert (work / "mapping" / "mapping.yml").read_text(encoding="utf-8") == before


def test_an_edit_after_confirmation_shows_in_review_and_stops_later_stages(work: Path):
    assert _run("confirm", "--work", str(work), "--yes", "--accept-above", "0", "--by", "ana").exit_code == 0
    path = work / "mapping" / "mapping.yml"
    edited = path.read_text(encoding="utf-8").replace("target: Case.Subject", "target: Case.Comments")
    path.write_text(edited, encoding="utf-8")
    result = _run("review", "--work", str(work))
    assert "changed since ana at" in result.stdout
    with pytest.raises(MappingChangedError):
        require_mapping(WorkDir.at(work))


def test_propose_refuses_to_replace_a_confirmed_mapping(work: Path):
    assert _run("confirm", "--work", str(work), "--yes", "--accept-above", "0", "--by", "ana").exit_code == 0
    before = mapping_path(work).read_text(encoding="utf-8")
    result = _run("propose", "--work", str(work))
    assert result.exit_code == 1
    assert "rerun with --force" in _one_line(result.stderr)
    assert mapping_path(work).read_text(encoding="utf-8") == before
    assert read_mapping(mapping_path(work)).confirmation is not None


def test_propose_before_extract_says_to_extract(tmp_path: Path):
    result = _run("propose", "--work", str(tmp_path / "fresh"))
    assert result.exit_code == 1
    assert "run `stames-sf extract` first" in _one_line(result.stderr)


def test_a_warehouse_another_program_holds_is_one_line_and_the_file_stays_confirmed(work: Path):
    warehouse = work / "warehouse.duckdb"
    duckdb.connect(str(warehouse)).close()
    holder_code = (
        "import duckdb, sys\n"
        "con = duckdb.connect(sys.argv[1])\n"
        "print('holding', flush=True)\n"
        "sys.stdin.read()\n"  # holds the file until the test closes stdin
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", holder_code, str(warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        result = _run("confirm", "--work", str(work), "--yes", "--accept-above", "0", "--by", "ana")
    finally:
        holder.communicate("")
    assert result.exit_code == 1
    assert _one_line(result.stderr).startswith(f"Cannot write {warehouse}")
    assert read_mapping(mapping_path(work)).confirmation is not None
    again = _run("confirm", "--work", str(work), "--yes")
    assert again.exit_code == 0 and "copied into the warehouse again" in again.stdout
    require_mapping(WorkDir.at(work))
