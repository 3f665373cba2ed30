"""REST through the HTTPS emulator with simple-salesforce: single creates, sObject Collections
inserts and a paged `query_all`.

Targets on this kind of machine: a single create under 20 ms on average, 10,000 records through
Collections under 30 s, and `query_all` of those 10,000 rows (5 pages) under 5 s.
Writes results/salesforce_rest.json and .md.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import requests
from simple_salesforce import Salesforce

from benchmarks.measure import peak_rss_mb, write_results
from emulators.salesforce.http.server import RunningServer, running_server

NAME = "salesforce_rest"
SINGLE_CREATES = 300
COLLECTION_RECORDS = 10_000
TARGETS = {"single_create_ms": 20.0, "collections_s": 30.0, "query_all_s": 5.0}


def _client(server: RunningServer) -> Salesforce:
    session = requests.Session()
    session.trust_env = False
    session.verify = str(server.ca_file)
    return Salesforce(
        instance_url=server.instance_url,
        session_id=server.access_token,
        version=server.api_version,
        session=session,
    )


def _collections_insert(sf: Salesforce, server: RunningServer, count: int) -> None:
    url = f"{server.instance_url}/services/data/v{server.api_version}/composite/sobjects"
    for start in range(0, count, 200):
        records = [
            {
                "attributes": {"type": "Contact"},
                "LastName": f"Bench {index:06d}",
                "Email": f"c{index}@example.com",
            }
            for index in range(start, min(start + 200, count))
        ]
        results = sf.session.post(
            url, json={"allOrNone": False, "records": records}, headers=sf.headers
        ).json()
        if not all(result["success"] for result in results):
            raise RuntimeError(f"collections insert failed: {results[:2]}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, running_server(Path(folder) / "org") as server:
        sf = _client(server)
        started = time.perf_counter()
        for index in range(SINGLE_CREATES):
            sf.Account.create({"Name": f"Single {index}"})
        single_ms = (time.perf_counter() - started) * 1000 / SINGLE_CREATES

        started = time.perf_counter()
        _collections_insert(sf, server, COLLECTION_RECORDS)
        collections_s = time.perf_counter() - started

        started = time.perf_counter()
        rows = sf.query_all("SELECT Id, LastName, Email FROM Contact WHERE LastName LIKE 'Bench%'")
        query_all_s = time.perf_counter() - started
        if rows["totalSize"] != COLLECTION_RECORDS:
            raise RuntimeError(f"query_all returned {rows['totalSize']} rows")
        sf.session.close()

    measured = {"single_create_ms": single_ms, "collections_s": collections_s, "query_all_s": query_all_s}
    results = {
        **{key: round(value, 2) for key, value in measured.items()},
        "collections_records_per_s": round(COLLECTION_RECORDS / collections_s),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "targets": TARGETS,
        "met": {key: value <= TARGETS[key] for key, value in measured.items()},
    }
    rows_md = [
        (f"single create, mean of {SINGLE_CREATES}", f"{single_ms:.1f} ms", "single_create_ms", "ms"),
        (
            f"{COLLECTION_RECORDS} Contacts via Collections (200/call)",
            f"{collections_s:.1f} s",
            "collections_s",
            "s",
        ),
        (f"query_all of {COLLECTION_RECORDS} rows (2,000/page)", f"{query_all_s:.2f} s", "query_all_s", "s"),
    ]
    markdown = "\n".join(
        [
            "# Salesforce REST through the HTTPS emulator (simple-salesforce)",
            "",
            "| measure | value | target |",
            "|---|---|---|",
            *(f"| {label} | {value} | < {TARGETS[key]} {unit} |" for label, value, key, unit in rows_md),
            f"| peak RSS (server and client in one process) | {results['peak_rss_mb']} MB | |",
        ]
    )
    write_results(NAME, results, markdown)
    print(markdown)


if __name__ == "__main__":
    main()
