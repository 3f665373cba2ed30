"""What each Stames field holds, measured from `raw_stames`: fill rate, lengths, scales, values.

One `FieldProfile` per source (`ticket.channel.type`, `ticket.custom.units`,
`custom_object.warranty.plan`), read from the tables and columns dlt landed: nested objects
are `a__b` columns, lists are child tables, custom field values are rows of
`tickets__custom_fields` / `customers__custom_fields` (multi-select values one level deeper),
custom-object record fields are keys of the `fields` JSON column. Samples of emails, phones and
people's names are masked; nothing else is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import duckdb

RAW_SCHEMA = "raw_stames"
DISTINCT_LIMIT = 200
"""A field with at most this many distinct values has them all listed (picklist candidates)."""
TAG_DISTINCT_LIMIT = 1000
SAMPLE_COUNT = 3
SAMPLE_LENGTH = 80
"""Samples are cut to this many characters (a message body can be a megabyte)."""
SHORT_TEXT = 255

STANDARD_TABLES = {
    "ticket": "tickets",
    "customer": "customers",
    "message": "messages",
    "status_change": "status_changes",
}
LIST_TABLES = {"ticket": {"tags": "tags"}}
"""Child tables that are a field of their parent: `tickets__tags` is `ticket.tags`."""
CUSTOM_VALUE_TABLES = {"ticket": "tickets", "customer": "customers"}
RECORDS_PREFIX = "custom_object_records_"

EMAIL_PATTERN = r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
"""An address an Email field takes: ASCII, no spaces, a dotted domain."""
_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"^(?:[a-z]+:)?\+?[\d\s().-]{7,}$")
_DATE_LIKE = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_PERSON_KEYS = frozenset(
    {"name", "nombre", "nom", "vorname", "nachname", "apellido", "first_name", "last_name"}
)
_UNMASKED_TYPES = frozenset(
    {"integer", "decimal", "number", "boolean", "checkbox", "date", "datetime", "lookup"}
)


@dataclass(frozen=True)
class FieldProfile:
    """One Stames field as the data shows it."""

    source: str
    """`<object>.<field>` as the mapping names it (`ticket.requester.email`, `ticket.custom.units`)."""
    object: str
    """`ticket`, `customer`, `message`, `status_change` or `custom_object.<key>`."""
    key: str
    """The field inside its object: `requester.email`, `units`."""
    stored_type: str
    """What the data is: the custom field's Stames type, else read from the column and values
    (`integer`, `boolean`, `text`, `textarea`, `html`, `datetime`, `email`, `phone`, `tags`, `list`)."""
    rows: int
    filled: int
    label: str | None = None
    custom: bool = False
    active: bool = True
    max_length: int | None = None
    max_scale: int | None = None
    values: tuple[str, ...] | None = None
    """Every distinct value, sorted, when there are at most `DISTINCT_LIMIT` (tags: `TAG_DISTINCT_LIMIT`);
    else None."""
    samples: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    """A dropdown's or multi-select's option values in the definition's order (inactive ones too)."""
    lookup_target: str | None = None
    """For a lookup: `custom_object`, `customer`, `agent` or `ticket`."""
    lookup_object_key: str | None = None
    decimal_comma: tuple[str, ...] = ()
    """Number values written with a decimal comma ("2.451,39"), a few of them."""
    not_numbers: tuple[str, ...] = ()
    date_like_text: tuple[str, ...] = ()
    """Text values that look like a date in a local format ("02/11/2023"), a few of them."""
    invalid_emails: int = 0
    """For an email field: how many values are not an address Salesforce accepts."""
    flags: tuple[str, ...] = ()
    """What is odd about the field itself (values under a key no definition names)."""

    @property
    def fill_rate(self) -> float:
        return self.filled / self.rows if self.rows else 0.0

    @property
    def outside_options(self) -> tuple[str, ...]:
        if not self.options or self.values is None:
            return ()
        known = set(self.options)
        return tuple(value for value in self.values if value not in known)


