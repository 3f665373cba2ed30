"""Validate memory and time on BENCH_VALIDATE_MESSAGES email messages with BODY_CHARS-character bodies.

The sync tables are built in DuckDB (Cases, and EmailMessages whose TextBody and HtmlBody hold the
bodies); the validation runs in a child process, so its peak resident memory is its own. The
target: the peak stays far below the bodies' size, since the suites project `length(TextBody)`, not
the body, and read the projection in chunks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from benchmarks.measure import measure_table, peak_rss_mb, write_results

MESSAGES = int(os.environ.get("BENCH_VALIDATE_MESSAGES", "700000"))
CASES = max(MESSAGES // 7, 1)
BODY_CHARS = 2_000
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
MAPPING_FILE = Path(__file__).parents[1] / "tests" / "fixtures" / "mappings" / "generated.yml"


def build_warehouse(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute("SET preserve_insertion_order = false")
        con.execute("CREATE SCHEMA salesforce")
        con.execute(
            f"""CREATE TABLE salesforce.sync_salesforce__cases AS
            SELECT range::VARCHAR AS "Stames_Id__c", 'Pantalla rota ' || range AS "Subject",
                   'New' AS "Status",
                   TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(range) AS "CreatedDate"
            FROM range({CASES})"""
        )
        con.execute(
            f"""CREATE TABLE salesforce.sync_salesforce__email_messages AS
            SELECT (1000000 + range)::VARCHAR AS "Stames_Id__c",
                   (range % {CASES})::VARCHAR AS "ref__ParentId",
                   repeat('Hola, la pantalla se rompió. ', {BODY_CHARS // 30}) || range AS "TextBody",
                   '<p>' || repeat('Hola, la pantalla se rompió. ', {BODY_CHARS // 30}) || '</p>'
                       AS "HtmlBody",
                   '1' AS "Status", true AS "Incoming",
                   TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(range) AS "MessageDate"
            FROM range({MESSAGES})"""
        )


def child(warehouse: Path, reports: Path) -> None:
    """Validate `warehouse` against the emulator's describes; print the result as JSON."""
    from emulators.salesforce.org.store import Org
    from expectations.validation import ReportPaths, validate_warehouse
    from loaders.schema import write_stames_id_field
    from mapping.document import confirm, read_mapping
    from mapping.org import OrgSnapshot, OrgUser

    with tempfile.TemporaryDirectory() as scratch:
        org = Org.open(Path(scratch) / "org")
        package = Path(scratch) / "sfdx" / "force-app" / "main" / "default"
        for sobject in ("Case", "EmailMessage"):
            write_stames_id_field(package, sobject)
        assert org.deploy(Path(scratch) / "sfdx").success
        snapshot = OrgSnapshot(
            instance_url="https://127.0.0.1",
            organization_id=None,
            api_version="62.0",
            describes={name: org.describe(name) for name in ("Case", "EmailMessage")},
            users=tuple(
                OrgUser(row["Id"], row["Username"], row.get("Email"), row["Username"], bool(row["IsActive"]))
                for row in org.scan("User")
            ),
        )
        org.close()
    mapping = confirm(read_mapping(MAPPING_FILE), by="bench", at=NOW, accepted_above=0.8)
    import great_expectations  # noqa: F401 (its import is the baseline, not the validation)

    baseline = peak_rss_mb()
    started = time.perf_counter()
    result = validate_warehouse(warehouse, mapping, snapshot, ReportPaths.under(reports), NOW)
    seconds = time.perf_counter() - started
    measured = {"passed": result.passed, "seconds": round(seconds, 1), "baseline_rss_mb": round(baseline)}
    print(json.dumps({**measured, "peak_rss_mb": round(peak_rss_mb())}))


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        warehouse = Path(scratch) / "warehouse.duckdb"
        build_warehouse(warehouse)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            [(body_bytes,)] = con.execute(
                'SELECT sum(strlen("TextBody") + strlen("HtmlBody")) '
                "FROM salesforce.sync_salesforce__email_messages"
            ).fetchall()
        output = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.validate",
                "--child",
                str(warehouse),
                str(Path(scratch) / "reports"),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    measured = json.loads(output.strip().splitlines()[-1])
    results = {
        "messages": MESSAGES,
        "cases": CASES,
        "body_mb": round(body_bytes / 2**20),
        "validate_seconds": measured["seconds"],
        "rss_after_importing_gx_mb": measured["baseline_rss_mb"],
        "validate_peak_rss_mb": measured["peak_rss_mb"],
        "passed": measured["passed"],
    }
    write_results("validate", results, measure_table(f"validate: {MESSAGES:,} email messages", results))
    print(results)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
