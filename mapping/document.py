"""The mapping file on disk: read with line-numbered errors, write, hash, confirm, and the gate.

The content hash covers the parsed document without its `confirmation` block, so re-indenting or
re-quoting the YAML keeps a confirmation while any change of a value, an entry or its evidence
voids it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ValidationError

from mapping.model import Confirmation, Mapping

MAPPING_FILE_NAME = "mapping.yml"


class MappingError(Exception):
    """The mapping cannot be used; the message is one line saying what to do."""


class MappingMissingError(MappingError):
    pass


class MappingInvalidError(MappingError):
    pass


class MappingUnconfirmedError(MappingError):
    pass


class MappingChangedError(MappingError):
    pass


def mapping_path(work_root: Path) -> Path:
    return work_root / "mapping" / MAPPING_FILE_NAME


def content_hash(mapping: Mapping) -> str:
    """sha256 of the document's content without its confirmation, in canonical JSON."""
    content = mapping.model_dump(mode="json", exclude={"confirmation"})
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def dump_yaml(mapping: Mapping) -> str:
    content = mapping.model_dump(mode="json")
    _drop_optional_nones(mapping, content)
    return yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=110)


def _drop_optional_nones(model: BaseModel, content: dict[str, Any]) -> None:
    """Leave out a None only where the model defaults to it: a value map's `source: null` (a
    missing value) and `target: null` (left empty) are required and must stay in the file."""
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None and not field.is_required():
            content.pop(name, None)
        elif isinstance(value, BaseModel):
            _drop_optional_nones(value, content[name])
        elif isinstance(value, list):
            for item, item_content in zip(value, content[name], strict=True):
                if isinstance(item, BaseModel):
                    _drop_optional_nones(item, item_content)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, BaseModel):
                    _drop_optional_nones(item, content[name][key])


def write_mapping(mapping: Mapping, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# The Stames → Salesforce mapping. Proposed by `stames-sf map propose`; confirm it with\n"
        "# `stames-sf map confirm`. Any edit after confirmation voids the confirmation.\n"
    )
    tmp = path.with_suffix(".yml.tmp")
    tmp.write_text(header + dump_yaml(mapping), encoding="utf-8")
    tmp.replace(path)


def read_mapping(path: Path) -> Mapping:
    """Parse and validate the file; a broken file gives the line and field that is wrong."""
    if not path.exists():
        raise MappingMissingError(f"No mapping at {path}: run `stames-sf map propose` first.")
    text = path.read_text(encoding="utf-8")
    try:
        content = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "somewhere"
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise MappingInvalidError(f"{path}: {where}: not valid YAML ({problem}).") from None
    if not isinstance(content, dict):
        raise MappingInvalidError(f"{path}: line 1: the mapping must be a YAML mapping of keys.")
    try:
        return Mapping.model_validate(content)
    except ValidationError as error:
        first = error.errors()[0]
        location = tuple(first["loc"])
        line = _line_of(text, location)
        field = _dotted(location) or "(document)"
        raise MappingInvalidError(
            f"{path}: line {line}: {field}: {first['msg']} ({len(error.errors())} error(s) in all)."
        ) from None


def validation_message(error: ValidationError) -> str:
    """The first error of a validation as one line: `field: message`."""
    first = error.errors()[0]
    field = _dotted(tuple(first["loc"])) or "(document)"
    return f"{field}: {first['msg']}"


ConfirmationState = Literal["confirmed", "unconfirmed", "changed"]


def confirmation_state(mapping: Mapping) -> ConfirmationState:
    """Whether the document carries a confirmation that still matches its content."""
    if mapping.confirmation is None:
        return "unconfirmed"
    return "confirmed" if mapping.confirmation.content_hash == content_hash(mapping) else "changed"


def carries_confirmation(path: Path) -> bool:
    """Whether the file at `path` has a `confirmation` block, even one a later edit voided or one
    that no longer validates: what a new proposal would throw away."""
    if not path.exists():
        return False
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return False
    return isinstance(content, dict) and content.get("confirmation") is not None


def confirm(mapping: Mapping, *, by: str, at: datetime, accepted_above: float) -> Mapping:
    """The mapping stamped with who confirmed it, when, and the hash of its content."""
    stamp = Confirmation(by=by, at=at, content_hash=content_hash(mapping), accepted_above=accepted_above)
    return mapping.model_copy(update={"confirmation": stamp})


def require_confirmed(path: Path) -> Mapping:
    """The confirmed, unchanged mapping, or a `MappingError` whose message says what to do."""
    mapping = read_mapping(path)
    if mapping.confirmation is None:
        raise MappingUnconfirmedError(
            f"The mapping at {path} is not confirmed: review it with `stames-sf map review`, "
            "then run `stames-sf map confirm`."
        )
    if mapping.confirmation.content_hash != content_hash(mapping):
        raise MappingChangedError(
            f"The mapping at {path} changed after {mapping.confirmation.by} confirmed it: "
            "review the change with `stames-sf map review` and confirm it again."
        )
    return mapping


def _dotted(location: Sequence[Any]) -> str:
    parts: list[str] = []
    for part in location:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


def _line_of(text: str, location: Sequence[Any]) -> int:
    """1-based line of the deepest YAML node on `location` (pydantic's error path)."""
    node = yaml.compose(text)
    line = node.start_mark.line if node is not None else 0
    for part in location:
        child = _child(node, part)
        if child is None:
            break
        node, line = child, child.start_mark.line
    return line + 1


def _child(node: yaml.Node | None, part: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None