def profile_warehouse(warehouse: Path) -> list[FieldProfile]:
    """Every field of tickets, customers, messages, status changes, custom fields and custom-object
    records in the warehouse, in a stable order."""
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        reader = _Reader(connection)
        profiles: list[FieldProfile] = []
        for object_name, table in STANDARD_TABLES.items():
            profiles.extend(reader.standard_fields(object_name, table))
        for object_name, table in CUSTOM_VALUE_TABLES.items():
            profiles.extend(reader.custom_fields(object_name, table))
        profiles.extend(reader.custom_object_fields())
        return profiles
    finally:
        connection.close()


class _Reader:
    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self.connection = connection
        rows = connection.execute(
            "select table_name, column_name, data_type from information_schema.columns"
            " where table_schema = ? order by table_name, ordinal_position",
            [RAW_SCHEMA],
        ).fetchall()
        self.columns: dict[str, list[tuple[str, str]]] = {}
        for table, column, data_type in rows:
            self.columns.setdefault(table, []).append((column, data_type))
        self._record_tables: dict[str, str] | None = None

    def record_tables(self) -> dict[str, str]:
        """Custom object key → the table its records landed in, read from the records' own
        `object_key` (extraction suffixes a table name when two keys normalise alike)."""
        if self._record_tables is None:
            self._record_tables = {}
            for table, columns in self.columns.items():
                rest = table.removeprefix(RECORDS_PREFIX)
                if rest == table or "__" in rest or not any(name == "object_key" for name, _ in columns):
                    continue
                for (key,) in self.connection.execute(
                    f"select distinct object_key from {RAW_SCHEMA}.{table} where object_key is not null"
                ).fetchall():
                    self._record_tables.setdefault(key, table)
        return self._record_tables

    def invalid_emails(self, table: str, expression: str) -> int:
        """Values Salesforce would refuse in an Email field (spaces, a full-width ＠, no domain)."""
        return int(
            self.scalar(
                f"select count(*) from {RAW_SCHEMA}.{table} where {expression} is not null"
                f" and {expression} <> '' and not regexp_full_match({expression}, ?)",
                [EMAIL_PATTERN],
            )
            or 0
        )

    def parents_in(self, child_table: str) -> int:
        """How many records have at least one row in a child table (a non-empty list)."""
        if not self.has(child_table):
            return 0
        return int(self.scalar(f"select count(distinct _dlt_parent_id) from {RAW_SCHEMA}.{child_table}") or 0)

    def has(self, table: str) -> bool:
        return table in self.columns

    def scalar(self, sql: str, parameters: list[object] | None = None) -> object:
        row = self.connection.execute(sql, parameters or []).fetchone()
        return row[0] if row else None

    def standard_fields(self, object_name: str, table: str) -> list[FieldProfile]:
        if not self.has(table):
            return []
        rows = int(self.scalar(f"select count(*) from {RAW_SCHEMA}.{table}") or 0)
        profiles = []
        for column, data_type in self.columns[table]:
            if column.startswith("_dlt") or column in ("custom_fields",):
                continue
            key = column.replace("__", ".")
            expression = f'"{column}"'
            values = self.column_values(f"from {RAW_SCHEMA}.{table}", expression)
            stored_type = _stored_type(key, data_type, values)
            profile = _measure(f"{object_name}.{key}", object_name, key, stored_type, rows, values)
            if stored_type == "email":
                profile = replace(profile, invalid_emails=self.invalid_emails(table, expression))
            profiles.append(profile)
        for child_table in sorted(self.columns):
            child = child_table.removeprefix(f"{table}__")
            if child == child_table or "__" in child or child == "custom_fields":
                continue
            stored_type = LIST_TABLES.get(object_name, {}).get(child, "list")
            filled = self.parents_in(child_table)
            value_column = "value" if any(name == "value" for name, _ in self.columns[child_table]) else None
            limit = TAG_DISTINCT_LIMIT if stored_type == "tags" else DISTINCT_LIMIT
            values = (
                self.column_values(f"from {RAW_SCHEMA}.{child_table}", value_column, limit=limit)
                if value_column
                else _Values()
            )
            profile = _measure(f"{object_name}.{child}", object_name, child, stored_type, rows, values)
            profiles.append(replace(profile, filled=filled))
        return profiles

    def column_values(self, source: str, expression: str, *, limit: int = DISTINCT_LIMIT) -> _Values:
        """Fill count, longest value, and the values themselves for short ones: distinct values
        and counts of long text (bodies, descriptions) would cost much and say nothing."""
        text = f"cast({expression} as varchar)"
        filled_sql = f"{expression} is not null and {text} <> ''"
        count, max_length = self.connection.execute(
            f"select count(*) filter (where {filled_sql}), max(length({text})) {source}"
        ).fetchone()
        if (max_length or 0) > SHORT_TEXT:
            head = self.connection.execute(
                f"select {text} as v {source} where {filled_sql} order by v limit {SAMPLE_COUNT}"
            ).fetchall()
            return _Values(int(count), max_length, None, tuple(row[0] for row in head))
        distinct = int(self.scalar(f"select count(distinct {text}) {source} where {filled_sql}") or 0)
        listed = None
        if distinct <= limit:
            listed = tuple(
                row[0]
                for row in self.connection.execute(
                    f"select distinct {text} as v {source} where {filled_sql} order by v"
                ).fetchall()
            )
        head = tuple(
            row[0]
            for row in self.connection.execute(
                f"select {text} as v {source} where {filled_sql}"
                " group by v order by count(*) desc, v limit 50"
            ).fetchall()
        )
        return _Values(filled=int(count), max_length=max_length, distinct=listed, head=head)

    def custom_fields(self, object_name: str, table: str) -> list[FieldProfile]:
        """Every defined custom field of `object_name`, then every key that holds values but has
        no definition (a field deleted in Stames after records were written), flagged."""
        rows = int(self.scalar(f"select count(*) from {RAW_SCHEMA}.{table}") or 0) if self.has(table) else 0
        profiles = []
        defined: set[str] = set()
        for dlt_id, key, label, field_type, active, target, object_key in self.definitions(object_name):
            defined.add(key)
            values, filled = self.custom_values(table, key, multi=field_type == "multi_select")
            profile = _measure(
                f"{object_name}.custom.{source_key(key)}", object_name, key, field_type, rows, values,
                label=label, custom=True, active=bool(active),
                options=self.options("custom_fields__options", dlt_id),
                lookup_target=target, lookup_object_key=object_key,
            )  # fmt: skip
            profiles.append(replace(profile, filled=filled))
        values_table = f"{table}__custom_fields"
        if self.has(values_table):
            found = self.connection.execute(
                f"select distinct key from {RAW_SCHEMA}.{values_table} where key is not null order by key"
            ).fetchall()
            for (key,) in found:
                if key in defined:
                    continue
                values, filled = self.custom_values(table, key, multi=False)
                profile = _measure(
                    f"{object_name}.custom.{source_key(key)}", object_name, key, "text", rows, values,
                    custom=True,
                    flags=("records hold values of this key but /custom_fields has no definition of it",),
                )  # fmt: skip
                profiles.append(replace(profile, filled=filled))
        return profiles

    def definitions(self, object_name: str) -> list[tuple[Any, ...]]:
        if not self.has("custom_fields"):
            return []
        columns = {name for name, _ in self.columns["custom_fields"]}
        lookup_target = "lookup__target" if "lookup__target" in columns else "null"
        lookup_key = "lookup__object_key" if "lookup__object_key" in columns else "null"
        return self.connection.execute(
            f"select _dlt_id, key, label, type, coalesce(active, true), {lookup_target}, {lookup_key}"
            f" from {RAW_SCHEMA}.custom_fields where object_type = ? order by id",
            [object_name],
        ).fetchall()

    def custom_values(self, table: str, key: str, *, multi: bool) -> tuple[_Values, int]:
        """The values of one custom field and how many records hold one (multi-select values sit
        one table deeper, one row per chosen option)."""
        values_table = f"{table}__custom_fields"
        multi_table = f"{values_table}__value"
        if not self.has(values_table):
            return _Values(), 0
        if multi and self.has(multi_table):
            joined = (
                f"from {RAW_SCHEMA}.{multi_table} m join {RAW_SCHEMA}.{values_table} f"
                f" on m._dlt_parent_id = f._dlt_id where f.key = '{_quote(key)}'"
            )
            values = self.column_values(f"from (select m.value as value {joined})", "value")
            return values, int(self.scalar(f"select count(distinct f._dlt_parent_id) {joined}") or 0)
        source = f"from (select value from {RAW_SCHEMA}.{values_table} where key = '{_quote(key)}')"
        values = self.column_values(source, "value")
        return values, values.filled

    def options(self, table: str, parent_id: str) -> tuple[str, ...]:
        if not self.has(table):
            return ()
        return tuple(
            row[0]
            for row in self.connection.execute(
                f"select value from {RAW_SCHEMA}.{table} where _dlt_parent_id = ? order by _dlt_list_idx",
                [parent_id],
            ).fetchall()
        )

    def custom_object_fields(self) -> list[FieldProfile]:
        if not self.has("custom_objects"):
            return []
        profiles = []
        objects = self.connection.execute(
            f"select _dlt_id, key from {RAW_SCHEMA}.custom_objects order by key"
        ).fetchall()
        for object_id, object_key in objects:
            object_name = f"custom_object.{source_key(object_key)}"
            table = self.record_tables().get(object_key, "")
            present = self.has(table)
            rows = int(self.scalar(f"select count(*) from {RAW_SCHEMA}.{table}") or 0) if present else 0
            for column in ("id", "name", "customer_id", "ticket_ids", "created_at", "updated_at"):
                if column == "ticket_ids":
                    filled = self.parents_in(f"{table}__ticket_ids")
                    profiles.append(
                        FieldProfile(f"{object_name}.ticket_ids", object_name, column, "list", rows, filled)
                    )
                    continue
                if present and any(name == column for name, _ in self.columns[table]):
                    data_type = dict(self.columns[table])[column]
                    values = self.column_values(f"from {RAW_SCHEMA}.{table}", f'"{column}"')
                    stored = "text" if column in ("id", "name") else _stored_type(column, data_type, values)
                    profiles.append(
                        _measure(f"{object_name}.{column}", object_name, column, stored, rows, values)
                    )
            if not self.has("custom_objects__fields"):
                continue
            definitions = self.connection.execute(
                f"select _dlt_id, key, label, type from {RAW_SCHEMA}.custom_objects__fields"
                " where _dlt_parent_id = ? order by _dlt_list_idx",
                [object_id],
            ).fetchall()
            for field_id, key, label, field_type in definitions:
                options = self.options("custom_objects__fields__options", field_id)
                if present and any(name == "fields" for name, _ in self.columns[table]):
                    path = '$."' + key.replace('"', '\\"') + '"'
                    extracted = f"json_extract_string(fields, '{_quote(path)}')"
                    values = self.column_values(
                        f"from (select {extracted} as value from {RAW_SCHEMA}.{table})", "value"
                    )
                else:
                    values = _Values()
                profiles.append(
                    _measure(
                        f"{object_name}.{source_key(key)}", object_name, key, field_type, rows, values,
                        label=label, custom=True, options=options,
                    )
                )  # fmt: skip
        return profiles


