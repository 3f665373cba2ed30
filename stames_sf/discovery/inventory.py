"""The Stames-specific inventory: volumes, breakdowns, custom fields and objects, agents.

Every function reads the raw schema through `RawWarehouse` and returns plain data; a missing
table or column yields an empty result, which the report prints as "none found".
"""

from __future__ import annotations

from dataclasses import dataclass

from stames_sf.discovery.profile import quote
from stames_sf.discovery.warehouse import RawWarehouse, text

# Source objects in the order a migration engineer reads them, with their raw table names.
SOURCE_OBJECTS: tuple[tuple[str, str], ...] = (
    ("Tickets", "tickets"),
    ("Messages", "messages"),
    ("Attachments", "messages__attachments"),
    ("Status changes", "status_changes"),
    ("Customers", "customers"),
    ("Customer identities", "customers__identities"),
    ("Agents", "agents"),
    ("Ticket tags (assignments)", "tickets__tags"),
    ("Tag catalogue", "tags"),
    ("Ticket statuses", "ticket_statuses"),
    ("Channels", "channels"),
    ("Custom field definitions", "custom_fields"),
    ("Custom object definitions", "custom_objects"),
    ("Deleted records (tombstones)", "deleted_records"),
)
NONE_LABEL = "(none)"


@dataclass(frozen=True)
class ObjectCount:
    label: str
    table: str
    records: int | None


@dataclass(frozen=True)
class ValueCount:
    value: str
    records: int


def custom_object_record_tables(warehouse: RawWarehouse) -> list[str]:
    """Record tables of custom objects: whatever dlt named them, they carry `object_key` and `id`."""
    return [
        table
        for table in warehouse.tables
        if table != "custom_objects" and "__" not in table and warehouse.has(table, "object_key", "id")
    ]


def object_counts(warehouse: RawWarehouse) -> list[ObjectCount]:
    """Records per source object; custom-object record tables are found, not listed."""
    counts = [ObjectCount(label, table, warehouse.count(table)) for label, table in SOURCE_OBJECTS]
    for table in custom_object_record_tables(warehouse):
        key = warehouse.scalar(f"SELECT min(object_key) FROM {warehouse.table(table)}") or table
        counts.append(ObjectCount(f"Custom object records: {key}", table, warehouse.count(table)))
    return counts


def value_counts(warehouse: RawWarehouse, table: str, column: str) -> list[ValueCount]:
    """How many rows hold each value of `column`, most frequent first; nulls as `(none)`."""
    if not warehouse.has(table, column):
        return []
    rows = warehouse.rows(
        f"SELECT {text(column)} AS value, count(*) AS records FROM {warehouse.table(table)} "
        "GROUP BY 1 ORDER BY 2 DESC, 1 NULLS LAST"
    )
    return [ValueCount(NONE_LABEL if value is None else str(value), int(records)) for value, records in rows]


@dataclass(frozen=True)
class PairCount:
    """Rows holding one combination of two values (status and priority, month and channel)."""

    first: str
    second: str
    records: int


def _pair_counts(warehouse: RawWarehouse, table: str, first_sql: str, second: str) -> list[PairCount]:
    rows = warehouse.rows(
        f"SELECT {first_sql} AS first, {text(second)} AS second, count(*) AS records "
        f"FROM {warehouse.table(table)} GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2 NULLS LAST"
    )
    return [
        PairCount(
            NONE_LABEL if first is None else str(first), NONE_LABEL if value is None else str(value), int(n)
        )
        for first, value, n in rows
    ]


def pair_counts(warehouse: RawWarehouse, table: str, first: str, second: str) -> list[PairCount]:
    """How many rows hold each combination of `first` and `second`; nulls as `(none)`."""
    if not warehouse.has(table, first, second):
        return []
    return _pair_counts(warehouse, table, text(first), second)


MONTH_PATTERN = r"^\d{4}-\d{2}"


def monthly_counts(warehouse: RawWarehouse, table: str, time_column: str, by: str) -> list[PairCount]:
    """Rows per calendar month of `time_column` and value of `by`.

    The month is read from the text (`YYYY-MM…`), so legacy timestamps without an offset count
    in the month they show; a value that starts otherwise counts as `(none)`.
    """
    if not warehouse.has(table, time_column, by):
        return []
    value = text(time_column)
    month = f"CASE WHEN regexp_matches({value}, '{MONTH_PATTERN}') THEN left({value}, 7) END"
    return _pair_counts(warehouse, table, month, by)


# ---------------------------------------------------------------- custom fields


@dataclass(frozen=True)
class CustomFieldUse:
    """One custom field definition and what the records actually hold."""

    field_id: str
    object_type: str
    key: str
    label: str
    field_type: str
    active: bool | None
    options: tuple[str, ...]
    records_with_value: int
    distinct_values: int
    values_outside_options: tuple[ValueCount, ...]

    @property
    def outside_count(self) -> int:
        return sum(value.records for value in self.values_outside_options)


