"""Threads, bodies and attachments (§3 #9-#14, #20-#23), measured on the written files."""

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from itertools import pairwise

from emulators.stames_api.content import generated_sha256
from emulators.stames_api.generator import profile
from tests.fixtures.stames_dataset import assert_rate

CHANNELS = {"email", "facebook", "instagram", "whatsapp", "sms", "api", "web_form"}
_DAMAGE = re.compile("Ã|\ufffd|[\u200b\u200d]|[\ud800-\udfff]")


def _threads(dataset) -> dict[int, list[dict]]:
    threads = defaultdict(list)
    for message in dataset.messages:
        threads[message["ticket_id"]].append(message)
    return threads


def test_every_author_type_and_channel_appears(profile_dataset):
    messages = profile_dataset.messages
    assert {m["author"]["type"] for m in messages} == {"customer", "agent", "bot", "system"}
    assert {m["channel"]["type"] for m in messages} == CHANNELS
    assert {t["channel"]["type"] for t in profile_dataset.tickets} == CHANNELS
    messaging = [
        t for t in profile_dataset.tickets if t["channel"]["type"] in ("whatsapp", "sms", "instagram")
    ]
    assert any(t["subject"] == "" for t in messaging)
    assert all(len(t["subject"]) <= 60 for t in messaging)
    emails = [m for m in messages if m["channel"]["type"] == "email" and m["author"]["type"] == "customer"]
    assert all(m["body_html"] is None or m["body_html"].startswith("<") for m in emails)


def test_multilingual_text_with_bidi_controls(profile_dataset):
    bodies = [m["body_text"] or "" for m in profile_dataset.messages]
    assert any(re.search("[\u0600-\u06ff]", body) for body in bodies), "no Arabic"
    assert any(re.search("[\u0590-\u05ff]", body) for body in bodies), "no Hebrew"
    assert any(re.search("[\u200f\u202b\u2067\u202e]", body) for body in bodies), "no bidi controls"
    assert any("ç" in body or "ã" in body for body in bodies), "no Portuguese/Catalan"
    assert any("ß" in body or "ü" in body for body in bodies), "no German"


def test_identical_timestamps_and_backdated_ids(profile_dataset):
    threads = [rows for rows in _threads(profile_dataset).values() if len(rows) >= 3]
    tied = sum(any(a["created_at"] == b["created_at"] for a, b in pairwise(rows)) for rows in threads)
    assert_rate(tied, len(threads), profile.THREAD_IDENTICAL_TIMESTAMPS, "identical-timestamp threads")
    backdated = sum(
        any(a["created_at"] > b["created_at"] and "Z" in b["created_at"] for a, b in pairwise(rows))
        for rows in threads
    )
    assert backdated > 0, "ids are monotonic in created_at everywhere"


def test_data_uri_images_cid_references_and_malformed_cids(profile_dataset):
    email = [m for m in profile_dataset.messages if m["channel"]["type"] == "email" and m["body_html"]]
    with_data_uri = [m for m in email if "data:image/" in m["body_html"]]
    assert_rate(len(with_data_uri), len(email), profile.EMAIL_DATA_URI, "data-URI email messages")
    assert any(m["body_size_bytes"] > 500_000 for m in with_data_uri)
    cid_refs = 0
    for message in email:
        for content_id in re.findall(r'src="cid:([^"]+)"', message["body_html"]):
            if content_id.startswith("https://"):
                continue
            cid_refs += 1
            inline = [a for a in message["attachments"] if a["content_id"] == content_id]
            assert inline and inline[0]["inline"] is True
    assert cid_refs > 0
    assert any('src="cid:https://' in m["body_html"] for m in email)


def test_huge_bodies(profile_dataset):
    messages = profile_dataset.messages
    huge = [
        m
        for m in messages
        if m["body_size_bytes"] > 128 * 1024 and "data:image/" not in (m["body_html"] or "")
    ]
    assert_rate(len(huge), len(messages), profile.MESSAGE_HUGE, "messages over 128 KB")
    assert all(130 * 1024 <= m["body_size_bytes"] <= 2 * 1024 * 1024 + 4096 for m in huge)
    assert any(m["body_size_bytes"] > 256 * 1024 for m in huge)
    for message in huge[:5]:
        assert len(message["body_text"].encode("utf-8", "surrogatepass")) <= message["body_size_bytes"]


