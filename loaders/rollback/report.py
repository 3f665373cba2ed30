"""The rollback report a person reads: Markdown and HTML in `<work>/reports/` (values escaped)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape as html_escape
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from loaders.rollback.plan import Deletion, Restore, RollbackPlan
from loaders.rollback.proof import ObjectProof, Proof
from loaders.rollback.store import RollbackRow

LISTED = 200
"""How many records or differences a report lists by name; the counts cover all."""


@dataclass(frozen=True)
class ObjectActions:
    sobject: str
    deletions: int
    restores: int
    kept: int


@dataclass(frozen=True)
class RollbackReport:
    run_id: str
    dry_run: bool
    actions: tuple[ObjectActions, ...]
    listed_deletions: tuple[Deletion, ...]
    listed_restores: tuple[Restore, ...]
    proof: tuple[ObjectProof, ...]
    differences: tuple[str, ...]
    failures: tuple[RollbackRow, ...]
    listed: int = LISTED

    @property
    def identical(self) -> bool:
        return bool(self.proof) and all(item.identical for item in self.proof)


def build_report(
    run_id: str, plan: RollbackPlan, proof: Proof | None, failures: list[RollbackRow]
) -> RollbackReport:
    deletions = plan.deletions_by_object()
    restores: dict[str, int] = {}
    for item in plan.restores:
        restores[item.sobject] = restores.get(item.sobject, 0) + 1
    objects = list(dict.fromkeys([*deletions, *restores, *plan.kept]))
    actions = tuple(
        ObjectActions(name, len(deletions.get(name, [])), restores.get(name, 0), plan.kept.get(name, 0))
        for name in objects
    )
    return RollbackReport(
        run_id,
        proof is None,
        actions,
        plan.deletions[:LISTED],
        plan.restores[:LISTED],
        proof.objects if proof else (),
        tuple(describe_differences(proof)) if proof else (),
        tuple(failures),
    )


def describe_differences(proof: Proof) -> list[str]:
    lines: list[str] = []
    for item in proof.objects:
        lines += [f"{item.sobject} {sf_id} existed before the run and is gone" for sf_id in item.missing]
        lines += [f"{item.sobject} {sf_id} was not there before the run" for sf_id in item.left_over]
        lines += [
            f"{change.sobject} {change.salesforce_id}.{change.field}: "
            f"{change.before!r} before, {change.now!r} now"
            for change in item.changed
        ]
    return lines


def _cell(value: object) -> str:
    """A Markdown cell: HTML escaped (viewers render inline HTML), pipes and newlines kept from
    breaking the row."""
    return html_escape(str(value), quote=False).replace("|", "\\|").replace("\n", " ")


def write_report(report: RollbackReport, reports_dir: Path) -> tuple[Path, Path]:
    """(Markdown, HTML) paths of the written report."""
    loader = PackageLoader("loaders.rollback", "templates")
    html = Environment(loader=loader, autoescape=select_autoescape(["html.j2"], default=True))
    markdown = Environment(loader=loader, autoescape=False)  # noqa: S701 - cells escaped by `cell`
    markdown.filters["cell"] = _cell
    suffix = "-dry-run" if report.dry_run else ""
    reports_dir.mkdir(parents=True, exist_ok=True)
    markdown_path = reports_dir / f"rollback-{report.run_id}{suffix}.md"
    html_path = reports_dir / f"rollback-{report.run_id}{suffix}.html"
    markdown_path.write_text(markdown.get_template("rollback.md.j2").render(r=report), encoding="utf-8")
    html_path.write_text(html.get_template("rollback.html.j2").render(r=report), encoding="utf-8")
    return markdown_path, html_path