VALUE_TABLES = {"ticket": "tickets__custom_fields", "customer": "customers__custom_fields"}
OPTION_TYPES = {"dropdown", "multi_select"}


def _value_expression(warehouse: RawWarehouse, table: str) -> str | None:
    """One text value per row, whichever typed variant column dlt put it in."""
    variants = [name for name in warehouse.columns_like(table, "value") if "__v_" in name or name == "value"]
    if not variants:
        return None
    return "coalesce(" + ", ".join(text(name) for name in variants) + ")"


def _list_values(warehouse: RawWarehouse, table: str) -> str | None:
    """Multi-select values that dlt moved into a child table `<table>__value`."""
    child = f"{table}__value"
    if not warehouse.has(child, "value", "_dlt_parent_id"):
        return None
    return (
        f"SELECT parent.{quote('key')} AS key, CAST(child.{quote('value')} AS VARCHAR) AS value "
        f"FROM {warehouse.table(child)} AS child JOIN {warehouse.table(table)} AS parent "
        "ON child._dlt_parent_id = parent._dlt_id"
    )


def field_values_sql(warehouse: RawWarehouse, table: str) -> str | None:
    """`(key, value)` rows of one custom-field value table, scalar and list values alike."""
    parts = []
    expression = _value_expression(warehouse, table)
    if expression is not None and warehouse.has(table, "key"):
        parts.append(
            f"SELECT {quote('key')} AS key, {expression} AS value FROM {warehouse.table(table)} "
            f"WHERE {expression} IS NOT NULL"
        )
    list_sql = _list_values(warehouse, table)
    if list_sql is not None:
        parts.append(list_sql)
    return " UNION ALL ".join(parts) if parts else None


def _options_by_field(warehouse: RawWarehouse) -> dict[str, tuple[str, ...]]:
    if not warehouse.has("custom_fields__options", "value", "_dlt_parent_id"):
        return {}
    rows = warehouse.rows(
        f"SELECT CAST(f.id AS VARCHAR), {text('value')} FROM "
        f"{warehouse.table('custom_fields__options')} AS o "
        f"JOIN {warehouse.table('custom_fields')} AS f ON o._dlt_parent_id = f._dlt_id ORDER BY "
        "o._dlt_list_idx"
    )
    options: dict[str, list[str]] = {}
    for field_id, value in rows:
        options.setdefault(field_id, []).append(value)
    return {field_id: tuple(values) for field_id, values in options.items()}


def custom_field_uses(warehouse: RawWarehouse) -> list[CustomFieldUse]:
    """Each defined custom field with its fill, distinct values and values outside its options."""
    if not warehouse.has("custom_fields", "id", "key"):
        return []
    columns = ["object_type", "label", "type", "active"]
    selected = [text(name) if warehouse.has("custom_fields", name) else "NULL" for name in columns]
    definitions = warehouse.rows(
        f"SELECT CAST(id AS VARCHAR), {text('key')}, {', '.join(selected)} "
        f"FROM {warehouse.table('custom_fields')} ORDER BY id"
    )
    options = _options_by_field(warehouse)
    values_sql = {kind: field_values_sql(warehouse, table) for kind, table in VALUE_TABLES.items()}
    uses = []
    for field_id, key, object_type, label, field_type, active in definitions:
        field_options = options.get(field_id, ())
        checked = field_type in OPTION_TYPES
        counts = _value_counts_for(warehouse, values_sql.get(object_type or "ticket"), key)
        outside = tuple(count for count in counts if checked and count.value not in field_options)
        uses.append(
            CustomFieldUse(
                field_id=field_id,
                object_type=object_type or "ticket",
                key=key,
                label=label or key,
                field_type=field_type or "unknown",
                active=None if active is None else active.lower() == "true",
                options=field_options,
                records_with_value=sum(count.records for count in counts),
                distinct_values=len(counts),
                values_outside_options=outside,
            )
        )
    return uses


def _value_counts_for(warehouse: RawWarehouse, values_sql: str | None, key: str) -> list[ValueCount]:
    if values_sql is None:
        return []
    rows = warehouse.rows(
        f"SELECT value, count(*) FROM ({values_sql}) WHERE key = ? GROUP BY 1 ORDER BY 2 DESC, 1", [key]
    )
    return [ValueCount(str(value), int(records)) for value, records in rows]


# ---------------------------------------------------------------- custom objects


@dataclass(frozen=True)
class CustomObjectSummary:
    key: str
    name: str
    fields: tuple[tuple[str, str], ...]
    table: str | None
    records: int
    ticket_links: int
    dangling_ticket_links: int
    customer_links: int
    dangling_customer_links: int
    lookup_fields: tuple[str, ...]
    lookup_values: int = 0
    dangling_lookup_values: int = 0


