from pathlib import Path

from emulators.stames_api.generator import generate_dataset
from tests.fixtures.stames_dataset import read_jsonl


def test_volumes_grow_in_proportion_to_tickets(tmp_path: Path):
    small = generate_dataset(tmp_path / "small", 200, seed=11)
    large = generate_dataset(tmp_path / "large", 800, seed=11)
    assert small.counts["tickets"] == 200
    assert large.counts["tickets"] == 800
    assert large.counts["customers"] == 4 * small.counts["customers"]
    for name in ("messages", "status_changes", "attachments"):
        ratio = large.counts[name] / small.counts[name]
        assert 3.0 < ratio < 5.3, (name, ratio)


def test_counts_in_the_report_match_the_files(tmp_path: Path):
    summary = generate_dataset(tmp_path, 250, seed=2)
    for name in ("tickets", "customers", "agents", "messages", "status_changes", "attachments", "tags"):
        assert summary.counts[name] == len(read_jsonl(tmp_path / f"{name}.jsonl")), name
    for key in ("warranty", "subscription"):
        assert summary.counts[key] == len(read_jsonl(tmp_path / "custom_object_records" / f"{key}.jsonl"))
    assert summary.counts["files"] == len(list((tmp_path / "files").iterdir()))
