"""A generated dataset, served by the local Stames server over real HTTP, reads back whole."""

import hashlib
from datetime import UTC, datetime

import httpx

from tests.fixtures.stames_api import RunningStames, StartStames
from tests.fixtures.stames_dataset import GeneratedDataset

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def _serve(start_stames: StartStames, dataset: GeneratedDataset) -> RunningStames:
    return start_stames(dataset_dir=dataset.root, now=NOW)


def _crawl(client: httpx.Client, path: str, params: dict[str, str]) -> list[dict]:
    rows, cursor = [], None
    while True:
        page = client.get(path, params={**params, "limit": "100", **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        body = page.json()
        rows.extend(body["data"])
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return rows


def test_every_ticket_and_message_comes_back_through_the_api(start_stames, small_dataset):
    stames = _serve(start_stames, small_dataset)
    with stames.client() as client:
        tickets = _crawl(client, "/tickets", {"include_deleted": "true", "include_spam": "true"})
        messages = _crawl(client, "/messages", {"include_deleted": "true"})
    assert sorted(t["id"] for t in tickets) == sorted(t["id"] for t in small_dataset.tickets)
    assert len({m["id"] for m in messages}) == len(small_dataset.messages)


def test_edge_case_records_answer_as_the_contract_says(start_stames, small_dataset):
    stames = _serve(start_stames, small_dataset)
    listed = {agent["id"] for agent in small_dataset.agents}
    hard_deleted = next(
        t["assignee_id"] for t in small_dataset.tickets if t["assignee_id"] and t["assignee_id"] not in listed
    )
    deleted = next(t["id"] for t in small_dataset.tickets if t["status"] == "deleted")
    with stames.client() as client:
        assert client.get(f"/agents/{hard_deleted}").status_code == 404
        assert client.get(f"/tickets/{deleted}").status_code == 410


def test_downloaded_bytes_match_the_declared_sha256(start_stames, small_dataset):
    stames = _serve(start_stames, small_dataset)
    available = [a for a in small_dataset.attachments if a["status"] == "available" and a["size"] < 300_000]
    on_disk = next(a for a in available if "file" in a["content"] and a["size"] > 0)
    generated = next(a for a in available if "generate" in a["content"])
    with stames.client() as client:
        for attachment in (on_disk, generated):
            url = client.get(f"/attachments/{attachment['id']}").json()["download_url"]
            response = httpx.get(url, timeout=30)
            assert response.status_code == 200
            assert hashlib.sha256(response.content).hexdigest() == attachment["sha256"]
