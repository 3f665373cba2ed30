"""Knobs of the local Stames server (API.md §2.4, §2.8), read from STAMES_* variables or passed in."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

ALL_SCOPES: frozenset[str] = frozenset(
    {
        "tickets:read",
        "customers:read",
        "agents:read",
        "attachments:read",
        "custom_objects:read",
        "settings:read",
    }
)
DEFAULT_API_KEY = "sk_test_localstamesemulatorkey0000000001"
DEFAULT_PORT = 8790


def _default_keys() -> dict[str, set[str]]:
    return {DEFAULT_API_KEY: set(ALL_SCOPES)}


def parse_clock(value: str) -> datetime:
    """A frozen 'now' such as 2024-06-01T12:00:00Z; an offset is required so the instant is unambiguous."""
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None:
        raise ValueError(f"STAMES_NOW needs a UTC offset: {value!r}")
    return parsed


def parse_key_spec(spec: str) -> tuple[str, set[str]]:
    """`KEY` (every scope) or `KEY=scope,scope` (only those), so a restricted key can be served
    to check 403 insufficient_scope. Unknown scope names are refused, not silently ignored."""
    key, _, scope_list = spec.strip().partition("=")
    if not key:
        raise ValueError(f"empty API key in {spec!r}")
    if not scope_list:
        return key, set(ALL_SCOPES)
    scopes = {scope.strip() for scope in scope_list.split(",") if scope.strip()}
    unknown = scopes - ALL_SCOPES
    if unknown:
        raise ValueError(f"unknown scopes {sorted(unknown)} in {spec!r}; known: {sorted(ALL_SCOPES)}")
    return key, scopes


def _as_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass
class StamesSettings:
    """Everything a test or the CLI can turn on the fake server. Defaults follow the contract."""

    rate_limit_rps: float = 10.0
    download_rps: float = 4.0
    fault_429_rate: float = 0.0
    fault_503_every_n: int = 0
    fault_file_503_rate: float = 0.0
    fault_truncate_every_n: int = 0
    fault_file_truncate_every_n: int = 0
    retry_after_httpdate_rate: float = 0.1
    url_ttl_seconds: int = 900
    snapshot_isolation: bool = True
    cursor_ttl_seconds: int = 86400
    now: datetime | None = None
    seed: int = 42
    api_keys: dict[str, set[str]] = field(default_factory=_default_keys)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> StamesSettings:
        """Settings from STAMES_* variables (names as in API.md), then `overrides` on top."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in fields(cls):
            raw = env.get(f"STAMES_{spec.name.upper()}")
            if raw is None or raw == "" or spec.name == "api_keys":
                continue
            values[spec.name] = _convert(spec.name, raw)
        key_specs = [env.get("STAMES_API_KEY", ""), *env.get("STAMES_API_KEYS", "").split()]
        keys = dict(parse_key_spec(spec) for spec in key_specs if spec.strip())
        if keys:
            values["api_keys"] = keys
        return replace(cls(**values), **overrides)


def _convert(name: str, raw: str) -> Any:
    converters: dict[str, Any] = {
        "rate_limit_rps": float,
        "download_rps": float,
        "fault_429_rate": float,
        "fault_503_every_n": int,
        "fault_file_503_rate": float,
        "fault_truncate_every_n": int,
        "fault_file_truncate_every_n": int,
        "retry_after_httpdate_rate": float,
        "url_ttl_seconds": int,
        "snapshot_isolation": _as_bool,
        "cursor_ttl_seconds": int,
        "now": parse_clock,
        "seed": int,
    }
    return converters[name](raw)
