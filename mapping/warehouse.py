"""The confirmed mapping, copied into the warehouse's `mapping` schema for dbt and SQL inspection.

Tables (all replaced together, in one transaction):
- `mapping.settings(key, value)`: strategies, fallback owner, source timezone, content hash
- `mapping.objects(source, target, load_order, rule, external_id)`
- `mapping.fields(source, source_object, source_type, target, target_object, target_field,
  skip_reason, value_map, confidence, creates_field)`
- `mapping.value_maps(value_map, target, source_value, target_value, is_closed, new_value,
  is_default, confidence)`: a NULL `source_value` maps a missing value; `is_default` rows carry
  the map's default with a NULL source
- `mapping.message_routes(author_type, direction, target, incoming, status)`
- `mapping.agents(agent_id, email, user_id, state)`
- `mapping.custom_objects(source_key, api_name, label)`
- `mapping.exclusions(name, source, condition, enabled)`
- `mapping.confirmation(content_hash, confirmed_by, confirmed_at, accepted_above)`
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from mapping.model import Mapping

SCHEMA = "mapping"

_TABLES: dict[str, str] = {
    "settings": "key VARCHAR PRIMARY KEY, value VARCHAR",
    "objects": "source VARCHAR, target VARCHAR, load_order INTEGER, rule VARCHAR, external_id VARCHAR",
    "fields": (
        "source VARCHAR, source_object VARCHAR, source_type VARCHAR, target VARCHAR, "
        "target_object VARCHAR, target_field VARCHAR, skip_reason VARCHAR, value_map VARCHAR, "
        "confidence DOUBLE, creates_field BOOLEAN"
    ),
    "value_maps": (
        "value_map VARCHAR, target VARCHAR, source_value VARCHAR, target_value VARCHAR, "
        "is_closed BOOLEAN, new_value BOOLEAN, is_default BOOLEAN, confidence DOUBLE"
    ),
    "message_routes": (
        "author_type VARCHAR, direction VARCHAR, target VARCHAR, incoming BOOLEAN, status VARCHAR"
    ),
    "agents": "agent_id BIGINT, email VARCHAR, user_id VARCHAR, state VARCHAR",
    "custom_objects": "source_key VARCHAR, api_name VARCHAR, label VARCHAR",
    "exclusions": "name VARCHAR, source VARCHAR, condition VARCHAR, enabled BOOLEAN",
    "confirmation": (
        "content_hash VARCHAR, confirmed_by VARCHAR, confirmed_at TIMESTAMPTZ, accepted_above DOUBLE"
    ),
}


def mapping_rows(mapping: Mapping) -> dict[str, list[tuple[Any, ...]]]:
    """The mapping as rows per table of the `mapping` schema."""
    strategies = mapping.strategies
    settings = {
        "internal_notes": strategies.internal_notes,
        "tags": strategies.tags,
        "tag_field": strategies.tag_field,
        "accounts": strategies.accounts,
        "match_existing_accounts": str(strategies.match_existing_accounts).lower(),
        "status_history_object": strategies.status_history_object,
        "fallback_owner_id": mapping.owners.fallback_owner_id,
        "source_timezone": mapping.source.timezone,
        "legacy_timestamps_local_time": str(mapping.source.legacy_timestamps_local_time).lower(),
    }
    value_rows: list[tuple[Any, ...]] = []
    for value_map in mapping.value_maps:
        for entry in value_map.entries:
            value_rows.append(
                (
                    value_map.name,
                    value_map.target,
                    entry.source,
                    entry.target,
                    entry.closed,
                    entry.new_value,
                    False,
                    entry.evidence.confidence,
                )
            )
        if value_map.default is not None:
            default = (value_map.name, value_map.target, None, value_map.default, None, False, True, None)
            value_rows.append(default)
    confirmation = mapping.confirmation
    return {
        "settings": list(settings.items()),
        "objects": [
            (entry.source, entry.target, entry.load_order, entry.rule, entry.external_id)
            for entry in mapping.objects
        ],
        "fields": [
            (
                entry.source,
                entry.source_object,
                entry.source_type,
                entry.target,
                entry.target_object,
                entry.target_field,
                entry.skip,
                entry.value_map,
                entry.evidence.confidence,
                entry.create is not None,
            )
            for entry in mapping.fields
        ],
        "value_maps": value_rows,
        "message_routes": [
            (route.author_type, route.direction, route.target, route.incoming, route.status)
            for route in mapping.message_routes
        ],
        "agents": [
            (agent.agent_id, agent.email, agent.user_id, agent.state) for agent in mapping.owners.agents
        ],
        "custom_objects": [(item.source_key, item.api_name, item.label) for item in mapping.custom_objects],
        "exclusions": [(rule.name, rule.source, rule.condition, rule.enabled) for rule in mapping.exclusions],
        "confirmation": (
            [(confirmation.content_hash, confirmation.by, confirmation.at, confirmation.accepted_above)]
            if confirmation
            else []
        ),
    }


def publish_mapping(mapping: Mapping, warehouse: Path) -> None:
    """Replace the `mapping` schema's tables with this mapping, all or nothing."""
    rows = mapping_rows(mapping)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("BEGIN")
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        for table, columns in _TABLES.items():
            con.execute(f"CREATE OR REPLACE TABLE {SCHEMA}.{table} ({columns})")
            if rows[table]:
                placeholders = ", ".join("?" for _ in rows[table][0])
                con.executemany(f"INSERT INTO {SCHEMA}.{table} VALUES ({placeholders})", rows[table])
        con.execute("COMMIT")
