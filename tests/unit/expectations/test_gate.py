"""The loader's gate: it refuses without a validation, after a failed one, and when the data or the
mapping changed since the latest one; it lets a passing, current validation through."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from expectations.gate import (
    ValidationFailedError,
    ValidationMappingChangedError,
    ValidationMissingError,
    ValidationStaleDataError,
    require_passing_validation,
)
from expectations.validation import ReportPaths, validate_warehouse
from tests.fixtures.expectations import VALIDATED_AT

OTHER_MAPPING_HASH = "sha256:" + "0" * 64


def validate(warehouse: Path, mapping, org, tmp_path: Path, minutes_later: int = 0) -> bool:
    paths = ReportPaths.under(tmp_path / "reports")
    now = VALIDATED_AT + timedelta(minutes=minutes_later)
    return validate_warehouse(warehouse, mapping, org, paths, now).passed


def test_no_validation_is_refused(sync_warehouse, validated_mapping) -> None:
    with pytest.raises(ValidationMissingError, match="run `stames-sf validate`"):
        require_passing_validation(sync_warehouse, validated_mapping.confirmation.content_hash)


def test_no_warehouse_is_refused(tmp_path, validated_mapping) -> None:
    with pytest.raises(ValidationMissingError):
        require_passing_validation(tmp_path / "absent.duckdb", validated_mapping.confirmation.content_hash)


def test_a_passing_current_validation_opens_the_gate_until_the_data_or_mapping_changes(
    sync_warehouse, validated_mapping, validation_org, tmp_path
) -> None:
    mapping_hash = validated_mapping.confirmation.content_hash
    assert validate(sync_warehouse, validated_mapping, validation_org, tmp_path)
    assert require_passing_validation(sync_warehouse, mapping_hash) is None
    with pytest.raises(ValidationMappingChangedError):
        require_passing_validation(sync_warehouse, OTHER_MAPPING_HASH)
    with duckdb.connect(str(sync_warehouse)) as con:
        con.execute("UPDATE salesforce.sync_salesforce__cases SET Subject = 'Otra' WHERE Subject = 'Envío'")
    with pytest.raises(ValidationStaleDataError, match="changed since the latest validation"):
        require_passing_validation(sync_warehouse, mapping_hash)


def test_the_latest_validation_counts_and_a_failed_one_is_refused(
    sync_warehouse, validated_mapping, validation_org, tmp_path
) -> None:
    mapping_hash = validated_mapping.confirmation.content_hash
    assert validate(sync_warehouse, validated_mapping, validation_org, tmp_path)
    with duckdb.connect(str(sync_warehouse)) as con:
        con.execute("UPDATE salesforce.sync_salesforce__cases SET Status = 'Pending' WHERE Status = 'Closed'")
    assert not validate(sync_warehouse, validated_mapping, validation_org, tmp_path, minutes_later=5)
    with pytest.raises(ValidationFailedError, match="failed 1 expectation"):
        require_passing_validation(sync_warehouse, mapping_hash)
