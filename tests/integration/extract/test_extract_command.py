"""`stames-sf extract` when Stames refuses it: one clear line, exit 1, and the warehouse untouched."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
import requests
from typer.testing import CliRunner

from emulators.stames_api.settings import ALL_SCOPES, DEFAULT_API_KEY
from stames_sf.cli import app
from stames_sf.extraction import check_connection
from stames_sf.workdir import WorkDir
from tests.fixtures.clock import FakeClock
from tests.fixtures.extract import ExtractFrom
from tests.fixtures.stames_api import StartStames
from tests.integration.extract.compare import SCHEMA

COUNTED = ("tickets", "messages", "customers", "agents")


def _counts(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {SCHEMA}.{table}").fetchone()[0]
            for table in COUNTED
        }


def test_a_wrong_key_is_one_clear_error_and_loses_nothing(
    start_stames: StartStames, extract_from: ExtractFrom, tmp_path: Path
) -> None:
    server = start_stames()
    work = WorkDir.at(tmp_path / "work")
    extract_from(server, work)
    before = _counts(work.warehouse)

    result = CliRunner().invoke(
        app,
        [
            "extract",
            "--work",
            str(work.root),
            "--base-url",
            server.api_url,
            "--api-key",
            "sk_test_not_the_right_key_0000000000",
            "--no-progress",
        ],
    )

    assert result.exit_code == 1, result.output
    assert "refused the API key (401 unauthorized)" in result.output
    assert "Traceback" not in result.output
    assert _counts(work.warehouse) == before
    assert all(count > 0 for count in before.values())


def test_an_unreachable_server_stops_before_any_work_starts(tmp_path: Path, refused_port: int) -> None:
    work = WorkDir.at(tmp_path / "work")
    closed_url = f"http://127.0.0.1:{refused_port}/api/v1"

    arguments = ["extract", "--work", str(work.root), "--base-url", closed_url, "--api-key", "k"]
    result = CliRunner().invoke(app, [*arguments, "--no-progress"])

    assert result.exit_code == 1, result.output
    assert f"Cannot reach Stames at {closed_url}" in result.output
    assert "Traceback" not in result.output
    # The connection test runs first: no warehouse, no pipeline state, no half-made summary.
    assert not work.warehouse.exists()
    assert not any(work.dlt_dir.iterdir())
    assert not (work.reports / "extract-summary.json").exists()


def test_a_key_without_a_scope_names_the_scope(start_stames: StartStames, tmp_path: Path) -> None:
    server = start_stames(api_keys={DEFAULT_API_KEY: set(ALL_SCOPES) - {"agents:read"}})
    work = WorkDir.at(tmp_path / "work")
    arguments = ["extract", "--work", str(work.root), "--base-url", server.api_url]
    result = CliRunner().invoke(app, [*arguments, "--api-key", server.api_key, "--no-progress"])

    assert result.exit_code == 1, result.output
    assert "lacks the agents:read scope (403 insufficient_scope)" in result.output
    assert "Traceback" not in result.output


def test_the_connection_test_retries_like_the_extraction_but_briefly(start_stames: StartStames) -> None:
    server = start_stames(fault_503_every_n=1)
    clock = FakeClock()
    with pytest.raises(requests.HTTPError):
        check_connection(server.api_url, server.api_key, clock=clock.as_clock())
    assert server.admin_get("stats")["counts"]["503"] == 3  # one try, two retries: seconds, not minutes
    assert clock.slept_s > 0  # waited out Retry-After on the injected clock


def test_the_connection_test_survives_a_cut_off_answer(start_stames: StartStames) -> None:
    server = start_stames(fault_truncate_every_n=1)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        check_connection(server.api_url, server.api_key, clock=FakeClock().as_clock())
    assert server.admin_get("stats")["counts"]["truncated"] == 3


def test_a_base_url_without_a_scheme_is_one_line(tmp_path: Path) -> None:
    work = WorkDir.at(tmp_path / "work")
    arguments = ["extract", "--work", str(work.root), "--base-url", "127.0.0.1:8790/api/v1"]
    result = CliRunner().invoke(app, [*arguments, "--api-key", "k", "--no-progress"])

    assert result.exit_code == 1, result.output
    assert "127.0.0.1:8790/api/v1 is not a usable http(s) URL" in result.output
    assert "Traceback" not in result.output


class _WebPage(BaseHTTPRequestHandler):
    """Any web server that is not Stames: every path answers 200 with an HTML page."""

    def do_GET(self) -> None:
        body = b"<html><body>Welcome</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        del args


def test_a_url_that_is_not_the_stames_api_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), _WebPage) as web:
        threading.Thread(target=web.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{web.server_address[1]}"
        work = WorkDir.at(tmp_path / "work")
        arguments = ["extract", "--work", str(work.root), "--base-url", url, "--api-key", "k"]
        result = CliRunner().invoke(app, [*arguments, "--no-progress"])
        web.shutdown()

    assert result.exit_code == 1, result.output
    expected = "answered GET /account with something other than the Stames API's JSON (text/html)"
    assert expected in result.output
    assert "Traceback" not in result.output
    assert not work.warehouse.exists()


def test_a_refused_attachment_step_keeps_the_load_summary(start_stames: StartStames, tmp_path: Path) -> None:
    server = start_stames(api_keys={DEFAULT_API_KEY: set(ALL_SCOPES) - {"attachments:read"}})
    work = WorkDir.at(tmp_path / "work")
    arguments = ["extract", "--work", str(work.root), "--base-url", server.api_url]
    result = CliRunner().invoke(app, [*arguments, "--api-key", server.api_key, "--no-progress"])

    assert result.exit_code == 1, result.output
    assert "lacks the attachments:read scope" in result.output
    summary = json.loads((work.reports / "extract-summary.json").read_text(encoding="utf-8"))
    assert summary["load"]["rows_per_table"]["tickets"] > 0
    assert "attachments" not in summary
