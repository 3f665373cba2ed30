"""Describe data copied from real org responses (package data), read once per process."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def _text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def recorded_json(name: str) -> Any:
    """A recorded response (`Account`, `Case`, `Global`, `Organization_record`…), as a fresh copy."""
    return json.loads(_text(f"{name}.json"))


def field_flags_text() -> str:
    """Per-field create/update/nil flags of the objects without a recorded describe."""
    return _text("field-flags.txt")
