"""The server serves what the dataset generator writes: every row, and attachment bytes matching sha256."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest

from emulators.stames_api.generator import generate_dataset
from tests.fixtures.stames_api import StartStames
from tests.integration.stames_api.helpers import ids, read_jsonl, scan


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated") / "dataset"
    generate_dataset(root, 60, 7)
    return root


def test_every_generated_row_is_served(start_stames: StartStames, generated: Path) -> None:
    stames = start_stames(generated, now=None)
    everything = {"include_deleted": "true", "include_spam": "true"}
    with stames.client() as client:
        tickets = scan(client, "/tickets", everything, limit=100)
        messages = scan(client, "/messages", {"include_deleted": "true"}, limit=100)
        customers = scan(client, "/customers", {"include_merged": "true"}, limit=100)
    assert sorted(ids(tickets)) == sorted(ids(read_jsonl(generated / "tickets.jsonl")))
    assert sorted(ids(messages)) == sorted(ids(read_jsonl(generated / "messages.jsonl")))
    assert sorted(ids(customers)) == sorted(ids(read_jsonl(generated / "customers.jsonl")))


def test_generated_attachment_bytes_match_their_checksums(start_stames: StartStames, generated: Path) -> None:
    stames = start_stames(generated, now=None)
    available = [
        row
        for row in read_jsonl(generated / "attachments.jsonl")
        if row["status"] == "available" and row.get("sha256") and row["size"] < 2_000_000
    ][:8]
    assert available
    with stames.client() as client:
        for row in available:
            url = client.get(f"/attachments/{row['id']}").json()["download_url"]
            body = httpx.get(url).content
            assert hashlib.sha256(body).hexdigest() == row["sha256"], row["id"]
