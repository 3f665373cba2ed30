"""The estimate routes messages as the mapping does: public → EmailMessage, internal notes → the
mapping's choice (Task unless it says CaseComment), system notes nowhere."""

from pathlib import Path

import pytest

from mapping.document import mapping_path
from stames_sf.discovery.service import run_discovery
from stames_sf.workdir import WorkDir
from tests.fixtures.discovery import land_with_dlt

FIXTURE_MAPPING = Path(__file__).parents[3] / "fixtures" / "mappings" / "generated.yml"


def _message(message_id: int, author: str, direction: str, is_private: bool) -> dict:
    return {
        "id": message_id,
        "ticket_id": 1,
        "author": {"type": author, "id": None, "name": "x"},
        "direction": direction,
        "is_private": is_private,
        "channel": {"type": "whatsapp" if message_id % 2 else "email", "inbox_id": 1},
        "body_text": "hola",
        "body_size_bytes": 4,
    }


MESSAGES = [
    _message(1, "customer", "inbound", False),
    _message(2, "agent", "outbound", False),
    _message(3, "bot", "outbound", False),
    _message(4, "agent", "internal", True),
    _message(5, "agent", "internal", True),
    _message(6, "system", "internal", True),
]


@pytest.fixture
def work(tmp_path: Path) -> WorkDir:
    work = WorkDir.at(tmp_path / "work")
    land_with_dlt(work, {"tickets": [{"id": 1, "status": "open"}], "messages": MESSAGES})
    return work


def _volumes(work: WorkDir) -> dict[str, int]:
    return {volume.sobject: volume.records for volume in run_discovery(work).estimate.volumes}


def test_without_a_mapping_internal_notes_are_estimated_as_tasks(work):
    volumes = _volumes(work)
    assert volumes["EmailMessage"] == 3  # public messages of both channels
    assert volumes["Task"] == 2
    assert "CaseComment" not in volumes  # the system note is skipped, not counted anywhere


def test_the_mapping_s_case_comment_choice_drives_the_estimate(work):
    path = mapping_path(work.root)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = FIXTURE_MAPPING.read_text(encoding="utf-8")
    path.write_text(text.replace("internal_notes: Task", "internal_notes: CaseComment"), encoding="utf-8")
    volumes = _volumes(work)
    assert volumes["CaseComment"] == 2
    assert "Task" not in volumes


def test_an_unreadable_mapping_falls_back_to_the_default(work):
    path = mapping_path(work.root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("version: [not, a, mapping\n", encoding="utf-8")
    assert _volumes(work)["Task"] == 2


def test_the_estimate_names_the_status_history_object_as_the_mapping_does(work):
    assert "Stames_Status_Change__c" in _volumes(work)  # the proposer's name, before any mapping
    path = mapping_path(work.root)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = FIXTURE_MAPPING.read_text(encoding="utf-8")
    path.write_text(
        text.replace("status_history_object: Stames_Status_Change__c", "status_history_object: Step__c"),
        encoding="utf-8",
    )
    volumes = _volumes(work)
    assert "Step__c" in volumes
    assert "Stames_Status_Change__c" not in volumes
