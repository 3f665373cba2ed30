"""The assembly, and the value maps against the hand-written mapping of the generated dataset.

The warehouse below carries the generated dataset's account settings (statuses, channels, tags,
options); the expected maps are the ones written by hand in tests/fixtures/mappings/generated.yml.
"""

from pathlib import Path

import pytest

from emulators.stames_api.generator.catalog import CHANNELS, TICKET_STATUSES
from mapping.document import read_mapping, write_mapping
from mapping.model import CustomField, Evidence, FieldMapping, Strategies
from mapping.propose import WarehouseMissingError, align_fields, propose_mapping, propose_value_maps
from tests.fixtures.orgs import org
from tests.fixtures.raw_tables import child_rows, write_raw

FIXTURE = Path(__file__).parents[3] / "fixtures" / "mappings" / "generated.yml"
SURE = Evidence(confidence=1.0)


@pytest.fixture(scope="module")
def expected():
    return read_mapping(FIXTURE)


@pytest.fixture
def generated(tmp_path: Path, expected) -> Path:
    """Settings of the generated dataset and one ticket per status, priority and channel."""
    statuses = [status["key"] for status in TICKET_STATUSES if status["key"] != "on_hold"]
    priorities = ["low", "normal", "high", "urgent", None]
    tickets = [
        {"id": n, "status": status, "priority": priorities[n % 5], "channel__type": CHANNELS[n % 7]["type"]}
        for n, status in enumerate(statuses)
    ]
    changes = [{"id": 1, "ticket_id": 0, "from_status": "on_hold", "to_status": "new"}]
    tags = [entry.source for entry in expected.value_map("tags").entries]
    fields = [
        {
            "id": 44,
            "object_type": "ticket",
            "key": "contact_reason",
            "label": "Motivo",
            "type": "dropdown",
            "active": True,
            "_dlt_id": "f1",
        },
        {
            "id": 62,
            "object_type": "customer",
            "key": "loyalty_tier",
            "label": "Nivel",
            "type": "dropdown",
            "active": True,
            "_dlt_id": "f2",
        },
    ]
    options = [
        *child_rows("f1", ["billing", "returns", "tech", "warranty", "shipping"]),
        *child_rows("f2", ["bronze", "silver", "gold"]),
    ]
    return write_raw(
        tmp_path / "w.duckdb",
        {
            "account": [{"subdomain": "acme", "timezone": "Europe/Madrid"}],
            "ticket_statuses": TICKET_STATUSES,
            "tickets": tickets,
            "status_changes": changes,
            "channels": CHANNELS,
            "tickets__tags": child_rows("t1", tags),
            "custom_fields": fields,
            "custom_fields__options": options,
            "tickets__custom_fields": [
                {"key": "contact_reason", "value": value}
                for value in ("returns_legacy", "garantia_old", "Otros")
            ],
        },
    )


def _field(source: str, target: str | None, value_map: str | None = None) -> FieldMapping:
    if target is None:
        return FieldMapping(source=source, source_type="text", skip="not migrated", evidence=SURE)
    return FieldMapping(source=source, source_type="text", target=target, value_map=value_map, evidence=SURE)


FIELDS = [
    _field("ticket.status", "Case.Status"),
    _field("ticket.priority", "Case.Priority", value_map="a_map_that_does_not_exist"),
    _field("ticket.channel.type", "Case.Origin"),
    _field("ticket.subject", "Case.Subject"),
    _field("ticket.tags", "Case.Something__c"),
    _field("ticket.custom.contact_reason", "Case.Stames_Contact_Reason__c"),
    _field("customer.custom.loyalty_tier", "Contact.Stames_Loyalty_Tier__c"),
]


def _pairs(value_map) -> dict:
    return {entry.source: (entry.target, entry.closed, entry.new_value) for entry in value_map.entries}


@pytest.mark.parametrize(
    "name",
    [
        "ticket_status",
        "ticket_priority",
        "channel_origin",
        "tags",
        "custom.contact_reason",
        "custom.loyalty_tier",
    ],
)
def test_value_maps_match_the_hand_written_mapping(generated, expected, name):
    strategies = Strategies(tags="multipicklist")
    proposed = {
        value_map.name: value_map for value_map in propose_value_maps(generated, org(), strategies, FIELDS)
    }
    assert _pairs(proposed[name]) == _pairs(expected.value_map(name))
    assert proposed[name].target == expected.value_map(name).target
    assert proposed[name].default == expected.value_map(name).default


