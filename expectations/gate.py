"""The loader's gate: load only after the latest validation passed on the current data and mapping."""

from __future__ import annotations

from pathlib import Path

import duckdb

from expectations.record import data_hash, latest_validation


class ValidationGateError(Exception):
    """The load may not start; the message is one line saying why and what to run."""


class ValidationMissingError(ValidationGateError):
    pass


class ValidationFailedError(ValidationGateError):
    pass


class ValidationStaleDataError(ValidationGateError):
    pass


class ValidationMappingChangedError(ValidationGateError):
    pass


def require_passing_validation(warehouse: Path, mapping_hash: str) -> None:
    """Return when the latest `stames-sf validate` passed on exactly these sync tables and this
    mapping (its `content_hash`); raise a `ValidationGateError` otherwise."""
    if not warehouse.exists():
        raise ValidationMissingError(f"No warehouse at {warehouse}: extract, transform and validate first.")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        latest = latest_validation(con)
        if latest is None:
            raise ValidationMissingError("No validation recorded: run `stames-sf validate` before loading.")
        if not latest.passed:
            raise ValidationFailedError(
                f"The latest validation ({latest.validated_at:%Y-%m-%d %H:%M %Z}) failed "
                f"{latest.failed_expectations} expectation(s): fix them (see {latest.report_path}), "
                "then run `stames-sf validate` again."
            )
        if latest.mapping_hash != mapping_hash:
            raise ValidationMappingChangedError(
                "The mapping changed since the latest validation: "
                "transform again, then run `stames-sf validate`."
            )
        if latest.data_hash != data_hash(con):
            raise ValidationStaleDataError(
                "The sync tables changed since the latest validation: run `stames-sf validate` again."
            )
