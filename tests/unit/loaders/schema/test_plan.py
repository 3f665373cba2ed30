"""The plan of the hand-written generated mapping on an org whose Case picklists are written here
by hand (the values of the recorded Case describe)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from loaders.schema.metadata import PicklistChoice
from loaders.schema.plan import PlanError, plan_schema, planned_fields, write_project
from mapping.model import FieldMapping, Mapping
from mapping.org import OrgSnapshot


def _picklist(name: str, values: list[str], default: str | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "type": "picklist",
        "picklistValues": [
            {"active": True, "defaultValue": value == default, "label": value, "value": value}
            for value in values
        ],
    }


ORG = OrgSnapshot(
    instance_url="https://org.example",
    organization_id="00D000000000001AAA",
    api_version="62.0",
    describes={
        "Case": {
            "name": "Case",
            "fields": [
                _picklist("Status", ["New", "Working", "Escalated", "Closed"], default="New"),
                _picklist("Priority", ["High", "Medium", "Low"], default="Medium"),
                _picklist("Origin", ["Phone", "Email", "Web"]),
            ],
        }
    },
)


def test_stames_id_lands_on_every_target_object(generated_mapping: Mapping) -> None:
    plan = plan_schema(generated_mapping, ORG)
    with_id = [item.sobject for item in plan.fields if item.field.api_name == "Stames_Id__c"]
    assert with_id == [
        "Account",
        "Contact",
        "Case",
        "Stames_Status_Change__c",
        "ContentVersion",
        "EmailMessage",
        "Task",
        "Stames_Warranty__c",
        "Stames_Subscription__c",
    ]


def test_every_created_field_and_lookup_is_planned_once(generated_mapping: Mapping) -> None:
    targets = [item.target for item in plan_schema(generated_mapping, ORG).fields]
    assert len(targets) == len(set(targets))
    # the channel source on both objects that carry it, the status history's lookup, custom-object lookups
    for target in (
        "Case.Stames_Channel_Source__c",
        "EmailMessage.Stames_Channel_Source__c",
        "Stames_Status_Change__c.Case__c",
        "Stames_Warranty__c.Case__c",
        "Stames_Warranty__c.Contact__c",
        "Stames_Subscription__c.Contact__c",
        "Case.Stames_Warranty_Record__c",
    ):
        assert target in targets
    # 9 Stames_Id__c + 36 created fields (19 Case, 4 Contact, 1 EmailMessage, 6 status history,
    # 3 warranty, 3 subscription) + 4 custom-object lookups + 5 Stames_Created_At__c (Contact,
    # Case, status history, EmailMessage, Task: the objects whose records carry a CreatedDate)
    assert len(targets) == 9 + 36 + 4 + 5
    assert "Task.Stames_Created_At__c" in targets
    assert "Account.Stames_Created_At__c" not in targets


def test_the_custom_objects_get_a_text_name_only_when_the_mapping_fills_it(
    generated_mapping: Mapping,
) -> None:
    objects = {item.api_name: item for item in plan_schema(generated_mapping, ORG).objects}
    assert list(objects) == ["Stames_Warranty__c", "Stames_Subscription__c", "Stames_Status_Change__c"]
    assert objects["Stames_Warranty__c"].name_field == "Text"
    assert (objects["Stames_Warranty__c"].label, objects["Stames_Warranty__c"].plural_label) == (
        "Warranty",
        "Warranties",
    )
    assert objects["Stames_Status_Change__c"].name_field == "AutoNumber"


def test_case_status_keeps_the_org_values_and_adds_the_new_ones_with_closed(
    generated_mapping: Mapping,
) -> None:
    value_sets = {item.name: item for item in plan_schema(generated_mapping, ORG).value_sets}
    assert list(value_sets) == [
        "CaseStatus",
        "CasePriority",
    ]  # Origin gains nothing: other channels map to null
    status = value_sets["CaseStatus"]
    assert status.added == (
        "Pending",
        "On Hold",
        "Awaiting Parts",
        "Waiting on Third Party",
        "Reopened",
        "Solved",
    )
    assert status.choices == (
        PicklistChoice("New", default=True, closed=False),
        PicklistChoice("Working", closed=False),
        PicklistChoice("Escalated", closed=False),
        PicklistChoice("Closed", closed=True),
        PicklistChoice("Pending", closed=False),
        PicklistChoice("On Hold", closed=False),
        PicklistChoice("Awaiting Parts", closed=False),
        PicklistChoice("Waiting on Third Party", closed=False),
        PicklistChoice("Reopened", closed=False),
        PicklistChoice("Solved", closed=True),
    )
    assert value_sets["CasePriority"].choices == (
        PicklistChoice("High"),
        PicklistChoice("Medium", default=True),
        PicklistChoice("Low"),
        PicklistChoice("Urgent"),
    )


def test_an_org_status_the_mapping_does_not_classify_is_a_warning(generated_mapping: Mapping) -> None:
    org = OrgSnapshot(
        instance_url="https://org.example",
        organization_id=None,
        api_version="62.0",
        describes={"Case": {"name": "Case", "fields": [_picklist("Status", ["New", "Closed", "Duplicate"])]}},
    )
    plan = plan_schema(generated_mapping, org)
    assert plan.warnings == (
        "CaseStatus: neither the mapping nor the org says whether Duplicate is closed; the plan writes "
        "open, check before deploying.",
    )
    [status] = [item for item in plan.value_sets if item.name == "CaseStatus"]
    assert PicklistChoice("Duplicate", closed=False) in status.choices


def test_the_org_closed_statuses_keep_an_unmapped_value_closed(generated_mapping: Mapping) -> None:
    org = OrgSnapshot(
        instance_url="https://org.example",
        organization_id=None,
        api_version="62.0",
        describes={"Case": {"name": "Case", "fields": [_picklist("Status", ["New", "Closed", "Duplicate"])]}},
    )
    plan = plan_schema(generated_mapping, org, {"CaseStatus": frozenset({"Closed", "Duplicate"})})
    assert plan.warnings == ()
    [status] = [item for item in plan.value_sets if item.name == "CaseStatus"]
    assert status.choices[:3] == (
        PicklistChoice("New", closed=False),
        PicklistChoice("Closed", closed=True),
        PicklistChoice("Duplicate", closed=True),
    )


def test_a_picklist_fed_by_a_value_map_gets_the_map_values(generated_mapping: Mapping) -> None:
    reason = next(
        item for item in planned_fields(generated_mapping) if item.target == "Case.Stames_Contact_Reason__c"
    )
    assert reason.field.picklist_values == [
        "billing",
        "returns",
        "tech",
        "warranty",
        "shipping",
        "returns_legacy",
        "garantia_old",
        "Otros",
    ]
    dropped = generated_mapping.model_copy(
        update={
            "fields": [
                entry.model_copy(
                    update={"create": entry.create.model_copy(update={"picklist_values": ["billing"]})}
                )
                if entry.target == "Case.Stames_Contact_Reason__c" and entry.create
                else entry
                for entry in generated_mapping.fields
            ]
        }
    )
    reason = next(item for item in planned_fields(dropped) if item.target == "Case.Stames_Contact_Reason__c")
    assert reason.field.picklist_values == [
        "billing",
        "returns",
        "tech",
        "warranty",
        "shipping",
        "returns_legacy",
        "garantia_old",
        "Otros",
    ]


def _relabel(mapping: Mapping, target: str, label: str) -> list[FieldMapping]:
    return [
        entry.model_copy(update={"create": entry.create.model_copy(update={"label": label})})
        if entry.target == target and entry.create
        else entry
        for entry in mapping.fields
    ]


def test_one_field_name_on_two_objects_is_two_fields(generated_mapping: Mapping) -> None:
    relabelled = _relabel(generated_mapping, "EmailMessage.Stames_Channel_Source__c", "Other")
    planned = {
        item.target: item
        for item in planned_fields(generated_mapping.model_copy(update={"fields": relabelled}))
    }
    assert planned["EmailMessage.Stames_Channel_Source__c"].field.label == "Other"
    assert planned["Case.Stames_Channel_Source__c"].field.label == "Stames Channel Source"


def test_one_field_defined_twice_differently_is_refused(generated_mapping: Mapping) -> None:
    target = "EmailMessage.Stames_Channel_Source__c"
    original = next(entry for entry in generated_mapping.fields if entry.target == target)
    other = _relabel(generated_mapping, target, "Other")
    second = next(entry for entry in other if entry.target == target).model_copy(
        update={"source": "message.channel.kind"}
    )
    twice = generated_mapping.model_copy(update={"fields": [*generated_mapping.fields, second]})
    assert original.create is not None and original.create.label != "Other"
    with pytest.raises(PlanError, match=r"^EmailMessage.Stames_Channel_Source__c is defined twice"):
        planned_fields(twice)


def test_the_project_has_the_sfdx_layout(generated_mapping: Mapping, tmp_path: Path) -> None:
    folder = tmp_path / "salesforce-metadata"
    stale = (
        folder / "force-app" / "main" / "default" / "objects" / "Case" / "fields" / "Gone__c.field-meta.xml"
    )
    stale.parent.mkdir(parents=True)
    stale.write_text("<CustomField/>", encoding="utf-8")
    written = write_project(plan_schema(generated_mapping, ORG), folder)
    relative = {path.relative_to(folder).as_posix() for path in written}
    default = "force-app/main/default"
    for expected in (
        "sfdx-project.json",
        f"{default}/objects/Case/fields/Stames_Id__c.field-meta.xml",
        f"{default}/objects/Activity/fields/Stames_Id__c.field-meta.xml",  # Task fields live on Activity
        f"{default}/objects/Case/fields/Stames_Product_Model__c.field-meta.xml",
        f"{default}/objects/Stames_Warranty__c/Stames_Warranty__c.object-meta.xml",
        f"{default}/objects/Stames_Warranty__c/fields/Case__c.field-meta.xml",
        f"{default}/objects/Stames_Status_Change__c/Stames_Status_Change__c.object-meta.xml",
        f"{default}/standardValueSets/CaseStatus.standardValueSet-meta.xml",
        f"{default}/permissionsets/Stames_Migration.permissionset-meta.xml",
    ):
        assert expected in relative
    assert len(relative) == 1 + 3 + 49 + 5 + 2 + 1
    assert not stale.exists()
    assert not (folder / default / "objects" / "Task").exists()
    permission_set = folder / default / "permissionsets" / "Stames_Migration.permissionset-meta.xml"
    assert "<field>Task.Stames_Id__c</field>" in permission_set.read_text(encoding="utf-8")
    project = (folder / "sfdx-project.json").read_text(encoding="utf-8")
    assert '"path": "force-app"' in project
    assert '"sourceApiVersion": "62.0"' in project