@dataclass(frozen=True)
class _Values:
    filled: int = 0
    max_length: int | None = None
    distinct: tuple[str, ...] | None = ()
    head: tuple[str, ...] = ()
    """The most frequent values, most frequent first."""


def _measure(
    source: str,
    object_name: str,
    key: str,
    stored_type: str,
    rows: int,
    values: _Values,
    **definition: object,
) -> FieldProfile:
    seen = values.distinct if values.distinct is not None else values.head
    numeric = stored_type in ("number", "decimal")
    decimal_comma = tuple(value for value in seen if numeric and _decimal_comma(value))[:3]
    not_numbers = tuple(value for value in seen if numeric and _number(value) is None)[:3]
    scales = [_scale(number) for value in seen if numeric and (number := _number(value)) is not None]
    date_like = tuple(value for value in seen if stored_type == "text" and _DATE_LIKE.match(value))[:3]
    return FieldProfile(
        source=source,
        object=object_name,
        key=key,
        stored_type=stored_type,
        rows=rows,
        filled=values.filled,
        max_length=values.max_length,
        max_scale=max(scales) if scales else None,
        values=values.distinct,
        samples=tuple(
            _cut(mask(object_name, key, stored_type, value)) for value in values.head[:SAMPLE_COUNT]
        ),
        decimal_comma=decimal_comma,
        not_numbers=not_numbers,
        date_like_text=date_like,
        **definition,  # type: ignore[arg-type]
    )


