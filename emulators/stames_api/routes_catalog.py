"""Settings catalogs, custom objects and their records, tombstones (API.md §2.7 #16–22)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from emulators.stames_api.errors import invalid_parameter, not_found
from emulators.stames_api.listing import RowFilter, accept_all, incremental_list, ordered_list, positional
from emulators.stames_api.paging import PageRequest, parse_bool, parse_int
from emulators.stames_api.server import Server

TOMBSTONE_OBJECTS = frozenset(
    {"ticket", "customer", "message", "attachment", "custom_object_record", "agent"}
)


def _sorted_by(items: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    """Items in the documented order; null or mixed-type values keep file order among themselves."""

    def key(item: dict[str, Any]) -> tuple[int, str, Any]:
        value = item.get(field)
        if isinstance(value, bool) or value is None:
            return (2, "", 0)
        if isinstance(value, int | float):
            return (0, "", value)
        return (1, str(value), 0)

    return sorted(items, key=key)


def _catalog(
    name: str, field: str, make_filter: Callable[[PageRequest], Callable[[Any], bool]] = accept_all
) -> Callable[[Request, Server], Any]:
    async def handler(request: Request, server: Server) -> dict[str, Any]:
        items = _sorted_by(server.store.catalogs[name], field)
        return ordered_list(request, server, name, positional(items), make_filter, lambda item: item, field)

    return handler


def _custom_field_filter(page: PageRequest) -> Callable[[Any], bool]:
    object_type = page.first("object_type")
    if object_type not in (None, "ticket", "customer"):
        raise invalid_parameter("object_type", "invalid_value", "object_type must be ticket or customer")
    include_inactive = parse_bool(page, "include_inactive", True)
    return lambda item: (
        (object_type is None or item.get("object_type") == object_type)
        and (include_inactive or item.get("active") is not False)
    )


list_tags = _catalog("tags", "name")
list_ticket_statuses = _catalog("ticket_statuses", "position")
list_channels = _catalog("channels", "id")
list_custom_fields = _catalog("custom_fields", "id", _custom_field_filter)
list_custom_objects = _catalog("custom_objects", "key")


def _record_filter(page: PageRequest, attrs_of: list[Any]) -> RowFilter:
    ticket_id = parse_int(page, "ticket_id")
    customer_id = parse_int(page, "customer_id")

    def accept(row: int) -> bool:
        ticket_ids, record_customer = attrs_of[row]
        return (ticket_id is None or ticket_id in ticket_ids) and (
            customer_id is None or record_customer == customer_id
        )

    return accept


async def list_records(request: Request, server: Server) -> dict[str, Any]:
    store = server.store
    object_key = request.path_params["object_key"]
    table = store.records.get(object_key)
    if table is None:
        known = {item.get("key") for item in store.catalogs["custom_objects"]}
        if object_key not in known:
            raise not_found(f"custom object {object_key}")
        table = store.empty_records(object_key)
    return incremental_list(
        request,
        server,
        table,
        f"custom_objects/{object_key}/records",
        lambda page: _record_filter(page, table.attrs),
        lambda record: record,
    )


def _tombstone_filter(page: PageRequest, attrs_of: list[Any]) -> RowFilter:
    wanted = page.first("object")
    if wanted is not None and wanted not in TOMBSTONE_OBJECTS:
        raise invalid_parameter(
            "object", "invalid_value", f"object must be one of {sorted(TOMBSTONE_OBJECTS)}"
        )
    return lambda row: wanted is None or attrs_of[row] == wanted


async def list_deleted_records(request: Request, server: Server) -> dict[str, Any]:
    table = server.store.deleted_records
    return incremental_list(
        request,
        server,
        table,
        "deleted_records",
        lambda page: _tombstone_filter(page, table.attrs),
        lambda record: record,
        since_param="deleted_since",
        since_required=True,
        sort="deleted_at,id",
    )
