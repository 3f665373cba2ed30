"""The sign-off report a customer reads: `reports/signoff.html` and its Markdown twin.

The templates are in `expectations/templates/`. Jinja2 autoescapes the HTML (every value from the
data is escaped); one file with its style inline and the reconciliation drawn as inline SVG: no
script, nothing fetched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape as html_escape
from pathlib import Path

import duckdb
from jinja2 import Environment, PackageLoader, select_autoescape

from expectations.checkpoint import Outcome
from expectations.sync_tables import QUARANTINE_TABLE, RECONCILIATION_TABLE, SYNC_SCHEMA
from mapping.model import ExclusionRule

QUARANTINE_EXAMPLES = 3
BAR_WIDTH = 420


@dataclass(frozen=True)
class Reconciliation:
    """One source object: `source_rows = synced + quarantined + excluded`."""

    object: str
    source_rows: int
    synced: int
    quarantined: int
    excluded: int

    @property
    def balanced(self) -> bool:
        return self.source_rows == self.synced + self.quarantined + self.excluded

    def widths(self) -> tuple[int, int, int]:
        """Pixel widths of the synced, quarantined and excluded parts of the bar."""
        total = max(self.source_rows, self.synced + self.quarantined + self.excluded, 1)
        return tuple(
            round(BAR_WIDTH * part / total) for part in (self.synced, self.quarantined, self.excluded)
        )  # type: ignore[return-value]


@dataclass(frozen=True)
class QuarantineReason:
    object: str
    reason: str
    count: int
    examples: tuple[str, ...]
    detail: str | None


@dataclass(frozen=True)
class SignoffData:
    validated_at: datetime
    passed: bool
    data_hash: str
    mapping_hash: str
    outcomes: Sequence[Outcome]
    reconciliation: Sequence[Reconciliation]
    quarantine: Sequence[QuarantineReason]
    exclusions: Sequence[ExclusionRule]
    data_docs_index: str

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if not outcome.success]


def _table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    [(count,)] = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [SYNC_SCHEMA, table],
    ).fetchall()
    return bool(count)


def read_reconciliation(con: duckdb.DuckDBPyConnection) -> list[Reconciliation]:
    if not _table_exists(con, RECONCILIATION_TABLE):
        return []
    rows = con.execute(
        f"SELECT object, source_rows, synced, quarantined, excluded "
        f"FROM {SYNC_SCHEMA}.{RECONCILIATION_TABLE} ORDER BY object"
    ).fetchall()
    return [Reconciliation(str(row[0]), *(int(value or 0) for value in row[1:])) for row in rows]


def read_quarantine(con: duckdb.DuckDBPyConnection) -> list[QuarantineReason]:
    if not _table_exists(con, QUARANTINE_TABLE):
        return []
    rows = con.execute(
        f"SELECT object, reason, count(*) AS records, "
        f"list(stames_id ORDER BY stames_id)[1:{QUARANTINE_EXAMPLES}], min(detail) "
        f"FROM {SYNC_SCHEMA}.{QUARANTINE_TABLE} GROUP BY object, reason ORDER BY records DESC, object, reason"
    ).fetchall()
    return [
        QuarantineReason(str(obj), str(reason), int(count), tuple(str(item) for item in examples), detail)
        for obj, reason, count, examples, detail in rows
    ]


def _cell(value: object) -> str:
    """A Markdown table cell: HTML escaped (Markdown viewers render inline HTML), pipes and newlines
    kept from breaking the row."""
    return html_escape(str(value), quote=False).replace("|", "\\|").replace("\n", " ")


def render_signoff(data: SignoffData, html_path: Path, markdown_path: Path) -> None:
    loader = PackageLoader("expectations", "templates")
    html = Environment(loader=loader, autoescape=select_autoescape(["html.j2"], default=True))
    # Markdown is not HTML: its table cells are escaped by the `cell` filter instead.
    markdown = Environment(loader=loader, autoescape=False)  # noqa: S701
    markdown.filters["cell"] = _cell
    html_path.parent.mkdir(parents=True, exist_ok=True)
    page = html.get_template("signoff.html.j2").render(data=data, bar_width=BAR_WIDTH)
    html_path.write_text(page, encoding="utf-8")
    markdown_path.write_text(markdown.get_template("signoff.md.j2").render(data=data), encoding="utf-8")
