"""The confirmation gate on the mapping file: unconfirmed, edited after confirmation, invalid."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from mapping.document import (
    MappingChangedError,
    MappingInvalidError,
    MappingMissingError,
    MappingUnconfirmedError,
    carries_confirmation,
    confirm,
    confirmation_state,
    read_mapping,
    require_confirmed,
    write_mapping,
)

GENERATED = Path(__file__).parents[2] / "fixtures" / "mappings" / "generated.yml"
CONFIRMED_AT = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)


@pytest.fixture
def confirmed_file(tmp_path: Path) -> Path:
    path = tmp_path / "mapping" / "mapping.yml"
    write_mapping(confirm(read_mapping(GENERATED), by="ana", at=CONFIRMED_AT, accepted_above=0.9), path)
    return path


def test_a_missing_file_says_to_propose(tmp_path: Path):
    with pytest.raises(MappingMissingError, match="stames-sf map propose"):
        require_confirmed(tmp_path / "mapping.yml")


def test_an_unconfirmed_mapping_is_refused_with_what_to_do(tmp_path: Path):
    path = tmp_path / "mapping.yml"
    shutil.copy(GENERATED, path)
    with pytest.raises(MappingUnconfirmedError, match="stames-sf map confirm"):
        require_confirmed(path)


def test_a_confirmed_mapping_passes_the_gate_with_who_and_when(confirmed_file: Path):
    mapping = require_confirmed(confirmed_file)
    assert mapping.confirmation is not None
    assert (mapping.confirmation.by, mapping.confirmation.at) == ("ana", CONFIRMED_AT)
    assert mapping.confirmation.content_hash.startswith("sha256:")


def test_an_edit_after_confirmation_voids_it(confirmed_file: Path):
    text = confirmed_file.read_text(encoding="utf-8")
    edited = text.replace("target: Case.Subject", "target: Case.Description", 1)
    assert edited != text
    confirmed_file.write_text(edited, encoding="utf-8")
    with pytest.raises(MappingChangedError, match="changed after ana confirmed it"):
        require_confirmed(confirmed_file)
    assert carries_confirmation(confirmed_file)
    assert confirmation_state(read_mapping(confirmed_file)) == "changed"


def test_reformatting_the_yaml_keeps_the_confirmation(confirmed_file: Path):
    content = yaml.safe_load(confirmed_file.read_text(encoding="utf-8"))
    reformatted = yaml.safe_dump(content, default_flow_style=True, indent=4, allow_unicode=False)
    confirmed_file.write_text("# a comment added by hand\n" + reformatted, encoding="utf-8")
    assert confirmation_state(require_confirmed(confirmed_file)) == "confirmed"


def test_a_hand_edit_that_breaks_the_model_names_its_line_and_field(tmp_path: Path):
    lines = GENERATED.read_text(encoding="utf-8").splitlines()
    broken_line = next(i for i, line in enumerate(lines) if "source: ticket.subject," in line)
    lines[broken_line] = lines[broken_line].replace("target: Case.Subject", "target: Case Subject")
    path = tmp_path / "mapping.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(MappingInvalidError) as raised:
        require_confirmed(path)
    message = str(raised.value)
    assert f"line {broken_line + 1}:" in message
    assert "fields[" in message and ".target" in message and "\n" not in message


def test_a_yaml_syntax_error_names_its_line(tmp_path: Path):
    path = tmp_path / "mapping.yml"
    path.write_text("version: 1\nfields: [\n  {source: a\n", encoding="utf-8")
    with pytest.raises(MappingInvalidError, match=r"line \d+: not valid YAML"):
        read_mapping(path)


def test_an_unknown_key_is_an_error_not_ignored(tmp_path: Path):
    path = tmp_path / "mapping.yml"
    path.write_text(GENERATED.read_text(encoding="utf-8") + "notes: typo\n", encoding="utf-8")
    with pytest.raises(MappingInvalidError, match="notes: Extra inputs are not permitted"):
        read_mapping(path)


def test_an_unconfirmed_file_carries_no_confirmation(tmp_path: Path):
    path = tmp_path / "mapping.yml"
    shutil.copy(GENERATED, path)
    assert not carries_confirmation(path)
    assert not carries_confirmation(tmp_path / "absent.yml")


def test_a_written_mapping_reads_back_equal_with_its_empty_values(tmp_path: Path):
    mapping = read_mapping(GENERATED)
    path = tmp_path / "mapping.yml"
    write_mapping(mapping, path)
    assert read_mapping(path) == mapping
    # priority: the entry for a missing value, which leaves the field empty, survives the trip
    assert read_mapping(path).value_map("ticket_priority").lookup()[None] is None
    assert "devolución" in path.read_text(encoding="utf-8")  # non-ASCII kept as written, not escaped
