"""The expectation suites, as plain data: one per sync model, generated from the target org's
describe and the confirmed mapping.

Nothing here imports Great Expectations (its import costs seconds), so the plan is cheap to build
and to test. Each suite carries the DuckDB query that projects what its expectations look at:
lengths instead of bodies, a parent-not-found column computed by a LEFT JOIN instead of the
parent table, the duplicated ids instead of a uniqueness pass in memory. Validating 700,000
messages therefore reads a few narrow columns, never a body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping as MappingType
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from expectations.sync_tables import (
    HELPER_PREFIX,
    REFERENCE_PREFIX,
    SYNC_SCHEMA,
    SyncModel,
    sync_models,
)
from mapping.model import EXTERNAL_ID_FIELD, Mapping
from mapping.org import OrgSnapshot

Rule = Literal[
    "field", "required", "picklist", "length", "email", "unique", "reference", "owner", "timestamp"
]

TEXT_TYPES = frozenset({"string", "textarea", "email", "phone", "url", "combobox", "encryptedstring"})
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
EVENT_TIMESTAMP_FIELDS = ("CreatedDate", "LastModifiedDate", "MessageDate")
EVENT_SOURCE_LEAVES = frozenset({"created_at", "updated_at", "changed_at"})
"""Mapped from one of these, a column is when something happened: present and not in the future.
Due dates, reminders and renewals may lie ahead and are not checked."""

# Salesforce counts a text's length in UTF-16 code units: a character above U+FFFF (an emoji) is two.
_ASTRAL = r"[^\x{10000}-\x{10FFFF}]"


@dataclass(frozen=True)
class Check:
    """One expectation: the GX class, its column in the projection, its arguments, and in words."""

    rule: Rule
    expectation: str
    column: str
    words: str
    arguments: MappingType[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Suite:
    """The expectations of one sync model and the query that projects what they check."""

    model: SyncModel
    query: str
    checks: tuple[Check, ...]

    @property
    def name(self) -> str:
        return self.model.name


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def utf16_length(expression: str, limit: int | None = None) -> str:
    """DuckDB SQL: the length of a text as Salesforce counts it (UTF-16 units).

    With `limit`, a text of at most limit / 2 characters is given its character count: it fits
    even if every character took two units, so the regex that counts the astral characters only
    runs on the few texts near or over the limit (not on every 2 KB email body)."""
    exact = f"length({expression}) + length(regexp_replace({expression}, '{_ASTRAL}', '', 'g'))"
    if limit is None:
        return exact
    return f"CASE WHEN length({expression}) <= {limit // 2} THEN length({expression}) ELSE {exact} END"


def multipicklist_pattern(values: Sequence[str]) -> str:
    """A regex matching `a;b;c` where every part is one of `values`."""
    one = "(?:" + "|".join(re.escape(value) for value in values) + ")"
    return f"^{one}(?:;{one})*$"


@dataclass
class _Plan:
    """A suite under construction: projected columns (alias → SQL), joins, checks."""

    columns: dict[str, str] = field(default_factory=dict)
    joins: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    over_projection: dict[str, str] = field(default_factory=dict)
    """Window columns, computed over the narrow projection (alias → SQL on its aliases)."""

    def project(self, alias: str, expression: str) -> str:
        self.columns.setdefault(alias, expression)
        return alias

    def query(self, relation: str) -> str:
        """The projection; window columns go in an outer query, so DuckDB's window buffers the
        narrow projected columns rather than every column of the table (the bodies)."""
        projection = ", ".join(
            f"{expression} AS {quoted(alias)}" for alias, expression in self.columns.items()
        )
        inner = f"SELECT {projection or '1 AS row'} FROM {relation} AS t {' '.join(self.joins)}"
        if not self.over_projection:
            return inner
        windows = ", ".join(
            f"{expression} AS {quoted(alias)}" for alias, expression in self.over_projection.items()
        )
        return f"SELECT *, {windows} FROM ({inner}) AS projected"

    def add(self, rule: Rule, expectation: str, column: str, words: str, **arguments: Any) -> None:
        self.checks.append(Check(rule, expectation, column, words, arguments))


def build_suites(
    mapping: Mapping,
    org: OrgSnapshot,
    table_columns: MappingType[str, Sequence[str]],
    now: datetime,
) -> list[Suite]:
    """One suite per sync model whose table exists (`table_columns`: table → its column names)."""
    models = [model for model in sync_models(mapping) if model.table in table_columns]
    # A parent table without Stames_Id__c cannot be joined; its own suite reports the missing column.
    parents = [model for model in models if EXTERNAL_ID_FIELD in table_columns[model.table]]
    return [_suite(model, parents, mapping, org, list(table_columns[model.table]), now) for model in models]


def _suite(
    model: SyncModel,
    models: Sequence[SyncModel],
    mapping: Mapping,
    org: OrgSnapshot,
    columns: list[str],
    now: datetime,
) -> Suite:
    plan = _Plan()
    present = set(columns)
    described = {item["name"]: item for item in org.fields(model.sobject)}
    _unknown_fields(plan, model, columns, described)
    _external_id(plan, present)
    for name, described_field in described.items():
        kind = described_field.get("type")
        if _is_required(described_field) and not model.extension:
            _required(plan, model, name, kind, present)
        if name not in present or name == "OwnerId":
            continue
        column = f"t.{quoted(name)}"
        if kind == "picklist":
            values = org.picklist_values(model.sobject, name)
            alias = plan.project(name, f"CAST({column} AS VARCHAR)")
            plan.add(
                "picklist",
                "ExpectColumnValuesToBeInSet",
                alias,
                f"every {name} is one of the {len(values)} values of the org's picklist",
                value_set=values,
            )
        elif kind == "multipicklist":
            values = org.picklist_values(model.sobject, name)
            alias = plan.project(name, f"CAST({column} AS VARCHAR)")
            plan.add(
                "picklist",
                "ExpectColumnValuesToMatchRegex",
                alias,
                f"every value in {name} (split at ;) is one of the org's {len(values)} picklist values",
                regex=multipicklist_pattern(values) if values else "^$",
            )
        if kind in TEXT_TYPES and described_field.get("length"):
            limit = int(described_field["length"])
            alias = plan.project(f"{name}__length", utf16_length(f"CAST({column} AS VARCHAR)", limit))
            plan.add(
                "length",
                "ExpectColumnValuesToBeBetween",
                alias,
                f"{name} fits the org's limit of {limit:,} characters",
                min_value=0,
                max_value=limit,
            )
        if kind == "reference" and described_field.get("referenceTo") == ["User"]:
            active_users = sorted(user.id for user in org.users if user.is_active)
            alias = plan.project(name, f"CAST({column} AS VARCHAR)")
            plan.add(
                "reference",
                "ExpectColumnValuesToBeInSet",
                alias,
                f"every {name} is an active user of the org",
                value_set=active_users,
            )
        if kind == "email":
            alias = plan.project(name, f"CAST({column} AS VARCHAR)")
            plan.add(
                "email",
                "ExpectColumnValuesToMatchRegex",
                alias,
                f"{name} is an email address",
                regex=EMAIL_PATTERN,
            )
    _references(plan, model, models, mapping, org, columns)
    _owner(plan, model, org, present)
    _timestamps(plan, model, mapping, present, now)
    return Suite(model, plan.query(model.relation()), tuple(plan.checks))


def _unknown_fields(
    plan: _Plan, model: SyncModel, columns: Sequence[str], described: MappingType[str, Any]
) -> None:
    """A column the org's object lacks would fail every record of the load (INVALID_FIELD): each
    one is a check named after it that cannot find its column, so it fails and says which. The
    shared custom-object table has every custom object's columns, so it is not checked here."""
    if model.shared:
        return
    known = {name.lower() for name in described}
    for column in columns:
        if column.startswith((REFERENCE_PREFIX, HELPER_PREFIX)):
            continue
        if column.lower() not in known:
            plan.add(
                "field",
                "ExpectColumnToExist",
                f"{column} (not a field of {model.sobject} in the org)",
                f"{column} is a field of {model.sobject} in the org (deploy the mapping's fields first)",
            )


