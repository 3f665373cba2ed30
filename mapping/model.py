"""The mapping document: what the tool proposes, what a person confirms, what every stage reads.

Parsed the way CumulusCI parses its mapping: one pydantic model, `extra="forbid"` everywhere, so a
typo in a hand edit is an error with its line and field (see `mapping.document`), never a
silently ignored key.

Names used throughout:
- a *source* is `<object>.<field>` in Stames terms: `ticket.subject`, `ticket.custom.product_model`,
  `customer.custom.loyalty_tier`, `custom_object.warranty.serial_number`;
- a *target* is `<SObject>.<Field>` in Salesforce API names: `Case.Subject`, `Case.Stames_Model__c`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAPPING_VERSION = 1
EXTERNAL_ID_FIELD = "Stames_Id__c"
"""The one name of the field that carries a record's Stames id on every target object; its
definition (length, uniqueness, case sensitivity, with the reasons) is `STAMES_ID` below."""
CHANNEL_SOURCE_FIELD = "Stames_Channel_Source__c"
DEFAULT_INTERNAL_NOTES: Literal["Task", "CaseComment"] = "Task"
"""Where internal notes go unless the mapping says otherwise: the proposer's choice and the one
discovery's estimate assumes before a mapping exists."""

SOURCE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-zA-Z0-9_]+)+$")
TARGET_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$")
CUSTOM_NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*__c$")

Confidence = Annotated[float, Field(ge=0.0, le=1.0)]

SalesforceFieldType = Literal[
    "Text",
    "TextArea",
    "LongTextArea",
    "Html",
    "Number",
    "Currency",
    "Percent",
    "Checkbox",
    "Date",
    "DateTime",
    "Email",
    "Phone",
    "Url",
    "Picklist",
    "MultiselectPicklist",
    "Lookup",
]
"""Metadata API field types the schema plan can create (`<type>` in a `.field-meta.xml`)."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(Strict):
    """Why the tool proposed an entry, and how sure it is. Numbers are in 0..1 where given."""

    confidence: Confidence
    reasons: list[str] = Field(default_factory=list)
    """Each reason in words a person can check: "label 'Modelo' means 'Model' (es)"."""
    warnings: list[str] = Field(default_factory=list)
    """Why the entry is low-confidence or lossy: a value that will be cut, a type that narrows."""
    name_similarity: Confidence | None = None
    label_similarity: Confidence | None = None
    type_compatibility: Confidence | None = None
    value_overlap: Confidence | None = None
    fill_rate: Confidence | None = None
    samples: list[str] = Field(default_factory=list)
    accepted_by: str | None = None
    """Who decided this entry by hand at `stames-sf map confirm` (accepted or changed it), so an
    entry below the confirmation threshold is not asked again."""

    @property
    def lossy(self) -> bool:
        return bool(self.warnings)


class CustomField(Strict):
    """A field the org must have and may not have yet: the schema plan creates it."""

    api_name: str
    label: str
    type: SalesforceFieldType
    length: int | None = Field(default=None, ge=1, le=131072)
    precision: int | None = Field(default=None, ge=1, le=18)
    scale: int | None = Field(default=None, ge=0, le=17)
    visible_lines: int | None = Field(default=None, ge=1, le=50)
    picklist_values: list[str] = Field(default_factory=list)
    reference_to: str | None = None
    relationship_name: str | None = None
    external_id: bool = False
    unique: bool = False
    case_sensitive: bool = False
    description: str | None = None

    @field_validator("api_name")
    @classmethod
    def _custom_name(cls, value: str) -> str:
        if not CUSTOM_NAME_PATTERN.match(value) or len(value) > 43:
            raise ValueError(f"{value!r} is not a custom field API name (letters, digits, _ ending in __c)")
        return value

    @model_validator(mode="after")
    def _type_needs(self) -> CustomField:
        if self.type in ("Picklist", "MultiselectPicklist") and not self.picklist_values:
            raise ValueError(f"{self.api_name}: a {self.type} needs picklist_values")
        if self.type == "Lookup" and not (self.reference_to and self.relationship_name):
            raise ValueError(f"{self.api_name}: a Lookup needs reference_to and relationship_name")
        if self.type in ("Text", "LongTextArea", "Html") and self.length is None:
            raise ValueError(f"{self.api_name}: a {self.type} field needs a length")
        if self.type in ("Number", "Currency", "Percent") and self.precision is None:
            raise ValueError(f"{self.api_name}: a {self.type} field needs a precision")
        return self


class FieldMapping(Strict):
    """One Stames field: its Salesforce target, or an explicit skip with a reason."""

    source: str
    source_type: str
    target: str | None = None
    create: CustomField | None = None
    """Set when the target is a custom field the org must get (the schema plan creates it)."""
    skip: str | None = None
    """Why the field is not migrated; set exactly when `target` is not."""
    value_map: str | None = None
    """Name of the value map (`value_maps[].name`) applied to this field's values. Agent ids
    (a target that is a User lookup, such as Case.OwnerId) are translated by `owners` instead."""
    evidence: Evidence

    @field_validator("source")
    @classmethod
    def _source_shape(cls, value: str) -> str:
        if not SOURCE_PATTERN.match(value):
            raise ValueError(f"{value!r} is not a source like 'ticket.subject' or 'ticket.custom.<key>'")
        return value

    @field_validator("target")
    @classmethod
    def _target_shape(cls, value: str | None) -> str | None:
        if value is not None and not TARGET_PATTERN.match(value):
            raise ValueError(f"{value!r} is not a target like 'Case.Subject'")
        return value

    @model_validator(mode="after")
    def _target_or_skip(self) -> FieldMapping:
        if (self.target is None) == (self.skip is None):
            raise ValueError(f"{self.source}: give exactly one of target or skip")
        if self.create is not None and (
            self.target is None or self.target.split(".", 1)[1] != self.create.api_name
        ):
            raise ValueError(f"{self.source}: create.api_name must be the target's field name")
        return self

    @property
    def source_object(self) -> str:
        return self.source.split(".", 1)[0]

    @property
    def target_object(self) -> str | None:
        return self.target.split(".", 1)[0] if self.target else None

    @property
    def target_field(self) -> str | None:
        return self.target.split(".", 1)[1] if self.target else None


class ValueMapEntry(Strict):
    """One source value and the Salesforce value it becomes (`None`: left empty)."""

    # Both default to None because the writer omits null keys: an entry without `source` is the
    # one for a missing value, one without `target` leaves the field empty.
    source: str | None = None
    """The stored Stames value; `null` maps a missing value (a ticket without priority)."""
    target: str | None = None
    closed: bool | None = None
    """For Case Status: whether the value is a closed status."""
    new_value: bool = False
    """The org's value set lacks `target`: the schema plan adds it."""
    evidence: Evidence


