"""Placement of fields on profiles and an org written by hand: conventional targets checked
against the describe, custom fields on an existing field only when it fits and is free."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mapping.model import FieldMapping
from mapping.org import OrgSnapshot
from mapping.propose.fields import propose_from_profiles, tag_value
from mapping.propose.profile import FieldProfile


def described(
    name: str, label: str, kind: str, *, createable: bool = True, length: int = 0, **more: Any
) -> dict:
    return {"name": name, "label": label, "type": kind, "createable": createable, "length": length, **more}


def picklist(name: str, label: str, values: list[str]) -> dict:
    return described(
        name, label, "picklist", length=40, picklistValues=[{"value": v, "active": True} for v in values]
    )


CASE = [
    described("Subject", "Subject", "string", length=255),
    described("SuppliedName", "Web Name", "string", length=80),
    picklist("Reason", "Case Reason", ["Installation", "Breakdown", "Other"]),
    described("CreatedDate", "Created Date", "datetime", createable=False),
]
CONTACT = [
    described("MobilePhone", "Mobile Phone", "phone", length=40),
    described("Department", "Department", "string", length=80),
    described("Birthdate", "Birthdate", "date"),
    described("Email", "Email", "email", length=80),
]


def org(case: list[dict] = CASE, contact: list[dict] = CONTACT) -> OrgSnapshot:
    return OrgSnapshot(
        instance_url="https://org.example",
        organization_id=None,
        api_version="62.0",
        describes={"Case": {"fields": case}, "Contact": {"fields": contact}},
    )


def field(source: str, stored_type: str = "text", **changes: Any) -> FieldProfile:
    object_name, _, key = source.partition(".")
    custom = key.startswith("custom.")
    base = FieldProfile(
        source=source,
        object=object_name,
        key=key.removeprefix("custom."),
        stored_type=stored_type,
        rows=4,
        filled=4,
        custom=custom,
    )
    return replace(base, **changes)


def only(entries: list[FieldMapping], source: str) -> FieldMapping:
    (entry,) = [item for item in entries if item.source == source]
    return entry


def test_a_phone_custom_field_goes_to_mobile_phone() -> None:
    mobile = field(
        "customer.custom.telefono_movil", label="Teléfono móvil", values=("+34 600 111 222",), max_length=15
    )
    entry = only(propose_from_profiles([mobile], org()), "customer.custom.telefono_movil")
    assert (entry.target, entry.create) == ("Contact.MobilePhone", None)
    assert entry.evidence.confidence >= 0.8
    assert "'movil' means 'mobile' (es)" in entry.evidence.reasons[0]


def test_a_field_that_cannot_be_written_is_not_a_match() -> None:
    locked = [described("MobilePhone", "Mobile Phone", "phone", createable=False, length=40)]
    mobile = field(
        "customer.custom.mobiltelefon", label="Mobiltelefon", values=("+49 151 2345678",), max_length=15
    )
    entry = only(propose_from_profiles([mobile], org(contact=locked)), "customer.custom.mobiltelefon")
    assert entry.target == "Contact.Stames_Mobiltelefon__c"
    assert entry.create is not None and entry.create.type == "Phone"


def test_a_name_match_of_the_wrong_type_is_not_a_match() -> None:
    birthday = field("customer.custom.geburtsdatum", "checkbox", label="Geburtsdatum", values=("true",))
    entry = only(propose_from_profiles([birthday], org()), "customer.custom.geburtsdatum")
    assert entry.target == "Contact.Stames_Geburtsdatum__c"


def test_a_reason_whose_values_are_not_the_org_values_gets_its_own_picklist() -> None:
    reason = field(
        "ticket.custom.motivo",
        "dropdown",
        label="Motivo",
        options=("billing", "returns"),
        values=("billing",),
    )
    entry = only(propose_from_profiles([reason], org()), "ticket.custom.motivo")
    assert entry.target == "Case.Stames_Motivo__c"
    assert entry.value_map == "custom.motivo"


def test_a_reason_with_the_org_values_goes_to_case_reason() -> None:
    reason = field(
        "ticket.custom.grund", "dropdown", label="Grund", options=("Installation", "Other"), values=("Other",)
    )
    entry = only(propose_from_profiles([reason], org()), "ticket.custom.grund")
    assert entry.target == "Case.Reason"
    assert entry.evidence.value_overlap == 1.0


def test_a_picklist_value_the_org_lacks_is_named() -> None:
    reason = field(
        "ticket.custom.grund", "dropdown", label="Grund", options=("Installation", "Other", "Sonstiges"),
        values=("Installation", "Other", "Sonstiges"),
    )  # fmt: skip
    entry = only(propose_from_profiles([reason], org()), "ticket.custom.grund")
    assert entry.target == "Case.Reason"
    assert entry.evidence.warnings == ["values the org's picklist lacks: Sonstiges; add them or map them"]
    assert entry.evidence.confidence <= 0.8


def test_a_subject_custom_field_does_not_take_case_subject_from_the_ticket() -> None:
    subject = field("ticket.subject", max_length=60)
    betreff = field("ticket.custom.betreff", label="Betreff", max_length=30)
    entries = propose_from_profiles([subject, betreff], org())
    assert only(entries, "ticket.subject").target == "Case.Subject"
    entry = only(entries, "ticket.custom.betreff")
    assert entry.target == "Case.Stames_Betreff__c"
    assert any("Case.Subject" in reason for reason in entry.evidence.reasons)


def test_two_custom_fields_do_not_take_the_same_existing_field() -> None:
    first = field("customer.custom.abteilung", label="Abteilung", max_length=20)
    second = field("customer.custom.departamento", label="Departamento", max_length=20)
    entries = propose_from_profiles([first, second], org())
    assert only(entries, "customer.custom.abteilung").target == "Contact.Department"
    assert only(entries, "customer.custom.departamento").target == "Contact.Stames_Departamento__c"


def test_text_longer_than_the_target_says_it_will_be_cut() -> None:
    name = field("ticket.requester.name", max_length=120)
    entry = only(propose_from_profiles([name], org()), "ticket.requester.name")
    assert entry.target == "Case.SuppliedName"
    assert entry.evidence.warnings == [
        "values up to 120 characters; Case.SuppliedName holds 80: longer ones will be cut"
    ]
    assert entry.evidence.confidence <= 0.8


def test_addresses_an_email_field_refuses_are_counted_in_a_warning() -> None:
    email = field("customer.email", "email", max_length=30, invalid_emails=2)
    entry = only(propose_from_profiles([email], org()), "customer.email")
    assert entry.target == "Contact.Email"
    assert entry.evidence.warnings == [
        "2 values are not addresses an Email field takes: they fail unless cleaned"
    ]
    assert entry.evidence.confidence == 0.8


def test_a_conventional_target_missing_from_the_org_is_low_confidence() -> None:
    description = field("ticket.description_text", "textarea", max_length=500)
    entry = only(propose_from_profiles([description], org()), "ticket.description_text")
    assert entry.target == "Case.Description"
    assert entry.evidence.confidence < 0.8
    assert entry.evidence.warnings == ["Case.Description is not in the org's describe"]


def test_an_audit_field_names_the_permission_it_needs() -> None:
    created = field("ticket.created_at", "datetime")
    entry = only(propose_from_profiles([created], org()), "ticket.created_at")
    assert entry.target == "Case.CreatedDate"
    assert "Set Audit Fields" in entry.evidence.warnings[0]


def test_the_channel_feeds_origin_and_the_channel_source_picklist() -> None:
    channel = field("ticket.channel.type", values=("email", "whatsapp", "carrier_pigeon"))
    entries = [
        entry for entry in propose_from_profiles([channel], org()) if entry.source == "ticket.channel.type"
    ]
    assert [entry.target for entry in entries] == ["Case.Origin", "Case.Stames_Channel_Source__c"]
    created = entries[1].create
    assert created is not None
    assert created.picklist_values[-1] == "carrier_pigeon"
    assert entries[1].evidence.warnings == [
        "values outside the contract's list, added as picklist values: carrier_pigeon"
    ]


def test_a_field_the_contract_does_not_list_is_proposed_and_flagged() -> None:
    legacy = field("ticket.legacy_ref", max_length=8)
    entry = only(propose_from_profiles([legacy], org()), "ticket.legacy_ref")
    assert entry.target == "Case.Stames_Legacy_Ref__c"
    assert entry.evidence.confidence < 0.8


def test_a_custom_key_without_definition_is_proposed_and_flagged() -> None:
    orphan = field("ticket.custom.legacy_code", max_length=3, flags=("no definition",))
    entry = only(propose_from_profiles([orphan], org()), "ticket.custom.legacy_code")
    assert entry.target == "Case.Stames_Legacy_Code__c"
    assert "no definition" in entry.evidence.warnings
    assert entry.evidence.confidence < 0.8


def test_every_entry_gives_a_reason() -> None:
    profiles = [
        field("ticket.subject", max_length=9),
        field("ticket.is_spam", "boolean"),
        field("ticket.x", max_length=2),
    ]
    assert all(entry.evidence.reasons for entry in propose_from_profiles(profiles, org()))


def test_an_unknown_list_is_skipped_with_a_reason_at_low_confidence() -> None:
    links = field("ticket.linked_ids", "list")
    entry = only(propose_from_profiles([links], org()), "ticket.linked_ids")
    assert entry.target is None and entry.skip
    assert entry.evidence.confidence < 0.8


def test_tags_become_picklist_values_without_the_multi_select_separator() -> None:
    assert tag_value("Garantía") == "garantia"
    assert tag_value("pantalla,bateria") == "pantalla bateria"
    assert tag_value(" vip ") == "vip"
    assert tag_value("a;b") == "a b"


def test_a_key_with_signs_keeps_its_stames_spelling_in_the_evidence() -> None:
    serial = field("ticket.custom.n_serie", key="n°_série", label="N° de série", max_length=9)
    entry = only(propose_from_profiles([serial], org()), "ticket.custom.n_serie")
    assert entry.target == "Case.Stames_N_Serie__c"
    assert entry.evidence.reasons[0] == "Stames key 'n°_série'"


def test_a_custom_object_field_goes_to_its_own_object_without_prefix() -> None:
    source = "custom_object.Repair_Order.cost"
    cost = field(source, "decimal", object="custom_object.Repair_Order", key="cost", custom=True, max_scale=1)
    entry = only(propose_from_profiles([cost], org()), source)
    assert entry.target == "Stames_Repair_Order__c.Cost__c"
    assert entry.create is not None and (entry.create.type, entry.create.scale) == ("Number", 1)


def test_a_field_a_previous_schema_plan_created_is_found_again() -> None:
    existing = [*CASE, described("Stames_Product_Model__c", "Modelo", "string", length=255)]
    model = field("ticket.custom.product_model", label="Modelo", max_length=13)
    entry = only(propose_from_profiles([model], org(case=existing)), "ticket.custom.product_model")
    assert (entry.target, entry.create) == ("Case.Stames_Product_Model__c", None)


def test_only_a_lookup_to_the_same_object_goes_to_a_reference_field() -> None:
    parent = described("ParentId", "Parent Case ID", "reference", length=18, referenceTo=["Case"])
    case = [*CASE, parent]
    to_ticket = field("ticket.custom.parent_id", "lookup", label="Parent ID", lookup_target="ticket")
    to_agent = field("ticket.custom.parent_agent", "lookup", label="Parent ID", lookup_target="agent")
    number = field("ticket.custom.parent_number", "integer", label="Parent ID", max_length=5)
    entries = propose_from_profiles([to_ticket, to_agent, number], org(case=case))
    assert only(entries, "ticket.custom.parent_id").target == "Case.ParentId"
    assert only(entries, "ticket.custom.parent_agent").target == "Case.Stames_Parent_Agent__c"
    assert only(entries, "ticket.custom.parent_number").target == "Case.Stames_Parent_Number__c"
