"""`manual-work.md`, `manual-work.html` and `index.html` from the pack's data.

HTML values are escaped by Jinja2's autoescape; Markdown values by the reconciliation report's
`cell` filter (HTML-escaped, since Markdown viewers render inline HTML). No script, nothing
fetched: the style is inline.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from loaders.reconcile.report import cell
from stames_sf.handoff.inventory import ManualWork
from stames_sf.handoff.pack import PackSection
from stames_sf.handoff.run import HandoffRun

MANUAL_WORK_NAME = "manual-work"
INDEX_NAME = "index.html"


def when(moment: datetime | None) -> str:
    return "–" if moment is None else f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _environments() -> tuple[Environment, Environment]:
    loader = PackageLoader("stames_sf.handoff", "templates")
    html = Environment(loader=loader, autoescape=select_autoescape(["html.j2"], default=True))
    # Markdown is not HTML: its values are escaped by the `cell` filter instead.
    markdown = Environment(loader=loader, autoescape=False)  # noqa: S701
    markdown.filters["cell"] = cell
    for environment in (html, markdown):
        environment.globals["when"] = when
    return html, markdown


def write_manual_work(work: ManualWork, pack: Path) -> tuple[Path, Path]:
    """(Markdown, HTML) paths of the written inventory."""
    html, markdown = _environments()
    markdown_path, html_path = pack / f"{MANUAL_WORK_NAME}.md", pack / f"{MANUAL_WORK_NAME}.html"
    markdown_path.write_text(markdown.get_template("manual-work.md.j2").render(work=work), encoding="utf-8")
    html_path.write_text(html.get_template("manual-work.html.j2").render(work=work), encoding="utf-8")
    return markdown_path, html_path


def write_index(run: HandoffRun, sections: Sequence[PackSection], generated_at: datetime, pack: Path) -> Path:
    html, _ = _environments()
    path = pack / INDEX_NAME
    page = html.get_template("index.html.j2").render(run=run, sections=sections, generated_at=generated_at)
    path.write_text(page, encoding="utf-8")
    return path
