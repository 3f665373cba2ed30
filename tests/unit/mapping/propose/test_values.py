"""Value maps over hand-written warehouses: every expected target is written here by hand."""

from pathlib import Path

import pytest

from mapping.propose.values import (
    channel_origin_map,
    display_value,
    option_value_maps,
    priority_value_map,
    status_value_map,
    tag_value_map,
)
from tests.fixtures.orgs import CASE, org, picklist
from tests.fixtures.raw_tables import child_rows, write_raw


def _status(key: str, label: str, category: str, active: bool = True) -> dict:
    return {"key": key, "label": label, "category": category, "system": False, "active": active}


def _ticket(ticket_id: int, status: str, category: str, **fields) -> dict:
    return {"id": ticket_id, "status": status, "status_category": category, **fields}


@pytest.fixture
def german(tmp_path: Path) -> Path:
    """A German account whose keys say nothing: only the labels carry the meaning."""
    statuses = [
        _status("s_neu", "Neu", "new"),
        _status("s_bearbeitung", "In Bearbeitung", "open"),
        _status("s_offen", "Offen", "open"),
        _status("s_geloest", "Gelöst", "solved"),
        _status("s_zu", "Geschlossen", "closed"),
        _status("spam", "Spam", "closed"),
        _status("deleted", "Gelöscht", "closed"),
    ]
    tickets = [
        _ticket(1, "s_neu", "new"),
        _ticket(2, "s_offen", "open"),
        _ticket(3, "s_zu", "closed"),
        _ticket(4, "altlast", "on_hold"),  # a status no definition lists
        _ticket(5, "spam", "closed"),
    ]
    changes = [{"id": 1, "ticket_id": 4, "from_status": "s_geloest", "to_status": "altlast"}]
    return write_raw(
        tmp_path / "w.duckdb", {"ticket_statuses": statuses, "tickets": tickets, "status_changes": changes}
    )


def _entries(value_map) -> dict:
    return {entry.source: entry for entry in value_map.entries}


def test_statuses_of_another_language_map_by_their_labels(german):
    entries = _entries(status_value_map(german, org()))
    assert entries["s_neu"].target == "New"
    assert entries["s_offen"].target == "Working"
    assert entries["s_bearbeitung"].target == "Working"
    assert entries["s_zu"].target == "Closed"
    assert entries["s_zu"].closed is True
    assert not entries["s_offen"].new_value
    # Two statuses on one target lose a distinction: both say so.
    assert any("distinction is lost" in warning for warning in entries["s_offen"].evidence.warnings)


def test_a_solved_status_without_an_org_value_becomes_a_closed_new_value(german):
    solved = _entries(status_value_map(german, org()))["s_geloest"]
    assert (solved.target, solved.new_value, solved.closed) == ("S Geloest", True, True)


def test_a_status_missing_from_the_definitions_is_flagged(german):
    missing = _entries(status_value_map(german, org()))["altlast"]
    assert missing.new_value is True
    assert missing.closed is False  # its tickets' category is on_hold
    assert missing.evidence.confidence <= 0.6
    assert any("not defined" in warning for warning in missing.evidence.warnings)


def test_spam_and_deleted_are_left_to_the_exclusion_rules(german):
    sources = set(_entries(status_value_map(german, org())))
    assert not sources & {"spam", "deleted"}


def test_the_default_is_the_org_s_open_value(german):
    assert status_value_map(german, org()).default == "Working"


def test_a_spanish_reopened_status_never_lands_on_a_closed_value(tmp_path):
    warehouse = write_raw(
        tmp_path / "w.duckdb",
        {
            "ticket_statuses": [
                _status("reabierto", "Reabierto", "open"),
                _status("cerrado", "Cerrado", "closed"),
            ]
        },
    )
    entries = _entries(status_value_map(warehouse, org()))
    assert (entries["reabierto"].target, entries["reabierto"].new_value) == ("Reabierto", True)
    assert entries["cerrado"].target == "Closed"
    assert entries["cerrado"].evidence.confidence == 0.9  # by meaning, not by spelling


def test_new_values_are_named_after_the_key():
    assert display_value("waiting_on_3rd_party") == "Waiting on Third Party"
    assert display_value("on_hold") == "On Hold"


