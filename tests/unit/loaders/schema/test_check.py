"""The preflight on a small mapping and describes written by hand: each kind of gap, exactly."""

from __future__ import annotations

from typing import Any

import pytest

from loaders.schema.check import check_schema, render_markdown
from loaders.schema.org_facts import CaseAutomation, Observation
from mapping.model import Mapping
from mapping.org import OrgSnapshot

EVIDENCE = {"confidence": 1.0}

MAPPING = Mapping.model_validate(
    {
        "proposed_at": "2026-12-01T09:00:00Z",
        "source": {"account": "acme", "timezone": "UTC"},
        "target": {"instance_url": "https://org.example", "api_version": "62.0"},
        "strategies": {"tags": "none", "tag_field": None, "status_history_object": "Stames_Status_Change__c"},
        "objects": [
            {"source": "ticket", "target": "Case", "load_order": 1, "rule": "one Case per ticket"},
            {
                "source": "status_change",
                "target": "Stames_Status_Change__c",
                "load_order": 2,
                "rule": "one per change",
                "parents": ["Case"],
            },
        ],
        "fields": [
            {
                "source": "ticket.id",
                "source_type": "integer",
                "target": "Case.Stames_Id__c",
                "evidence": EVIDENCE,
            },
            {
                "source": "ticket.subject",
                "source_type": "text",
                "target": "Case.Subject",
                "evidence": EVIDENCE,
            },
            {
                "source": "ticket.number",
                "source_type": "text",
                "target": "Case.Stames_Number__c",
                "create": {"api_name": "Stames_Number__c", "label": "Number", "type": "Text", "length": 32},
                "evidence": EVIDENCE,
            },
            {
                "source": "ticket.custom.units",
                "source_type": "number",
                "target": "Case.Stames_Units__c",
                "create": {
                    "api_name": "Stames_Units__c",
                    "label": "Units",
                    "type": "Number",
                    "precision": 18,
                    "scale": 0,
                },
                "evidence": EVIDENCE,
            },
            {
                "source": "ticket.status",
                "source_type": "text",
                "target": "Case.Status",
                "value_map": "status",
                "evidence": EVIDENCE,
            },
            {
                "source": "ticket.created_at",
                "source_type": "datetime",
                "target": "Case.CreatedDate",
                "evidence": EVIDENCE,
            },
            {
                "source": "status_change.id",
                "source_type": "integer",
                "target": "Stames_Status_Change__c.Stames_Id__c",
                "evidence": EVIDENCE,
            },
            {
                "source": "status_change.to_status",
                "source_type": "text",
                "target": "Stames_Status_Change__c.To_Status__c",
                "create": {"api_name": "To_Status__c", "label": "To", "type": "Text", "length": 255},
                "evidence": EVIDENCE,
            },
        ],
        "value_maps": [
            {
                "name": "status",
                "target": "Case.Status",
                "entries": [
                    {"source": "new", "target": "New", "evidence": EVIDENCE},
                    {"source": "pending", "target": "Pending", "new_value": True, "evidence": EVIDENCE},
                    {
                        "source": "solved",
                        "target": "Solved",
                        "closed": True,
                        "new_value": True,
                        "evidence": EVIDENCE,
                    },
                ],
            }
        ],
        "owners": {"fallback_owner_id": None},
    }
)


def _field(name: str, field_type: str, **flags: Any) -> dict[str, Any]:
    return {"name": name, "type": field_type, "createable": True, "picklistValues": [], **flags}


def _stames_id(**flags: Any) -> dict[str, Any]:
    values = {"length": 64, "externalId": True, "unique": True, "caseSensitive": True, **flags}
    return _field("Stames_Id__c", "string", **values)


def _case_fields() -> dict[str, dict[str, Any]]:
    """Every Case field the mapping writes, as a deployed plan leaves them."""
    return {
        "Stames_Id__c": _stames_id(),
        "Subject": _field("Subject", "string", length=255),
        "Stames_Number__c": _field("Stames_Number__c", "string", length=32),
        "Stames_Units__c": _field("Stames_Units__c", "double", precision=18, scale=0),
        "Status": _field(
            "Status",
            "picklist",
            length=40,
            picklistValues=[
                {"value": value, "active": True} for value in ("New", "Closed", "Pending", "Solved")
            ],
        ),
        "CreatedDate": _field("CreatedDate", "datetime"),
        "Stames_Created_At__c": _field("Stames_Created_At__c", "datetime"),
    }


def _org(case: dict[str, dict[str, Any]] | None = None, with_history: bool = True) -> OrgSnapshot:
    describes: dict[str, dict[str, Any]] = {
        "Case": {"name": "Case", "fields": list((case or _case_fields()).values())}
    }
    if with_history:
        describes["Stames_Status_Change__c"] = {
            "name": "Stames_Status_Change__c",
            "fields": [
                _stames_id(),
                _field("To_Status__c", "string", length=255),
                _field("Stames_Created_At__c", "datetime"),
            ],
        }
    return OrgSnapshot(
        instance_url="https://org.example", organization_id=None, api_version="62.0", describes=describes
    )


def _gaps(org: OrgSnapshot) -> list[str]:
    return [str(gap) for gap in check_schema(MAPPING, org).gaps]


def test_an_org_with_everything_passes() -> None:
    result = check_schema(MAPPING, _org())
    assert result.passed
    assert result.checked == 10


