"""The field proposer on extracted datasets against a fresh emulator org, checked against maps
written by hand: `tests/fixtures/mappings/generated.yml` for the generated dataset and
`handwritten_de_fields.yml` for the German and French one. Personal data is read from the
datasets' own files to prove none of it reaches the evidence.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from mapping.document import read_mapping
from mapping.model import FieldMapping, Mapping
from mapping.org import OrgSnapshot
from mapping.propose.fields import propose_fields
from tests.fixtures.propose import GENERATED_SEED, GENERATED_TICKETS, HANDWRITTEN_DE_DATASET, MAPPINGS
from tests.fixtures.stames_dataset import GeneratedDataset, generated_dataset, read_jsonl

ACCEPTED = 0.8


@pytest.fixture(scope="module")
def generated_dataset_files(tmp_path_factory: pytest.TempPathFactory) -> GeneratedDataset:
    """The generated dataset's own files (the same folder the warehouse was extracted from)."""
    return generated_dataset(tmp_path_factory, GENERATED_TICKETS, GENERATED_SEED)


@pytest.fixture(scope="module")
def generated_proposal(generated_warehouse: Path, fresh_org: OrgSnapshot) -> list[FieldMapping]:
    return propose_fields(generated_warehouse, fresh_org)


@pytest.fixture(scope="module")
def expected_generated() -> dict[str, set[str]]:
    """Source → its targets (`skip` for a skipped source) in the hand-written mapping."""
    expected: dict[str, set[str]] = defaultdict(set)
    for entry in read_mapping(MAPPINGS / "generated.yml").fields:
        expected[entry.source].add(entry.target or "skip")
    return expected


def _picks(proposal: list[FieldMapping]) -> dict[str, list[FieldMapping]]:
    picks: dict[str, list[FieldMapping]] = defaultdict(list)
    for entry in proposal:
        picks[entry.source].append(entry)
    return picks


def test_generated_right_target_for_at_least_90_percent_at_confidence_0_8(
    generated_proposal: list[FieldMapping], expected_generated: dict[str, set[str]]
) -> None:
    picks = _picks(generated_proposal)
    pairs = [(source, target) for source, targets in expected_generated.items() for target in targets]
    right = [
        (source, target)
        for source, target in pairs
        if any(
            (entry.target or "skip") == target and entry.evidence.confidence >= ACCEPTED
            for entry in picks[source]
        )
    ]
    missed = sorted(set(pairs) - set(right))
    assert len(right) / len(pairs) >= 0.9, f"{len(right)} of {len(pairs)} right; missed: {missed}"


def test_generated_wrong_picks_carry_confidence_below_0_8(
    generated_proposal: list[FieldMapping], expected_generated: dict[str, set[str]]
) -> None:
    wrong = [
        (entry.source, entry.target or "skip", entry.evidence.confidence)
        for entry in generated_proposal
        if entry.source in expected_generated
        and (entry.target or "skip") not in expected_generated[entry.source]
    ]
    assert [pick for pick in wrong if pick[2] >= ACCEPTED] == []


def test_generated_new_fields_have_the_hand_written_type_and_values(
    generated_proposal: list[FieldMapping],
) -> None:
    proposed = {(entry.source, entry.target): entry.create for entry in generated_proposal if entry.create}
    for entry in read_mapping(MAPPINGS / "generated.yml").fields:
        if entry.create is None:
            continue
        create = proposed.get((entry.source, entry.target))
        assert create is not None, f"{entry.source}: no field created for {entry.target}"
        assert create.type == entry.create.type, entry.source
        assert set(entry.create.picklist_values) <= set(create.picklist_values), entry.source
        if entry.create.reference_to:
            assert create.reference_to == entry.create.reference_to, entry.source
        if entry.create.scale is not None:
            assert create.scale == entry.create.scale, entry.source


def test_generated_every_field_of_the_hand_written_map_is_proposed(
    generated_proposal: list[FieldMapping], expected_generated: dict[str, set[str]]
) -> None:
    assert set(expected_generated) - {entry.source for entry in generated_proposal} == set()


def test_generated_value_outside_the_options_is_a_picklist_value_and_a_warning(
    generated_proposal: list[FieldMapping], generated_dataset_files: GeneratedDataset
) -> None:
    # returns_legacy is written into tickets by the generator although no option has it (API.md §3 #24).
    options = {
        option["value"]
        for definition in generated_dataset_files.collection("custom_fields")
        if definition["key"] == "contact_reason"
        for option in definition["options"]
    }
    stored = {
        value["value"]
        for ticket in generated_dataset_files.tickets
        for value in ticket.get("custom_fields") or []
        if value["key"] == "contact_reason" and value["value"] is not None
    }
    outside = stored - options
    assert "returns_legacy" in outside
    (entry,) = [item for item in generated_proposal if item.source == "ticket.custom.contact_reason"]
    assert entry.create is not None
    assert set(entry.create.picklist_values) == options | stored
    assert any("returns_legacy" in warning for warning in entry.evidence.warnings)


def _personal_values(root: Path) -> set[str]:
    """Every email, phone and person's name in a dataset's customers, tickets and messages."""
    values: set[str] = set()
    for customer in read_jsonl(root / "customers.jsonl"):
        values |= {
            customer.get("email"),
            customer.get("phone"),
            customer.get("phone_raw"),
            customer.get("name"),
        }
        values |= {identity.get("value") for identity in customer.get("identities") or []}
    for ticket in read_jsonl(root / "tickets.jsonl"):
        requester = ticket.get("requester") or {}
        values |= {requester.get("name"), requester.get("email")}
    for message in read_jsonl(root / "messages.jsonl"):
        author = message.get("author") or {}
        if author.get("type") in ("customer", "agent"):  # a bot or the system is no person
            values.add(author.get("name"))
    return {value.strip() for value in values if isinstance(value, str) and len(value.strip()) >= 6}


