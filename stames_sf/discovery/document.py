"""The report as data: sections of paragraphs, bullet lists and tables of plain strings.

The Markdown and HTML writers render the same document, so the two files can never disagree,
and escaping happens in exactly one place per format (the writers), never in the builders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    # Columns holding numbers are right-aligned so magnitudes line up.
    numeric_columns: frozenset[int] = frozenset()


def table_of(
    headers: list[str],
    rows: list[list[str]] | list[tuple[str, ...]],
    caption: str = "",
    numeric_columns: set[int] | None = None,
) -> Table:
    return Table(
        headers=tuple(headers),
        rows=tuple(tuple(row) for row in rows),
        caption=caption,
        numeric_columns=frozenset(numeric_columns or ()),
    )


@dataclass(frozen=True)
class Chart:
    """Stacked bars and the table of their numbers: the HTML draws both side by side, the
    Markdown shows the table."""

    title: str
    categories: tuple[str, ...]  # one bar per category
    series: tuple[str, ...]  # the stacked parts of each bar
    values: tuple[tuple[int, ...], ...]  # values[category][series]
    table: Table
    # The categories are consecutive months: drawn as columns along a time axis.
    over_time: bool = False


Block = Paragraph | Bullets | Table | Chart


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """A stable id for links from the table of contents."""
        return slugify(self.title)

    def paragraph(self, text: str) -> None:
        self.blocks.append(Paragraph(text))

    def bullets(self, items: list[str]) -> None:
        self.blocks.append(Bullets(tuple(items)))

    def table(
        self,
        headers: list[str],
        rows: list[list[str]] | list[tuple[str, ...]],
        caption: str = "",
        numeric_columns: set[int] | None = None,
    ) -> None:
        self.blocks.append(table_of(headers, rows, caption, numeric_columns))

    def chart(
        self,
        title: str,
        categories: list[str],
        series: list[str],
        values: list[list[int]],
        table: Table,
        over_time: bool = False,
    ) -> None:
        self.blocks.append(
            Chart(
                title=title,
                categories=tuple(categories),
                series=tuple(series),
                values=tuple(tuple(row) for row in values),
                table=table,
                over_time=over_time,
            )
        )

    def add(self, title: str) -> Section:
        """A new subsection, returned so the caller can fill it."""
        child = Section(title)
        self.subsections.append(child)
        return child


@dataclass
class Document:
    title: str
    intro: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def add(self, title: str) -> Section:
        section = Section(title)
        self.sections.append(section)
        return section


def slugify(title: str) -> str:
    """`3. Tags & topics` → `3-tags-topics`."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"
