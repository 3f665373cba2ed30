"""Every describe has the real shape (contract §2.2), and the required fields it implies."""

from __future__ import annotations

import pytest

from emulators.salesforce.org.schema import SchemaRegistry
from emulators.salesforce.org.store import Org

OBJECT_KEYS = {
    "actionOverrides",
    "activateable",
    "childRelationships",
    "compactLayoutable",
    "createable",
    "custom",
    "customSetting",
    "deepCloneable",
    "defaultImplementation",
    "deletable",
    "deprecatedAndHidden",
    "extendedBy",
    "extendsInterfaces",
    "feedEnabled",
    "fields",
    "hasSubtypes",
    "implementedBy",
    "implementsInterfaces",
    "isInterface",
    "isSubtype",
    "keyPrefix",
    "label",
    "labelPlural",
    "layoutable",
    "listviewable",
    "lookupLayoutable",
    "mergeable",
    "mruEnabled",
    "name",
    "namedLayoutInfos",
    "networkScopeFieldName",
    "queryable",
    "recordTypeInfos",
    "replicateable",
    "retrieveable",
    "searchLayoutable",
    "searchable",
    "supportedScopes",
    "triggerable",
    "undeletable",
    "updateable",
    "urls",
}
FIELD_KEYS = {
    "aggregatable",
    "aiPredictionField",
    "autoNumber",
    "byteLength",
    "calculated",
    "calculatedFormula",
    "cascadeDelete",
    "caseSensitive",
    "compoundFieldName",
    "controllerName",
    "createable",
    "custom",
    "defaultValue",
    "defaultValueFormula",
    "defaultedOnCreate",
    "dependentPicklist",
    "deprecatedAndHidden",
    "digits",
    "displayLocationInDecimal",
    "encrypted",
    "externalId",
    "extraTypeInfo",
    "filterable",
    "filteredLookupInfo",
    "formulaTreatNullNumberAsZero",
    "groupable",
    "highScaleNumber",
    "htmlFormatted",
    "idLookup",
    "inlineHelpText",
    "label",
    "length",
    "mask",
    "maskType",
    "name",
    "nameField",
    "namePointing",
    "nillable",
    "permissionable",
    "picklistValues",
    "polymorphicForeignKey",
    "precision",
    "queryByDistance",
    "referenceTargetField",
    "referenceTo",
    "relationshipName",
    "relationshipOrder",
    "restrictedDelete",
    "restrictedPicklist",
    "scale",
    "searchPrefilterable",
    "soapType",
    "sortable",
    "type",
    "unique",
    "updateable",
    "writeRequiresMasterRead",
}
REGISTRY = SchemaRegistry.standard()
RECORDED = {"Account", "Contact", "Case"}
"""Recorded describes are kept as recorded (Case.Comments reports byteLength 4000 for length 4000)."""
EXPECTED_OBJECTS = {
    "Account",
    "Contact",
    "Case",
    "EmailMessage",
    "Task",
    "User",
    "Group",
    "Profile",
    "RecordType",
    "ContentVersion",
    "ContentDocument",
    "ContentDocumentLink",
    "Topic",
    "TopicAssignment",
    "CaseComment",
    "CaseHistory",
    "Organization",
    # setup objects the automation check reads (org/setup_objects.py)
    "ApexTrigger",
    "AssignmentRule",
    "CustomPermission",
    "PermissionSet",
    "SetupEntityAccess",
    "PermissionSetAssignment",
}


def test_every_required_object_is_present() -> None:
    assert set(REGISTRY.names()) == EXPECTED_OBJECTS


@pytest.mark.parametrize("sobject", sorted(EXPECTED_OBJECTS))
def test_describe_shape(sobject: str) -> None:
    described = REGISTRY.get(sobject).describe
    assert set(described) >= OBJECT_KEYS
    assert described["name"] == sobject
    for item in described["fields"]:
        assert set(item) >= FIELD_KEYS, (sobject, item["name"], FIELD_KEYS - set(item))
        if sobject not in RECORDED and item["type"] in ("string", "textarea", "email", "picklist"):
            assert item["byteLength"] == 3 * item["length"]
    assert described["fields"][0]["name"] == "Id"


@pytest.mark.parametrize(
    ("sobject", "required"),
    [
        ("Account", {"Name"}),
        ("Contact", {"LastName"}),
        ("Case", set()),
        ("ContentDocumentLink", {"LinkedEntityId", "ContentDocumentId"}),
        ("TopicAssignment", {"TopicId", "EntityId"}),
        (
            "User",
            {
                "Username",
                "LastName",
                "Email",
                "Alias",
                "TimeZoneSidKey",
                "LocaleSidKey",
                "EmailEncodingKey",
                "ProfileId",
                "LanguageLocaleKey",
            },
        ),
    ],
)
def test_required_fields_follow_the_contract_formula(sobject: str, required: set[str]) -> None:
    rules = REGISTRY.get(sobject).rules.values()
    assert {rule.name for rule in rules if rule.required} == required


def test_object_level_flags_from_the_contract() -> None:
    assert REGISTRY.get("User").describe["deletable"] is False
    assert REGISTRY.get("CaseHistory").describe["createable"] is False
    assert REGISTRY.get("ContentDocument").describe["createable"] is False
    assert REGISTRY.get("TopicAssignment").describe["updateable"] is False
    case_owner = REGISTRY.get("Case").rule("OwnerId")
    assert case_owner is not None and set(case_owner.reference_to) == {"Group", "User"}


def test_key_prefixes_are_unique() -> None:
    prefixes = [REGISTRY.get(name).key_prefix for name in REGISTRY.names()]
    assert len(prefixes) == len(set(prefixes))


def test_child_relationships_of_built_objects() -> None:
    def children(sobject: str) -> set[tuple[str, str, str]]:
        return {
            (item["childSObject"], item["field"], item["relationshipName"])
            for item in REGISTRY.get(sobject).describe["childRelationships"]
        }

    assert ("ContentVersion", "ContentDocumentId", "ContentVersions") in children("ContentDocument")
    assert ("TopicAssignment", "TopicId", "TopicAssignments") in children("Topic")
    assert ("EmailMessage", "ParentId", "EmailMessages") in children("Case")


def test_every_reference_field_names_its_targets() -> None:
    empty = [
        f"{name}.{field['name']}"
        for name in REGISTRY.names()
        for field in REGISTRY.get(name).describe["fields"]
        if field["type"] == "reference" and not field["referenceTo"]
    ]
    assert empty == []


def test_deployed_custom_objects_join_the_polymorphic_targets_that_take_them(deployed_org: Org) -> None:
    def targets(sobject: str, field_name: str) -> list[str]:
        fields = deployed_org.describe(sobject)["fields"]
        return next(field["referenceTo"] for field in fields if field["name"] == field_name)

    assert "Ticket_Event__c" in targets("Task", "WhatId")
    assert "Ticket_Event__c" in targets("ContentDocumentLink", "LinkedEntityId")
    # topics are off for custom objects (contract §4.5)
    assert "Ticket_Event__c" not in targets("TopicAssignment", "EntityId")
    assert targets("Task", "WhatId") == sorted(targets("Task", "WhatId"))
