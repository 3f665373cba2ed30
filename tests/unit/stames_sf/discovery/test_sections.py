"""The scope document built from small hand-written records: what is shown as is, what is masked."""

from datetime import UTC, datetime

import pytest

from stames_sf.discovery.service import run_discovery
from stames_sf.workdir import WorkDir
from tests.fixtures.discovery import land_with_dlt

BIG_SIZE = 31_457_280
LONG_ID = 10_234_567_890_123
RECORDED_AT = datetime(2026, 12, 2, 15, 23, 45, 123488, tzinfo=UTC)
RECORDS = {
    "customers": [
        {"id": LONG_ID, "name": "Ana Perez", "email": "ana.perez@example.com", "phone": "+34600111222"},
    ],
    "messages": [
        {
            "id": LONG_ID,
            "ticket_id": 7,
            "body_text": "Escriba a ana.perez@example.com o llame al 600 11 12 22",
            "attachments": [{"id": 501, "size": BIG_SIZE, "status": "available"}],
            "created_at": "2024-05-01T08:12:45.120Z",
        },
        {"id": 2, "ticket_id": 7, "body_text": "ok", "attachments": [{"id": 502, "size": 0}]},
    ],
    "attachment_downloads": [{"attachment_id": 501, "status": "stored", "recorded_at": RECORDED_AT}],
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> tuple[str, str]:
    work = WorkDir.at(tmp_path_factory.mktemp("scope-masking") / "work")
    land_with_dlt(work, RECORDS)
    report = run_discovery(work)
    return report.markdown_path.read_text(encoding="utf-8"), report.html_path.read_text(encoding="utf-8")


def test_sizes_ids_and_timestamps_are_shown_unmasked(outputs):
    for output in outputs:
        assert f"0 … {BIG_SIZE}" in output  # the size range of messages__attachments
        assert f"2 … {LONG_ID}" in output  # the id range of messages
        assert "2026-12-02 15:23:45.123488+00" in output  # recorded_at, typed timestamp
        assert "2024-05-01T08:12:45.120Z" in output  # created_at, kept as text


def test_email_phone_and_name_are_masked_in_free_text_and_personal_fields(outputs):
    markdown, page = outputs
    for output in outputs:
        assert "ana.perez@example.com" not in output
        assert "600 11 12 22" not in output
        assert "34600111222" not in output
        assert "Ana Perez" not in output
    assert "Escriba a a***@e***.com o llame al *******22" in page
    assert "A*** P***" in page
    assert "+*********22" in page
    assert "Escriba a a\\*\\*\\*@e\\*\\*\\*.com o llame al \\*\\*\\*\\*\\*\\*\\*22" in markdown


def test_unusable_cursors_are_one_finding_line_with_count_and_example(tmp_path):
    work = WorkDir.at(tmp_path / "work")
    tickets = [
        {"id": 11, "updated_at": "2024-05-02T08:00:00.000Z"},
        {"id": 12, "updated_at": None},
        {"id": 13, "updated_at": "yesterday"},
    ]
    land_with_dlt(work, {"tickets": tickets})
    markdown = run_discovery(work).markdown_path.read_text(encoding="utf-8")
    lines = [line for line in markdown.splitlines() if line.startswith("| 33 |")]
    assert len(lines) == 1
    cells = [cell.strip() for cell in lines[0].strip("|").split(" | ")]
    assert cells[2:5] == ["2", "tickets", "12"]
    assert "missing: 1; malformed: 1" in cells[5]
