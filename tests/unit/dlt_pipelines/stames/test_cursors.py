from dlt_pipelines.stames.cursors import (
    CursorReject,
    CursorRejects,
    hold_malformed_cursor,
    is_well_formed_cursor,
    restore_held_cursor,
)


def test_only_the_servers_own_timestamp_shape_is_a_cursor() -> None:
    assert is_well_formed_cursor("2024-05-02T16:40:03.511Z")
    for bad in (
        None,
        "",
        "garbage",
        "2024-05-02 16:40:03",
        "2024-05-02T16:40:03Z",
        "2024-13-02T16:40:03.511Z",
        17,
    ):
        assert not is_well_formed_cursor(bad), bad


def test_a_held_value_comes_back_exactly_as_it_was_sent() -> None:
    rejects = CursorRejects()
    hold = hold_malformed_cursor("updated_at")
    restore = restore_held_cursor("tickets", "updated_at", rejects)
    good = {"id": 1, "updated_at": "2024-05-02T16:40:03.511Z"}
    garbage = {"id": 2, "updated_at": "garbage"}
    missing = {"id": 3}
    assert hold(good) is good
    assert hold(garbage)["updated_at"] is None  # what dlt's incremental sees
    assert hold(missing)["updated_at"] is None
    assert [restore(hold(row)) for row in (good, garbage, missing)] == [good, garbage, missing]
    assert rejects.found == [
        CursorReject("tickets", "2", "updated_at", '"garbage"'),
        CursorReject("tickets", "3", "updated_at", None),
    ]
