"""The confirmed mapping's copy in the warehouse's `mapping` schema."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from mapping.document import confirm, read_mapping
from mapping.model import Mapping
from mapping.warehouse import MappingNotPublishedError, publish_mapping, published_hash, require_published

GENERATED = Path(__file__).parents[2] / "fixtures" / "mappings" / "generated.yml"


@pytest.fixture
def confirmed() -> Mapping:
    at = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)
    return confirm(read_mapping(GENERATED), by="Begoña", at=at, accepted_above=0.9)


def test_publish_writes_the_decisions_dbt_reads(confirmed: Mapping, tmp_path: Path):
    warehouse = tmp_path / "warehouse.duckdb"
    publish_mapping(confirmed, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        channel_targets = con.execute(
            "SELECT target FROM mapping.fields WHERE source = 'ticket.channel.type' ORDER BY target"
        ).fetchall()
        status = con.execute(
            "SELECT target_value, is_closed FROM mapping.value_maps "
            "WHERE value_map = 'ticket_status' AND source_value = 'solved'"
        ).fetchone()
        missing_priority = con.execute(
            "SELECT target_value FROM mapping.value_maps WHERE value_map = 'ticket_priority' "
            "AND source_value IS NULL AND NOT is_default"
        ).fetchall()
        tag = con.execute(
            "SELECT target_value FROM mapping.value_maps "
            "WHERE value_map = 'tags' AND source_value = 'garantía'"
        ).fetchone()
        who = con.execute("SELECT confirmed_by, accepted_above FROM mapping.confirmation").fetchone()
    # One source feeding two targets is two rows.
    assert channel_targets == [("Case.Origin",), ("Case.Stames_Channel_Source__c",)]
    assert status == ("Solved", True)
    assert missing_priority == [(None,)]
    assert tag == ("garantia",)
    assert who == ("Begoña", 0.9)
    assert published_hash(warehouse) == confirmed.confirmation.content_hash


def test_publishing_again_replaces_the_copy(confirmed: Mapping, tmp_path: Path):
    warehouse = tmp_path / "warehouse.duckdb"
    publish_mapping(confirmed, warehouse)
    publish_mapping(confirmed, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM mapping.confirmation").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM mapping.objects").fetchone() == (9,)


def test_a_warehouse_without_the_copy_or_with_another_is_refused(confirmed: Mapping, tmp_path: Path):
    warehouse = tmp_path / "warehouse.duckdb"
    with pytest.raises(MappingNotPublishedError, match="run `stames-sf map confirm`"):
        require_published(confirmed, warehouse)
    other = confirm(
        confirmed.model_copy(update={"manual": []}), by="x", at=datetime.now(UTC), accepted_above=0.9
    )
    publish_mapping(other, warehouse)
    with pytest.raises(MappingNotPublishedError):
        require_published(confirmed, warehouse)
    publish_mapping(confirmed, warehouse)
    require_published(confirmed, warehouse)
