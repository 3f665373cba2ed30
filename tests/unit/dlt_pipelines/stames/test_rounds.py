"""The round cap: a feed stops after its pages, says it was cut short, and never loops in place."""

from __future__ import annotations

import copy
import json

from requests import Request, Response

from dlt_pipelines.stames.rounds import FeedRounds


def _page(updated_at: list[str], next_cursor: str | None) -> tuple[Response, list[dict[str, str]]]:
    rows = [{"id": str(index), "updated_at": stamp} for index, stamp in enumerate(updated_at)]
    response = Response()
    response.status_code = 200
    response._content = json.dumps({"data": rows, "next_cursor": next_cursor}).encode()
    return response, rows


def _read(paginator: object, pages: list[tuple[Response, list[dict[str, str]]]]) -> int:
    """Feed pages to the paginator as dlt's client does; return how many it asked for."""
    paginator.init_request(Request("GET", "http://stames.test/api/v1/tickets"))  # type: ignore[attr-defined]
    read = 0
    for response, rows in pages:
        paginator.update_state(response, rows)  # type: ignore[attr-defined]
        read += 1
        if not paginator.has_next_page:  # type: ignore[attr-defined]
            break
    return read


A, B, C = "2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z", "2026-01-03T00:00:00.000Z"


def test_a_feed_stops_at_its_cap_and_is_read_again_next_round() -> None:
    rounds = FeedRounds(max_pages=2)
    pages = [_page([A, A], "c1"), _page([B], "c2"), _page([C], None)]

    assert _read(rounds.paginator("tickets", "updated_at"), pages) == 2
    assert rounds.next_round() == {"tickets"}
    assert rounds.uncapped == set(), "the cursor moved from A to B: the cap stays"


def test_a_feed_that_ends_within_its_cap_is_done() -> None:
    rounds = FeedRounds(max_pages=2)

    assert _read(rounds.paginator("agents", "updated_at"), [_page([A], "c1"), _page([B], None)]) == 2
    assert rounds.next_round() == set()


def test_a_round_of_one_cursor_value_runs_uncapped_next_time() -> None:
    rounds = FeedRounds(max_pages=2)
    same = [_page([A, A], "c1"), _page([A, A], "c2"), _page([A, B], None)]

    assert _read(rounds.paginator("tickets", "updated_at"), same) == 2
    assert rounds.next_round() == {"tickets"}
    assert rounds.uncapped == {"tickets"}
    assert _read(rounds.paginator("tickets", "updated_at"), same) == 3, "read to the end"
    assert rounds.next_round() == set()
    assert rounds.uncapped == set()


def test_the_cursor_field_is_the_feeds_own() -> None:
    rounds = FeedRounds(max_pages=1)
    response, _ = _page([], "c1")
    tombstones = [{"id": "1", "deleted_at": A}, {"id": "2", "deleted_at": B}]

    paginator = rounds.paginator("deleted_records", "deleted_at")
    paginator.init_request(Request("GET", "http://stames.test/api/v1/deleted_records"))
    paginator.update_state(response, tombstones)

    assert not paginator.has_next_page
    assert rounds.next_round() == {"deleted_records"}
    assert rounds.uncapped == set()


def test_no_cap_reads_every_page_and_a_copy_reports_to_the_same_rounds() -> None:
    assert _read(FeedRounds(max_pages=None).paginator("tickets", "updated_at"), [_page([A], "c")] * 5) == 5
    rounds = FeedRounds(max_pages=1)
    copied = copy.deepcopy(rounds.paginator("messages", "updated_at"))
    assert _read(copied, [_page([A], "c1"), _page([B], None)]) == 1
    assert rounds.next_round() == {"messages"}
