"""The reconciliation report a customer reads: `reports/reconciliation-<run>.md` and `.html`.

HTML values are escaped by Jinja2's autoescape; Markdown cells by the `cell` filter (HTML-escaped,
since Markdown viewers render inline HTML, and pipes and newlines kept from breaking the row)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape as html_escape
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from loaders.reconcile import normalise
from loaders.reconcile.run import Reconciliation

NOTES = (
    "Expected values come from the sync tables (the confirmed mapping applied), lookups turned into "
    "the org's Ids through the run's ledger; `(Stames)` checks read raw_stames directly. An empty "
    "value the org fills on create (a checkbox's false, a picklist's default) is expected as that "
    "default.\n" + (normalise.__doc__ or "")
)


@dataclass(frozen=True)
class ReportPaths:
    markdown: Path
    html: Path


def report_paths(reports: Path, run_id: str, at: datetime) -> ReportPaths:
    """One pair per reconciliation, so an earlier report (and its sign-off) is never overwritten."""
    stem = f"reconciliation-{run_id}-{at.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    return ReportPaths(reports / f"{stem}.md", reports / f"{stem}.html")


def cell(value: object) -> str:
    return html_escape(str(value), quote=False).replace("|", "\\|").replace("\r", "").replace("\n", " ⏎ ")


def errors(failed_by_error: Mapping[str, int]) -> str:
    return ", ".join(f"{code}: {count}" for code, count in failed_by_error.items())


def render_report(reconciliation: Reconciliation, paths: ReportPaths) -> None:
    loader = PackageLoader("loaders.reconcile", "templates")
    html = Environment(loader=loader, autoescape=select_autoescape(["html.j2"], default=True))
    # Markdown is not HTML: its cells are escaped by the `cell` filter instead.
    markdown = Environment(loader=loader, autoescape=False)  # noqa: S701
    markdown.filters["cell"] = cell
    context = {"r": reconciliation, "errors": errors, "NOTES": NOTES}
    paths.markdown.parent.mkdir(parents=True, exist_ok=True)
    paths.html.write_text(html.get_template("reconciliation.html.j2").render(**context), encoding="utf-8")
    paths.markdown.write_text(
        markdown.get_template("reconciliation.md.j2").render(**context), encoding="utf-8"
    )