def _object_fields(warehouse: RawWarehouse) -> dict[str, list[tuple[str, str]]]:
    if not warehouse.has("custom_objects__fields", "key", "_dlt_parent_id"):
        return {}
    field_type = 'CAST(f."type" AS VARCHAR)' if warehouse.has("custom_objects__fields", "type") else "NULL"
    rows = warehouse.rows(
        f'SELECT CAST(o."key" AS VARCHAR), CAST(f."key" AS VARCHAR), {field_type} '
        f"FROM {warehouse.table('custom_objects__fields')} AS f "
        f"JOIN {warehouse.table('custom_objects')} AS o ON f._dlt_parent_id = o._dlt_id ORDER BY "
        "f._dlt_list_idx"
    )
    fields: dict[str, list[tuple[str, str]]] = {}
    for object_key, key, kind in rows:
        fields.setdefault(object_key, []).append((key, kind or "unknown"))
    return fields


def custom_object_summaries(warehouse: RawWarehouse) -> list[CustomObjectSummary]:
    """Each custom object: its fields, records, and how its links to tickets/customers resolve."""
    record_tables: dict[str, str] = {}
    for table in custom_object_record_tables(warehouse):
        key = warehouse.scalar(f"SELECT min(object_key) FROM {warehouse.table(table)}")
        record_tables[str(key or table)] = table
    definitions: dict[str, str] = {}
    if warehouse.has("custom_objects", "key"):
        name = text("name") if warehouse.has("custom_objects", "name") else text("key")
        for key, label in warehouse.rows(
            f"SELECT {text('key')}, {name} FROM {warehouse.table('custom_objects')}"
        ):
            definitions[key] = label
    fields = _object_fields(warehouse)
    lookups = _lookup_fields(warehouse)
    summaries = []
    for key in sorted(set(definitions) | set(record_tables)):
        table = record_tables.get(key)
        ticket_links, ticket_dangling = _ticket_links(warehouse, table)
        lookup_values, lookup_dangling = _lookup_links(warehouse, table, lookups.get(key, []))
        customer_links, customer_dangling = _customer_links(warehouse, table)
        summaries.append(
            CustomObjectSummary(
                key=key,
                name=definitions.get(key, key),
                fields=tuple(fields.get(key, [])),
                table=table,
                records=(warehouse.count(table) or 0) if table else 0,
                ticket_links=ticket_links,
                dangling_ticket_links=ticket_dangling,
                customer_links=customer_links,
                dangling_customer_links=customer_dangling,
                lookup_fields=tuple(lookups.get(key, [])),
                lookup_values=lookup_values,
                dangling_lookup_values=lookup_dangling,
            )
        )
    return summaries


def _lookup_fields(warehouse: RawWarehouse) -> dict[str, list[str]]:
    """Custom fields whose lookup targets a custom object, by object key."""
    if not warehouse.has("custom_fields", "key", "lookup__object_key"):
        return {}
    rows = warehouse.rows(
        f"SELECT {text('lookup__object_key')}, {text('key')} FROM {warehouse.table('custom_fields')} "
        "WHERE lookup__object_key IS NOT NULL ORDER BY 2"
    )
    lookups: dict[str, list[str]] = {}
    for object_key, key in rows:
        lookups.setdefault(object_key, []).append(key)
    return lookups


def _ticket_links(warehouse: RawWarehouse, table: str | None) -> tuple[int, int]:
    """(links, dangling links) from records' `ticket_ids` to extracted tickets."""
    child = f"{table}__ticket_ids"
    if table is None or not warehouse.has(child, "value") or not warehouse.has("tickets", "id"):
        return 0, 0
    row = warehouse.rows(
        f"SELECT count(*), count(*) FILTER (WHERE t.id IS NULL) FROM {warehouse.table(child)} AS link "
        f"LEFT JOIN {warehouse.table('tickets')} AS t ON CAST(link.value AS VARCHAR) = CAST(t.id AS VARCHAR)"
    )[0]
    return int(row[0]), int(row[1])


def _customer_links(warehouse: RawWarehouse, table: str | None) -> tuple[int, int]:
    if table is None or not warehouse.has(table, "customer_id") or not warehouse.has("customers", "id"):
        return 0, 0
    row = warehouse.rows(
        f"SELECT count(r.customer_id), count(r.customer_id) FILTER (WHERE c.id IS NULL) "
        f"FROM {warehouse.table(table)} AS r LEFT JOIN {warehouse.table('customers')} AS c "
        "ON CAST(r.customer_id AS VARCHAR) = CAST(c.id AS VARCHAR)"
    )[0]
    return int(row[0]), int(row[1])


def _lookup_links(warehouse: RawWarehouse, table: str | None, keys: list[str]) -> tuple[int, int]:
    """(values, values naming no record) of ticket lookup fields pointing at one custom object."""
    values_sql = field_values_sql(warehouse, VALUE_TABLES["ticket"])
    if not keys or values_sql is None:
        return 0, 0
    placeholders = ", ".join("?" for _ in keys)
    known = f"SELECT CAST(id AS VARCHAR) FROM {warehouse.table(table)}" if table else "SELECT NULL"
    row = warehouse.rows(
        f"SELECT count(*), count(*) FILTER (WHERE value NOT IN ({known})) FROM ({values_sql}) "
        f"WHERE key IN ({placeholders})",
        keys,
    )[0]
    return int(row[0]), int(row[1])
