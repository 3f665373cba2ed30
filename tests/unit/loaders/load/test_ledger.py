"""The run ledger: rows move on as records do, attempts add up, prior values stay the first seen."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pytest

from loaders.load.ledger import Ledger, LedgerRow

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def ledger() -> Ledger:
    ledger = Ledger(duckdb.connect(":memory:"))
    ledger.start_run("run-1", NOW, "sandbox", "https://org.example", "00D1", "0051", "sha256:m", "sha256:d")
    return ledger


def test_a_row_that_failed_then_loaded_says_loaded_after_both_attempts(ledger: Ledger) -> None:
    ledger.record(
        "run-1", [LedgerRow("Case", "Case", "10", None, "failed", 1, error_code="UNABLE_TO_LOCK_ROW")], NOW
    )
    assert ledger.failed_keys("run-1", "Case") == {"10"}
    ledger.record("run-1", [LedgerRow("Case", "Case", "10", "5001", "created", 2)], NOW)
    [(action, attempts, code, sf_id)] = ledger.con.execute(
        "SELECT action, attempts, error_code, salesforce_id FROM ops.load_records"
    ).fetchall()
    assert (action, attempts, code, sf_id) == ("created", 3, None, "5001")
    assert ledger.done_keys("run-1", "Case") == {"10"}
    assert ledger.loaded_ids("run-1", "Case") == {"10": "5001"}


def test_prior_values_are_those_before_the_run_whatever_comes_after(ledger: Ledger) -> None:
    first = LedgerRow("Contact", "Contact", "c1", "0031", "updated", 1, prior_values={"LastName": "Old"})
    again = LedgerRow("Contact", "Contact", "c1", "0031", "updated", 1, prior_values={"LastName": "Newer"})
    ledger.record("run-1", [first], NOW)
    ledger.record("run-1", [again], NOW)
    [(prior,)] = ledger.con.execute("SELECT prior_values FROM ops.load_records").fetchall()
    assert prior == '{"LastName": "Old"}'


def test_the_snapshot_is_keyed_by_stames_id_or_by_id_for_an_adopted_record(ledger: Ledger) -> None:
    ledger.save_snapshot(
        "run-1",
        "Account",
        [("0011", "company:acme", {"Name": "Acme"}), ("0012", None, {"Name": "Org's own"})],
    )
    assert ledger.snapshot("run-1", "Account") == {
        "company:acme": ("0011", {"Name": "Acme"}),
        "0012": ("0012", {"Name": "Org's own"}),
    }
    assert not ledger.has_snapshot("run-1")  # until the run records that the snapshot is complete
    ledger.set_run("run-1", snapshot_at=NOW)
    assert ledger.has_snapshot("run-1")


def test_phase_counts_and_errors_come_from_the_record_rows(ledger: Ledger) -> None:
    ledger.record(
        "run-1",
        [
            LedgerRow("Case", "Case", "1", "5001", "created", 1),
            LedgerRow("Case", "Case", "2", "5002", "updated", 1),
            LedgerRow("Case", "Case", "3", None, "failed", 3, error_code="UNABLE_TO_LOCK_ROW"),
            LedgerRow("Case", "Case", "4", None, "failed", 1, error_code="PARENT_FAILED"),
        ],
        NOW,
    )
    assert ledger.counts("run-1", "Case") == {"created": 1, "updated": 1, "failed": 2}
    assert ledger.failed_by_error("run-1", "Case") == {"PARENT_FAILED": 1, "UNABLE_TO_LOCK_ROW": 1}
    assert ledger.latest_run().status == "running"


def test_a_ledger_made_with_row_keys_loses_them_and_keeps_its_rows() -> None:
    con = duckdb.connect(":memory:")
    con.execute("CREATE SCHEMA ops")
    con.execute(
        "CREATE TABLE ops.load_snapshot (run_id VARCHAR NOT NULL, sobject VARCHAR NOT NULL, "
        "salesforce_id VARCHAR NOT NULL, stames_id VARCHAR, field_values VARCHAR, "
        "PRIMARY KEY (run_id, sobject, salesforce_id))"
    )
    con.execute(
        "INSERT INTO ops.load_snapshot VALUES ('run-0', 'Case', '5000', '7', '{\"Subject\": \"old\"}')"
    )

    ledger = Ledger(con)
    ledger.save_snapshot("run-0", "Case", [("5000", "7", {"Subject": "new"}), ("5009", None, {})])

    keys = con.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' "
        "AND table_name IN ('load_snapshot', 'load_records')"
    ).fetchall()
    assert keys == [(0,)]
    assert ledger.snapshot_by_id("run-0", "Case") == {"5000": ("7", {"Subject": "new"}), "5009": (None, {})}
    assert con.execute("SELECT count(*) FROM ops.load_snapshot").fetchall() == [(2,)]


def test_recording_a_key_again_replaces_its_row(ledger: Ledger) -> None:
    rows = [LedgerRow("Case", "Case", str(key), f"500{key}", "created", 1) for key in range(3)]
    ledger.record("run-1", rows, NOW)
    ledger.record("run-1", [LedgerRow("Case", "Case", "1", "5001", "updated", 1)], NOW)
    stored = ledger.con.execute(
        "SELECT stames_id, action, attempts FROM ops.load_records ORDER BY stames_id"
    ).fetchall()
    assert stored == [("0", "created", 1), ("1", "updated", 2), ("2", "created", 1)]