def _cut(sample: str) -> str:
    return sample if len(sample) <= SAMPLE_LENGTH else f"{sample[: SAMPLE_LENGTH - 1]}…"


def _stored_type(key: str, data_type: str, values: _Values) -> str:
    """The kind of a standard column, from its DuckDB type and what its values look like."""
    if data_type == "BOOLEAN":
        return "boolean"
    if data_type in ("BIGINT", "INTEGER", "HUGEINT"):
        return "integer"
    if data_type in ("DOUBLE", "DECIMAL") or data_type.startswith("DECIMAL"):
        return "decimal"
    if data_type == "JSON":
        return "list"
    seen = values.distinct if values.distinct is not None else values.head
    last = key.rsplit(".", 1)[-1]
    if seen and all(_ISO_DATETIME.match(value) for value in seen):
        return "datetime"
    if seen and all(_ISO_DATE.match(value) for value in seen):
        return "date"
    if last.endswith("html"):
        return "html"
    if last == "email" or (seen and all(_EMAIL.fullmatch(value.strip()) for value in seen)):
        return "email"
    if last == "phone":
        return "phone"
    if (values.max_length or 0) > SHORT_TEXT or any("\n" in value for value in seen):
        return "textarea"
    return "text"


def _number(value: str) -> Decimal | None:
    """A number as people write it: "1948.75", "2.451,39", "740,85", "1.0"."""
    text = value.strip().replace(" ", "")
    if "," in text and "." in text:
        text = (
            text.replace(".", "").replace(",", ".")
            if text.rfind(",") > text.rfind(".")
            else text.replace(",", "")
        )
    elif "," in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _decimal_comma(value: str) -> bool:
    text = value.strip()
    return "," in text and (text.rfind(",") > text.rfind(".")) and _number(value) is not None


