"""Records whose cursor field is null or malformed: landed as they came, never the cursor."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from dlt_pipelines.stames.pipeline import stames_pipeline
from stames_sf.workdir import RAW_SCHEMA, WorkDir
from tests.fixtures.extract import ExtractFrom
from tests.fixtures.stames_api import StartStames, write_synthetic_dataset
from tests.integration.extract.compare import read_jsonl

NULL_TICKET = 20_004
GARBAGE_TICKET = 20_007
MISSING_MESSAGE = 500_002


def _with_bad_cursors(root: Path) -> Path:
    """12 synthetic tickets; one with `updated_at: null`, one with `"garbage"`, a message without it."""
    write_synthetic_dataset(root, tickets=12)
    tickets = read_jsonl(root / "tickets.jsonl")
    for ticket in tickets:
        if ticket["id"] == NULL_TICKET:
            ticket["updated_at"] = None
        if ticket["id"] == GARBAGE_TICKET:
            ticket["updated_at"] = "garbage"
    messages = read_jsonl(root / "messages.jsonl")
    for message in messages:
        if message["id"] == MISSING_MESSAGE:
            del message["updated_at"]
    for name, rows in (("tickets", tickets), ("messages", messages)):
        (root / f"{name}.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
    return root


def test_bad_cursor_values_are_landed_listed_and_never_become_the_cursor(
    start_stames: StartStames, extract_from: ExtractFrom, tmp_path: Path
) -> None:
    dataset = _with_bad_cursors(tmp_path / "dataset")
    server = start_stames(dataset)
    work = WorkDir.at(tmp_path / "work")

    first = extract_from(server, work)

    assert first.cursor_rejects == 3
    with duckdb.connect(str(work.warehouse), read_only=True) as connection:
        landed = dict(connection.execute(f"SELECT id, updated_at FROM {RAW_SCHEMA}.tickets").fetchall())
        rejects = set(
            connection.execute(
                f"SELECT object, id, cursor_field, value FROM {RAW_SCHEMA}.cursor_rejects"
            ).fetchall()
        )
        message_ids = {
            row[0] for row in connection.execute(f"SELECT id FROM {RAW_SCHEMA}.messages").fetchall()
        }
    assert len(landed) == 12
    assert landed[NULL_TICKET] is None
    assert landed[GARBAGE_TICKET] == "garbage"
    assert MISSING_MESSAGE in message_ids
    assert rejects == {
        ("tickets", str(NULL_TICKET), "updated_at", None),
        ("tickets", str(GARBAGE_TICKET), "updated_at", '"garbage"'),
        ("messages", str(MISSING_MESSAGE), "updated_at", None),
    }
    # The cursor is the newest well-formed value: the last synthetic ticket's updated_at.
    newest_good = max(
        t["updated_at"]
        for t in read_jsonl(tmp_path / "dataset" / "tickets.jsonl")
        if t["id"] not in (NULL_TICKET, GARBAGE_TICKET)
    )
    state = stames_pipeline(work.warehouse, work.dlt_dir).state
    ticket_cursor = state["sources"]["stames"]["resources"]["tickets"]["incremental"]["updated_at"]
    assert ticket_cursor["last_value"] == newest_good

    # The work folder is not stuck: the next run asks from the good cursor and brings a change.
    live_ticket = 20_010
    stamp = server.admin("mutate", {"ticket_ids": [live_ticket], "action": "touch"})["updated_at"]
    server.admin("clock", {"advance_seconds": 120})
    second = extract_from(server, work)
    assert second.rows_per_table.get("tickets") == 1
    with duckdb.connect(str(work.warehouse), read_only=True) as connection:
        touched = connection.execute(
            f"SELECT updated_at FROM {RAW_SCHEMA}.tickets WHERE id = ?", [live_ticket]
        ).fetchone()
    assert touched == (stamp,)
