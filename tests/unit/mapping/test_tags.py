"""Tag folding, the value a tag becomes, and the multi-select picklist limits."""

from mapping.tags import (
    PICKLIST_MAX_SELECTED,
    PICKLIST_MAX_VALUE_CHARS,
    PICKLIST_MAX_VALUES,
    picklist_blockers,
    separators_in,
    tag_key,
    tag_value,
)


def test_tag_key_folds_case_whitespace_and_accents():
    assert tag_key("  VIP ") == "vip"
    assert tag_key("Garantía") == tag_key("garantia") == "garantia"
    assert tag_key("envío  urgente") == "envio urgente"
    assert tag_key("vip") != tag_key("vips")


def test_tag_value_replaces_list_separators_by_a_space():
    assert tag_value("pantalla,bateria") == "pantalla bateria"
    assert tag_value("a;b") == "a b"
    assert tag_value("Envío ; Urgente") == "envio urgente"
    assert tag_value("follow-up") == "follow-up"  # a hyphen is not a separator
    assert separators_in("a;b,c") == [";", ","]
    assert separators_in("vip") == []


def test_limits_are_salesforce_s_published_ones():
    assert (PICKLIST_MAX_VALUES, PICKLIST_MAX_SELECTED, PICKLIST_MAX_VALUE_CHARS) == (500, 100, 255)


def test_each_limit_crossed_is_one_blocker():
    assert picklist_blockers(500, 100, 255, 0) == []
    assert picklist_blockers(501, 1, 1, 0) == ["501 values (limit 500)"]
    assert picklist_blockers(1, 101, 1, 0) == ["101 tags on one ticket (limit 100)"]
    assert picklist_blockers(1, 1, 256, 0) == ["a tag of 256 characters (limit 255)"]
    assert picklist_blockers(1, 1, 1, 2) == ["2 tags contain `;` and need a replacement"]
    assert len(picklist_blockers(501, 101, 256, 1)) == 4