class ValueMap(Strict):
    """A value translation for one target field: statuses, priorities, channels, options, tags."""

    name: str
    target: str
    entries: list[ValueMapEntry]
    default: str | None = None
    """Used for a value the map does not list (one that appears only at the cutover delta)."""

    @field_validator("target")
    @classmethod
    def _target_shape(cls, value: str) -> str:
        if not TARGET_PATTERN.match(value):
            raise ValueError(f"{value!r} is not a target like 'Case.Status'")
        return value

    @model_validator(mode="after")
    def _unique_sources(self) -> ValueMap:
        seen: set[str | None] = set()
        for entry in self.entries:
            if entry.source in seen:
                raise ValueError(f"value map {self.name}: source value {entry.source!r} listed twice")
            seen.add(entry.source)
        return self

    def lookup(self) -> dict[str | None, str | None]:
        return {entry.source: entry.target for entry in self.entries}


class MessageRoute(Strict):
    """Where messages of one author type and direction go, and how they are flagged there."""

    author_type: Literal["customer", "agent", "bot", "system"]
    direction: Literal["inbound", "outbound", "internal"]
    target: Literal["EmailMessage", "Task", "CaseComment", "skip"]
    incoming: bool | None = None
    """EmailMessage.Incoming (true for what the customer sent)."""
    status: str | None = None
    """EmailMessage.Status code: 0 New, 1 Read, 2 Replied, 3 Sent, 4 Forwarded, 5 Draft."""
    skip_reason: str | None = None
    evidence: Evidence

    @model_validator(mode="after")
    def _consistent(self) -> MessageRoute:
        if self.target == "EmailMessage" and (self.incoming is None or self.status is None):
            route = f"{self.author_type}/{self.direction}"
            raise ValueError(f"{route}: an EmailMessage needs incoming and status")
        if self.target == "skip" and not self.skip_reason:
            raise ValueError(f"{self.author_type}/{self.direction}: a skipped route needs skip_reason")
        return self


class AgentMatch(Strict):
    """A Stames agent and the Salesforce User proposed for it, matched by email."""

    agent_id: int
    email: str | None = None
    name: str
    user_id: str | None = None
    username: str | None = None
    state: Literal["matched", "inactive_user", "no_user", "deleted_agent"]
    evidence: Evidence


class Owners(Strict):
    """Agents → Users, and who owns what no agent maps to."""

    fallback_owner_id: str | None = None
    """A User or Queue Id; cases of unmatched agents and unassigned tickets go to it."""
    fallback_owner_name: str | None = None
    agents: list[AgentMatch] = Field(default_factory=list)


class ObjectMapping(Strict):
    """One Stames object → one Salesforce object, with its place in the load order."""

    source: str
    target: str
    load_order: int = Field(ge=1)
    rule: str
    """In words: "one Case per ticket", "one Account per company (normalised name)"."""
    external_id: str = EXTERNAL_ID_FIELD
    parents: list[str] = Field(default_factory=list)
    """Target objects that must be loaded before this one (its lookups point at them)."""