def _is_required(described_field: MappingType[str, Any]) -> bool:
    """The contract's rule: createable, not nillable, not defaulted on create."""
    return bool(
        described_field.get("createable")
        and not described_field.get("nillable", True)
        and not described_field.get("defaultedOnCreate", False)
    )


def _required(plan: _Plan, model: SyncModel, name: str, kind: str | None, present: set[str]) -> None:
    candidates = [name, f"{REFERENCE_PREFIX}{name}"] if kind == "reference" else [name]
    column = next((candidate for candidate in candidates if candidate in present), None)
    if column is None:
        plan.add(
            "required",
            "ExpectColumnToExist",
            name,
            f"{model.table} has the column {name}, which {model.sobject} requires",
        )
        return
    alias = plan.project(column, f"t.{quoted(column)}")
    plan.add(
        "required", "ExpectColumnValuesToNotBeNull", alias, f"every row has {name}, which the org requires"
    )


def _external_id(plan: _Plan, present: set[str]) -> None:
    if EXTERNAL_ID_FIELD not in present:
        plan.add("unique", "ExpectColumnToExist", EXTERNAL_ID_FIELD, f"the table has {EXTERNAL_ID_FIELD}")
        return
    column = f"t.{quoted(EXTERNAL_ID_FIELD)}"
    alias = plan.project(EXTERNAL_ID_FIELD, column)
    plan.add("unique", "ExpectColumnValuesToNotBeNull", alias, f"every row has its {EXTERNAL_ID_FIELD}")
    # The repeats are found by DuckDB (a window over the whole table); the projection carries
    # the repeated id only, so uniqueness holds across chunks and the examples name the ids.
    projected = f"projected.{quoted(alias)}"
    duplicate = f"{EXTERNAL_ID_FIELD}__repeated"
    plan.over_projection[duplicate] = (
        f"CASE WHEN count(*) OVER (PARTITION BY {projected}) > 1 THEN {projected} END"
    )
    plan.add(
        "unique",
        "ExpectColumnValuesToBeNull",
        duplicate,
        f"no two rows share a {EXTERNAL_ID_FIELD} (the loader's upsert key)",
    )