def test_a_missing_field_and_a_short_field_are_the_gaps() -> None:
    case = _case_fields()
    del case["Stames_Units__c"]
    case["Stames_Number__c"]["length"] = 20
    assert _gaps(_org(case)) == [
        "Case.Stames_Number__c: length 20, planned 32",
        "Case.Stames_Units__c: field missing",
    ]


def test_a_missing_custom_object_is_one_gap_not_one_per_field() -> None:
    assert _gaps(_org(with_history=False)) == ["Stames_Status_Change__c: object missing"]


@pytest.mark.parametrize(
    ("name", "change", "gap"),
    [
        (
            "Stames_Units__c",
            {"type": "string", "length": 18},
            "Case.Stames_Units__c: type string, planned Number",
        ),
        ("Stames_Units__c", {"precision": 10}, "Case.Stames_Units__c: precision 10, planned 18"),
        ("Stames_Number__c", {"createable": False}, "Case.Stames_Number__c: not createable"),
        ("Subject", {"createable": False}, "Case.Subject: not createable"),
        ("Stames_Id__c", {"externalId": False}, "Case.Stames_Id__c: not an External ID"),
        ("Stames_Id__c", {"unique": False}, "Case.Stames_Id__c: not unique"),
        ("Stames_Id__c", {"caseSensitive": False}, "Case.Stames_Id__c: not case-sensitive"),
    ],
)
def test_each_kind_of_field_gap(name: str, change: dict[str, Any], gap: str) -> None:
    case = _case_fields()
    case[name] = {**case[name], **change}
    assert _gaps(_org(case)) == [gap]


def test_a_textarea_takes_what_a_text_field_was_planned_for() -> None:
    case = _case_fields()
    case["Stames_Number__c"] = _field("Stames_Number__c", "textarea", length=255)
    assert _gaps(_org(case)) == []


def test_status_values_the_org_lacks_are_listed() -> None:
    case = _case_fields()
    case["Status"]["picklistValues"] = [{"value": "New", "active": True}, {"value": "Closed", "active": True}]
    assert _gaps(_org(case)) == ["Case.Status: picklist lacks Pending, Solved"]


def test_audit_fields_without_the_permission_are_a_gap_that_names_it() -> None:
    case = _case_fields()
    case["CreatedDate"]["createable"] = False
    result = check_schema(MAPPING, _org(case))
    assert [str(gap) for gap in result.gaps] == [
        'Case.CreatedDate: not createable: needs "Set Audit Fields upon Record Creation" '
        "(org preference and user permission)"
    ]
    assert result.notes[0].startswith('Audit fields: "Set Audit Fields upon Record Creation" is not active')


def test_the_report_lists_gaps_and_what_was_observed_of_the_automation() -> None:
    case = _case_fields()
    del case["Stames_Units__c"]
    automation = CaseAutomation(
        assignment_rules=Observation(names=("Standard | Support",)),
        triggers=Observation(unreadable="INVALID_TYPE"),
    )
    markdown = render_markdown(check_schema(MAPPING, _org(case), automation), "sha256:abc")
    assert "Mapping sha256:abc: 10 targets checked, 1 gap(s)." in markdown
    assert "| `Case.Stames_Units__c` | field missing |" in markdown
    assert "- Case assignment rules (active): Standard | Support." in markdown
    assert "- Case triggers (active): not readable through the API (INVALID_TYPE)." in markdown
    assert (
        '- Audit fields: "Set Audit Fields upon Record Creation" is active for the connected user.'
        in markdown
    )


def test_an_object_upserted_on_another_key_needs_it_external_and_unique() -> None:
    objects = [
        item.model_copy(update={"external_id": "Legacy_Key__c"}) if item.target == "Case" else item
        for item in MAPPING.objects
    ]
    mapping = MAPPING.model_copy(update={"objects": objects})
    case = _case_fields()
    assert [str(gap) for gap in check_schema(mapping, _org(case)).gaps] == [
        "Case.Legacy_Key__c: upsert key missing"
    ]
    case["Legacy_Key__c"] = _field("Legacy_Key__c", "string", length=40, externalId=True, unique=False)
    assert [str(gap) for gap in check_schema(mapping, _org(case)).gaps] == [
        "Case.Legacy_Key__c: upsert key is not unique"
    ]


def test_a_status_the_org_closes_differently_from_the_mapping_is_a_gap() -> None:
    # the mapping calls Solved closed and New open
    assert _gaps_closed(frozenset({"Closed", "Solved"})) == []
    assert _gaps_closed(frozenset({"Closed"})) == [
        "Case.Status: Solved is open in the org, the mapping says closed"
    ]
    assert _gaps_closed(frozenset({"Closed", "Solved", "New"})) == [
        "Case.Status: New is closed in the org, the mapping says open"
    ]


def _gaps_closed(closed: frozenset[str]) -> list[str]:
    statuses = {"new": False, "pending": False, "solved": True}
    value_map = MAPPING.value_maps[0]
    entries = [
        entry.model_copy(update={"closed": statuses[str(entry.source)]}) for entry in value_map.entries
    ]
    mapping = MAPPING.model_copy(update={"value_maps": [value_map.model_copy(update={"entries": entries})]})
    return [str(gap) for gap in check_schema(mapping, _org(), org_closed={"CaseStatus": closed}).gaps]


def test_closed_statuses_the_org_does_not_let_be_read_are_a_note() -> None:
    result = check_schema(MAPPING, _org())
    assert result.passed
    assert result.notes[1] == (
        "CaseStatus: which values are closed is not readable through the API; "
        "confirm that Case.Status closes on what the mapping calls closed."
    )
