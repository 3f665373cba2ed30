"""Profiles measured from a small `raw_stames` written by hand in dlt's shape (nested objects as
`a__b` columns, lists as child tables joined on `_dlt_parent_id`, custom-object fields as JSON)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from mapping.propose.profile import FieldProfile, mask, profile_warehouse, source_key

RAW = """
create schema raw_stames;
create table raw_stames.tickets (id bigint, subject varchar, sms_notification boolean,
    sla_due_at varchar, requester__email varchar, requester__name varchar, _dlt_id varchar);
insert into raw_stames.tickets values
    (1, 'Pantalla rota', true, '2024-05-03T09:00:00.000Z', 'ana.perez@example.com', 'Ana Pérez', 't1'),
    (2, 'Factura', false, null, 'luis@example.com', 'Luis Gil', 't2'),
    (3, '', false, null, null, 'Eva Ruiz', 't3'),
    (4, 'Akku', false, '2024-05-04T09:00:00.000Z', null, 'Jonas Keller', 't4');
create table raw_stames.tickets__tags (value varchar, _dlt_parent_id varchar, _dlt_id varchar);
insert into raw_stames.tickets__tags values ('vip', 't1', 'g1'), ('screen', 't1', 'g2'), ('vip', 't2', 'g3');
create table raw_stames.tickets__watchers (value bigint, _dlt_parent_id varchar, _dlt_id varchar);
insert into raw_stames.tickets__watchers values (17, 't3', 'w1');
create table raw_stames.custom_fields (id bigint, object_type varchar, key varchar, label varchar,
    type varchar, active boolean, lookup__target varchar, lookup__object_key varchar, _dlt_id varchar);
insert into raw_stames.custom_fields values
    (44, 'ticket', 'contact_reason', 'Motivo', 'dropdown', true, null, null, 'f44'),
    (45, 'ticket', 'refund_amount', 'Importe', 'decimal', false, null, null, 'f45'),
    (48, 'ticket', 'affected_features', 'Funciones afectadas', 'multi_select', true, null, null, 'f48'),
    (61, 'customer', 'signed_up_at', 'Alta', 'text', true, null, null, 'f61');
create table raw_stames.custom_fields__options (value varchar, label varchar, active boolean,
    _dlt_parent_id varchar, _dlt_list_idx bigint, _dlt_id varchar);
insert into raw_stames.custom_fields__options values
    ('billing', 'Facturación', true, 'f44', 0, 'o1'), ('returns', 'Devoluciones', true, 'f44', 1, 'o2'),
    ('tech', 'Técnico', false, 'f44', 2, 'o3'), ('camera', 'Cámara', true, 'f48', 0, 'o4'),
    ('wifi', 'Wi-Fi', true, 'f48', 1, 'o5');
create table raw_stames.tickets__custom_fields (value varchar, field_id bigint, key varchar,
    _dlt_parent_id varchar, _dlt_id varchar);
insert into raw_stames.tickets__custom_fields values
    ('billing', 44, 'contact_reason', 't1', 'v1'), ('returns_legacy', 44, 'contact_reason', 't2', 'v2'),
    ('2.451,39', 45, 'refund_amount', 't1', 'v3'), ('1948.75', 45, 'refund_amount', 't2', 'v4'),
    ('10.5', 45, 'refund_amount', 't3', 'v5'), (null, 48, 'affected_features', 't1', 'v6'),
    (null, 48, 'affected_features', 't4', 'v7'), ('X-1', 99, 'legacy_code', 't2', 'v8');
create table raw_stames.tickets__custom_fields__value (value varchar, _dlt_parent_id varchar,
    _dlt_id varchar);
insert into raw_stames.tickets__custom_fields__value values
    ('wifi', 'v6', 'm1'), ('nfc', 'v6', 'm2'), ('camera', 'v7', 'm3');
create table raw_stames.messages (id bigint, body_text varchar, _dlt_id varchar);
insert into raw_stames.messages values (1, 'Escribe a ana.perez@example.com ' || repeat('bla ', 100), 'm1');
create table raw_stames.customers (id bigint, email varchar, _dlt_id varchar);
insert into raw_stames.customers values (5521, 'ana.perez@example.com', 'c1'), (5522, null, 'c2'),
    (5523, 'Ana.Perez@Example.com ', 'c3'), (5524, 'eva＠example.com', 'c4'), (5525, 'nobody', 'c5');
