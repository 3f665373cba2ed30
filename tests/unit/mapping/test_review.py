"""Review order, conflicts and the decisions a person takes at `map confirm`."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapping.document import read_mapping
from mapping.model import Mapping
from mapping.org import OrgSnapshot
from mapping.review import (
    EntryChangeError,
    ReviewEntry,
    accept_entry,
    change_entry,
    pending,
    review_entries,
    skip_entry,
)

GENERATED = Path(__file__).parents[2] / "fixtures" / "mappings" / "generated.yml"


def _field(name: str, **flags: object) -> dict[str, object]:
    described: dict[str, object] = {
        "name": name,
        "type": "string",
        "createable": True,
        "nillable": True,
        "defaultedOnCreate": False,
    }
    described.update(flags)
    return described


def _picklist(name: str, values: list[str]) -> dict[str, object]:
    return _field(
        name, type="picklist", picklistValues=[{"value": value, "active": True} for value in values]
    )


ORG = OrgSnapshot(
    instance_url="https://org.example",
    organization_id=None,
    api_version="62.0",
    describes={
        "Case": {
            "fields": [
                _picklist("Status", ["New", "Working", "Escalated", "Closed"]),
                _picklist("Priority", ["High", "Medium", "Low"]),
                _picklist("Origin", ["Phone", "Email", "Web"]),
                _field("IsEscalated", type="boolean", nillable=False),
            ]
        },
        "Contact": {"fields": [_field("LastName", nillable=False)]},
        "Account": {"fields": [_field("Name", nillable=False)]},
        "EmailMessage": {"fields": [_picklist("Status", ["0", "1", "3"]) | {"nillable": False}]},
    },
)


@pytest.fixture
def generated() -> Mapping:
    return read_mapping(GENERATED)


def _edited(mapping: Mapping, edit) -> Mapping:
    content = mapping.model_dump(mode="json")
    edit(content)
    return Mapping.model_validate(content)


def _entry(entries: list[ReviewEntry], source: str) -> ReviewEntry:
    return next(entry for entry in entries if entry.source == source)


def test_the_hand_written_mapping_has_no_conflict_on_a_fresh_org(generated: Mapping):
    entries = review_entries(generated, ORG)
    assert [entry.target for entry in entries if entry.conflicts] == []


def test_review_order_is_flag_then_lowest_confidence(generated: Mapping):
    entries = review_entries(generated, ORG)
    flags = [entry.flag for entry in entries]
    assert flags == sorted(flags, key=["conflict", "unmapped", "lossy", "ok"].index)
    first_ok = flags.index("ok")
    assert entries[first_ok].confidence == 0.8  # lowest of the rest, e.g. ticket.merged_into_id
    assert entries[-1].confidence == 1.0
    # ticket.team_id is a skip at 0.8: unmapped, before any lossy entry
    assert _entry(entries, "ticket.team_id").flag == "unmapped"
    assert _entry(entries, "customer.name").flag == "lossy"
    assert _entry(entries, "tags: devolución").target == "Case.Stames_Tags__c = devolucion"


def test_two_sources_onto_one_target_come_first_as_conflicts(generated: Mapping):
    def feed_subject_twice(content):
        entry = next(item for item in content["fields"] if item["source"] == "ticket.requester.name")
        entry["target"] = "Case.Subject"

    entries = review_entries(_edited(generated, feed_subject_twice), ORG)
    assert [entry.source for entry in entries[:2]] == ["ticket.requester.name", "ticket.subject"]
    assert entries[0].conflicts == ("Case.Subject is also fed by ticket.subject",)


def test_a_value_the_org_lacks_without_new_value_is_a_conflict(generated: Mapping):
    def forget_new_value(content):
        status_map = next(item for item in content["value_maps"] if item["name"] == "ticket_status")
        pending_entry = next(item for item in status_map["entries"] if item["source"] == "pending")
        pending_entry["new_value"] = False

    entries = review_entries(_edited(generated, forget_new_value), ORG)
    assert entries[0].source == "ticket_status: pending"
    assert entries[0].conflicts == ("Case.Status has no value 'Pending' and new_value is not set",)
    # Without the org the value cannot be checked, so it is not called a conflict.
    assert not _entry(
        review_entries(_edited(generated, forget_new_value)), "ticket_status: pending"
    ).conflicts


def test_a_value_outside_the_picklist_the_mapping_creates_is_a_conflict(generated: Mapping):
    def new_tag(content):
        tags = next(item for item in content["value_maps"] if item["name"] == "tags")
        tags["entries"][0]["target"] = "seguimiento"

    entry = _entry(review_entries(_edited(generated, new_tag)), "tags: Follow Up")
    assert entry.conflicts == ("Case.Stames_Tags__c has no value 'seguimiento' and new_value is not set",)


def test_a_required_field_nothing_feeds_is_a_conflict_that_cannot_be_accepted(generated: Mapping):
    def drop_last_name(content):
        content["fields"] = [item for item in content["fields"] if item.get("target") != "Contact.LastName"]

    entries = review_entries(_edited(generated, drop_last_name), ORG)
    assert (entries[0].kind, entries[0].target) == ("required", "Contact.LastName")
    assert entries[0].choices == ()
    assert entries[0] in pending(entries, 0.0)
    with pytest.raises(EntryChangeError, match=r"nothing in the mapping feeds Contact\.LastName"):
        accept_entry(generated, entries[0], by="ana")


def test_pending_is_below_the_threshold_or_in_conflict_and_not_yet_decided(generated: Mapping):
    entries = review_entries(generated, ORG)
    below = pending(entries, 0.9)
    assert below and all(entry.confidence < 0.9 for entry in below)
    assert pending(entries, 0.8) == []
    accepted = accept_entry(generated, below[0], by="ana")
    assert len(pending(review_entries(accepted, ORG), 0.9)) == len(below) - 1


def test_changing_a_field_target_to_nonsense_is_refused_with_the_reason(generated: Mapping):
    entry = _entry(review_entries(generated), "ticket.team_id")
    with pytest.raises(EntryChangeError, match=r"not a target like 'Case\.Subject'"):
        change_entry(generated, entry, "Case team", by="ana")


def test_changing_a_field_gives_a_valid_mapping_that_records_who(generated: Mapping):
    entry = _entry(review_entries(generated), "ticket.team_id")
    changed = change_entry(generated, entry, "Case.Stames_Team__c", by="ana")
    field = changed.targets_of("ticket.team_id")[0]
    assert (field.target, field.skip, field.evidence.accepted_by) == ("Case.Stames_Team__c", None, "ana")


def test_renaming_a_created_field_renames_the_field_to_create(generated: Mapping):
    entry = _entry(review_entries(generated), "ticket.custom.units")
    changed = change_entry(generated, entry, "Case.Stames_Unidades__c", by="ana")
    field = changed.targets_of("ticket.custom.units")[0]
    assert field.create is not None and field.create.api_name == "Stames_Unidades__c"
    onto_standard = change_entry(generated, entry, "Case.Description", by="ana")
    assert onto_standard.targets_of("ticket.custom.units")[0].create is None


def test_skipping_a_field_keeps_the_reason(generated: Mapping):
    entry = _entry(review_entries(generated), "message.external_id")
    skipped = skip_entry(generated, entry, "no se migra", by="ana")
    field = skipped.targets_of("message.external_id")[0]
    assert (field.target, field.skip) == (None, "no se migra")
    with pytest.raises(EntryChangeError, match="give a reason"):
        skip_entry(generated, entry, "  ", by="ana")


def test_a_value_can_be_left_empty_or_changed(generated: Mapping):
    entry = _entry(review_entries(generated), "ticket_status: escalated_tier2")
    emptied = change_entry(generated, entry, "-", by="ana")
    assert emptied.value_map("ticket_status").lookup()["escalated_tier2"] is None
    changed = change_entry(generated, entry, "Working", by="ana")
    assert changed.value_map("ticket_status").lookup()["escalated_tier2"] == "Working"


def test_a_route_changed_to_an_email_without_its_flags_is_refused(generated: Mapping):
    entry = _entry(review_entries(generated), "message agent/internal")
    with pytest.raises(EntryChangeError, match="an EmailMessage needs incoming and status"):
        change_entry(generated, entry, "EmailMessage", by="ana")
    assert change_entry(generated, entry, "CaseComment", by="ana").message_routes[3].target == "CaseComment"