def _scale(number: Decimal) -> int:
    """Significant decimal places: 1.0 → 0, 2451.39 → 2."""
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def source_key(key: str) -> str:
    """A Stames key as a segment of a mapping source, which allows letters, digits and `_`:
    "Repair-Order" → "Repair_Order", "n°_série" → "n_serie"."""
    decomposed = unicodedata.normalize("NFKD", key)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^A-Za-z0-9]*_[^A-Za-z0-9]*|[^A-Za-z0-9_]+", "_", plain).strip("_") or "field"


def personal_kind(object_name: str, key: str, stored_type: str, value: str) -> str | None:
    """`email`, `phone` or `name` when a sample would show personal data."""
    if stored_type == "email" or _EMAIL.search(unicodedata.normalize("NFKC", value)):
        return "email"
    if stored_type in _UNMASKED_TYPES:
        return None
    if _PHONE.match(value.strip()) and sum(char.isdigit() for char in value) >= 7:
        return "phone"
    if key.rsplit(".", 1)[-1].lower() in _PERSON_KEYS and not object_name.startswith("custom_object."):
        return "name"
    return None


def mask(object_name: str, key: str, stored_type: str, value: str) -> str:
    """A sample safe to show: "ana.perez@example.com" → "a***@e***", "+34600111222" → "***22",
    "Ana Pérez" → "A. P."; other values as they are. Addresses are found after NFKC ("ana＠x.es"),
    and every value of an email field is masked, an address or not."""
    kind = personal_kind(object_name, key, stored_type, value)
    if kind == "email":
        normal = unicodedata.normalize("NFKC", value)
        if not _EMAIL.search(normal):
            return f"{value.strip()[:1]}***"
        return _EMAIL.sub(lambda match: _mask_email(match.group(0)), normal)
    if kind == "phone":
        return f"***{value.strip()[-2:]}"
    if kind == "name":
        return " ".join(f"{word[0]}." for word in value.split() if word) or "***"
    return value


def _mask_email(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


def _quote(text: str) -> str:
    return text.replace("'", "''")
