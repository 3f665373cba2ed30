"""The scope document built from small hand-written records: what is shown as is, what is masked."""

from datetime import UTC, datetime
from html.parser import HTMLParser

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


MB = 1024 * 1024


def _ticket(ticket_id: int, status: str, priority: str | None, channel: str, created_at: str) -> dict:
    return {
        "id": ticket_id,
        "status": status,
        "priority": priority,
        "channel": {"type": channel},
        "created_at": created_at,
    }


CHART_TICKETS = [
    _ticket(1, "open", "high", "email", "2024-01-15T10:00:00.000Z"),
    _ticket(2, "open", "normal", "email", "2024-01-20T10:00:00.000Z"),
    _ticket(3, "solved", "normal", "whatsapp", "2024-03-02T10:00:00.000Z"),
    _ticket(4, "open", "high", "whatsapp", "2024-03-05T10:00:00.000Z"),
    _ticket(5, "closed", None, "sms", "2019-03-02 14:05:00"),  # legacy, no offset: still March 2019
]
CHART_MESSAGES = [
    {"id": 1, "ticket_id": 1, "attachments": [{"id": 1, "size": 0}, {"id": 2, "size": 500}]},
    {"id": 2, "ticket_id": 3, "attachments": [{"id": 3, "size": 200 * 1024}, {"id": 4, "size": 30 * MB}]},
]
# Counted by hand from the records above; columns in order of frequency, ties by name.
EXPECTED_CHART_TABLES = [
    [
        ["Month", "email", "whatsapp", "sms", "Total"],
        ["2019-03", "0", "0", "1", "1"],
        ["2024-01", "2", "0", "0", "2"],
        ["2024-03", "0", "2", "0", "2"],
    ],
    [
        ["Status", "high", "normal", "(none)", "Total"],
        ["open", "2", "1", "0", "3"],
        ["closed", "0", "0", "1", "1"],
        ["solved", "0", "1", "0", "1"],
    ],
    [
        ["Size histogram"],
        ["Size", "Files", "Volume"],
        ["0 bytes", "1", "0 bytes"],
        ["1 byte – 100 KB", "1", "500 bytes"],
        ["100 KB – 1 MB", "1", "200.0 KB"],
        ["1 – 10 MB", "0", "0 bytes"],
        ["10 – 25 MB", "0", "0 bytes"],
        ["25 MB and more", "1", "30.0 MB"],
    ],
]


class _Figures(HTMLParser):
    """Each `<figure>`: how many `<svg>` it holds and its table as rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.figures: list[dict] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs
        figure = self.figures[-1] if self.figures and self.figures[-1]["open"] else None
        if tag == "figure":
            self.figures.append({"open": True, "svgs": 0, "rows": []})
        elif figure and tag == "svg":
            figure["svgs"] += 1
        elif figure and tag in ("tr", "caption"):
            figure["rows"].append([])
        if figure and tag in ("td", "th", "caption"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "figure":
            self.figures[-1]["open"] = False
        if tag in ("td", "th", "caption") and self._cell is not None:
            self.figures[-1]["rows"][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def chart_page(tmp_path_factory) -> str:
    work = WorkDir.at(tmp_path_factory.mktemp("scope-charts") / "work")
    land_with_dlt(work, {"tickets": CHART_TICKETS, "messages": CHART_MESSAGES})
    return run_discovery(work).html_path.read_text(encoding="utf-8")


def test_each_chart_is_an_svg_beside_the_table_of_its_hand_counted_numbers(chart_page):
    parser = _Figures()
    parser.feed(chart_page)
    assert [figure["svgs"] for figure in parser.figures] == [1, 1, 1]
    assert [figure["rows"] for figure in parser.figures] == EXPECTED_CHART_TABLES
    assert "<title>open · high: 2</title>" in chart_page
    assert "<title>25 MB and more: 1</title>" in chart_page


def test_the_page_runs_no_script_and_fetches_nothing(chart_page):
    parser = _Figures()
    parser.feed(chart_page)
    assert "script" not in parser.tags
    assert not {"img", "link", "iframe", "object", "embed", "image", "use"} & set(parser.tags)
    assert "http://" not in chart_page
    assert "https://" not in chart_page
    linked = [value for name, value in parser.attributes if name in ("href", "src", "xlink:href")]
    assert all(value.startswith("#") for value in linked)
