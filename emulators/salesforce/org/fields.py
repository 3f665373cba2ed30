"""Per-field and per-object rules, computed once from describe JSON so each write only looks them up."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from emulators.salesforce.describe import recorded_json

SOAP_TYPES: dict[str, str] = {
    "id": "tns:ID",
    "reference": "tns:ID",
    "boolean": "xsd:boolean",
    "int": "xsd:int",
    "double": "xsd:double",
    "currency": "xsd:double",
    "percent": "xsd:double",
    "date": "xsd:date",
    "datetime": "xsd:dateTime",
    "time": "xsd:time",
    "base64": "xsd:base64Binary",
    "address": "urn:address",
    "location": "urn:location",
    "anyType": "xsd:anyType",
}
"""Every other type (string, textarea, email, picklist…) is `xsd:string`."""

TEXT_TYPES = frozenset(
    {
        "string",
        "textarea",
        "email",
        "phone",
        "url",
        "picklist",
        "multipicklist",
        "combobox",
        "encryptedstring",
    }
)


@dataclass(frozen=True)
class FieldSpec:
    """What a field is; `to_describe()` renders it with every key of a real describe field."""

    name: str
    type: str
    label: str = ""
    createable: bool = True
    updateable: bool = True
    nillable: bool = True
    defaulted: bool = False
    length: int = 0
    precision: int = 0
    scale: int = 0
    digits: int = 0
    reference_to: tuple[str, ...] = ()
    relationship_name: str | None = None
    picklist: tuple[str, ...] = ()
    default_picklist: str | None = None
    restricted: bool = False
    unique: bool = False
    external_id: bool = False
    id_lookup: bool = False
    case_sensitive: bool = False
    custom: bool = False
    default_value: Any = None
    name_field: bool = False
    auto_number: bool = False
    html: bool = False
    extra_type_info: str | None = None

    def to_describe(self) -> dict[str, Any]:
        """The field as `GET /sobjects/X/describe` lists it."""
        is_text = self.type in TEXT_TYPES
        polymorphic = len(self.reference_to) > 1
        is_id = self.type in ("id", "reference")
        length = 18 if is_id else self.length
        return {
            "aggregatable": self.type not in ("textarea", "base64", "multipicklist", "anyType"),
            "aiPredictionField": False,
            "autoNumber": self.auto_number,
            "byteLength": length * 3 if is_text else length,
            "calculated": False,
            "calculatedFormula": None,
            "cascadeDelete": False,
            "caseSensitive": self.case_sensitive,
            "compoundFieldName": None,
            "controllerName": None,
            "createable": self.createable,
            "custom": self.custom,
            "defaultValue": self.default_value if self.type == "boolean" or self.default_value else None,
            "defaultValueFormula": None,
            "defaultedOnCreate": self.defaulted,
            "dependentPicklist": False,
            "deprecatedAndHidden": False,
            "digits": self.digits,
            "displayLocationInDecimal": False,
            "encrypted": False,
            "externalId": self.external_id,
            "extraTypeInfo": self.extra_type_info,
            "filterable": self.type not in ("textarea", "base64"),
            "filteredLookupInfo": None,
            "formulaTreatNullNumberAsZero": False,
            "groupable": self.type not in ("textarea", "base64", "double", "currency", "percent", "datetime"),
            "highScaleNumber": False,
            "htmlFormatted": self.html,
            "idLookup": self.id_lookup or self.type == "id",
            "inlineHelpText": None,
            "label": self.label or self.name,
            "length": length,
            "mask": None,
            "maskType": None,
            "name": self.name,
            "nameField": self.name_field,
            "namePointing": polymorphic,
            "nillable": self.nillable,
            "permissionable": self.custom and self.nillable,
            "picklistValues": [
                {
                    "active": True,
                    "defaultValue": value == self.default_picklist,
                    "label": value,
                    "validFor": None,
                    "value": value,
                }
                for value in self.picklist
            ],
            "polymorphicForeignKey": polymorphic,
            "precision": self.precision,
            "queryByDistance": False,
            "referenceTargetField": None,
            "referenceTo": list(self.reference_to),
            "relationshipName": self.relationship_name,
            "relationshipOrder": None,
            "restrictedDelete": False,
            "restrictedPicklist": self.restricted,
            "scale": self.scale,
            "searchPrefilterable": False,
            "soapType": SOAP_TYPES.get(self.type, "xsd:string"),
            "sortable": self.type not in ("textarea", "base64", "multipicklist"),
            "type": self.type,
            "unique": self.unique,
            "updateable": self.updateable,
            "writeRequiresMasterRead": False,
        }


@dataclass(frozen=True, slots=True)
class FieldRule:
    """The parts of a describe field that writes check, read once per schema change."""

    name: str
    label: str
    type: str
    length: int
    createable: bool
    updateable: bool
    nillable: bool
    defaulted: bool
    unique: bool
    external_id: bool
    id_lookup: bool
    case_sensitive: bool
    custom: bool
    restricted: bool
    precision: int
    scale: int
    digits: int
    reference_to: tuple[str, ...]
    picklist: frozenset[str]
    default_picklist: str | None
    default_value: Any
    relationship_name: str | None = None

    @property
    def required(self) -> bool:
        """Contract §2.2: `createable && !nillable && !defaultedOnCreate`."""
        return self.createable and not self.nillable and not self.defaulted

    @property
    def indexed(self) -> bool:
        """Values worth an index: uniqueness checks, upsert keys, relationship columns."""
        return self.type != "id" and (self.unique or self.external_id or self.id_lookup)

    @classmethod
    def from_describe(cls, described: dict[str, Any]) -> FieldRule:
        picklist_values = described.get("picklistValues") or []
        defaults = [entry["value"] for entry in picklist_values if entry.get("defaultValue")]
        return cls(
            name=described["name"],
            label=described.get("label") or described["name"],
            type=described["type"],
            length=int(described.get("length") or 0),
            createable=bool(described["createable"]),
            updateable=bool(described["updateable"]),
            nillable=bool(described["nillable"]),
            defaulted=bool(described["defaultedOnCreate"]),
            unique=bool(described.get("unique")),
            external_id=bool(described.get("externalId")),
            id_lookup=bool(described.get("idLookup")),
            case_sensitive=bool(described.get("caseSensitive")),
            custom=bool(described.get("custom")) or described["name"].endswith("__c"),
            restricted=bool(described.get("restrictedPicklist")),
            precision=int(described.get("precision") or 0),
            scale=int(described.get("scale") or 0),
            digits=int(described.get("digits") or 0),
            reference_to=tuple(described.get("referenceTo") or ()),
            picklist=frozenset(entry["value"] for entry in picklist_values if entry.get("active", True)),
            default_picklist=defaults[0] if defaults else None,
            default_value=described.get("defaultValue"),
            relationship_name=described.get("relationshipName"),
        )


@dataclass
class ObjectSchema:
    """One object: its describe JSON (what clients read) and the rules derived from it."""

    describe: dict[str, Any]
    rules: dict[str, FieldRule] = field(default_factory=dict)
    field_order: list[str] = field(default_factory=list)
    indexed: list[FieldRule] = field(default_factory=list)
    blob_fields: list[str] = field(default_factory=list)
    relationships: dict[str, FieldRule] = field(default_factory=dict)
    _describe_text: str | None = None

    def __post_init__(self) -> None:
        self.refresh()

    @property
    def name(self) -> str:
        return str(self.describe["name"])

    @property
    def key_prefix(self) -> str:
        return str(self.describe["keyPrefix"])

    @property
    def custom(self) -> bool:
        return bool(self.describe["custom"])

    def flag(self, name: str) -> bool:
        """An object-level describe flag: createable, updateable, deletable…"""
        return bool(self.describe.get(name))

    def describe_copy(self) -> dict[str, Any]:
        """A private copy of the describe (callers may change it); the JSON text is cached."""
        if self._describe_text is None:
            self._describe_text = json.dumps(self.describe)
        return dict(json.loads(self._describe_text))

    def rule(self, field_name: str) -> FieldRule | None:
        """The rule of a field by case-insensitive API name."""
        return self.rules.get(field_name.lower())

    def refresh(self) -> None:
        """Recompute the rules after the describe changed (deploy)."""
        self._describe_text = None
        fields = self.describe["fields"]
        self.rules = {described["name"].lower(): FieldRule.from_describe(described) for described in fields}
        self.field_order = [described["name"] for described in fields]
        self.indexed = [rule for rule in self.rules.values() if rule.indexed]
        self.blob_fields = [rule.name for rule in self.rules.values() if rule.type == "base64"]
        self.relationships = {
            rule.relationship_name.lower(): rule
            for rule in self.rules.values()
            if rule.type == "reference" and rule.relationship_name
        }

    def add_field(self, spec: FieldSpec) -> None:
        """Add or replace a field (metadata deploy)."""
        described = spec.to_describe()
        fields = self.describe["fields"]
        for index, existing in enumerate(fields):
            if existing["name"].lower() == spec.name.lower():
                fields[index] = described
                break
        else:
            fields.append(described)
        self.refresh()


def object_template() -> dict[str, Any]:
    """Top-level describe keys of a real object (the Case recording), with no fields yet."""
    template = copy.deepcopy(_case_top_level())
    template.update(
        childRelationships=[],
        fields=[],
        namedLayoutInfos=[],
        supportedScopes=[{"label": "All", "name": "everything"}],
        recordTypeInfos=[master_record_type()],
    )
    return template


def master_record_type() -> dict[str, Any]:
    return {
        "active": True,
        "available": True,
        "defaultRecordTypeMapping": True,
        "developerName": "Master",
        "master": True,
        "name": "Master",
        "recordTypeId": "012000000000000AAA",
        "urls": {},
    }


def _case_top_level() -> dict[str, Any]:
    recorded = recorded_json("Case")
    return {key: value for key, value in recorded.items() if key not in ("fields", "childRelationships")}