class CustomObjectMapping(Strict):
    """A Stames custom object type → a Salesforce custom object with lookups to its parents."""

    source_key: str
    api_name: str
    label: str
    plural_label: str
    lookups: list[CustomField] = Field(default_factory=list)
    """Lookups to Case / Contact (one Case link per record; further ticket links are listed in a warning)."""
    evidence: Evidence

    @field_validator("api_name")
    @classmethod
    def _custom_name(cls, value: str) -> str:
        if not CUSTOM_NAME_PATTERN.match(value):
            raise ValueError(f"{value!r} is not a custom object API name (ending in __c)")
        return value


class ExclusionRule(Strict):
    """Records that are not migrated on purpose, each counted under this rule's name."""

    name: str
    source: str
    condition: str
    """In words, and what the transform applies: "is_spam is true"."""
    enabled: bool = True


class Strategies(Strict):
    """The choices that shape whole objects rather than single fields."""

    internal_notes: Literal["Task", "CaseComment"] = DEFAULT_INTERNAL_NOTES
    tags: Literal["multipicklist", "topics", "none"]
    tag_field: str | None = "Case.Stames_Tags__c"
    accounts: Literal["company_or_customer"] = "company_or_customer"
    """A company → one business Account (normalised name); none → an Account named after the customer."""
    match_existing_accounts: bool = True
    status_history_object: str = "Stames_Status_Change__c"
    evidence: dict[str, Evidence] = Field(default_factory=dict)
    """Evidence per strategy key (`internal_notes`, `tags`, ...)."""


class ManualItem(Strict):
    """Work the tool does not migrate; it goes into the handoff list."""

    topic: str
    what: str
    why: str


class SourceInfo(Strict):
    account: str
    timezone: str
    legacy_timestamps_local_time: bool = False


class TargetInfo(Strict):
    instance_url: str
    organization_id: str | None = None
    api_version: str | None = None


class Confirmation(Strict):
    """Who confirmed the mapping, when, and the hash of exactly what they confirmed."""

    by: str
    at: datetime
    content_hash: str
    accepted_above: Confidence


class Mapping(Strict):
    """The whole mapping: one document, read by every stage after extraction."""

    version: Literal[1] = MAPPING_VERSION
    proposed_at: datetime
    source: SourceInfo
    target: TargetInfo
    strategies: Strategies
    objects: list[ObjectMapping]
    fields: list[FieldMapping]
    value_maps: list[ValueMap] = Field(default_factory=list)
    message_routes: list[MessageRoute] = Field(default_factory=list)
    owners: Owners
    custom_objects: list[CustomObjectMapping] = Field(default_factory=list)
    exclusions: list[ExclusionRule] = Field(default_factory=list)
    manual: list[ManualItem] = Field(default_factory=list)
    confirmation: Confirmation | None = None

    @model_validator(mode="after")
    def _references(self) -> Mapping:
        pairs = [(entry.source, entry.target) for entry in self.fields]
        duplicates = sorted(
            {f"{source} → {target}" for source, target in pairs if pairs.count((source, target)) > 1}
        )
        if duplicates:
            raise ValueError(f"fields listed twice: {', '.join(duplicates)}")
        names = {value_map.name for value_map in self.value_maps}
        for entry in self.fields:
            if entry.value_map is not None and entry.value_map not in names:
                raise ValueError(f"{entry.source}: value_map {entry.value_map!r} is not in value_maps")
        return self

    def targets_of(self, source: str) -> list[FieldMapping]:
        """The entries of one Stames field (a field can feed two targets, e.g. Origin and channel source)."""
        return [entry for entry in self.fields if entry.source == source]

    def value_map(self, name: str) -> ValueMap:
        for value_map in self.value_maps:
            if value_map.name == name:
                return value_map
        raise KeyError(name)

    @property
    def custom_fields(self) -> list[CustomField]:
        """Every custom field the mapping needs on an existing object, in file order."""
        return [entry.create for entry in self.fields if entry.create is not None]


STAMES_ID = CustomField(
    api_name=EXTERNAL_ID_FIELD,
    label="Stames Id",
    type="Text",
    # Integer ids of tickets, customers, messages... are at most 20 characters; custom-object
    # record ids (`wr_000981`) are strings the API does not bound: 64 holds both with room.
    length=64,
    external_id=True,
    # An id names one record of its object; `wr_a1` and `WR_A1` are two records, so matching
    # must not fold case (Salesforce folds it on Unique fields unless case-sensitive).
    unique=True,
    case_sensitive=True,
    description="The record's id in Stames; the loader upserts on it and children name parents by it.",
)
"""`Stames_Id__c` on every target object: the schema plan renders it, loader and tests use it."""

STAMES_CREATED_AT = CustomField(
    api_name="Stames_Created_At__c",
    label="Stames Created At",
    type="DateTime",
    description="When the record was created in Stames. The loader fills it only when the loading "
    "user may not set CreatedDate (no 'Set Audit Fields upon Record Creation').",
)
"""Where the original creation time goes when audit fields cannot be set: on every target object
whose records carry a CreatedDate (the mapping maps one, or the transform writes one)."""

CREATED_AT_CARRIERS = frozenset({"Contact", "Case", "EmailMessage", "Task", "CaseComment"})
"""Standard objects whose sync rows carry CreatedDate; custom objects (status history) carry it too."""
