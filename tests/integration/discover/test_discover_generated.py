"""Generate → serve → extract over real HTTP → `stames-sf discover`, checked against the dataset.

Expected numbers come from the generator's `generation_report.json` (what it injected) or are
counted straight from the dataset's JSONL files; none is taken from discovery's own output.
"""

import json
import unicodedata
from collections import Counter, defaultdict
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest
from typer.testing import CliRunner

from emulators.serving import serve_in_thread
from emulators.stames_api.app import create_app
from emulators.stames_api.generator.build import generate_dataset
from emulators.stames_api.settings import DEFAULT_API_KEY, StamesSettings
from stames_sf.cli import app
from stames_sf.discovery.service import run_discovery
from stames_sf.extraction import run_load
from stames_sf.workdir import WorkDir

TICKETS = 300
SEED = 11
MB = 1024 * 1024


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    out_dir = tmp_path_factory.mktemp("discover-dataset") / "d300"
    generate_dataset(out_dir, TICKETS, SEED)
    return out_dir


@pytest.fixture(scope="module")
def generation(dataset) -> dict:
    return json.loads((dataset / "generation_report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def work(dataset, tmp_path_factory) -> WorkDir:
    """The dataset served on a free port and extracted into a fresh work folder."""
    work = WorkDir.at(tmp_path_factory.mktemp("discover-work") / "work")
    settings = StamesSettings(
        rate_limit_rps=1000.0, download_rps=1000.0, now=datetime(2024, 6, 1, 12, tzinfo=UTC)
    )
    with serve_in_thread(create_app(dataset, settings)) as port:
        run_load(work, base_url=f"http://127.0.0.1:{port}/api/v1", api_key=DEFAULT_API_KEY)
    return work


@pytest.fixture(scope="module")
def cli_output(work) -> str:
    result = CliRunner().invoke(app, ["discover", "--work", str(work.root)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def report(work, cli_output):
    # The CLI already wrote the files; this reads the same warehouse again as data.
    return run_discovery(work)


def test_cli_writes_both_report_files(work, cli_output):
    assert (work.reports / "scope.md").is_file()
    assert (work.reports / "scope.html").is_file()
    assert "scope.html" in cli_output


def test_record_counts_per_object(report, generation):
    counts = generation["counts"]
    assert report.records("tickets") == counts["tickets"]
    assert report.records("messages") == counts["messages"]
    assert report.records("status_changes") == counts["status_changes"]
    assert report.records("customers") == counts["customers"]
    assert report.records("agents") == counts["agents"]  # hard-deleted agents are never listed
    assert report.attachments.count == counts["attachments"]
    assert report.records("custom_object_records_warranty") == counts["warranty"]
    assert report.records("custom_object_records_subscription") == counts["subscription"]
    assert report.tags.distinct_spellings == counts["tags"]


def test_breakdowns_per_status_channel_priority(report, dataset):
    tickets = _jsonl(dataset / "tickets.jsonl")
    assert {item.value: item.records for item in report.by_status} == Counter(t["status"] for t in tickets)
    assert {item.value: item.records for item in report.by_channel} == Counter(
        t["channel"]["type"] for t in tickets
    )
    priorities = Counter(t["priority"] or "(none)" for t in tickets)
    assert {item.value: item.records for item in report.by_priority} == priorities


def test_chart_counts_per_month_and_channel_and_per_status_and_priority(report, dataset):
    tickets = _jsonl(dataset / "tickets.jsonl")
    per_month = Counter((t["created_at"][:7], t["channel"]["type"]) for t in tickets)
    assert {(pair.first, pair.second): pair.records for pair in report.created_by_month} == per_month
    per_status = Counter((t["status"], t["priority"] or "(none)") for t in tickets)
    assert {(pair.first, pair.second): pair.records for pair in report.by_status_and_priority} == per_status


def test_no_ticket_has_an_unusable_cursor(report):
    # API.md §2.7, GET /tickets: `updated_at` is always well-formed; the generator follows the contract.
    assert report.finding(33).count == 0


@pytest.mark.parametrize(
    ("number", "edge_case"),
    [
        (1, "customers_without_email"),
        (3, "customers_merged"),
        (7, "tickets_hard_deleted_assignee"),
        (10, "messages_redacted"),
        (11, "messages_data_uri"),
        (16, "tickets_custom_status"),
        (18, "tickets_spam"),
        (19, "history_synthetic_import"),
        (21, "attachments_zero_byte"),
        (23, "attachments_big"),
        (27, "tickets_deleted"),
        (28, "tickets_merged"),
        (30, "tickets_legacy_created_at"),
    ],
)
def test_findings_match_the_generation_report(report, generation, number, edge_case):
    assert report.finding(number).count == generation["edge_cases"][edge_case]
    if report.finding(number).count:
        assert report.finding(number).example is not None


def test_grouped_findings_match_their_parts(report, generation):
    edge_cases = generation["edge_cases"]
    history = report.finding(17).parts
    assert history["reopened"] == edge_cases["history_flapping"]
    assert history["missed_event"] == edge_cases["history_missed_event"]
    assert history["disagrees"] == edge_cases["history_disagrees"]
    links = report.finding(25).parts
    assert links["record_to_ticket"] == edge_cases["records_dangling_ticket_ids"]
    assert links["lookup_to_record"] == edge_cases["tickets_dangling_warranty_lookup"]
    assert report.finding(24).parts["dropdown"] == edge_cases["tickets_unknown_dropdown"]
    missing = edge_cases.get("attachments_purged", 0) + edge_cases.get("attachments_quarantined", 0)
    assert report.finding(20).count == missing


def test_huge_bodies_match_the_message_file(report, dataset):
    # Any body over 128 KB counts, whether pasted logs or data-URI images made it big.
    sizes = [message["body_size_bytes"] for message in _jsonl(dataset / "messages.jsonl")]
    assert report.finding(12).count == sum(1 for size in sizes if size > 128 * 1024)


def test_encoding_damage_within_what_redaction_can_hide(report, generation):
    edge_cases = generation["edge_cases"]
    damaged = report.finding(14).count
    assert edge_cases["messages_bad_encoding"] - edge_cases["messages_redacted"] <= damaged
    assert damaged <= edge_cases["messages_bad_encoding"]


def test_thread_findings_match_the_message_files(report, dataset):
    threads = defaultdict(list)
    for message in _jsonl(dataset / "messages.jsonl"):
        threads[message["ticket_id"]].append(message)
    identical = sum(1 for thread in threads.values() if len({m["created_at"] for m in thread}) < len(thread))
    backdated = 0
    for thread in threads.values():
        ordered = sorted(thread, key=lambda m: m["id"])
        backdated += any(later["created_at"] < earlier["created_at"] for earlier, later in pairwise(ordered))
    assert report.finding(9).parts == {"identical_timestamps": identical, "backdated": backdated}


def test_duplicate_customers_match_the_customer_file(report, dataset):
    emails = Counter(
        unicodedata.normalize("NFKC", customer["email"]).strip().casefold()
        for customer in _jsonl(dataset / "customers.jsonl")
        if customer["email"] and customer["email"].strip()
    )
    assert report.finding(2).count == sum(uses - 1 for uses in emails.values() if uses > 1)


def test_agents_by_state(report, generation, dataset):
    edge_cases = generation["edge_cases"]
    assert report.agents.anonymised == edge_cases["agents_anonymised"]
    assert report.agents.deactivated == edge_cases["agents_deactivated"]
    assert report.agents.light_agents == edge_cases["agents_light"]
    known = {agent["id"] for agent in _jsonl(dataset / "agents.jsonl")}
    referenced = {t["assignee_id"] for t in _jsonl(dataset / "tickets.jsonl") if t["assignee_id"] is not None}
    referenced |= {
        m["author"]["id"] for m in _jsonl(dataset / "messages.jsonl") if m["author"]["type"] == "agent"
    }
    referenced |= {
        c["changed_by"]["id"]
        for c in _jsonl(dataset / "status_changes.jsonl")
        if c["changed_by"]["type"] == "agent"
    }
    assert set(report.agents.deleted_but_referenced) == {str(agent_id) for agent_id in referenced - known}


def test_attachment_volume_and_multipart(report, dataset):
    attachments = {item["id"]: item for item in _jsonl(dataset / "attachments.jsonl")}
    assert report.attachments.total_bytes == sum(item["size"] for item in attachments.values())
    over_limit = sum(1 for item in attachments.values() if 4 * -(-item["size"] // 3) > 37.5 * MB)
    assert report.attachments.multipart == over_limit
    assert report.estimate.files.files == sum(
        1 for item in attachments.values() if item["status"] == "available"
    )


def test_estimate_counts_the_cases_and_the_files(report, dataset):
    volumes = {volume.sobject: volume.records for volume in report.estimate.volumes}
    assert volumes["Case"] == TICKETS
    merged = sum(
        1 for customer in _jsonl(dataset / "customers.jsonl") if customer["merged_into_id"] is not None
    )
    assert volumes["Contact"] == len(_jsonl(dataset / "customers.jsonl")) - merged
    assert report.estimate.api_calls > report.estimate.files.files
    assert report.estimate.data_storage_bytes >= report.estimate.records * 2048


def test_report_has_manual_work_and_no_raw_contact_data(work, dataset):
    markdown = (work.reports / "scope.md").read_text(encoding="utf-8")
    page = (work.reports / "scope.html").read_text(encoding="utf-8")
    people = _jsonl(dataset / "customers.jsonl") + _jsonl(dataset / "agents.jsonl")
    emails = {person["email"].strip() for person in people if person.get("email") and person["email"].strip()}
    phones = {customer["phone"] for customer in people if customer.get("phone")}
    assert emails
    assert phones
    for output in (markdown, page):
        for heading in ("Self-service portal", "Notification triggers and reminders", "SLA policies"):
            assert heading in output
        assert not [email for email in emails if email in output]
        assert not [phone for phone in phones if phone in output or phone.lstrip("+") in output]
        assert "<script" not in output.lower().replace("<style>", "")
