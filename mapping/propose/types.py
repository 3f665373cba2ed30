"""Which Salesforce type fits a Stames field, and how well an existing field's type fits it.

`field_kind` reads what a field holds (a text field whose values are all phone numbers is a
phone); `type_compatibility` scores a describe type against it; `new_custom_field` picks the
closest type, length and precision for a field the org must get, with a warning for every
value that will not survive as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mapping.model import CustomField
from mapping.propose.profile import FieldProfile
from mapping.propose.similarity import fold

TEXT_LENGTH = 255
LONG_TEXT_LENGTHS = (32768, 131072)
NUMBER_PRECISION = 18
DECIMAL_DEFAULT_SCALE = 2

_PHONE = re.compile(r"^\+?[\d\s().-]{7,}$")
_DATE_LIKE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}$")

COMPATIBILITY: dict[str, dict[str, float]] = {
    "text": {
        "string": 1.0,
        "textarea": 1.0,
        "combobox": 0.9,
        "picklist": 0.7,
        "email": 0.5,
        "phone": 0.5,
        "url": 0.5,
    },
    "textarea": {"textarea": 1.0, "string": 0.7},
    "html": {"textarea": 1.0, "string": 0.5},
    "integer": {"int": 1.0, "double": 1.0, "currency": 0.9, "percent": 0.8, "reference": 0.9, "string": 0.8},
    "number": {"double": 1.0, "int": 0.8, "currency": 0.9, "percent": 0.8, "string": 0.6},
    "decimal": {"double": 1.0, "currency": 1.0, "percent": 0.8, "int": 0.6, "string": 0.6},
    "boolean": {"boolean": 1.0, "string": 0.5},
    "checkbox": {"boolean": 1.0, "string": 0.5},
    "date": {"date": 1.0, "datetime": 0.8, "string": 0.6},
    "datetime": {"datetime": 1.0, "date": 0.6, "string": 0.6},
    "email": {"email": 1.0, "string": 0.8},
    "phone": {"phone": 1.0, "string": 0.8},
    "dropdown": {"picklist": 1.0, "combobox": 0.9, "string": 0.8, "multipicklist": 0.7},
    "multi_select": {"multipicklist": 1.0, "textarea": 0.6},
    "tags": {"multipicklist": 1.0, "textarea": 0.6},
    "lookup": {"reference": 1.0, "string": 0.5},
}
"""Stames kind → describe `type` → how well the values fit (1: as they are; below 0.8: they narrow)."""

LOOKUP_TARGETS = {"agent": "User", "customer": "Contact", "ticket": "Case"}


def field_kind(profile: FieldProfile) -> str:
    """The stored type, sharpened by the values: a text field holding only emails is `email`."""
    seen = profile.values if profile.values is not None else profile.samples
    if profile.stored_type == "text" and seen:
        if all(_EMAIL.match(value.strip()) for value in seen):
            return "email"
        if all(_PHONE.match(value.strip()) and not _DATE_LIKE.match(value.strip()) for value in seen):
            return "phone"
    return profile.stored_type


def type_compatibility(kind: str, describe_type: str) -> float:
    return COMPATIBILITY.get(kind, {}).get(describe_type, 0.0)


@dataclass(frozen=True)
class TypeChoice:
    """A new field's definition and what the data loses or needs on the way."""

    field: CustomField
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    confidence: float


def custom_object_name(object_key: str) -> str:
    """`warranty` → `Stames_Warranty__c`."""
    return f"Stames_{api_words(object_key)}__c"


def api_words(key: str) -> str:
    """`steps_to_reproduce` → `Steps_To_Reproduce`; accents and other signs become `_` breaks."""
    words = fold(key, split_camel=False).split()
    name = "_".join(word[:1].upper() + word[1:] for word in words) or "Field"
    return f"F_{name}" if name[0].isdigit() else name


def custom_field_name(key: str, *, prefix: str) -> str:
    """An API name of at most 40 characters before `__c`."""
    return f"{(prefix + api_words(key))[:40].rstrip('_')}__c"


