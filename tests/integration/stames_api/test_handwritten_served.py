"""The hand-written dataset comes back record for record: the server adds only what the API computes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fixtures.stames_api import HANDWRITTEN_DATASET, RunningStames
from tests.integration.stames_api.helpers import read_jsonl, scan

COMPUTED_ATTACHMENT_FIELDS = ("download_url", "expires_at")
LIST_BODY_LIMIT = 64 * 1024


def _without_signed_urls(message: dict[str, Any]) -> dict[str, Any]:
    copy = json.loads(json.dumps(message))
    for attachment in copy.get("attachments") or []:
        for name in COMPUTED_ATTACHMENT_FIELDS:
            attachment.pop(name, None)
    return copy


def _by_id(records: list[dict[str, Any]]) -> dict[Any, dict[str, Any]]:
    return {record["id"]: record for record in records}


@pytest.mark.parametrize(
    ("path", "file_name", "params"),
    [
        ("/agents", "agents.jsonl", {}),
        ("/customers", "customers.jsonl", {"include_merged": "true"}),
        ("/tickets", "tickets.jsonl", {"include_deleted": "true", "include_spam": "true"}),
        ("/status_changes", "status_changes.jsonl", {}),
        ("/custom_objects/warranty/records", "custom_object_records/warranty.jsonl", {}),
    ],
)
def test_incremental_collections_are_served_unchanged(
    stames: RunningStames, path: str, file_name: str, params: dict[str, str]
) -> None:
    stored = read_jsonl(HANDWRITTEN_DATASET / file_name)
    with stames.client() as client:
        served = scan(client, path, params, limit=2)
    assert _by_id(served) == _by_id(stored)
    assert len(served) == len(stored)
    keys = [(record["updated_at"], record["id"]) for record in served]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("path", "file_name"),
    [
        ("/ticket_statuses", "ticket_statuses.jsonl"),
        ("/channels", "channels.jsonl"),
        ("/custom_fields", "custom_fields.jsonl"),
        ("/custom_objects", "custom_objects.jsonl"),
        ("/tags", "tags.jsonl"),
    ],
)
def test_catalogs_are_served_unchanged(stames: RunningStames, path: str, file_name: str) -> None:
    stored = read_jsonl(HANDWRITTEN_DATASET / file_name)
    with stames.client() as client:
        served = scan(client, path, limit=3)
    canonical = sorted(json.dumps(record, sort_keys=True) for record in stored)
    assert sorted(json.dumps(record, sort_keys=True) for record in served) == canonical


def test_tombstones_are_served_unchanged(stames: RunningStames) -> None:
    stored = read_jsonl(HANDWRITTEN_DATASET / "deleted_records.jsonl")
    with stames.client() as client:
        served = scan(client, "/deleted_records", {"deleted_since": "1970-01-01T00:00:00Z"}, limit=2)
    assert sorted(served, key=json.dumps) == sorted(stored, key=json.dumps)


def test_account_is_the_manifest_account(stames: RunningStames) -> None:
    manifest = json.loads((HANDWRITTEN_DATASET / "manifest.json").read_text(encoding="utf-8"))
    with stames.client() as client:
        assert client.get("/account").json() == manifest["account"]


def test_messages_are_served_unchanged_except_list_truncation(stames: RunningStames) -> None:
    stored = _by_id(read_jsonl(HANDWRITTEN_DATASET / "messages.jsonl"))
    with stames.client() as client:
        served = _by_id(scan(client, "/messages", {"include_deleted": "true"}, limit=3))
        full = {
            message_id: client.get(f"/tickets/{message['ticket_id']}/messages/{message_id}").json()
            for message_id, message in stored.items()
            if message["ticket_id"] != 10150
        }
    assert served.keys() == stored.keys()
    truncated = []
    for message_id, original in stored.items():
        listed = _without_signed_urls(served[message_id])
        if listed == original:
            continue
        truncated.append(message_id)
        assert listed["body_truncated"] is True
        for name in ("body_text", "body_html"):
            assert original[name].startswith(listed[name])
            assert len(listed[name].encode("utf-8")) <= LIST_BODY_LIMIT
        assert {k: v for k, v in listed.items() if not k.startswith("body_")} == {
            k: v for k, v in original.items() if not k.startswith("body_")
        }
    oversized = [
        message_id
        for message_id, message in stored.items()
        if len((message["body_html"] or "").encode("utf-8", "surrogatepass")) > LIST_BODY_LIMIT
    ]
    assert truncated == oversized != []
    for message_id, message in full.items():
        assert _without_signed_urls(message) == stored[message_id]


def test_lone_surrogates_survive_as_json_escapes(stames: RunningStames) -> None:
    with stames.client() as client:
        response = client.get("/customers/5525")
    assert "\\ud83d" in response.text
    assert response.json()["name"] == "Bad \ud83d name"
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json()["created_at"] == "2019-03-02 14:05:00"


def test_thread_is_ordered_by_created_at_then_id(stames: RunningStames) -> None:
    stored = [m for m in read_jsonl(HANDWRITTEN_DATASET / "messages.jsonl") if m["ticket_id"] == 10234]
    with stames.client() as client:
        served = scan(client, "/tickets/10234/messages", limit=1)
        history = scan(client, "/tickets/10234/status_changes", limit=2)
    assert [m["id"] for m in served] == [
        m["id"] for m in sorted(stored, key=lambda m: (m["created_at"], m["id"]))
    ]
    assert [(c["changed_at"], c["id"]) for c in history] == sorted(
        (c["changed_at"], c["id"]) for c in history
    )
    assert len(history) == 3