def _evidence_text(proposal: list[FieldMapping]) -> str:
    return "\n".join(
        json.dumps(entry.evidence.model_dump(mode="json"), ensure_ascii=False) for entry in proposal
    )


def test_generated_evidence_shows_no_email_phone_or_name(
    generated_proposal: list[FieldMapping], generated_dataset_files: GeneratedDataset
) -> None:
    text = _evidence_text(generated_proposal)
    shown = sorted(value for value in _personal_values(generated_dataset_files.root) if value in text)
    assert shown == []


def test_generated_proposal_makes_a_mapping_document_with_the_hand_written_value_maps(
    generated_proposal: list[FieldMapping],
) -> None:
    hand_written = read_mapping(MAPPINGS / "generated.yml")
    proposed = hand_written.model_copy(update={"fields": generated_proposal})
    mapping = Mapping.model_validate(proposed.model_dump())  # value maps named, no pair twice
    assert mapping.fields == generated_proposal
    assert {field.api_name for field in mapping.custom_fields} >= {
        "Stames_Product_Model__c",
        "Stames_Tags__c",
    }


def test_every_entry_below_0_8_says_why(
    generated_proposal: list[FieldMapping], de_proposal: list[FieldMapping]
) -> None:
    unexplained = [
        entry.source
        for entry in [*generated_proposal, *de_proposal]
        if entry.evidence.confidence < ACCEPTED and not entry.evidence.warnings
    ]
    assert unexplained == []


def test_the_proposal_is_the_same_on_a_second_run(
    generated_proposal: list[FieldMapping], generated_warehouse: Path, fresh_org: OrgSnapshot
) -> None:
    assert propose_fields(generated_warehouse, fresh_org) == generated_proposal


# The German and French dataset


@pytest.fixture(scope="module")
def de_proposal(handwritten_de_warehouse: Path, fresh_org: OrgSnapshot) -> list[FieldMapping]:
    return propose_fields(handwritten_de_warehouse, fresh_org)


@pytest.fixture(scope="module")
def de_expected() -> dict[str, Any]:
    return yaml.safe_load((MAPPINGS / "handwritten_de_fields.yml").read_text(encoding="utf-8"))


def test_de_each_field_goes_where_the_hand_written_map_says(
    de_proposal: list[FieldMapping], de_expected: dict[str, Any]
) -> None:
    picks = _picks(de_proposal)
    for source, expected in de_expected["fields"].items():
        assert len(picks[source]) == 1, f"{source}: {len(picks[source])} entries"
        (entry,) = picks[source]
        if expected.get("skip"):
            assert entry.skip and entry.target is None, source
            continue
        assert entry.target == expected["target"], source
        if "type" not in expected:
            assert entry.create is None, f"{source}: creates {entry.create}"
            continue
        assert entry.create is not None and entry.create.type == expected["type"], source
        for key in ("scale", "reference_to"):
            if key in expected:
                assert getattr(entry.create, key) == expected[key], f"{source}: {key}"
        if "values" in expected:
            assert entry.create.picklist_values == expected["values"], source


def test_de_what_cannot_be_placed_cleanly_is_flagged(
    de_proposal: list[FieldMapping], de_expected: dict[str, Any]
) -> None:
    picks = _picks(de_proposal)
    for source, text in de_expected["flagged"].items():
        warnings = [warning for entry in picks[source] for warning in entry.evidence.warnings]
        assert any(str(text) in warning for warning in warnings), f"{source}: {warnings}"
    for source in de_expected["low_confidence"]:
        assert all(entry.evidence.confidence < ACCEPTED for entry in picks[source]), source


def test_de_subject_custom_field_says_why_it_is_not_case_subject(de_proposal: list[FieldMapping]) -> None:
    (entry,) = [item for item in de_proposal if item.source == "ticket.custom.betreff_intern"]
    assert any("Case.Subject" in reason for reason in entry.evidence.reasons)
    assert any("'betreff' means 'subject'" in reason for reason in entry.evidence.reasons)


def test_de_no_field_of_the_dataset_is_dropped(de_proposal: list[FieldMapping]) -> None:
    sources = {entry.source for entry in de_proposal}
    definitions = read_jsonl(HANDWRITTEN_DE_DATASET / "custom_fields.jsonl")
    custom = {f"{item['object_type']}.custom.{item['key']}" for item in definitions}
    objects = {
        f"custom_object.{item['key']}.{field['key']}"
        for item in read_jsonl(HANDWRITTEN_DE_DATASET / "custom_objects.jsonl")
        for field in item["fields"]
    }
    ticket_keys = {
        f"ticket.{key}"
        for ticket in read_jsonl(HANDWRITTEN_DE_DATASET / "tickets.jsonl")
        for key, value in ticket.items()
        if key != "custom_fields" and value is not None and not isinstance(value, dict)
    }
    assert (custom | objects | ticket_keys) - sources == set()


def test_de_evidence_shows_no_email_phone_or_name(de_proposal: list[FieldMapping]) -> None:
    text = _evidence_text(de_proposal)
    personal = _personal_values(HANDWRITTEN_DE_DATASET) | {"+49 151 2345678", "+33 6 12 34 56 78"}
    assert sorted(value for value in personal if value in text) == []
