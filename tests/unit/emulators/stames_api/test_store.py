"""Loading a hand-written dataset folder (API.md §3b) into the server's store."""

from __future__ import annotations

import json
from pathlib import Path

from emulators.stames_api.store import Store

BOM = b"\xef\xbb\xbf"


def _write(path: Path, text: str, *, bom: bool = False) -> None:
    path.write_bytes((BOM if bom else b"") + text.encode("utf-8"))


def test_files_saved_with_a_utf8_bom_and_crlf_load(tmp_path: Path) -> None:
    manifest = {"format": "stames-dataset/1", "account": {"id": 5, "timezone": "Europe/Madrid"}}
    _write(tmp_path / "manifest.json", json.dumps(manifest), bom=True)
    ticket = {"id": 7, "subject": "Hola 📱", "updated_at": "2024-01-01T00:00:00.000Z"}
    _write(tmp_path / "tickets.jsonl", json.dumps(ticket, ensure_ascii=False) + "\r\n", bom=True)
    _write(tmp_path / "tags.jsonl", '{"name": "vip", "ticket_count": 1}\r\n', bom=True)

    store = Store.load(tmp_path)

    assert store.account["id"] == 5
    assert store.tickets.record(store.tickets.find(7)) == ticket
    assert store.catalogs["tags"] == [{"name": "vip", "ticket_count": 1}]
