"""The proposer: reads the raw data and the target org, writes a `Mapping` with evidence.

`propose_mapping` is deterministic: the same warehouse and org give the same document. The field
map comes from `mapping.propose.fields`; value maps, routes, owners and strategies from
`values` and `strategies`. Assembly makes the parts agree: a field whose target has a value map
names it, and the tag field follows the tag strategy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from mapping.document import MappingError
from mapping.model import CustomField, Evidence, FieldMapping, Mapping, Strategies, ValueMap
from mapping.org import OrgSnapshot
from mapping.propose.strategies import (
    EXCLUSIONS,
    message_routes,
    propose_custom_objects,
    propose_manual,
    propose_objects,
    propose_owners,
    propose_strategies,
    source_info,
    target_info,
)
from mapping.propose.values import (
    TAG_MAP,
    TOPIC_TARGET,
    channel_origin_map,
    option_value_maps,
    priority_value_map,
    status_value_map,
    tag_value_map,
)

TAG_SOURCE = "ticket.tags"
TAG_SOURCE_TYPE = "tags"
TAG_FIELD_LABEL = "Stames Tags"
TAG_VISIBLE_LINES = 5


class WarehouseMissingError(MappingError):
    pass


def propose_value_maps(
    warehouse: Path, org: OrgSnapshot, strategies: Strategies, fields: Sequence[FieldMapping]
) -> list[ValueMap]:
    """Status, priority, origin, tag and custom-option maps; option maps follow the fields' targets."""
    value_maps = [
        status_value_map(warehouse, org),
        priority_value_map(warehouse, org),
        channel_origin_map(warehouse, org),
    ]
    if strategies.tags != "none":
        value_maps.append(tag_value_map(warehouse, org, target=strategies.tag_field or TOPIC_TARGET))
    targets = {entry.source: entry.target for entry in fields if entry.target and ".custom." in entry.source}
    return value_maps + option_value_maps(warehouse, org, targets=targets)


def tag_field_mapping(
    current: FieldMapping | None, strategies: Strategies, tags: ValueMap | None
) -> FieldMapping:
    """`ticket.tags` as the tag strategy says: the multi-select field, Topics, or skipped."""
    source_type = current.source_type if current else TAG_SOURCE_TYPE
    evidence = strategies.evidence.get("tags") or (current.evidence if current else Evidence(confidence=0.9))
    if strategies.tags == "none" or tags is None:
        return FieldMapping(
            source=TAG_SOURCE, source_type=source_type, skip="no ticket carries a tag", evidence=evidence
        )
    if strategies.tags == "topics":
        return FieldMapping(
            source=TAG_SOURCE,
            source_type=source_type,
            target=TOPIC_TARGET,
            value_map=tags.name,
            evidence=evidence,
        )
    target = strategies.tag_field or tags.target
    label = current.create.label if current and current.create else TAG_FIELD_LABEL
    create = CustomField(
        api_name=target.split(".", 1)[1],
        label=label,
        type="MultiselectPicklist",
        visible_lines=TAG_VISIBLE_LINES,
        picklist_values=sorted({entry.target for entry in tags.entries if entry.target}),
    )
    return FieldMapping(
        source=TAG_SOURCE,
        source_type=source_type,
        target=target,
        value_map=tags.name,
        create=create,
        evidence=evidence,
    )


def with_value_map(entry: FieldMapping, value_map: ValueMap | None) -> FieldMapping:
    """`entry` naming `value_map`; a picklist it creates also lists every target of the map, so no
    mapped value is refused by the org."""
    update: dict[str, object] = {"value_map": value_map.name if value_map else None}
    create = entry.create
    if value_map and create and create.type in ("Picklist", "MultiselectPicklist"):
        targets = dict.fromkeys(mapped.target for mapped in value_map.entries if mapped.target)
        missing = [target for target in targets if target not in create.picklist_values]
        if missing:
            update["create"] = create.model_copy(
                update={"picklist_values": [*create.picklist_values, *missing]}
            )
    return entry.model_copy(update=update)


def align_fields(
    fields: Sequence[FieldMapping], value_maps: Sequence[ValueMap], strategies: Strategies
) -> list[FieldMapping]:
    """Each field names the value map of its target (or none); the tag field follows the strategy
    and is added when the field map lacks it."""
    by_target = {value_map.target: value_map for value_map in value_maps}
    tags = next((value_map for value_map in value_maps if value_map.name == TAG_MAP), None)
    aligned = [
        tag_field_mapping(entry, strategies, tags)
        if entry.source == TAG_SOURCE
        else with_value_map(entry, by_target.get(entry.target) if entry.target else None)
        for entry in fields
    ]
    if tags is not None and all(entry.source != TAG_SOURCE for entry in fields):
        aligned.append(tag_field_mapping(None, strategies, tags))
    return aligned


def propose_mapping(warehouse: Path, org: OrgSnapshot, *, now: datetime) -> Mapping:
    """The proposed mapping of the Stames data in `warehouse` onto `org`, stamped `now`."""
    if not warehouse.is_file():
        raise WarehouseMissingError(f"No warehouse at {warehouse}: run `stames-sf extract` first.")
    from mapping.propose.fields import propose_fields  # written beside this module, merged later

    strategies = propose_strategies(warehouse, org)
    fields = propose_fields(warehouse, org)
    value_maps = propose_value_maps(warehouse, org, strategies, fields)
    owners = propose_owners(warehouse, org)
    custom_objects = propose_custom_objects(warehouse)
    return Mapping(
        proposed_at=now,
        source=source_info(warehouse),
        target=target_info(org),
        strategies=strategies,
        objects=propose_objects(strategies, custom_objects),
        fields=align_fields(fields, value_maps, strategies),
        value_maps=value_maps,
        message_routes=message_routes(warehouse, internal_notes=strategies.internal_notes),
        owners=owners,
        custom_objects=custom_objects,
        exclusions=list(EXCLUSIONS),
        manual=propose_manual(owners),
    )
