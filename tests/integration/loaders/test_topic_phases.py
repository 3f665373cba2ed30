"""Tags as Topics against the local org: a Topic per tag name (an existing one reused, whatever
its case), one TopicAssignment per tag on a Case, and a second pass that creates nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
from simple_salesforce import Salesforce

from emulators.salesforce.http.server import RunningServer
from expectations.sync_tables import SyncModel
from loaders.connection import http_session
from loaders.load.context import LoadSettings, RunContext, SilentProgress
from loaders.load.http import Clock, OrgHttp
from loaders.load.ledger import Ledger, LedgerRow
from loaders.load.plan import LoadPlan, Lookup, Phase, PhaseKind
from loaders.load.records import ParentRef
from loaders.load.topic_phase import run_topic_assignment_phase, run_topic_phase

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
TOPICS = Phase(
    0,
    "Topic",
    SyncModel("Topic", "sync_salesforce__topics"),
    PhaseKind.TOPICS,
    ("Name",),
    frozenset({"Name"}),
    frozenset(),
)
ASSIGNMENTS = Phase(
    1,
    "TopicAssignment",
    SyncModel("TopicAssignment", "sync_salesforce__topic_assignments"),
    PhaseKind.TOPIC_ASSIGNMENTS,
    (),
    frozenset(),
    frozenset(),
    lookups=(
        Lookup("ref__EntityId", ParentRef("EntityId", "Entity", "Case", polymorphic=True), deferred=False),
    ),
)


def _warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA salesforce")
    con.execute(
        "CREATE TABLE salesforce.sync_salesforce__topics AS "
        "SELECT * FROM (VALUES ('Billing'), ('Refunds')) t(Name)"
    )
    con.execute(
        "CREATE TABLE salesforce.sync_salesforce__topic_assignments AS SELECT * FROM (VALUES "
        "('10:billing', '10', 'Billing'), ('10:refunds', '10', 'Refunds'), ('11:billing', '11', 'Billing')"
        ") t(stames__assignment_key, ref__EntityId, stames__topic_name)"
    )
    return con


def _context(server: RunningServer, con: duckdb.DuckDBPyConnection, run_id: str, root: Path) -> RunContext:
    http = OrgHttp(
        http_session(server.ca_file),
        server.instance_url,
        server.api_version,
        {"Authorization": f"Bearer {server.access_token}"},
    )
    ledger = Ledger(con)
    ledger.start_run(run_id, NOW, "sandbox", server.instance_url, None, None, "sha256:m", "sha256:d")
    return RunContext(
        http,
        con,
        ledger,
        run_id,
        LoadPlan((TOPICS, ASSIGNMENTS)),
        LoadSettings(),
        root,
        Clock(),
        SilentProgress(),
    )


def test_tags_become_topics_and_assignments_once(
    sf_server: RunningServer, sf: Salesforce, tmp_path: Path
) -> None:
    existing_topic = sf.Topic.create({"Name": "billing"})["id"]  # the org's own topic, another case
    cases = {key: sf.Case.create({"Subject": f"ticket {key}"})["id"] for key in ("10", "11")}
    con = _warehouse(tmp_path / "warehouse.duckdb")
    first = _context(sf_server, con, "run-1", tmp_path)
    first.ledger.record(
        "run-1", [LedgerRow("Case", "Case", key, sf_id, "created", 1) for key, sf_id in cases.items()], NOW
    )

    run_topic_phase(first, TOPICS)
    run_topic_assignment_phase(first, ASSIGNMENTS)

    topics = {row["Name"]: row["Id"] for row in sf.query_all("SELECT Id, Name FROM Topic")["records"]}
    assert topics == {"billing": existing_topic, "Refunds": topics["Refunds"]}
    assignments = {
        (row["TopicId"], row["EntityId"])
        for row in sf.query_all("SELECT TopicId, EntityId FROM TopicAssignment")["records"]
    }
    assert assignments == {
        (existing_topic, cases["10"]),
        (topics["Refunds"], cases["10"]),
        (existing_topic, cases["11"]),
    }
    actions = dict(
        con.execute("SELECT stames_id, action FROM ops.load_records WHERE phase = 'Topic'").fetchall()
    )
    assert actions == {"Billing": "unchanged", "Refunds": "created"}

    second = _context(sf_server, con, "run-2", tmp_path)
    second.ledger.record(
        "run-2", [LedgerRow("Case", "Case", key, sf_id, "updated", 1) for key, sf_id in cases.items()], NOW
    )
    run_topic_phase(second, TOPICS)
    run_topic_assignment_phase(second, ASSIGNMENTS)
    assert len(sf.query_all("SELECT Id FROM Topic")["records"]) == 2
    assert len(sf.query_all("SELECT Id FROM TopicAssignment")["records"]) == 3
    rerun = con.execute(
        "SELECT DISTINCT action FROM ops.load_records "
        "WHERE run_id = 'run-2' AND phase IN ('Topic', 'TopicAssignment')"
    ).fetchall()
    assert rerun == [("unchanged",)]