def test_bad_encoding_in_messages_and_names(profile_dataset):
    messages = profile_dataset.messages
    damaged = [
        m
        for m in messages
        if m["body_text"]
        and (_DAMAGE.search(m["body_text"]) or not unicodedata.is_normalized("NFC", m["body_text"]))
    ]
    assert_rate(len(damaged), len(messages), profile.MESSAGE_DAMAGED, "damaged message bodies")
    raw = (profile_dataset.root / "messages.jsonl").read_text(encoding="utf-8")
    assert "\\ud83d" in raw, "lone surrogate not written as an escape"
    names = [c["name"] for c in profile_dataset.customers]
    assert any(_DAMAGE.search(name) or not unicodedata.is_normalized("NFC", name) for name in names)


def test_redacted_and_erased_messages(profile_dataset):
    redacted = [m for m in profile_dataset.messages if m["body_text"] == "[redacted]"]
    assert redacted
    assert all(m["updated_at"] > m["created_at"] for m in redacted if m["created_at"].endswith("Z"))
    erased = {
        r["id"]
        for r in profile_dataset.deleted_records
        if r["reason"] == "gdpr_erasure" and r["object"] == "message"
    }
    assert erased
    assert not erased & {str(m["id"]) for m in profile_dataset.messages}


def test_attachment_edge_cases(profile_dataset):
    attachments = profile_dataset.attachments
    total = len(attachments)
    assert_rate(sum(a["size"] == 0 for a in attachments), total, profile.ATTACHMENT_ZERO_BYTE, "zero-byte")
    big = [a for a in attachments if a["size"] >= 25 * 1024 * 1024]
    assert_rate(len(big), total, profile.ATTACHMENT_BIG, "25-35 MB")
    assert all(a["size"] <= 35 * 1024 * 1024 and "generate" in a.get("content", {"generate": 1}) for a in big)
    purged = [a for a in attachments if a["status"] == "purged"]
    assert_rate(len(purged), total, profile.ATTACHMENT_PURGED, "purged")
    assert all("content" not in a and a["size"] >= 0 for a in purged)
    quarantined = sum(a["status"] == "quarantined" for a in attachments)
    assert_rate(quarantined, total, profile.ATTACHMENT_QUARANTINED, "quarantined")
    names = {a["file_name"] for a in attachments}
    assert {"../../x", "CON"} & names
    assert any(len(name) > 255 for name in names)
    assert any("\u202e" in name for name in names)
    assert any(a["content_type"] == "application/octet-stream" for a in attachments)


def test_duplicate_names_in_a_message_and_shared_files_across_tickets(profile_dataset):
    duplicated = [
        m
        for m in profile_dataset.messages
        if len(m["attachments"]) != len({a["file_name"] for a in m["attachments"]})
    ]
    assert duplicated
    tickets_by_hash = defaultdict(set)
    for attachment in profile_dataset.attachments:
        if attachment["size"] > 0:
            tickets_by_hash[attachment["sha256"]].add(attachment["ticket_id"])
    assert sum(len(tickets) > 1 for tickets in tickets_by_hash.values()) >= 10


def test_sha256_matches_the_bytes_that_will_be_served(profile_dataset):
    checked = Counter()
    for attachment in profile_dataset.attachments:
        content = attachment.get("content")
        if content is None:
            continue
        if "file" in content:
            data = (profile_dataset.root / content["file"]).read_bytes()
            assert len(data) == attachment["size"]
            assert hashlib.sha256(data).hexdigest() == attachment["sha256"]
            checked["file"] += 1
        elif content["generate"]["size"] < 64 * 1024 and checked["generate"] < 50:
            spec = content["generate"]
            assert spec["size"] == attachment["size"]
            assert generated_sha256(spec["size"], spec["seed"]) == attachment["sha256"]
            checked["generate"] += 1
    assert checked["file"] > 100
    assert checked["generate"] == 50


def test_odd_content_long_subjects_and_attachment_only_messages(profile_dataset):
    bodies = {m["body_text"] for m in profile_dataset.messages}
    assert "[sticker]" in bodies
    assert any(body and body.startswith("BEGIN:VCARD") for body in bodies)
    attachment_only = [m for m in profile_dataset.messages if m["body_text"] is None]
    assert attachment_only
    assert all(m["attachments"] for m in attachment_only if m["author"]["type"] == "customer")
    assert any(len(t["subject"]) > 255 for t in profile_dataset.tickets)
    assert any(t["description_text"] is None for t in profile_dataset.tickets)