def _parents(
    model: SyncModel, reference_field: str, models: Sequence[SyncModel], mapping: Mapping, org: OrgSnapshot
) -> list[SyncModel]:
    described = org.field(model.sobject, reference_field) or {}
    targets: list[str] = list(described.get("referenceTo") or [])
    if not targets:
        wanted = f"{model.sobject}.{reference_field}"
        targets = [
            entry.create.reference_to
            for entry in mapping.fields
            if entry.target == wanted and entry.create is not None and entry.create.reference_to
        ]
        targets += [
            lookup.reference_to
            for custom in mapping.custom_objects
            if custom.api_name == model.sobject
            for lookup in custom.lookups
            if lookup.api_name == reference_field and lookup.reference_to
        ]
    return [candidate for candidate in models if candidate.sobject in targets and not candidate.extension]


def _references(
    plan: _Plan,
    model: SyncModel,
    models: Sequence[SyncModel],
    mapping: Mapping,
    org: OrgSnapshot,
    columns: Sequence[str],
) -> None:
    for column in columns:
        if not column.startswith(REFERENCE_PREFIX):
            continue
        reference_field = column.removeprefix(REFERENCE_PREFIX)
        parents = _parents(model, reference_field, models, mapping, org)
        value = f"t.{quoted(column)}"
        if parents:
            alias = f"parent_{len(plan.joins)}"
            union = " UNION ".join(
                f"SELECT DISTINCT {quoted(EXTERNAL_ID_FIELD)} AS stames_id FROM {parent.relation()}"
                for parent in parents
            )
            plan.joins.append(f"LEFT JOIN ({union}) AS {alias} ON {alias}.stames_id = {value}")
            unresolved = f"CASE WHEN {alias}.stames_id IS NULL THEN {value} END"
            where = " or ".join(parent.table if not parent.shared else parent.sobject for parent in parents)
        else:
            unresolved = value
            where = "no migrated object (the org's lookup points at objects the mapping does not load)"
        projected = plan.project(f"{column}__unresolved", f"CAST({unresolved} AS VARCHAR)")
        plan.add(
            "reference",
            "ExpectColumnValuesToBeNull",
            projected,
            f"every {reference_field} names a row of {where}",
        )


def _owner(plan: _Plan, model: SyncModel, org: OrgSnapshot, present: set[str]) -> None:
    if "OwnerId" not in present:
        return
    owners = sorted({user.id for user in org.users if user.is_active} | {queue.id for queue in org.queues})
    alias = plan.project("OwnerId", 't."OwnerId"')
    plan.add("owner", "ExpectColumnValuesToNotBeNull", alias, "every row has an owner")
    plan.add(
        "owner",
        "ExpectColumnValuesToBeInSet",
        alias,
        "every owner is an active user or a queue of the org",
        value_set=owners,
    )


def _timestamps(plan: _Plan, model: SyncModel, mapping: Mapping, present: set[str], now: datetime) -> None:
    mapped = [
        entry.target_field
        for entry in mapping.fields
        if entry.target_object == model.sobject and entry.source.rsplit(".", 1)[-1] in EVENT_SOURCE_LEAVES
    ]
    names = [name for name in dict.fromkeys((*EVENT_TIMESTAMP_FIELDS, *mapped)) if name and name in present]
    latest = now.astimezone(UTC).replace(tzinfo=None)
    for name in names:
        # Whatever type dbt gave the column (timestamptz, timestamp, ISO text), compare in UTC;
        # text that is not a timestamp becomes NULL and fails "present".
        alias = plan.project(name + "__utc", f"timezone('UTC', try_cast(t.{quoted(name)} AS TIMESTAMPTZ))")
        plan.add("timestamp", "ExpectColumnValuesToNotBeNull", alias, f"every row has {name}")
        plan.add(
            "timestamp",
            "ExpectColumnValuesToBeBetween",
            alias,
            f"no {name} lies after {latest:%Y-%m-%d %H:%M} UTC (the validation's time)",
            max_value=latest,
        )


def sync_table_columns(con: Any) -> dict[str, list[str]]:
    """Every sync table in the warehouse and its columns, in table order (a DuckDB connection)."""
    rows = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = ? ORDER BY table_name, ordinal_position",
        [SYNC_SCHEMA],
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables
