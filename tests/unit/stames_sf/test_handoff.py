"""`stames-sf handoff` on a hand-written work folder: the pack's files, the error CSVs, the index's
links, what is not produced yet, and escaping. Expected values are typed here, not computed."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from typer.testing import CliRunner

from stames_sf.cli import app
from stames_sf.handoff.run import NoRunToHandOffError, parse_audit_fields
from stames_sf.handoff.service import build_handoff
from stames_sf.workdir import WorkDir
from tests.fixtures.handoff import OLDER_RUN_ID, RECONCILIATION_STEM, RUN_ID

NOW = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)
PACK_FILES = {
    "index.html",
    "scope.md",
    "scope.html",
    "mapping/mapping.yml",
    "mapping/agent-decisions.yml",
    "mapping/agent-reconciliation.csv",
    "signoff.html",
    "signoff.md",
    "data-docs/index.html",
    "data-docs/static/styles/data_docs.css",
    f"{RECONCILIATION_STEM}.md",
    f"{RECONCILIATION_STEM}.html",
    f"rollback-{RUN_ID}-dry-run.md",
    "errors-Case.csv",
    "errors-EmailMessage.csv",
    "manual-work.md",
    "manual-work.html",
}
ERROR_HEADER = ["stames_id", "salesforce_id", "error_code", "error_message"]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.fetched: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(str(values["href"]))
        if values.get("src") or tag in {"script", "link", "iframe"}:
            self.fetched.append(tag)


def links_of(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def files_in(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_the_pack_holds_a_copy_of_every_input_of_the_latest_run(handoff_work: WorkDir) -> None:
    pack = build_handoff(handoff_work, None, NOW)
    assert pack.run.run_id == RUN_ID
    assert pack.folder == handoff_work.root / "handoff" / RUN_ID
    assert files_in(pack.folder) == PACK_FILES
    assert pack.missing == []
    assert (pack.folder / "scope.md").read_text(encoding="utf-8") == "# Scope\n"
    assert not (pack.folder / "scope.md").is_symlink()


def test_error_csvs_hold_the_runs_failed_ledger_rows_per_object(handoff_work: WorkDir) -> None:
    pack = build_handoff(handoff_work, None, NOW)
    assert csv_rows(pack.folder / "errors-Case.csv") == [
        ERROR_HEADER,
        ["10003", "", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Subject <script>alert('pwned')</script>"],
        ["10004", "", "REQUIRED_FIELD_MISSING", "Required fields are missing: [Status]"],
        ["10005", "500000000000005AAA", "ENTITY_IS_DELETED", "entity is deleted"],
    ]
    assert csv_rows(pack.folder / "errors-EmailMessage.csv") == [
        ERROR_HEADER,
        ["m-1", "", "INVALID_CROSS_REFERENCE_KEY", 'invalid cross reference id, "quoted", and a comma'],
    ]


def test_a_named_run_gets_its_own_pack_and_only_its_own_errors(handoff_work: WorkDir) -> None:
    pack = build_handoff(handoff_work, OLDER_RUN_ID, NOW)
    assert pack.folder == handoff_work.root / "handoff" / OLDER_RUN_ID
    assert csv_rows(pack.folder / "errors-Case.csv") == [
        ERROR_HEADER,
        ["10009", "", "UNABLE_TO_LOCK_ROW", "unable to lock row"],
    ]
    assert not (pack.folder / "errors-EmailMessage.csv").exists()
    assert not list(pack.folder.glob("reconciliation-*"))
    assert not list(pack.folder.glob("rollback-*"))


def test_every_index_link_opens_a_file_of_the_pack_and_every_file_is_linked(handoff_work: WorkDir) -> None:
    pack = build_handoff(handoff_work, None, NOW)
    links = links_of(pack.index)
    assert links.fetched == []
    targets = set()
    for href in links.hrefs:
        assert not urlsplit(href).scheme, href
        target = pack.folder / unquote(href)
        assert target.is_file(), href
        targets.add(target.relative_to(pack.folder).as_posix())
    assert targets == PACK_FILES - {"index.html", "data-docs/static/styles/data_docs.css"}


def test_the_index_names_the_run_the_org_and_the_dates(handoff_work: WorkDir) -> None:
    page = build_handoff(handoff_work, None, NOW).index.read_text(encoding="utf-8")
    assert f"Handoff pack: load run {RUN_ID}" in page
    assert "https://acme--uat.sandbox.my.salesforce.com" in page
    assert "00D000000000001AAA" in page
    assert "2026-12-01 10:00 UTC" in page  # started
    assert "2026-12-01 10:05 UTC" in page  # finished
    assert "2026-12-02 09:30 UTC" in page  # the pack
    assert "The confirmed mapping (by qa@example.com" in page
    assert "PASSED" in page


def test_html_escapes_a_script_in_an_error_message_and_a_signer_name(handoff_work: WorkDir) -> None:
    pack = build_handoff(handoff_work, None, NOW)
    for page in ("index.html", "manual-work.html"):
        assert "<script" not in (pack.folder / page).read_text(encoding="utf-8"), page
    assert "Subject &lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in (
        pack.folder / "manual-work.html"
    ).read_text(encoding="utf-8")
    assert "signed off by Ana &lt;script&gt;" in pack.index.read_text(encoding="utf-8")
    markdown = (pack.folder / "manual-work.md").read_text(encoding="utf-8")
    assert "<script" not in markdown
    assert "Subject &lt;script&gt;alert('pwned')&lt;/script&gt;" in markdown


def test_inputs_not_produced_yet_are_listed_with_their_command(ledger_only_work: WorkDir) -> None:
    pack = build_handoff(ledger_only_work, None, NOW)
    assert {(item.what, item.command) for item in pack.missing} == {
        ("The scope document", "stames-sf discover"),
        ("The confirmed mapping", "stames-sf map propose && stames-sf map confirm"),
        ("The agent decisions", "stames-sf users"),
        ("The Data Docs and the sign-off report", "stames-sf validate"),
        ("The reconciliation and sample report", f"stames-sf reconcile --run {RUN_ID}"),
    }
    page = pack.index.read_text(encoding="utf-8")
    assert (
        "The reconciliation and sample report: not produced yet: run "
        f"<code>stames-sf reconcile --run {RUN_ID}</code>"
    ) in page
    assert files_in(pack.folder) == {
        "index.html",
        "manual-work.md",
        "manual-work.html",
        "errors-Case.csv",
        "errors-EmailMessage.csv",
    }
    assert "Not produced yet: run `stames-sf transform`." in (pack.folder / "manual-work.md").read_text(
        encoding="utf-8"
    )


def test_a_rebuilt_pack_drops_what_the_work_folder_no_longer_holds(handoff_work: WorkDir) -> None:
    build_handoff(handoff_work, None, NOW)
    (handoff_work.reports / "signoff.md").unlink()
    pack = build_handoff(handoff_work, None, NOW)
    assert not (pack.folder / "signoff.md").exists()
    assert (pack.folder / "signoff.html").is_file()
    assert sorted(path.name for path in handoff_work.handoff.iterdir()) == [RUN_ID]


def test_an_unknown_run_is_refused_in_one_line(handoff_work: WorkDir) -> None:
    with pytest.raises(NoRunToHandOffError, match="No load run load-nope in this work folder"):
        build_handoff(handoff_work, "load-nope", NOW)


def test_the_command_prints_the_index_and_what_is_missing(ledger_only_work: WorkDir) -> None:
    result = CliRunner().invoke(app, ["handoff", "--work", str(ledger_only_work.root)])
    assert result.exit_code == 0, result.output
    assert f"Handoff pack of load run {RUN_ID}" in result.output
    assert (
        f"Not produced yet: The reconciliation and sample report (run `stames-sf reconcile --run {RUN_ID}`)"
        in (" ".join(result.output.split()))
    )
    assert (ledger_only_work.handoff / RUN_ID / "index.html").is_file()


def test_the_command_without_a_warehouse_says_what_to_run(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["handoff", "--work", str(tmp_path / "empty")])
    assert result.exit_code == 1
    assert "No warehouse" in result.output
    assert not (tmp_path / "empty" / "handoff").exists()


def test_audit_fields_read_as_the_runner_records_them() -> None:
    assert parse_audit_fields("{'Case': 'CreatedDate set on insert'}") == {
        "Case": "CreatedDate set on insert"
    }
    assert parse_audit_fields(None) is None
    assert parse_audit_fields("not a literal (") is None
