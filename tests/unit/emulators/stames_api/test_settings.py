"""StamesSettings: defaults from the contract and STAMES_* variables."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from emulators.stames_api.settings import ALL_SCOPES, DEFAULT_API_KEY, StamesSettings, parse_key_spec


def test_default_key_has_the_documented_shape_and_every_scope() -> None:
    assert DEFAULT_API_KEY.startswith("sk_test_")
    assert len(DEFAULT_API_KEY) == len("sk_test_") + 32
    assert StamesSettings().api_keys == {DEFAULT_API_KEY: set(ALL_SCOPES)}


def test_environment_variables_are_read() -> None:
    env = {
        "STAMES_RATE_LIMIT_RPS": "25",
        "STAMES_DOWNLOAD_RPS": "3",
        "STAMES_FAULT_429_RATE": "0.05",
        "STAMES_FAULT_503_EVERY_N": "7",
        "STAMES_FAULT_FILE_503_RATE": "0.2",
        "STAMES_RETRY_AFTER_HTTPDATE_RATE": "0.5",
        "STAMES_FAULT_TRUNCATE_EVERY_N": "5",
        "STAMES_FAULT_FILE_TRUNCATE_EVERY_N": "4",
        "STAMES_URL_TTL_SECONDS": "1",
        "STAMES_SNAPSHOT_ISOLATION": "false",
        "STAMES_CURSOR_TTL_SECONDS": "60",
        "STAMES_NOW": "2024-06-01T12:00:00Z",
        "STAMES_SEED": "7",
        "STAMES_API_KEY": "sk_test_fromenv",
    }
    settings = StamesSettings.from_env(env)
    assert settings.rate_limit_rps == 25
    assert settings.download_rps == 3
    assert settings.fault_429_rate == 0.05
    assert settings.fault_503_every_n == 7
    assert settings.fault_file_503_rate == 0.2
    assert settings.retry_after_httpdate_rate == 0.5
    assert settings.fault_truncate_every_n == 5
    assert settings.fault_file_truncate_every_n == 4
    assert settings.url_ttl_seconds == 1
    assert settings.snapshot_isolation is False
    assert settings.cursor_ttl_seconds == 60
    assert settings.now == datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    assert settings.seed == 7
    assert settings.api_keys == {"sk_test_fromenv": set(ALL_SCOPES)}


def test_overrides_win_over_the_environment() -> None:
    settings = StamesSettings.from_env({"STAMES_RATE_LIMIT_RPS": "25"}, rate_limit_rps=3.0)
    assert settings.rate_limit_rps == 3.0
    assert StamesSettings.from_env({}) == StamesSettings()


def test_frozen_clock_needs_an_offset() -> None:
    with pytest.raises(ValueError, match="offset"):
        StamesSettings.from_env({"STAMES_NOW": "2024-06-01T12:00:00"})


def test_key_specs_grant_every_scope_or_only_the_named_ones() -> None:
    assert parse_key_spec("sk_test_a") == ("sk_test_a", set(ALL_SCOPES))
    assert parse_key_spec("sk_test_b=tickets:read, agents:read") == (
        "sk_test_b",
        {"tickets:read", "agents:read"},
    )
    with pytest.raises(ValueError, match="unknown scopes"):
        parse_key_spec("sk_test_c=tickets:write")


def test_several_keys_from_the_environment() -> None:
    env = {"STAMES_API_KEY": "sk_test_all", "STAMES_API_KEYS": "sk_test_t=tickets:read sk_test_x"}
    keys = StamesSettings.from_env(env).api_keys
    assert keys == {
        "sk_test_all": set(ALL_SCOPES),
        "sk_test_t": {"tickets:read"},
        "sk_test_x": set(ALL_SCOPES),
    }