create table raw_stames.customers__custom_fields (value varchar, field_id bigint, key varchar,
    _dlt_parent_id varchar, _dlt_id varchar);
insert into raw_stames.customers__custom_fields values ('02/11/2023', 61, 'signed_up_at', 'c1', 'w1');
create table raw_stames.custom_objects (key varchar, name varchar, _dlt_id varchar);
insert into raw_stames.custom_objects values ('warranty', 'Warranty', 'k1');
create table raw_stames.custom_objects__fields (key varchar, label varchar, type varchar,
    _dlt_parent_id varchar, _dlt_list_idx bigint, _dlt_id varchar);
insert into raw_stames.custom_objects__fields values ('serial_number', 'Serial', 'text', 'k1', 0, 'kf1'),
    ('plan', 'Plan', 'dropdown', 'k1', 1, 'kf2');
create table raw_stames.custom_objects__fields__options (value varchar, label varchar,
    _dlt_parent_id varchar, _dlt_list_idx bigint, _dlt_id varchar);
insert into raw_stames.custom_objects__fields__options values
    ('basic', 'Basic', 'kf2', 0, 'ko1'), ('gold', 'Gold', 'kf2', 1, 'ko2');
create table raw_stames.custom_object_records_warranty (id varchar, object_key varchar, name varchar,
    fields json, _dlt_id varchar);
insert into raw_stames.custom_object_records_warranty values
    ('wr_1', 'warranty', 'WR-1', '{"serial_number": "SN-1", "plan": "gold"}', 'r1'),
    ('wr_2', 'warranty', 'WR-2', '{"serial_number": "SN-22", "plan": "platinum"}', 'r2'),
    ('wr_3', 'warranty', 'WR-3', '{"plan": "basic"}', 'r3');
insert into raw_stames.custom_objects values ('Repair-Order', 'Repair order', 'k2');
insert into raw_stames.custom_objects__fields values ('cost', 'Kosten', 'decimal', 'k2', 0, 'kf3');
create table raw_stames.custom_object_records_repair_order (id varchar, object_key varchar, name varchar,
    fields json, _dlt_id varchar);
insert into raw_stames.custom_object_records_repair_order values
    ('ro_1', 'Repair-Order', 'RO-1', '{"cost": 12.5}', 'r4');