@pytest.fixture
def tickets(tmp_path: Path) -> Path:
    rows = [
        _ticket(1, "open", "open", priority="low", channel__type="email"),
        _ticket(2, "open", "open", priority="normal", channel__type="web_form"),
        _ticket(3, "open", "open", priority="urgent", channel__type="whatsapp"),
        _ticket(4, "open", "open", priority=None, channel__type="sms"),
        _ticket(5, "open", "open", priority="high", channel__type="phone"),
    ]
    channels = [{"id": 9, "type": "instagram"}]
    return write_raw(tmp_path / "w.duckdb", {"tickets": rows, "channels": channels})


def test_priorities_map_by_meaning_and_urgent_becomes_its_own_value(tickets):
    entries = _entries(priority_value_map(tickets, org()))
    assert {source: entry.target for source, entry in entries.items()} == {
        "low": "Low",
        "normal": "Medium",
        "high": "High",
        "urgent": "Urgent",
        None: None,
    }
    assert entries["urgent"].new_value is True
    assert entries["normal"].evidence.confidence == 0.9
    assert entries["low"].evidence.confidence == 1.0


def test_origin_is_native_only_where_a_value_fits(tickets):
    entries = _entries(channel_origin_map(tickets, org()))
    assert {source: entry.target for source, entry in entries.items()} == {
        "email": "Email",
        "web_form": "Web",
        "phone": "Phone",
        "whatsapp": None,
        "sms": None,
        "instagram": None,  # an inbox without tickets still gets its entry
    }
    assert "Stames_Channel_Source__c" in entries["sms"].evidence.reasons[0]


def test_origin_needs_the_value_in_the_org(tickets):
    no_web = {"name": "Case", "fields": [*CASE["fields"][:2], picklist("Origin", ["Email"])]}
    entries = _entries(channel_origin_map(tickets, org(case=no_web)))
    assert entries["web_form"].target is None
    assert "no 'Web' value" in entries["web_form"].evidence.reasons[0]


def test_tags_with_accents_case_and_spaces_collapse_and_separators_warn(tmp_path):
    tags = ["vip", "VIP ", "víp", "garantía", "a,b", "x;y"]
    warehouse = write_raw(tmp_path / "w.duckdb", {"tickets__tags": child_rows("t1", tags)})
    entries = _entries(tag_value_map(warehouse, org(), target="Case.Stames_Tags__c"))
    assert {source: entry.target for source, entry in entries.items()} == {
        "vip": "vip",
        "VIP ": "vip",
        "víp": "vip",
        "garantía": "garantia",
        "a,b": "a b",
        "x;y": "x y",
    }
    assert entries["a,b"].evidence.warnings == ["`,` replaced by a space"]
    assert entries["x;y"].evidence.warnings == ["`;` replaced by a space"]
    assert entries["vip"].evidence.confidence == 1.0
    assert "'VIP '" in entries["vip"].evidence.reasons[1]


def test_option_maps_are_identity_maps_with_outside_values_flagged(tmp_path):
    fields = [
        {"object_type": "ticket", "key": "reason", "type": "dropdown", "_dlt_id": "f1"},
        {"object_type": "ticket", "key": "features", "type": "multi_select", "_dlt_id": "f2"},
        {"object_type": "customer", "key": "tier", "type": "dropdown", "_dlt_id": "f3"},
        {"object_type": "ticket", "key": "model", "type": "text", "_dlt_id": "f4"},
    ]
    options = [
        {"value": "billing", "active": True, "_dlt_parent_id": "f1", "_dlt_list_idx": 0},
        {"value": "tech", "active": False, "_dlt_parent_id": "f1", "_dlt_list_idx": 1},
        {"value": "wifi", "active": True, "_dlt_parent_id": "f2", "_dlt_list_idx": 0},
        {"value": "gold", "active": True, "_dlt_parent_id": "f3", "_dlt_list_idx": 0},
    ]
    ticket_values = [
        {"key": "reason", "value": "billing", "_dlt_id": "v1"},
        {"key": "reason", "value": "returns_legacy", "_dlt_id": "v2"},
        {"key": "features", "value": None, "_dlt_id": "v3"},
    ]
    warehouse = write_raw(
        tmp_path / "w.duckdb",
        {
            "custom_fields": fields,
            "custom_fields__options": options,
            "tickets__custom_fields": ticket_values,
            "tickets__custom_fields__value": child_rows("v3", ["wifi", "nfc"]),
        },
    )
    targets = {"ticket.custom.reason": "Case.Reason__c", "ticket.custom.features": "Case.Features__c"}
    maps = {value_map.name: value_map for value_map in option_value_maps(warehouse, org(), targets=targets)}
    assert set(maps) == {"custom.reason", "custom.features"}  # the tier field has no target: no map
    reason = _entries(maps["custom.reason"])
    assert maps["custom.reason"].target == "Case.Reason__c"
    assert [entry.source for entry in maps["custom.reason"].entries] == ["billing", "tech", "returns_legacy"]
    assert all(entry.source == entry.target for entry in maps["custom.reason"].entries)
    assert reason["returns_legacy"].evidence.warnings
    assert not reason["billing"].evidence.warnings
    assert "inactive option" in reason["tech"].evidence.reasons[1]
    features = _entries(maps["custom.features"])
    assert features["nfc"].evidence.warnings and not features["wifi"].evidence.warnings


def _status_org(values: list[str]):
    case = {"name": "Case", "fields": [picklist("Status", values), *CASE["fields"][1:]]}
    return org(case=case)


def test_a_value_added_by_an_earlier_run_is_found_again(tmp_path):
    warehouse = write_raw(
        tmp_path / "w.duckdb",
        {"ticket_statuses": [_status("waiting_on_3rd_party", "Esperando a terceros", "on_hold")]},
    )
    fresh = _entries(status_value_map(warehouse, org()))["waiting_on_3rd_party"]
    assert (fresh.target, fresh.new_value) == ("Waiting on Third Party", True)
    deployed = _status_org(["New", "Working", "Escalated", "Closed", "Waiting on Third Party"])
    again = _entries(status_value_map(warehouse, deployed))["waiting_on_3rd_party"]
    assert (again.target, again.new_value) == ("Waiting on Third Party", False)


def test_new_values_past_the_case_status_limit_are_flagged(tmp_path):
    statuses = [_status("s_one", "uno", "open"), _status("s_two", "dos", "open")]
    warehouse = write_raw(tmp_path / "w.duckdb", {"ticket_statuses": statuses})
    crowded = _status_org([f"Value {n}" for n in range(99)])
    entries = status_value_map(warehouse, crowded).entries
    assert all(entry.new_value for entry in entries)
    assert all("101 values (limit 100)" in entry.evidence.warnings[-1] for entry in entries)
    roomy = status_value_map(warehouse, _status_org([f"Value {n}" for n in range(98)])).entries
    assert not any(entry.evidence.warnings for entry in roomy)


def test_option_values_a_picklist_cannot_hold_are_adapted_and_flagged(tmp_path):
    long_value = "x" * 300
    warehouse = write_raw(
        tmp_path / "w.duckdb",
        {
            "custom_fields": [
                {"object_type": "ticket", "key": "features", "type": "multi_select", "_dlt_id": "f1"},
                {"object_type": "ticket", "key": "reason", "type": "dropdown", "_dlt_id": "f2"},
            ],
            "custom_fields__options": [
                *child_rows("f1", ["wifi;nfc"]),
                *child_rows("f2", ["a;b", long_value]),
            ],
        },
    )
    targets = {"ticket.custom.features": "Case.Features__c", "ticket.custom.reason": "Case.Reason__c"}
    maps = {value_map.name: value_map for value_map in option_value_maps(warehouse, org(), targets=targets)}
    features = _entries(maps["custom.features"])["wifi;nfc"]
    assert features.target == "wifi nfc"
    assert "multi-select separator" in features.evidence.warnings[0]
    reasons = _entries(maps["custom.reason"])
    assert reasons["a;b"].target == "a;b"  # one value per record: `;` separates nothing in a picklist
    assert reasons[long_value].target == "x" * 255
    assert "cut to 255" in reasons[long_value].evidence.warnings[0]


def test_a_tag_of_separators_only_is_dropped(tmp_path):
    warehouse = write_raw(tmp_path / "w.duckdb", {"tickets__tags": child_rows("t1", [" ; ", "vip"])})
    dropped = _entries(tag_value_map(warehouse, org(), target="Case.Stames_Tags__c"))[" ; "]
    assert dropped.target is None
    assert "dropped" in dropped.evidence.warnings[-1]