def new_custom_field(profile: FieldProfile, api_name: str, label: str) -> TypeChoice:
    """The closest Salesforce field for `profile`'s values."""
    kind = field_kind(profile)
    label = label[:40]
    reasons: list[str] = []
    warnings: list[str] = []
    confidence = 0.9
    if kind != profile.stored_type:
        reasons.append(f"every value is a {kind}: stored as text in Stames, typed {kind} here")
    if kind in ("text", "textarea", "html", "email", "phone", "url", "list") or kind not in COMPATIBILITY:
        if kind not in COMPATIBILITY and kind not in ("list",):
            warnings.append(
                f"Stames type '{profile.stored_type}' is not one the proposer knows: proposed as text"
            )
            confidence = 0.5
        field, text_warnings = _text_field(
            profile, kind if kind in COMPATIBILITY else "text", api_name, label
        )
        warnings.extend(text_warnings)
        if profile.date_like_text:
            warnings.append(f"text that looks like a date ({profile.date_like_text[0]}): kept as text")
            confidence = min(confidence, 0.8)
    elif kind in ("integer", "number", "decimal"):
        default_scale = DECIMAL_DEFAULT_SCALE if kind == "decimal" else 0
        scale = profile.max_scale if profile.max_scale is not None else default_scale
        field = CustomField(
            api_name=api_name, label=label, type="Number", precision=NUMBER_PRECISION, scale=scale
        )
        reasons.append(f"numbers with at most {scale} decimal places in the data")
        if profile.decimal_comma:
            warnings.append(
                f"numbers written with a decimal comma ({profile.decimal_comma[0]}):"
                " the transform must read them"
            )
            confidence = min(confidence, 0.85)
        if profile.not_numbers:
            shown = ", ".join(profile.not_numbers)
            warnings.append(f"values that are not plain numbers ({shown}) are lost unless cleaned")
            confidence = min(confidence, 0.7)
    elif kind in ("boolean", "checkbox"):
        field = CustomField(api_name=api_name, label=label, type="Checkbox")
        odd = [value for value in profile.values or () if value.lower() not in ("true", "false", "1", "0")]
        if odd:
            warnings.append(f"values that are not true/false ({', '.join(odd[:3])}) become false")
            confidence = 0.7
    elif kind == "date":
        field = CustomField(api_name=api_name, label=label, type="Date")
    elif kind == "datetime":
        field = CustomField(api_name=api_name, label=label, type="DateTime")
    elif kind in ("dropdown", "multi_select", "tags"):
        field, pick_warnings = _picklist_field(profile, kind, api_name, label)
        warnings.extend(pick_warnings)
        if pick_warnings:
            confidence = 0.85
    else:  # lookup
        reference_to = lookup_reference(profile)
        if reference_to is None:
            field, _ = _text_field(profile, "text", api_name, label)
            warnings.append(
                f"a lookup to '{profile.lookup_target}', which has no Salesforce object: kept as text"
            )
            confidence = 0.5
        else:
            field = CustomField(
                api_name=api_name,
                label=label,
                type="Lookup",
                reference_to=reference_to,
                relationship_name=api_name.removesuffix("__c"),
            )
            reasons.append(f"a lookup to {profile.lookup_target}: a Lookup to {reference_to}")
    return TypeChoice(field, tuple(reasons), tuple(warnings), confidence)


def lookup_reference(profile: FieldProfile) -> str | None:
    """The Salesforce object a Stames lookup's records become: a custom object's `Stames_<Key>__c`,
    User for an agent, Contact for a customer, Case for a ticket."""
    if profile.lookup_target == "custom_object" and profile.lookup_object_key:
        return custom_object_name(profile.lookup_object_key)
    return LOOKUP_TARGETS.get(profile.lookup_target or "")


def _text_field(profile: FieldProfile, kind: str, api_name: str, label: str) -> tuple[CustomField, list[str]]:
    longest = profile.max_length or 0
    if kind == "email" and longest <= 80:
        return CustomField(api_name=api_name, label=label, type="Email"), []
    if kind == "phone" and longest <= 40:
        return CustomField(api_name=api_name, label=label, type="Phone"), []
    if kind in ("text", "email", "phone") and longest <= TEXT_LENGTH:
        return CustomField(api_name=api_name, label=label, type="Text", length=TEXT_LENGTH), []
    length = next((size for size in LONG_TEXT_LENGTHS if size >= longest), LONG_TEXT_LENGTHS[-1])
    warnings = []
    if longest > length:
        warnings.append(
            f"values up to {longest} characters; the field holds {length}: longer ones will be cut"
        )
    field_type = "Html" if kind == "html" else "LongTextArea"
    return CustomField(
        api_name=api_name, label=label, type=field_type, length=length, visible_lines=5
    ), warnings


PICKLIST_VALUE_LENGTH = 255


def picklist_value_warnings(values: list[str]) -> list[str]:
    """A picklist value holds at most 255 characters (CONTRACT.md, picklist limits)."""
    long = [value for value in values if len(value) > PICKLIST_VALUE_LENGTH]
    if not long:
        return []
    return [
        f"{len(long)} values are longer than {PICKLIST_VALUE_LENGTH} characters and will be cut:"
        f" {long[0][:40]}…"
    ]


def _picklist_field(
    profile: FieldProfile, kind: str, api_name: str, label: str
) -> tuple[CustomField, list[str]]:
    outside = profile.outside_options
    values = (
        list(dict.fromkeys([*profile.options, *outside])) if profile.options else list(profile.values or ())
    )
    warnings = []
    if outside:
        warnings.append(f"values outside the field's options, added as picklist values: {', '.join(outside)}")
    warnings.extend(picklist_value_warnings(values))
    if not values:
        field, _ = _text_field(profile, "text", api_name, label)
        return field, ["no options and no values: kept as text"]
    if kind == "dropdown":
        return CustomField(api_name=api_name, label=label, type="Picklist", picklist_values=values), warnings
    return (
        CustomField(
            api_name=api_name,
            label=label,
            type="MultiselectPicklist",
            visible_lines=4,
            picklist_values=values,
        ),
        warnings,
    )