def test_fields_name_the_value_map_of_their_target_and_tags_follow_the_strategy(generated):
    strategies = Strategies(tags="multipicklist")
    value_maps = propose_value_maps(generated, org(), strategies, FIELDS)
    aligned = {entry.source: entry for entry in align_fields(FIELDS, value_maps, strategies)}
    assert aligned["ticket.status"].value_map == "ticket_status"
    assert aligned["ticket.priority"].value_map == "ticket_priority"  # the unknown name is replaced
    assert aligned["ticket.channel.type"].value_map == "channel_origin"
    assert aligned["ticket.subject"].value_map is None
    assert aligned["ticket.custom.contact_reason"].value_map == "custom.contact_reason"
    tags = aligned["ticket.tags"]
    assert (tags.target, tags.value_map) == ("Case.Stames_Tags__c", "tags")
    assert tags.create is not None and tags.create.type == "MultiselectPicklist"
    assert "pantalla bateria" in tags.create.picklist_values and "Garantia" not in tags.create.picklist_values
    topics = Strategies(tags="topics", tag_field=None)
    topic_maps = propose_value_maps(generated, org(), topics, FIELDS)
    topic_field = next(
        entry for entry in align_fields(FIELDS, topic_maps, topics) if entry.source == "ticket.tags"
    )
    assert (topic_field.target, topic_field.create) == ("Topic.Name", None)


def test_a_missing_warehouse_is_one_line(tmp_path):
    with pytest.raises(WarehouseMissingError) as raised:
        propose_mapping(tmp_path / "none.duckdb", org(), now=FIXTURE_TIME)
    assert "\n" not in str(raised.value) and "stames-sf extract" in str(raised.value)


FIXTURE_TIME = read_mapping(FIXTURE).proposed_at


def test_the_whole_proposal_validates_and_survives_the_file(generated, tmp_path):
    pytest.importorskip("mapping.propose.fields", reason="the field proposer is written beside this module")
    first = propose_mapping(generated, org(), now=FIXTURE_TIME)
    assert first == propose_mapping(generated, org(), now=FIXTURE_TIME)  # deterministic
    write_mapping(first, tmp_path / "mapping.yml")
    assert read_mapping(tmp_path / "mapping.yml") == first
    assert first.source.account == "acme"
    assert first.strategies.tags == "multipicklist"


def test_null_values_survive_the_file(expected, tmp_path):
    # The writer omits null keys: the null-priority entry, the empty Origins and the unknown
    # fallback owner must read back as they were written.
    write_mapping(expected, tmp_path / "mapping.yml")
    assert read_mapping(tmp_path / "mapping.yml") == expected


def test_a_created_picklist_lists_every_mapped_value(generated):
    narrow = CustomField(
        api_name="Stames_Contact_Reason__c", label="Motivo", type="Picklist", picklist_values=["billing"]
    )
    field = FieldMapping(
        source="ticket.custom.contact_reason",
        source_type="dropdown",
        target="Case.Stames_Contact_Reason__c",
        create=narrow,
        evidence=SURE,
    )
    strategies = Strategies(tags="none", tag_field=None)
    value_maps = propose_value_maps(generated, org(), strategies, [field])
    (aligned,) = align_fields([field], value_maps, strategies)
    # the options in their order, then the values found outside them, sorted
    assert aligned.create.picklist_values == [
        "billing",
        "returns",
        "tech",
        "warranty",
        "shipping",
        "Otros",
        "garantia_old",
        "returns_legacy",
    ]


def test_the_tag_field_is_added_when_the_field_map_lacks_it(generated):
    strategies = Strategies(tags="multipicklist")
    value_maps = propose_value_maps(generated, org(), strategies, [])
    (tags,) = align_fields([], value_maps, strategies)
    assert (tags.source, tags.target, tags.value_map) == ("ticket.tags", "Case.Stames_Tags__c", "tags")
    assert align_fields([], [], Strategies(tags="none", tag_field=None)) == []
