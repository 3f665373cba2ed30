"""Tag folding and the picklist-or-Topics decision."""

import pytest

from mapping.propose.strategies import propose_strategies
from mapping.tags import PICKLIST_MAX_SELECTED, PICKLIST_MAX_VALUES
from stames_sf.discovery.tags import TagSummary, summarise_tags, tag_collisions
from stames_sf.discovery.warehouse import RawWarehouse
from stames_sf.workdir import RAW_SCHEMA, WorkDir
from tests.fixtures.discovery import land_with_dlt
from tests.fixtures.orgs import org


def test_collisions_group_spellings_most_used_first():
    collisions = tag_collisions([("vip", 10), ("VIP", 3), ("vip ", 1), ("screen", 4)])
    assert len(collisions) == 1
    assert collisions[0].key == "vip"
    assert collisions[0].spellings == (("vip", 10), ("VIP", 3), ("vip ", 1))


def _summary(**overrides) -> TagSummary:
    values = {
        "assignments": 100,
        "distinct_spellings": 12,
        "distinct_normalised": 10,
        "collisions": (),
        "max_tags_per_ticket": 4,
        "longest_tag": 20,
        "with_separator": 0,
    }
    return TagSummary(**(values | overrides))


def test_a_small_tag_set_fits_a_multi_select_picklist():
    summary = _summary()
    assert summary.picklist_blockers == []
    assert "multi-select picklist fits" in summary.recommendation


def test_too_many_values_or_a_separator_need_topics():
    many = _summary(distinct_normalised=PICKLIST_MAX_VALUES + 1)
    crowded = _summary(max_tags_per_ticket=PICKLIST_MAX_SELECTED + 1)
    separated = _summary(with_separator=2)
    for summary in (many, crowded, separated):
        assert len(summary.picklist_blockers) == 1
        assert summary.recommendation.startswith("Use Topics")


def test_no_tags_means_nothing_to_migrate():
    assert _summary(assignments=0).recommendation == "No tags in use: nothing to migrate."


@pytest.mark.parametrize(
    ("tags", "home"),
    [
        (["vip", "VIP ", "víp", "a,b"], "multipicklist"),
        (["vip", "a;b"], "topics"),
        ([f"tag {n}" for n in range(PICKLIST_MAX_VALUES + 1)], "topics"),
    ],
)
def test_discovery_and_the_proposer_choose_the_same_home_for_tags(tmp_path, tags, home):
    work = WorkDir.at(tmp_path / "work")
    land_with_dlt(work, {"tickets": [{"id": n, "tags": [tag]} for n, tag in enumerate(tags)]})
    warehouse = RawWarehouse.open(work.warehouse, RAW_SCHEMA)
    try:
        summary = summarise_tags(warehouse)
    finally:
        warehouse.close()
    assert bool(summary.picklist_blockers) == (home == "topics")
    assert propose_strategies(work.warehouse, org()).tags == home