"""


@pytest.fixture(scope="module")
def profiles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, FieldProfile]:
    warehouse = tmp_path_factory.mktemp("profile") / "warehouse.duckdb"
    connection = duckdb.connect(str(warehouse))
    connection.execute(RAW)
    connection.close()
    return {profile.source: profile for profile in profile_warehouse(Path(warehouse))}


def test_nested_columns_and_child_tables_are_fields_of_their_object(
    profiles: dict[str, FieldProfile],
) -> None:
    assert {"ticket.requester.email", "ticket.requester.name", "ticket.tags", "ticket.sla_due_at"} <= set(
        profiles
    )
    assert not any("_dlt" in source for source in profiles)


def test_a_list_the_contract_does_not_name_is_a_list_field(profiles: dict[str, FieldProfile]) -> None:
    watchers = profiles["ticket.watchers"]
    assert (watchers.stored_type, watchers.filled, watchers.values) == ("list", 1, ("17",))
    assert profiles["ticket.tags"].stored_type == "tags"


def test_fill_rate_counts_values_that_are_neither_null_nor_empty(profiles: dict[str, FieldProfile]) -> None:
    assert profiles["ticket.subject"].fill_rate == 0.75
    assert profiles["ticket.requester.email"].fill_rate == 0.5
    assert profiles["ticket.tags"].filled == 2  # two tickets have tags, three tag rows


def test_standard_columns_are_typed_from_column_and_values(profiles: dict[str, FieldProfile]) -> None:
    assert profiles["ticket.sla_due_at"].stored_type == "datetime"
    assert profiles["ticket.sms_notification"].stored_type == "boolean"
    assert profiles["ticket.requester.email"].stored_type == "email"
    assert profiles["ticket.subject"].max_length == 13


def test_dropdown_keeps_its_options_in_order_and_the_values_outside_them(
    profiles: dict[str, FieldProfile],
) -> None:
    reason = profiles["ticket.custom.contact_reason"]
    assert (reason.label, reason.options) == ("Motivo", ("billing", "returns", "tech"))
    assert reason.outside_options == ("returns_legacy",)
    assert reason.fill_rate == 0.5


def test_decimals_measure_their_scale_and_the_decimal_comma(profiles: dict[str, FieldProfile]) -> None:
    amount = profiles["ticket.custom.refund_amount"]
    assert (amount.max_scale, amount.decimal_comma, amount.not_numbers, amount.active) == (
        2,
        ("2.451,39",),
        (),
        False,
    )


def test_multi_select_values_come_from_their_own_table(profiles: dict[str, FieldProfile]) -> None:
    features = profiles["ticket.custom.affected_features"]
    assert features.values == ("camera", "nfc", "wifi")
    assert features.outside_options == ("nfc",)
    assert features.filled == 2


def test_values_under_a_key_no_definition_names_are_a_flagged_field(
    profiles: dict[str, FieldProfile],
) -> None:
    legacy = profiles["ticket.custom.legacy_code"]
    assert (legacy.filled, legacy.values, legacy.label) == (1, ("X-1",), None)
    assert legacy.flags == ("records hold values of this key but /custom_fields has no definition of it",)


def test_text_that_looks_like_a_date_is_noted(profiles: dict[str, FieldProfile]) -> None:
    assert profiles["customer.custom.signed_up_at"].date_like_text == ("02/11/2023",)


def test_custom_object_fields_are_read_from_the_records_json(profiles: dict[str, FieldProfile]) -> None:
    serial = profiles["custom_object.warranty.serial_number"]
    assert (serial.rows, serial.filled, serial.max_length, serial.label) == (3, 2, 5, "Serial")
    plan = profiles["custom_object.warranty.plan"]
    assert (plan.options, plan.outside_options) == (("basic", "gold"), ("platinum",))
    assert profiles["custom_object.warranty.name"].samples == ("WR-1", "WR-2", "WR-3")


def test_records_are_found_by_their_object_key_whatever_their_table_is_named(
    profiles: dict[str, FieldProfile],
) -> None:
    cost = profiles["custom_object.Repair_Order.cost"]
    assert (cost.rows, cost.filled, cost.max_scale, cost.label) == (1, 1, 1, "Kosten")


def test_long_text_is_measured_but_not_listed_and_its_sample_is_cut(
    profiles: dict[str, FieldProfile],
) -> None:
    body = profiles["message.body_text"]
    assert (body.stored_type, body.max_length, body.values) == ("textarea", 432, None)
    (sample,) = body.samples
    assert sample.startswith("Escribe a a***@e*** bla")
    assert len(sample) == 80 and sample.endswith("…")


def test_samples_of_emails_and_names_are_masked(profiles: dict[str, FieldProfile]) -> None:
    assert profiles["ticket.requester.email"].samples == ("a***@e***", "l***@e***")
    assert profiles["ticket.requester.name"].samples == ("A. P.", "E. R.", "J. K.")
    assert profiles["customer.email"].samples == ("A***@E*** ", "a***@e***", "e***@e***")


def test_an_email_field_counts_the_values_an_email_field_refuses(profiles: dict[str, FieldProfile]) -> None:
    # A trailing space, a full-width at sign, no address at all: three of four.
    assert profiles["customer.email"].invalid_emails == 3
    assert profiles["ticket.requester.email"].invalid_emails == 0


@pytest.mark.parametrize(
    ("key", "stored_type", "value", "shown"),
    [
        ("phone", "phone", "+34600111222", "***22"),
        ("source_ref", "text", "wa:34600111222", "***22"),
        ("source_ref", "text", "form:contacto", "form:contacto"),
        ("body_text", "text", "write to ana@example.com please", "write to a***@e*** please"),
        ("purchase_date", "date", "2023-11-02", "2023-11-02"),
        ("vat_number", "text", "B98143164", "B98143164"),
        ("name", "text", "Ana María Pérez", "A. M. P."),
        ("email", "email", "not an address", "n***"),
        ("note", "text", "escribe a eva＠example.com", "escribe a e***@e***"),
    ],
)
def test_mask_hides_emails_phones_and_names_only(key: str, stored_type: str, value: str, shown: str) -> None:
    assert mask("ticket", key, stored_type, value) == shown


def test_a_custom_object_record_name_is_no_person() -> None:
    assert mask("custom_object.warranty", "name", "text", "WR-000981") == "WR-000981"


@pytest.mark.parametrize(
    ("key", "segment"),
    [("product_model", "product_model"), ("Repair-Order", "Repair_Order"), ("n°_série", "n_serie")],
)
def test_a_key_becomes_a_source_segment_of_letters_digits_and_underscores(key: str, segment: str) -> None:
    assert source_key(key) == segment
