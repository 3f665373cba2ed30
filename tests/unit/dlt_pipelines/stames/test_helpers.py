import json

from dlt_pipelines.stames.helpers import (
    escape_lone_surrogates,
    has_truncated_body,
    message_detail_path,
    with_full_body,
)


def test_lone_surrogates_become_visible_escapes_that_encode_as_utf8() -> None:
    decoded = json.loads('{"name": "x\\ud83dy", "tags": ["ok", "\\udc00"], "n": 3}')
    escaped = escape_lone_surrogates(decoded)
    assert escaped == {"name": "x\\ud83dy", "tags": ["ok", "\\udc00"], "n": 3}
    json.dumps(escaped, ensure_ascii=False).encode("utf-8")


def test_valid_emoji_pairs_and_nfd_text_are_left_alone() -> None:
    text = "José 📱 \u200d ✓"
    record = {"a": text, "nested": {"b": [text, None, 1.5, True]}}
    assert escape_lone_surrogates(record) == record


def test_truncated_message_takes_the_detail_bodies_and_keeps_listing_fields() -> None:
    listed = {"id": 7, "ticket_id": 3, "body_text": "abc", "body_truncated": True, "attachments": []}
    detail = {"id": 7, "ticket_id": 3, "body_text": "abcdef", "body_truncated": False}
    merged = with_full_body(listed, detail)
    assert merged["body_text"] == "abcdef"
    assert merged["body_truncated"] is False
    assert merged["attachments"] == []
    assert has_truncated_body(listed)
    assert not has_truncated_body(merged)
    assert message_detail_path(listed) == "tickets/3/messages/7"


def test_a_message_deleted_before_its_detail_fetch_keeps_the_listed_body() -> None:
    listed = {"id": 7, "ticket_id": 3, "body_text": "abc", "body_truncated": True}
    assert with_full_body(listed, None) is listed
